using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace LxdCompose.PowerShell.Completers;

/// <summary>
/// Completes names from the specs of the config the command line points at (-ConfigPath, else LXD_COMPOSE_CONFIG or the
/// current location's .lxd-compose.yml), narrowed by -Project and -Group when they are already typed. Never throws.
/// </summary>
public abstract class SpecNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            var here = CompletionText.CurrentDirectory();
            var index = SpecNameCache.Get(CompletionText.BoundPath(fakeBoundParameters, "ConfigPath", here), here);
            var projects = CompletionText.BoundStrings(fakeBoundParameters, "Project");
            var selected = index.Projects.Where(p => CompletionText.Matches(projects, p.Name)).ToList();
            return CompletionText.Complete(wordToComplete, Candidates(index, selected, fakeBoundParameters));
        }
        catch (Exception)
        {
            return Array.Empty<CompletionResult>();
        }
    }

    /// <summary>The names to offer; <paramref name="projects"/> are those -Project selects (all when absent).</summary>
    private protected abstract IEnumerable<NamedItem> Candidates(
        SpecNameIndex index, IReadOnlyList<ProjectNames> projects, IDictionary fakeBoundParameters);
}

/// <summary>Project names.</summary>
public sealed class ProjectNameCompleter : SpecNameCompleter
{
    private protected override IEnumerable<NamedItem> Candidates(
        SpecNameIndex index, IReadOnlyList<ProjectNames> projects, IDictionary fakeBoundParameters) =>
        // The parameter completed may itself be -Project: offer every project then, not only those it matches.
        index.Projects.Select(p => new NamedItem(p.Name, p.ToolTip));
}

/// <summary>Group names of the projects given with -Project (all projects otherwise).</summary>
public sealed class GroupNameCompleter : SpecNameCompleter
{
    private protected override IEnumerable<NamedItem> Candidates(
        SpecNameIndex index, IReadOnlyList<ProjectNames> projects, IDictionary fakeBoundParameters) =>
        projects.SelectMany(p => p.Groups.Select(g => new NamedItem(g.Name, $"{p.Name}: {g.ToolTip}")));
}

/// <summary>Node names of the groups given with -Group in the projects given with -Project.</summary>
public sealed class NodeNameCompleter : SpecNameCompleter
{
    private protected override IEnumerable<NamedItem> Candidates(
        SpecNameIndex index, IReadOnlyList<ProjectNames> projects, IDictionary fakeBoundParameters)
    {
        var groups = CompletionText.BoundStrings(fakeBoundParameters, "Group");
        return projects.SelectMany(p => p.Groups)
            .Where(g => CompletionText.Matches(groups, g.Name))
            .SelectMany(g => g.Nodes.Select(n => new NamedItem(n.Name, $"{g.Name}: {n.ToolTip}")));
    }
}

/// <summary>Command (apply preset) names of the projects given with -Project.</summary>
public sealed class CommandNameCompleter : SpecNameCompleter
{
    private protected override IEnumerable<NamedItem> Candidates(
        SpecNameIndex index, IReadOnlyList<ProjectNames> projects, IDictionary fakeBoundParameters) =>
        projects.SelectMany(p => p.Commands);
}

/// <summary>Hook flags used by the hooks and commands of the projects given with -Project (for -EnableFlag, -DisableFlag).</summary>
public sealed class HookFlagCompleter : SpecNameCompleter
{
    private protected override IEnumerable<NamedItem> Candidates(
        SpecNameIndex index, IReadOnlyList<ProjectNames> projects, IDictionary fakeBoundParameters) =>
        projects.SelectMany(p => p.HookFlags);
}

/// <summary>
/// Profiles declared in the environments, and those the groups use (common_profiles, such as the server's default), of
/// the projects given with -Project (for -TestProfile).
/// </summary>
public sealed class ProfileNameCompleter : SpecNameCompleter
{
    private protected override IEnumerable<NamedItem> Candidates(
        SpecNameIndex index, IReadOnlyList<ProjectNames> projects, IDictionary fakeBoundParameters) =>
        projects.SelectMany(p => p.Profiles)
            .Concat(CompletionText.BoundStrings(fakeBoundParameters, "Project") is null ? index.UnassignedProfiles : Array.Empty<NamedItem>())
            .Concat(projects.SelectMany(p => p.Groups.SelectMany(g => g.CommonProfiles.Select(profile =>
                new NamedItem(profile, $"{profile}: used by group {g.Name} of {p.Name}")))));
}

/// <summary>
/// The connections of the groups of the projects given with -Project (for -Remote, which selects the groups whose
/// connection is one of the remotes named).
/// </summary>
public sealed class ConnectionNameCompleter : SpecNameCompleter
{
    private protected override IEnumerable<NamedItem> Candidates(
        SpecNameIndex index, IReadOnlyList<ProjectNames> projects, IDictionary fakeBoundParameters) =>
        projects.SelectMany(p => p.Groups.Select(g => (Project: p.Name, Group: g)))
            .Where(x => x.Group.Connection.Length > 0)
            .GroupBy(x => x.Group.Connection, StringComparer.Ordinal)
            .Select(c => new NamedItem(c.Key, $"{c.Key}: connection of {string.Join(", ", c.Select(x => $"{x.Project}/{x.Group.Name}"))}"));
}

/// <summary>The config_templates sources of the projects given with -Project, as written in the spec (for -SourceFile).</summary>
public sealed class TemplateSourceCompleter : SpecNameCompleter
{
    private protected override IEnumerable<NamedItem> Candidates(
        SpecNameIndex index, IReadOnlyList<ProjectNames> projects, IDictionary fakeBoundParameters) =>
        projects.SelectMany(p => p.TemplateSources);
}
