using System.Management.Automation;
using LxdCompose.PowerShell.Completers;
using LxdCompose.PowerShell.Host;

namespace LxdCompose.PowerShell.Commands;

/// <summary>
/// What Invoke-LxdApply would do, read from the servers without changing anything: one item per drifted declared profile,
/// network or storage pool (updated with -UpdateResources, otherwise left alone), then one item per node (Create, Start,
/// Update, Replace, Upgrade, Unchanged) with its image, the server's profiles and config, the changes (old -> new), hooks
/// and files.
/// </summary>
[Cmdlet(VerbsCommon.Get, "LxdApplyPlan", DefaultParameterSetName = ProjectSet)]
[OutputType("LxdCompose.Deploy.NodePlan", "LxdCompose.Deploy.ResourceDrift")]
public sealed class GetLxdApplyPlanCommand : LxdDeployCmdlet
{
    /// <summary>
    /// Project names (wildcards allowed), like lxd-compose's <c>apply &lt;project&gt;...</c>; with piped objects, only those
    /// of these projects, and the project of objects that name none (remotes, names, files).
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ProjectSet)]
    [Parameter(Position = 0, ParameterSetName = InputObjectSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProjectNameCompleter))]
    public string[]? Project { get; set; }

    /// <summary>Like --enable-group (alias -EnableGroup): only these groups (wildcards allowed). Default: every group.</summary>
    [Parameter]
    [Alias("EnableGroup")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(GroupNameCompleter))]
    public string[]? Group { get; set; }

    private protected override string[]? ProjectNames => Project;

    private protected override string[]? GroupNames => Group;

    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? DisableGroup { get; set; }

    [Parameter]
    public SwitchParameter SkipSync { get; set; }

    [Parameter]
    public SwitchParameter Upgrade { get; set; }

    /// <summary>
    /// Like --p2p-mode (or <c>general.p2pmode: true</c>): look <c>image_source</c> up on every remote of the client config,
    /// ignoring <c>image_remote_server</c>, and use the newest match.
    /// </summary>
    [Parameter]
    public SwitchParameter P2PMode { get; set; }

    /// <summary>
    /// Update the declared profiles, networks and storage pools this run uses when they differ on the server (alias
    /// -UpdateProfiles). Without it they are left alone, shown as drifted: other projects' instances may use them.
    /// </summary>
    [Parameter]
    [Alias("UpdateProfiles")]
    public SwitchParameter UpdateResources { get; set; }

    protected override void ProcessRecord() => CollectRecord();

    protected override void EndProcessing()
    {
        foreach (var (specs, project, groups) in RequestsToActOn(DisableGroup))
        {
            DeployCommands.WritePlan(this, specs, project, groups, DisableGroup, EnableFlag, DisableFlag, ExtraVarsBlocks(specs),
                SkipSync, Upgrade, P2PMode, UpdateResources, StopToken);
        }
    }
}
