using System.Management.Automation;

namespace LxdCompose.PowerShell.Commands;

/// <summary>
/// lxd-compose destroy: runs the shutdown hooks and deletes the instances of the named groups (all groups of the
/// project when none is named). Profiles, networks and images stay. Writes one result per node.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "LxdGroup", DefaultParameterSetName = ProjectSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType("LxdCompose.Deploy.NodeResult")]
public sealed class RemoveLxdGroupCommand : LxdGroupShutdownCmdlet
{
    private protected override bool Destroys => true;
}
