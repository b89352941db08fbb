using System.Management.Automation;
using LxdCompose.PowerShell.Completers;
using LxdCompose.PowerShell.Host;

namespace LxdCompose.PowerShell.Commands;

/// <summary>
/// lxd-compose stop: runs the shutdown hooks and stops the instances of the named groups (all groups of the project
/// when none is named). Invoke-LxdApply starts them again. Writes one result per node.
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "LxdGroup", DefaultParameterSetName = ProjectSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType("LxdCompose.Deploy.NodeResult")]
public sealed class StopLxdGroupCommand : LxdDeployCmdlet
{
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = ProjectSet)]
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = RemoteSet)]
    [Alias("GroupName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(GroupNameCompleter))]
    public string[]? Group { get; set; }

    protected override void ProcessRecord() => CollectRecord(Project, Group);

    protected override void EndProcessing()
    {
        foreach (var (specs, project, groups) in RequestsToActOn(null))
        {
            DeployCommands.Shutdown(this, specs, project, groups, destroy: false, EnableFlag, DisableFlag, ExtraVarsBlocks(specs), StopToken);
        }
    }
}
