using System.Collections;
using System.Management.Automation;
using LxdCompose.PowerShell.Completers;
using LxdCompose.PowerShell.Host;
using LxdCompose.PowerShell.Internal;

namespace LxdCompose.PowerShell.Commands;

/// <summary>
/// Plumbing of the cmdlets that act on the LXD servers of collected projects: cancellation, the two ways to name
/// what to act on (parameter sets), the remotes that narrow it, and the collected requests. Work is split
/// PSResourceGet-style: records are collected, then in EndProcessing each project is planned (worker), confirmed
/// (pipeline thread) and executed (worker) while events are written on the pipeline thread. Core types appear only
/// inside method bodies and in <see cref="DeployCmdletSupport"/>.
/// </summary>
/// <remarks>
/// The sets: <see cref="ProjectSet"/> (-Project names) and <see cref="InputObjectSet"/> (piped objects, each read by
/// <see cref="PipedObject"/>: a project, group, node or command selects exactly what it names; remotes and remote names
/// narrow -Project to the groups on them). -Project is never bound by property name: a remote object's Project is its
/// LXD project, and would otherwise bind as the spec project. Each cmdlet declares -Project and its group parameter
/// itself, because their positions differ: projects first for the cmdlets named after what lxd-compose does to a
/// project (apply, fetch), groups first for *-LxdGroup.
/// </remarks>
public abstract class LxdServerCmdlet : LxdPipedCmdlet
{
    internal const string ProjectSet = "Project";
    internal const string InputObjectSet = "InputObject";

    private readonly CancellationTokenSource _cancel = new();

    internal CancellationToken StopToken => _cancel.Token;

    /// <summary>The -Project names (wildcards allowed); declared by each cmdlet.</summary>
    private protected abstract string[]? ProjectNames { get; }

    /// <summary>The groups named by parameter (wildcards allowed), or null for all; declared by each cmdlet.</summary>
    private protected abstract string[]? GroupNames { get; }

    /// <summary>
    /// Piped objects: projects, groups, nodes, commands (Get-LxdProject, Get-LxdGroup, Get-LxdNode, Get-LxdCommand),
    /// results and plan items, any object with ProjectName/Project and GroupName/Group, or remotes (with -Project).
    /// Each reloads the config in its ConfigFile.
    /// </summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    [ValidateNotNull]
    public PSObject[] InputObject { get; set; } = Array.Empty<PSObject>();

    /// <summary>
    /// Remotes (Get-LxdRemote, Add-LxdRemote, or names): only the groups whose connection is one of them are acted on.
    /// Remote objects and names can also be piped, with -Project.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ConnectionNameCompleter))]
    public LxdRemoteInfo[]? Remote { get; set; }

    /// <summary>
    /// Every warning of the validation that runs before the first server call is an error too (unknown keys,
    /// undeclared profiles, ...), so the run does not start while one is left.
    /// </summary>
    [Parameter]
    public SwitchParameter Strict { get; set; }

    internal override bool StrictValidation => Strict;

    /// <summary>
    /// The lxc/incus client configuration directory (lxd-compose's --lxd-config-dir): the remotes and client
    /// certificates this call connects with, over the config's general.lxd_confdir.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? LxdConfigDirectory { get; set; }

    private protected override string? LxdConfigDirectoryOption => LxdConfigDirectory;

    protected override void StopProcessing()
    {
        _cancel.Cancel();
        base.StopProcessing();
    }

    /// <summary>
    /// Each piped project (and group) for EndProcessing; later records add groups to earlier ones. Groups null: every
    /// group of the project.
    /// </summary>
    private protected readonly List<(object Specs, string Project, List<string>? Groups)> Requests = new();

    /// <summary>The remotes given or piped, in order, without repeats.</summary>
    private protected readonly List<LxdRemoteInfo> Remotes = new();

    /// <summary>Collects what this record names: -Project (with the groups named by parameter), or the piped objects.</summary>
    private protected void CollectRecord()
    {
        AddRemotes(Remote);
        if (ParameterSetName == InputObjectSet)
        {
            foreach (var item in InputObject)
            {
                CollectInputObject(item);
            }

            return;
        }

        if (ProjectNames is not { Length: > 0 } projects)
        {
            ThrowTerminatingError(ProjectMissing());
            return;
        }

        Collect(projects, GroupNames);
    }

