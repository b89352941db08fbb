using System.Management.Automation;
using LxdCompose.PowerShell.Completers;
using LxdCompose.PowerShell.Host;

namespace LxdCompose.PowerShell.Commands;

/// <summary>
/// Breaks the lock a run of a project holds on its servers (the lock Invoke-LxdApply, Stop-LxdGroup and Remove-LxdGroup
/// take): a lock whose holder is gone (its process ended on this host, or its heartbeat is stale) by default, any lock
/// with -Force. Writes the state of each lock it broke.
/// </summary>
[Cmdlet(VerbsCommon.Unlock, "LxdProject", DefaultParameterSetName = ProjectSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType("LxdCompose.Deploy.DeployLockState")]
public sealed class UnlockLxdProjectCommand : LxdServerCmdlet
{
    /// <summary>Project names (wildcards allowed); with piped objects, only those of these projects.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ProjectSet)]
    [Parameter(Position = 0, ParameterSetName = InputObjectSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProjectNameCompleter))]
    public string[]? Project { get; set; }

    /// <summary>Breaks a lock even when its holder may still run (a live process of this host, a fresh heartbeat).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    private protected override string[]? ProjectNames => Project;

    private protected override string[]? GroupNames => null;

    protected override void ProcessInput() => CollectRecord();

    protected override void EndCommand()
    {
        foreach (var (specs, project, groups) in RequestsToActOn(null))
        {
            DeployCommands.Unlock(this, specs, project, groups, Force, StopToken);
        }
    }
}
