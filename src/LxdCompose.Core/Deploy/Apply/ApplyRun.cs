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

    /// <summary>
    /// Whether the run may do what <paramref name="item"/> stands for; no item means the plan has nothing of that
    /// kind there (e.g. a group without hooks), so there is nothing to decline.
    /// </summary>
    public bool Allows(PlanItem? item) => item is null || Approval.Approves(item);

    /// <summary>Says in the verbose stream that an item was declined and is left out.</summary>
    public void Declined(PlanItem item) => Host.Log(DeployLogLevel.Verbose, $"Skipped (not approved): {item}.");

    /// <summary>The hooks of <paramref name="hookEvent"/> on one node, in lxd-compose's order.</summary>
    public Task RunNodeHooksAsync(string hookEvent, LxdGroup group, LxdNode node) =>
        Hooks.RunAsync(hookEvent, HookSelection.ForNodeEvent(hookEvent, Project, group, node), Array.Empty<(LxdNode, LxdGroup)>(), group);
}
