using System.Collections;
using System.Management.Automation;
using LxdCompose.PowerShell.Completers;
using LxdCompose.PowerShell.Host;
using LxdCompose.PowerShell.Internal;

namespace LxdCompose.PowerShell.Commands;

/// <summary>
/// Plumbing of the cmdlets that act on the LXD servers of collected projects: cancellation, the three ways to name
/// what to act on (parameter sets) and the collected requests. Work is split PSResourceGet-style: records are
/// collected, then in EndProcessing each project is planned (worker), confirmed (pipeline thread) and executed
/// (worker) while events are written on the pipeline thread. Core types appear only inside method bodies and in
/// <see cref="DeployCmdletSupport"/>.
/// </summary>
/// <remarks>
/// The sets: <see cref="ProjectSet"/> (-Project names), <see cref="InputObjectSet"/> (piped project and group objects)
/// and <see cref="RemoteSet"/> (piped remote objects plus -Project). -Project is never bound by property name: a remote
/// object's Project is its LXD project, and would otherwise bind as the spec project.
/// </remarks>
public abstract class LxdServerCmdlet : LxdSpecCmdlet
{
    internal const string ProjectSet = "Project";
    internal const string InputObjectSet = "InputObject";
    internal const string RemoteSet = "Remote";

    private readonly CancellationTokenSource _cancel = new();

    internal CancellationToken StopToken => _cancel.Token;

    /// <summary>Project names; wildcards allowed. Objects are piped to -InputObject, remotes to -Remote (then -Project is needed).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ProjectSet)]
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = RemoteSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProjectNameCompleter))]
    public string[] Project { get; set; } = Array.Empty<string>();

    /// <summary>
    /// Project or group objects (Get-LxdProject, Get-LxdGroup), or any object with ProjectName or Project (and
    /// GroupName for one group); each reloads the config in its ConfigFile.
    /// </summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    [ValidateNotNull]
    public PSObject[] InputObject { get; set; } = Array.Empty<PSObject>();

    /// <summary>
    /// Remotes (Get-LxdRemote, Add-LxdRemote, or names): only the groups whose connection is one of them are acted on.
    /// </summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = RemoteSet)]
    [ValidateNotNull]
    public LxdRemoteInfo[] Remote { get; set; } = Array.Empty<LxdRemoteInfo>();

    protected override void StopProcessing()
    {
        _cancel.Cancel();
        base.StopProcessing();
    }

    /// <summary>Records each piped project (and group) for EndProcessing; later records add groups to earlier ones.</summary>
    private protected readonly List<(object Specs, string Project, List<string> Groups)> Requests = new();

    /// <summary>The remotes piped or given in the Remote set, in order, without repeats.</summary>
    private protected readonly List<LxdRemoteInfo> Remotes = new();

    /// <summary>Collects what this record names: -Project (with <paramref name="groups"/>), the input objects, or the remotes.</summary>
    private protected void CollectRecord(string[] projects, string[]? groups)
    {
        switch (ParameterSetName)
        {
            case InputObjectSet:
                foreach (var item in InputObject)
                {
                    CollectInputObject(item);
                }

                break;
            case RemoteSet:
                Remotes.AddRange(Remote.Where(r => !Remotes.Any(known => SameRemote(known, r))));
                Collect(projects, groups);
                break;
            default:
                Collect(projects, groups);
                break;
        }
    }

    /// <summary>
    /// The collected requests with the groups to act on; in the Remote set only the groups whose connection is one of
    /// the remotes, projects without such groups left out, and a remote no project uses reported, all before any change.
    /// </summary>
    private protected IReadOnlyList<(object Specs, string Project, IReadOnlyList<string> Groups)> RequestsToActOn(string[]? disableGroups)
    {
        if (ParameterSetName != RemoteSet)
        {
            return Requests.Select(r => (r.Specs, r.Project, (IReadOnlyList<string>)r.Groups)).ToList();
        }

        var selection = new RemoteGroupSelection(this, Remotes);
        var selected = new List<(object, string, IReadOnlyList<string>)>();
        foreach (var (specs, project, groups) in Requests)
        {
            if (selection.Select(specs, project, groups, disableGroups) is { } onRemotes)
            {
                selected.Add((specs, project, onRemotes));
            }
        }

        selection.ReportUnusedRemotes();
        return selected;
    }

    private void Collect(string[] projects, string[]? groups)
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
                Requests.Add((specs, project.Name, new List<string>(groups ?? Array.Empty<string>())));
            }
            else if (groups is not null)
            {
                Requests[existing].Groups.AddRange(groups.Where(g => !Requests[existing].Groups.Contains(g)));
            }
        }
    }

    /// <summary>A project or group object, or anything carrying their names; a remote object is told to name -Project.</summary>
    private void CollectInputObject(PSObject item)
    {
        if (item.BaseObject is LxdRemoteInfo || HasTypeName(item, "LxdCompose.PowerShell.LxdRemoteInfo"))
        {
            var remote = PSObject.AsPSObject(item).Properties["Name"]?.Value;
            WriteError(ErrorRecords.InvalidArgument(ErrorIds.RemoteNeedsProject,
                $"The remote '{remote}' was piped without -Project. Name the spec project to act on: " +
                $"... | {MyInvocation.MyCommand.Name} -Project <project>. Then only the project's groups whose connection is '{remote}' are used. " +
                "(A remote's own Project property is its LXD project, not a project of the specs.)", item));
            return;
        }

        var isProject = HasTypeName(item, "LxdCompose.Specs.LxdProject");
        var project = PropertyText(item, "ProjectName") ?? (isProject ? PropertyText(item, "Name") : PropertyText(item, "Project"));
        if (project is null)
        {
            WriteError(ErrorRecords.InvalidArgument(ErrorIds.InputObjectNotRecognized,
                $"{MyInvocation.MyCommand.Name} takes project or group objects (Get-LxdProject, Get-LxdGroup) or objects with a ProjectName " +
                $"or Project property; got {item.TypeNames.FirstOrDefault() ?? "an object"} without them.", item));
            return;
        }

        var group = isProject ? null : PropertyText(item, "GroupName");
        WithConfigOf(item, () => Collect(new[] { EscapeWildcards(project) }, group is null ? null : new[] { EscapeWildcards(group) }));
    }

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
    public string[]? EnableFlag { get; set; }

    /// <summary>Like --disable-flag: hooks carrying one of these flags never run.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
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
