using System.Management.Automation;
using LxdCompose.PowerShell.Completers;
using LxdCompose.PowerShell.Host;

namespace LxdCompose.PowerShell.Commands;

/// <summary>
/// lxd-compose apply: creates, starts or (with -Upgrade) recreates the nodes of a project's groups, runs the hooks of
/// every event in lxd-compose's order, compiles config templates and syncs files. Writes one result per node. Hook
/// output goes to the information stream (tags <c>node:&lt;name&gt;</c>, <c>event:&lt;event&gt;</c>, <c>stdout</c>/<c>stderr</c>).
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "LxdApply", DefaultParameterSetName = ProjectSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType("LxdCompose.Deploy.NodeResult")]
public sealed class InvokeLxdApplyCommand : LxdRunCmdlet, ILockingCmdlet
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

    /// <summary>Like --disable-group: never these groups (wins over -Group).</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? DisableGroup { get; set; }

    /// <summary>Like --skip-sync: no sync_resources pushes (hooks and templates still run).</summary>
    [Parameter]
    public SwitchParameter SkipSync { get; set; }

    /// <summary>Like --upgrade: existing nodes are deleted and recreated, between pre- and post-node-upgrade hooks.</summary>
    [Parameter]
    public SwitchParameter Upgrade { get; set; }

    /// <summary>Like --destroy: after a successful apply, runs the shutdown hooks and deletes the instances (for test runs).</summary>
    [Parameter]
    public SwitchParameter Destroy { get; set; }

    /// <summary>When the apply fails, deletes the instances this run created or recreated, so a retry starts clean.</summary>
    [Parameter]
    public SwitchParameter CleanupOnFailure { get; set; }

    /// <summary>
    /// How many servers to work on at once: groups on different servers are applied in parallel, the groups of one
    /// server in order. Default 1: lxd-compose's strictly sequential order. Hooks that reach a node of a group on another
    /// server should stay sequential.
    /// </summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = 1;

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
    /// How long to wait (seconds, or a TimeSpan) when another run holds the project's lock on one of its servers; then
    /// fail with LxdProjectLocked naming that run. Default 0: fail at once.
    /// </summary>
    [Parameter]
    [SecondsTransformation]
    public TimeSpan LockTimeout { get; set; }

    protected override void ProcessInput() => CollectRecord();

    protected override void EndCommand()
    {
        var requests = RequestsToActOn(DisableGroup);
        if (Upgrade || Destroy)
        {
            // Specs the gate refuses are refused before the question about deleting their instances.
            requests = requests.Where(r => DeployCmdletSupport.PassesGate(this, r.Specs, r.Project, ExtraVarsBlocks(r.Specs), r.Groups, DisableGroup)).ToList();
        }

        if ((Upgrade || Destroy) && requests.Count > 0)
        {
            var selected = string.Join("; ", requests.Select(r => DeployCmdletSupport.DescribeSelection(r.Specs, r.Project, r.Groups, DisableGroup)));
            var what = Upgrade && Destroy ? "deletes and recreates the existing instances, then deletes them all after the apply"
                : Upgrade ? "deletes and recreates the existing instances" : "deletes every instance after the apply";
            if (!ConfirmDeletion($"Invoke-LxdApply {(Upgrade ? "-Upgrade " : string.Empty)}{(Destroy ? "-Destroy " : string.Empty)}{what} of {selected}."))
            {
                return;
            }
        }

        foreach (var (specs, project, groups) in requests)
        {
            DeployCommands.Apply(this, specs, project, groups, DisableGroup, EnableFlag, DisableFlag, ExtraVarsBlocks(specs),
                SkipSync, Upgrade, Destroy, CleanupOnFailure, ThrottleLimit, P2PMode, UpdateResources, StopToken);
        }
    }
}