    /// <summary>
    /// Stop-LxdGroup and Remove-LxdGroup take groups first, as Get-LxdGroup does, and the project by name; a project
    /// name in the first position (lxd-compose's <c>stop &lt;project&gt;</c> habit) gets advice instead of a prompt.
    /// </summary>
    private ErrorRecord ProjectMissing()
    {
        var name = MyInvocation.MyCommand.Name;
        HashSet<string> projects;
        try
        {
            projects = LoadSpecsOrThrow(reportDiagnostics: false).Projects.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        }
        catch (Specs.SpecException)
        {
            projects = new HashSet<string>(); // the advice needs no specs; the next run reports the config problem
        }

        var named = (GroupNames ?? Array.Empty<string>()).Where(projects.Contains).ToList();
        var message = named.Count > 0
            ? $"'{named[0]}' is a project, and the first position of {name} is the group, as for Get-LxdGroup. " +
              $"Name the project with -Project: {name} -Project {named[0]} (every group) or {name} <group> -Project {named[0]}."
            : $"{name} needs the project of its groups: {name} <group> -Project <project>, or pipe the groups (Get-LxdGroup <group> | {name}).";
        return ErrorRecords.InvalidArgument(ErrorIds.ProjectMissing, message, GroupNames,
            named.Count > 0 ? $"{name} -Project {named[0]}" : $"{name} <group> -Project <project>");
    }

    /// <summary>
    /// The collected requests with the groups to act on (empty: every group); with remotes, only the groups whose
    /// connection is one of them, projects without such groups left out, and a remote no project uses reported, all
    /// before any change. Each selection is written as a verbose line.
    /// </summary>
    private protected IReadOnlyList<(object Specs, string Project, IReadOnlyList<string> Groups)> RequestsToActOn(string[]? disableGroups)
    {
        var requests = Requests.Select(r => (r.Specs, r.Project, Groups: (IReadOnlyList<string>)(r.Groups ?? new List<string>()))).ToList();
        if (Remotes.Count > 0)
        {
            var selection = new RemoteGroupSelection(this, Remotes);
            var onRemotes = new List<(object, string, IReadOnlyList<string>)>();
            foreach (var (specs, project, groups) in requests)
            {
                if (selection.Select(specs, project, groups, disableGroups) is { } selected)
                {
                    onRemotes.Add((specs, project, selected));
                }
            }

            selection.ReportUnusedRemotes();
            requests = onRemotes;
        }

        foreach (var (specs, project, groups) in requests)
        {
            WriteVerbose($"{MyInvocation.MyCommand.Name} selected {DeployCmdletSupport.DescribeSelection(specs, project, groups, disableGroups)}.");
        }

        return requests;
    }

    private void AddRemotes(IEnumerable<LxdRemoteInfo>? remotes) =>
        Remotes.AddRange((remotes ?? Enumerable.Empty<LxdRemoteInfo>()).Where(r => !Remotes.Any(known => SameRemote(known, r))));

    /// <summary>Adds the projects matching the patterns with these groups (null: all of them).</summary>
    private protected void Collect(string[] projects, IReadOnlyCollection<string>? groups)
    {
        if (LoadSpecs() is not { } specs)
        {
            return; // a piped config that does not load: reported, the next one may
        }

        foreach (var project in SelectProjects(specs, projects, inPatternOrder: true))
        {
            var existing = Requests.FindIndex(r => ReferenceEquals(r.Specs, specs) && r.Project == project.Name);
            if (existing < 0)
            {
                Requests.Add((specs, project.Name, groups?.ToList()));
            }
            else if (Requests[existing].Groups is { } known)
            {
                if (groups is null)
                {
                    Requests[existing] = (specs, project.Name, null);
                }
                else
                {
                    known.AddRange(groups.Where(g => !known.Contains(g)));
                }
            }
        }
    }

