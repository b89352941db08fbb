using System.Management.Automation;
using LxdCompose.PowerShell.Completers;
using LxdCompose.PowerShell.Internal;

namespace LxdCompose.PowerShell.Commands;

/// <summary>Lists the commands (named apply presets) of the loaded environments (lxd-compose <c>command list</c>).</summary>
[Cmdlet(VerbsCommon.Get, "LxdCommand", DefaultParameterSetName = "Name")]
[OutputType("LxdCompose.Specs.LxdCommand")]
public sealed class GetLxdCommandCommand : LxdSpecCmdlet
{
    private readonly SortedSet<string> _searchedProjects = new(StringComparer.Ordinal);
    private NameFilter _names = new(null);

    /// <summary>Command names; wildcards allowed. Not bound from piped objects.</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(CommandNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Only commands of these projects; wildcards allowed. Bound from a piped object's Project or ProjectName.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("ProjectName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProjectNameCompleter))]
    public string[]? Project { get; set; }

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        _names = new NameFilter(Name);
    }

    protected override void ProcessRecord()
    {
        if (LoadSpecs() is not { } specs)
        {
            return; // a piped config that does not load: reported, the next one may
        }

        var commands = specs.Commands;
        if (Project is { Length: > 0 })
        {
            var projects = SelectProjects(specs, Project).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            _searchedProjects.UnionWith(projects);
            commands = commands.Where(c => projects.Contains(c.Project));
        }

        foreach (var command in commands.Where(c => _names.IsMatch(c.Name)))
        {
            WriteSpecObject(command, specs);
        }
    }

    protected override void EndProcessing()
    {
        foreach (var name in _names.UnmatchedLiterals)
        {
            WriteNotFound(ErrorIds.CommandNotFound, "command", name, _searchedProjects);
        }
    }
}
