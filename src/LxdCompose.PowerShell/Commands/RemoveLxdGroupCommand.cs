using System.Management.Automation;
using LxdCompose.PowerShell.Host;

namespace LxdCompose.PowerShell.Commands;

/// <summary>
/// lxd-compose destroy: runs the shutdown hooks and deletes the instances of the named groups (all groups of the
/// project when none is named). Profiles, networks and images stay. Writes one result per node.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "LxdGroup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType("LxdCompose.Deploy.NodeResult")]
public sealed class RemoveLxdGroupCommand : LxdDeployCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("ProjectName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Project { get; set; } = Array.Empty<string>();

    /// <summary>Group names (wildcards allowed); bound from piped groups. Default: every group of the project.</summary>
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
            DeployCommands.Shutdown(this, specs, project, groups, destroy: true, EnableFlag, DisableFlag, ExtraVarsBlocks(specs), StopToken);
        }
    }
}
