using System.Collections.Concurrent;
using LxdCompose.Specs;

namespace LxdCompose.Deploy;

/// <summary>What every step of one apply shares: the run's context, its hook runner and the decisions on the plan's items.</summary>
internal sealed class ApplyRun
{
    public ApplyRun(DeployContext context, PlanApproval approval)
    {
        Context = context;
        Hooks = new HookRunner(context);
        Approval = approval;
    }

    public DeployContext Context { get; }
    public HookRunner Hooks { get; }
    public PlanApproval Approval { get; }
    public LxdProject Project => Context.Project;
    public IDeployHost Host => Context.Host;
    public CancellationToken Token => Context.CancellationToken;

    /// <summary>The config templates this run compiled (full paths): written 0600 here, pushed as <see cref="PushedFileMode"/> says.</summary>
    public ConcurrentDictionary<string, bool> CompiledFiles { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The mode a sync_resources file is pushed with, from the mode it would have otherwise (its local one): a file
    /// holding a secret value loses its group and other bits (0644 becomes 0600); a config template this run compiled
    /// (0600 on this machine) goes as 0644, as lxd-compose pushes it, unless it holds a secret.
    /// </summary>
    public int PushedFileMode(string localPath, int mode)
    {
        if (Context.Specs.Secrets.FileReveals(localPath))
        {
            return PushedFileModes.WithoutSecretsShown(Context.Specs.Secrets, localPath, mode);
        }

        return CompiledFiles.ContainsKey(Path.GetFullPath(localPath)) ? 0b110_100_100 : mode;
    }

    /// <summary>
    /// Whether the run may do what <paramref name="item"/> stands for; no item means the plan has nothing of that
    /// kind there (e.g. a group without hooks), so there is nothing to decline.
    /// </summary>
    public bool Allows(PlanItem? item) => item is null || Approval.Approves(item);

    /// <summary>Says in the verbose stream that an item was declined and is left out.</summary>
    public void Declined(PlanItem item) => Host.Log(DeployLogLevel.Verbose, $"Skipped (not approved): {item}.");

    /// <summary>
    /// Whether node hooks (creation, sync, upgrade) run; false for New-LxdNode and Sync-LxdNode without -RunHooks
    /// (lxd-compose's <c>node create</c>/<c>node sync</c> without <c>--hooks</c>).
    /// </summary>
    public bool RunsNodeHooks { get; init; } = true;

    /// <summary>The hooks of <paramref name="hookEvent"/> on one node, in lxd-compose's order.</summary>
    public Task RunNodeHooksAsync(string hookEvent, LxdGroup group, LxdNode node)
    {
        if (!RunsNodeHooks)
        {
            Host.Log(DeployLogLevel.Verbose, $"[{node.InstanceName}] {hookEvent} hooks left out (no -RunHooks).");
            return Task.CompletedTask;
        }

        return Hooks.RunAsync(hookEvent, HookSelection.ForNodeEvent(hookEvent, Project, group, node), Array.Empty<(LxdNode, LxdGroup)>(), group);
    }
}
