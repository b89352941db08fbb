using System.Management.Automation;
using LxdCompose.PowerShell.Completers;
using LxdCompose.PowerShell.Host;

namespace LxdCompose.PowerShell.Commands;

/// <summary>
/// What Invoke-LxdApply would do, read from the servers without changing anything: one object per drifted declared
/// profile, network or storage pool (updated with -UpdateResources, otherwise left alone), then one per node (Create,
/// Start, Update, Replace, Upgrade, Resume, Unchanged) with its image, the server's profiles and config, the changes
/// (old -> new), hooks and files. With -Item, the plan's items (what -WhatIf and -Confirm show); with -Operation, the
/// items of the plan of Stop-LxdGroup, Remove-LxdGroup or Save-LxdImage.
/// </summary>
[Cmdlet(VerbsCommon.Get, "LxdApplyPlan", DefaultParameterSetName = ProjectSet)]
[OutputType("LxdCompose.Deploy.NodePlan", "LxdCompose.Deploy.ResourceDrift", "LxdCompose.Deploy.PlanItem")]
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

    /// <summary>
    /// Which run's plan: Apply (default), Stop (Stop-LxdGroup), Destroy (Remove-LxdGroup) or Fetch (Save-LxdImage). The
    /// plans of Stop and Destroy are made from the specs alone; those of Apply and Fetch read the servers.
    /// </summary>
    [Parameter]
    [ValidateSet("Apply", "Stop", "Destroy", "Fetch")]
    public string Operation { get; set; } = "Apply";

    /// <summary>Writes the plan's items (kind, target, description) instead of one object per node; implied by an -Operation other than Apply.</summary>
    [Parameter]
    public SwitchParameter Item { get; set; }

    protected override void ProcessInput() => CollectRecord();

    protected override void EndCommand()
    {
        foreach (var (specs, project, groups) in RequestsToActOn(DisableGroup))
        {
            DeployCommands.WritePlan(this, specs, project, groups, DisableGroup, EnableFlag, DisableFlag, ExtraVarsBlocks(specs),
                SkipSync, Upgrade, P2PMode, UpdateResources, Operation, Item, StopToken);
        }
    }
}
