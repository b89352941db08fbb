using System.Management.Automation;

namespace LxdCompose.PowerShell.Commands;

/// <summary>
/// lxd-compose stop: runs the shutdown hooks and stops the instances of the named groups (all groups of the project
/// when none is named). Invoke-LxdApply starts them again. Writes one result per node.
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "LxdGroup", DefaultParameterSetName = ProjectSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType("LxdCompose.Deploy.NodeResult")]
public sealed class StopLxdGroupCommand : LxdGroupShutdownCmdlet
{
    private protected override bool Destroys => false;
}
