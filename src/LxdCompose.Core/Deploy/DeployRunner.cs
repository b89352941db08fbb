using LxdCompose.Loading;
using LxdCompose.Specs;

namespace LxdCompose.Deploy;

/// <summary>What an apply run does besides applying.</summary>
public sealed record ApplyRunOptions
{
    /// <summary>After a failed apply, delete the instances this run created (<c>-CleanupOnFailure</c>).</summary>
    public bool CleanupOnFailure { get; init; }

    /// <summary>After a successful apply, destroy the groups (<c>-Destroy</c>); its items are approved with the apply's.</summary>
    public bool DestroyAfter { get; init; }
}

/// <summary>What a run did: the plan's items, the approved ones, and the outcome (empty when nothing was approved).</summary>
public sealed class RunReport
{
    public IReadOnlyList<PlanItem> Items { get; init; } = Array.Empty<PlanItem>();
    public PlanApproval Approval { get; init; } = PlanApproval.None;
    public DeployOutcome Outcome { get; init; } = new();

    /// <summary>Whether anything ran (at least one item was approved).</summary>
    public bool Ran => !Approval.IsEmpty;
}

/// <summary>What a fetch did: its plan, the approved items, one result per image, or the failure that stopped it.</summary>
public sealed record FetchReport(FetchPlan Plan, PlanApproval Approval, IReadOnlyList<ImageFetchResult> Results, DeployFailure? Failure);

/// <summary>
/// One run of apply, stop/destroy or fetch, in Core: plan (before anything changes) → approve (the
/// <see cref="IPlanApprover"/> decides on every item at once) → execute the approved items → clean up on failure →
/// destroy afterwards. Cmdlets bind parameters, call it and write what it reports; nothing of the sequence is theirs.
/// </summary>
public sealed class DeployRunner
{
    private readonly SpecSet _specs;
    private readonly LxdConnections _connections;

    public DeployRunner(SpecSet specs, LxdConnections connections)
    {
        _specs = specs;
        _connections = connections;
    }

    public Task<ApplyPlan> PlanApplyAsync(LxdProject project, DeployOptions options, IDeployHost host, CancellationToken cancellationToken) =>
        new ApplyPlanner(_specs, _connections).PlanAsync(project, options, host, cancellationToken);

    /// <summary>
    /// Plans the apply (and with <see cref="ApplyRunOptions.DestroyAfter"/> the destroy after it), has every item decided,
    /// applies the approved ones; after a failure with <see cref="ApplyRunOptions.CleanupOnFailure"/> deletes what this
    /// run created; after a success destroys the approved groups and nodes. A planning failure throws (nothing changed).
    /// </summary>
    public async Task<RunReport> ApplyAsync(LxdProject project, DeployOptions options, ApplyRunOptions run, IPlanApprover approver, IDeployHost host,
        CancellationToken cancellationToken)
    {
        var plan = await PlanApplyAsync(project, options, host, cancellationToken).ConfigureAwait(false);
        var destroy = run.DestroyAfter ? ShutdownPlan.For(project, ShutdownKind.Destroy, options) : null;
        var items = plan.Items.Concat(destroy?.Items ?? Array.Empty<PlanItem>()).ToList();
        var approval = await approver.ApproveAsync(items, cancellationToken).ConfigureAwait(false);
        var report = new RunReport { Items = items, Approval = approval };
        if (approval.IsEmpty)
        {
            return report;
        }

        var applied = await new ApplyExecutor(_specs, _connections).ExecuteAsync(plan, approval, host, cancellationToken).ConfigureAwait(false);
        Merge(report.Outcome, applied);
        if (!applied.Succeeded)
        {
            if (run.CleanupOnFailure)
            {
                report.Outcome.Results.AddRange(
                    await ApplyCleanup.RemoveCreatedAsync(plan, report.Outcome, _connections, host, cancellationToken).ConfigureAwait(false));
            }

            return report;
        }

        if (destroy is not null && destroy.Items.Any(approval.Approves))
        {
            Merge(report.Outcome, await new ShutdownExecutor(_specs, _connections).ExecuteAsync(destroy, approval, host, cancellationToken)
                .ConfigureAwait(false));
        }

        return report;
    }

    /// <summary>Stop or destroy: plans from the specs (no server is read), has the items decided, runs the approved ones.</summary>
    public async Task<RunReport> ShutdownAsync(LxdProject project, ShutdownKind kind, DeployOptions options, IPlanApprover approver, IDeployHost host,
        CancellationToken cancellationToken)
    {
        var plan = ShutdownPlan.For(project, kind, options);
        var approval = await approver.ApproveAsync(plan.Items, cancellationToken).ConfigureAwait(false);
        var report = new RunReport { Items = plan.Items, Approval = approval };
        if (!approval.IsEmpty)
        {
            Merge(report.Outcome, await new ShutdownExecutor(_specs, _connections).ExecuteAsync(plan, approval, host, cancellationToken)
                .ConfigureAwait(false));
        }

        return report;
    }

    /// <summary>
    /// Fetch: resolves the images (reading only; a failure throws), has the copies and tests decided, does the approved
    /// ones; a failure while copying or testing is the report's failure.
    /// </summary>
    public async Task<FetchReport> FetchAsync(LxdProject project, DeployOptions options, ImageTest? test, IPlanApprover approver, IDeployHost host,
        CancellationToken cancellationToken)
    {
        var plan = await ImageFetcher.PlanAsync(project, options, _connections, host, cancellationToken, test).ConfigureAwait(false);
        var approval = await approver.ApproveAsync(plan.Items, cancellationToken).ConfigureAwait(false);
        try
        {
            return new FetchReport(plan, approval, await ImageFetcher.ExecuteAsync(plan, approval, _connections, host, cancellationToken).ConfigureAwait(false),
                null);
        }
        catch (Exception e) when (DeployFailures.IsDeployFailure(e))
        {
            return new FetchReport(plan, approval, Array.Empty<ImageFetchResult>(), new DeployFailure(project.Name, null, null, e));
        }
    }

    private static void Merge(DeployOutcome into, DeployOutcome from)
    {
        into.Results.AddRange(from.Results);
        into.Failures.AddRange(from.Failures);
    }
}
