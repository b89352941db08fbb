using System.Management.Automation;
using LxdCompose.PowerShell.Completers;
using LxdCompose.PowerShell.Host;

namespace LxdCompose.PowerShell.Commands;

/// <summary>The node cmdlets that may run the node's hooks (New-LxdNode, Sync-LxdNode): -RunHooks and the hook flags.</summary>
public abstract class LxdNodeHookCmdlet : LxdNodeCmdlet
{
    /// <summary>Runs the node's hooks of the step (lxd-compose's --hooks); without it, none.</summary>
    [Parameter]
    public SwitchParameter RunHooks { get; set; }

    /// <summary>Like --enable-flag: only hooks carrying one of these flags run (disabled hooks too, when they match).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(HookFlagCompleter))]
    public string[]? EnableFlag { get; set; }

    /// <summary>Like --disable-flag: hooks carrying one of these flags never run.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(HookFlagCompleter))]
    public string[]? DisableFlag { get; set; }

    private protected override string[]? EnableFlags => EnableFlag;

    private protected override string[]? DisableFlags => DisableFlag;
}

/// <summary>
/// lxd-compose node sync: compiles a node's config templates and pushes its sync_resources as apply's sync step does;
/// its pre- and post-node-sync hooks only with -RunHooks.
/// </summary>
[Cmdlet(VerbsData.Sync, "LxdNode", DefaultParameterSetName = NameSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType("LxdCompose.Deploy.NodeResult")]
public sealed class SyncLxdNodeCommand : LxdNodeHookCmdlet
{
    private protected override void Act(object run) => NodeCmdletSupport.SyncOrCreate(this, run, create: false, RunHooks, StopToken);
}

/// <summary>
/// lxd-compose node create: creates nodes alone, as apply creates them (declared profiles, networks and pools they lack,
/// their image, wait_ip), with their pre- and post-node-creation hooks only with -RunHooks; no sync.
/// </summary>
[Cmdlet(VerbsCommon.New, "LxdNode", DefaultParameterSetName = NameSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType("LxdCompose.Deploy.NodeResult")]
public sealed class NewLxdNodeCommand : LxdNodeHookCmdlet
{
    private protected override void Act(object run) => NodeCmdletSupport.SyncOrCreate(this, run, create: true, RunHooks, StopToken);
}
