using System.Management.Automation;
using LxdCompose.PowerShell.Host;

namespace LxdCompose.PowerShell.Commands;

/// <summary>
/// lxd-compose stop: runs the shutdown hooks and stops the instances of the named groups (all groups of the project
/// when none is named). Invoke-LxdApply starts them again. Writes one result per node.
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "LxdGroup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType("LxdCompose.Deploy.NodeResult")]
public sealed class StopLxdGroupCommand : LxdDeployCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("ProjectName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Project { get; set; } = Array.Empty<string>();

    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("GroupName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Group { get; set; }

    protected override void ProcessRecord() => Collect(Project, Group);

    protected override void EndProcessing()
    {
        foreach (var (specs, project, groups) in Requests)
        {
            DeployCommands.Shutdown(this, specs, project, groups, destroy: false, EnableFlag, DisableFlag, ExtraVarsBlocks(specs), StopToken);
        }
    }
}
