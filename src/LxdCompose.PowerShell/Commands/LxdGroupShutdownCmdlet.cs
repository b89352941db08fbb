using System.Management.Automation;
using LxdCompose.PowerShell.Completers;
using LxdCompose.PowerShell.Host;

namespace LxdCompose.PowerShell.Commands;

/// <summary>
/// Stop-LxdGroup and Remove-LxdGroup (lxd-compose stop and destroy): the shutdown hooks, then stop or delete the
/// instances of the named groups (all groups of the project when none is named); one result per node.
/// </summary>
public abstract class LxdGroupShutdownCmdlet : LxdRunCmdlet, ILockingCmdlet
{
    /// <summary>Group names (wildcards allowed; alias -Group). Default: every group of the project.</summary>
    [Parameter(Position = 0)]
    [Alias("Group")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(GroupNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>
    /// Project names (wildcards allowed), like lxd-compose's <c>stop</c> and <c>destroy &lt;project&gt;...</c>; with piped
    /// objects, only those of these projects, and the project of objects that name none (remotes, names, files).
    /// Required without piped objects; not mandatory, so that a project name in the first position gets advice rather
    /// than a prompt.
    /// </summary>
    [Parameter(ParameterSetName = ProjectSet)]
    [Parameter(ParameterSetName = InputObjectSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProjectNameCompleter))]
    public string[]? Project { get; set; }

    /// <summary>
    /// How long to wait (seconds, or a TimeSpan) when another run holds the project's lock on one of its servers; then
    /// fail with LxdProjectLocked naming that run. Default 0: fail at once.
    /// </summary>
    [Parameter]
    [SecondsTransformation]
    public TimeSpan LockTimeout { get; set; }

    /// <summary>True: delete the instances (destroy); false: stop them.</summary>
    private protected abstract bool Destroys { get; }

    private protected override string[]? ProjectNames => Project;

    private protected override string[]? GroupNames => Name;

    protected override void ProcessInput() => CollectRecord();

    protected override void EndCommand()
    {
        foreach (var (specs, project, groups) in RequestsToActOn(null))
        {
            DeployCommands.Shutdown(this, specs, project, groups, Destroys, EnableFlag, DisableFlag, ExtraVarsBlocks(specs), StopToken);
        }
    }
}