    /// <summary>
    /// One piped object: what it names, narrowed by -Project and the group parameter; a remote or a name (with -Project)
    /// narrows to the groups on it; a file (with -Project) is the config to load. Anything else needs -Project.
    /// </summary>
    private void CollectInputObject(PSObject item)
    {
        var piped = PipedObject.Read(item);
        var projects = ProjectNames is { Length: > 0 } names ? names : null;
        switch (piped.Kind)
        {
            case PipedKind.Remote or PipedKind.Text:
                if (projects is null)
                {
                    WriteError(ErrorRecords.InvalidArgument(ErrorIds.RemoteNeedsProject, RemoteNeedsProjectMessage(piped), item, NameTheProject));
                    return;
                }

                AddRemotes(new[] { RemoteOf(item, piped) });
                Collect(projects, GroupNames);
                return;
            case PipedKind.Config or PipedKind.Unknown:
                if (projects is null)
                {
                    WriteError(ErrorRecords.InvalidArgument(ErrorIds.InputObjectNotRecognized, NotRecognizedMessage(item, piped), item, NameTheProject));
                    return;
                }

                WithConfigOf(piped, () => Collect(projects, GroupNames));
                return;
        }

        if (piped.Project is null && projects is null)
        {
            WriteError(ErrorRecords.InvalidArgument(ErrorIds.InputObjectNotRecognized,
                $"{Capitalized(piped.Describe())} names no project. Give one with -Project: ... | {MyInvocation.MyCommand.Name} -Project <project>.", item,
                NameTheProject));
            return;
        }

        if (piped.Project is not null && projects is not null && !new NameFilter(projects).IsMatch(piped.Project))
        {
            WriteVerbose($"Skipped {piped.Describe()}: not a project named by -Project ({string.Join(", ", projects)}).");
            return;
        }

        var projectPatterns = piped.Project is null ? projects! : new[] { EscapeWildcards(piped.Project) };
        WithConfigOf(piped, () =>
        {
            if (GroupsNamedBy(piped, projectPatterns) is var (named, groups) && named)
            {
                Collect(projectPatterns, groups);
            }
        });
    }

    /// <summary>
    /// The groups a piped object names, narrowed by the group parameter: a group's or node's own group, a command's
    /// groups, a project's (the parameter's, or null for all). Named false when nothing is left.
    /// </summary>
    private (bool Named, IReadOnlyCollection<string>? Groups) GroupsNamedBy(PipedObject piped, string[] projectPatterns)
    {
        var byParameter = GroupNames is { Length: > 0 } patterns ? new NameFilter(patterns) : null;
        switch (piped.Kind)
        {
            case PipedKind.Group or PipedKind.Node:
                if (byParameter is not null && !byParameter.IsMatch(piped.Group!))
                {
                    WriteVerbose($"Skipped {piped.Describe()}: not a group named by the group parameter ({string.Join(", ", GroupNames!)}).");
                    return (false, null);
                }

                return (true, new[] { EscapeWildcards(piped.Group!) });
            case PipedKind.Command:
                if (LoadSpecs() is not { } specs)
                {
                    return (false, null); // a piped config that does not load: reported
                }

                var groups = DeployCmdletSupport.GroupsOfCommand(this, specs, piped.Command!, projectPatterns)
                    ?.Where(g => byParameter?.IsMatch(g) ?? true).Select(EscapeWildcards).ToList();
                if (groups is null)
                {
                    return (false, null);
                }

                if (groups.Count == 0)
                {
                    WriteVerbose($"Skipped {piped.Describe()}: none of its groups is left.");
                    return (false, null);
                }

                return (true, groups);
            default:
                return (true, GroupNames);
        }
    }

    /// <summary>The advice of every refused piped object (ErrorDetails.RecommendedAction).</summary>
    private string NameTheProject => $"Name the spec project with -Project: ... | {MyInvocation.MyCommand.Name} -Project <project>.";

    private string RemoteNeedsProjectMessage(PipedObject piped)
    {
        var name = MyInvocation.MyCommand.Name;
        var what = piped.Kind == PipedKind.Remote
            ? $"The remote '{piped.Text}' was piped without -Project."
            : $"'{piped.Text}' was piped without -Project; {name} reads a piped name as a remote.";
        return $"{what} Name the spec project to act on: ... | {name} -Project <project>. Then only the project's groups whose " +
            $"connection is '{piped.Text}' are used. (A remote's own Project property is its LXD project, not a project of the specs.)";
    }

