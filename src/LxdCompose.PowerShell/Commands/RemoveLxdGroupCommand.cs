using System.Management.Automation;
using LxdCompose.PowerShell.Completers;
using LxdCompose.PowerShell.Host;

namespace LxdCompose.PowerShell.Commands;

/// <summary>
/// lxd-compose destroy: runs the shutdown hooks and deletes the instances of the named groups (all groups of the
/// project when none is named). Profiles, networks and images stay. Writes one result per node.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "LxdGroup", DefaultParameterSetName = ProjectSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType("LxdCompose.Deploy.NodeResult")]
public sealed class RemoveLxdGroupCommand : LxdDeployCmdlet
{
    /// <summary>Group names (wildcards allowed); bound from piped groups. Default: every group of the project.</summary>
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
            DeployCommands.Shutdown(this, specs, project, groups, destroy: true, EnableFlag, DisableFlag, ExtraVarsBlocks(specs), StopToken);
        }
    }
}