    private string NotRecognizedMessage(PSObject item, PipedObject piped)
    {
        var name = MyInvocation.MyCommand.Name;
        var what = piped.Kind == PipedKind.Config
            ? $"{Capitalized(piped.Describe())} names a config, not a project or group to act on"
            : $"{name} takes projects, groups, nodes or commands (Get-LxdProject, Get-LxdGroup, Get-LxdNode, Get-LxdCommand), their " +
              $"results, or objects with a ProjectName or Project property; got {item.TypeNames.FirstOrDefault() ?? "an object"} without one";
        return $"{what}. Name the project with -Project: ... | {name} -Project <project>.";
    }

    private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>A piped remote (also deserialized), a remote's test result, or a remote name.</summary>
    private static LxdRemoteInfo RemoteOf(PSObject item, PipedObject piped) =>
        item.BaseObject as LxdRemoteInfo
            ?? (PipedObject.HasTypeName(item, "LxdCompose.PowerShell.LxdRemoteInfo")
                ? LanguagePrimitives.ConvertTo<LxdRemoteInfo>(item)
                : new LxdRemoteInfo(piped.Text!));

    /// <summary>A name from an object is a name, not a pattern.</summary>
    private static string EscapeWildcards(string name) =>
        WildcardPattern.ContainsWildcardCharacters(name) ? WildcardPattern.Escape(name) : name;

    private static bool SameRemote(LxdRemoteInfo a, LxdRemoteInfo b) =>
        a.Name == b.Name && string.Equals(a.ConfigDirectory, b.ConfigDirectory, StringComparison.Ordinal);
}

/// <summary>
/// The parameters the cmdlets that run hooks share (apply, plan, stop, destroy): flags, variables, nodes prefix.
/// </summary>
public abstract class LxdDeployCmdlet : LxdServerCmdlet
{
    /// <summary>Like --enable-flag: only hooks carrying one of these flags run (disabled hooks too, when they match).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(HookFlagCompleter))]
    public string[]? EnableFlag { get; set; }

    /// <summary>Like --disable-flag: hooks carrying one of these flags never run.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(HookFlagCompleter))]
    public string[]? DisableFlag { get; set; }

    /// <summary>Like --env: project variables with the highest precedence; values keep their types.</summary>
    [Parameter]
    public Hashtable? Env { get; set; }

    /// <summary>Like --vars-file: vars files (<c>envs:</c>) applied after the project's own variables, before -Env.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? VarsFile { get; set; }

    /// <summary>Like --nodes-prefix: prefixes the instance name of every node without its own name_prefix.</summary>
    [Parameter]
    public string? NodesPrefix { get; set; }

    private protected override string? NodesPrefixOption => NodesPrefix;

    /// <summary>Vars files (rendered when the render engine is on), then the -Env block.</summary>
    private protected List<object> ExtraVarsBlocks(object specs) => DeployCmdletSupport.ExtraVars(this, specs, VarsFile, Env);
}

/// <summary>
/// The cmdlets that change servers and run hooks (apply, stop, destroy): limits of one hook command and of one LXD
/// operation.
/// </summary>
public abstract class LxdRunCmdlet : LxdDeployCmdlet, IRunLimitsCmdlet
{
    /// <summary>
    /// Seconds one hook command may run when its hook has no <c>timeout</c> key; then it is stopped (in the container with
    /// every process it started, on the host with its process tree) and the run fails. Default: no limit of its own.
    /// </summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? HookTimeout { get; set; }

    /// <summary>
    /// Seconds one LXD operation (create, start, stop, delete, exec, image copy) may take before it is cancelled on the
    /// server and the step fails. Default: 900.
    /// </summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? OperationTimeout { get; set; }
}

/// <summary>The cmdlets with -HookTimeout and -OperationTimeout (seconds; null when not given).</summary>
internal interface IRunLimitsCmdlet
{
    int? HookTimeout { get; }

    int? OperationTimeout { get; }
}
