using System.Diagnostics;
using LxdCompose.Loading;
using LxdCompose.Lxd;
using LxdCompose.Specs;

namespace LxdCompose.Deploy;

/// <summary>
/// Carries out an <see cref="ApplyPlan"/> in lxd-compose's event order (§3.4, §3.5): pre-project (host hooks), project
/// templates; per group: pre-group, group templates, missing declared storage/networks/profiles, image copies; per node:
/// [pre-node-upgrade, delete,] pre-node-creation, create + start, wait_ip, post-node-creation[, post-node-upgrade], or
/// start (+ wait_ip) when stopped, or what an unfinished creation lacks (start, wait_ip, post-node-creation[,
/// post-node-upgrade]); then pre-node-sync, node templates, sync_resources, post-node-sync; post-group; post-project.
/// Only approved plan items are done (<see cref="PlanApproval"/>); each job is a step of its own (GroupResourcesStep,
/// ImageCopyStep, NodeCreateStep, NodeSyncStep, TemplateStep). A failure stops its group and the run; the outcome lists
/// what was done.
/// </summary>
public sealed class ApplyExecutor
{
    internal const int ProjectActivity = 1;

    private readonly SpecSet _specs;
    private readonly LxdConnections _connections;

    public ApplyExecutor(SpecSet specs, LxdConnections connections)
    {
        _specs = specs;
        _connections = connections;
    }

    public async Task<DeployOutcome> ExecuteAsync(ApplyPlan plan, PlanApproval approval, IDeployHost host, CancellationToken cancellationToken)
    {
        var project = plan.Project;
        var run = new ApplyRun(new DeployContext(_specs, project, plan.Options, _connections, host, cancellationToken), approval);
        var projectHooks = ApplyPlanItems.ProjectHooks(plan);
        var outcome = new DeployOutcome();
        host.Progress(new DeployProgress(ProjectActivity, -1, $"Apply {project.Name}", "pre-project", 0));
        try
        {
            if (run.Allows(projectHooks))
            {
                await run.Hooks.RunAsync(HookEvents.PreProject, Targeted(HookSelection.ForProjectEvent(HookEvents.PreProject, project)),
                    Array.Empty<(LxdNode, LxdGroup)>(), null).ConfigureAwait(false);
            }

            CompileIfApproved(run, ApplyPlanItems.Templates(project, plan.Templates, null), plan.Templates);
        }
        catch (Exception e) when (DeployFailures.IsDeployFailure(e))
        {
            outcome.Failures.Add(new DeployFailure(project.Name, null, null, DeployFailures.Normalize(e, ServersOf(plan))));
            foreach (var result in plan.Nodes.Select(Skipped))
            {
                outcome.Results.Add(result);
                host.NodeFinished(result);
            }

            return Done(plan, outcome, host);
        }

        if (!await ApplyGroupsAsync(run, plan, outcome).ConfigureAwait(false))
        {
            return Done(plan, outcome, host);
        }

        try
        {
            if (run.Allows(projectHooks))
            {
                var scope = plan.Groups.SelectMany(g => g.Spec.Nodes.Select(n => (n, g.Spec))).ToList();
                await run.Hooks.RunAsync(HookEvents.PostProject, Targeted(HookSelection.ForProjectEvent(HookEvents.PostProject, project)), scope, null)
                    .ConfigureAwait(false);
            }
        }
        catch (Exception e) when (DeployFailures.IsDeployFailure(e))
        {
            outcome.Failures.Add(new DeployFailure(project.Name, null, null, DeployFailures.Normalize(e, ServersOf(plan))));
        }

        return Done(plan, outcome, host);
    }

    /// <summary>
    /// The groups in declaration order; with a throttle limit above 1, independent lanes (<see cref="ParallelLanes"/>)
    /// run in parallel. After a failure no further group starts. Results keep plan order,
    /// also as they are reported one by one (<see cref="IDeployHost.NodeFinished"/>).
    /// </summary>
    private async Task<bool> ApplyGroupsAsync(ApplyRun run, ApplyPlan plan, DeployOutcome outcome)
    {
        var context = run.Context;
        var perGroup = plan.Groups.ToDictionary(g => g, _ => new DeployOutcome());
        var position = plan.Groups.Select((g, i) => (g, i)).ToDictionary(x => x.g, x => x.i);
        var stream = new OrderedResultStream(context.Host, plan.Groups.Count);
        var failed = 0;
        var finished = 0;

        async Task RunLaneAsync(IEnumerable<GroupPlan> lane)
        {
            foreach (var group in lane)
            {
                void Add(NodeResult result)
                {
                    perGroup[group].Results.Add(result);
                    stream.Add(position[group], result);
                }

                try
                {
                    if (Volatile.Read(ref failed) != 0)
                    {
                        group.Nodes.Select(Skipped).ToList().ForEach(Add);
                        continue;
                    }

                    if (!await ApplyGroupAsync(run, group, perGroup[group], Add).ConfigureAwait(false))
                    {
                        Interlocked.Exchange(ref failed, 1);
                    }
                }
                finally
                {
                    stream.Finish(position[group]);
                }

                var done = Interlocked.Increment(ref finished);
                context.Host.Progress(new DeployProgress(ProjectActivity, -1, $"Apply {plan.Project.Name}", $"{done}/{plan.Groups.Count} groups",
                    done * 100 / Math.Max(1, plan.Groups.Count)));
            }
        }

        var throttle = Math.Max(1, plan.Options.ThrottleLimit);
        if (throttle == 1)
        {
            await RunLaneAsync(plan.Groups).ConfigureAwait(false);
        }
        else
        {
            using var gate = new SemaphoreSlim(throttle);
            var lanes = ParallelLanes.Of(plan.Groups, context.Project).Select(async lane =>
            {
                await gate.WaitAsync(context.CancellationToken).ConfigureAwait(false);
                try
                {
                    await Task.Run(() => RunLaneAsync(lane), context.CancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    gate.Release();
                }
            }).ToList();
            await Task.WhenAll(lanes).ConfigureAwait(false);
        }

        foreach (var group in plan.Groups)
        {
            outcome.Results.AddRange(perGroup[group].Results);
            outcome.Failures.AddRange(perGroup[group].Failures);
        }

        return failed == 0;
    }

    /// <summary>
    /// Progress ids of a group, its nodes and its image copies (children of the group), distinct per group so parallel
    /// groups show side by side.
    /// </summary>
    internal static (int Group, int Node, int Image) Activities(int groupIndex) =>
        (10 + (3 * groupIndex), 11 + (3 * groupIndex), 12 + (3 * groupIndex));

    private static (int Group, int Node, int Image) Activities(GroupPlan group) => Activities(group.Index);

    private static DeployOutcome Done(ApplyPlan plan, DeployOutcome outcome, IDeployHost host)
    {
        host.Progress(new DeployProgress(ProjectActivity, -1, $"Apply {plan.Project.Name}", "done", 100, Completed: true));
        return outcome;
    }

    /// <summary>The servers of a plan, for a failure that belongs to no one group.</summary>
    private static string ServersOf(ApplyPlan plan) =>
        string.Join(", ", plan.Groups.Select(g => g.Remote).Where(r => r.Length > 0).Distinct(StringComparer.Ordinal)) is { Length: > 0 } servers
            ? servers
            : "the servers of project " + plan.Project.Name;

    /// <summary>One group's events; <paramref name="add"/> takes each node's result as soon as the node is done.</summary>
    private async Task<bool> ApplyGroupAsync(ApplyRun run, GroupPlan plan, DeployOutcome outcome, Action<NodeResult> add)
    {
        var host = run.Host;
        var group = plan.Spec;
        var token = run.Token;
        var scope = group.Nodes.Select(n => (n, group)).ToList();
        var groupHooks = ApplyPlanItems.GroupHooks(run.Project, plan);
        var done = new HashSet<string>(StringComparer.Ordinal);
        NodePlan? current = null;
        var started = Stopwatch.StartNew();
        var (groupActivity, _, _) = Activities(plan);
        try
        {
            host.Progress(new DeployProgress(groupActivity, ProjectActivity, $"Group {group.Name}", "pre-group", 0));
            if (run.Allows(groupHooks))
            {
                await run.Hooks.RunAsync(HookEvents.PreGroup, Targeted(HookSelection.ForGroupEvent(HookEvents.PreGroup, run.Project, group)), scope, group)
                    .ConfigureAwait(false);
            }

            CompileIfApproved(run, ApplyPlanItems.Templates(run.Project, plan.Templates, null), plan.Templates);
            var server = _connections.ForGroup(group);
            await GroupResourcesStep.CreateAsync(run, server, plan).ConfigureAwait(false);
            await ImageCopyStep.CopyAsync(run, server, plan).ConfigureAwait(false);
            for (var i = 0; i < plan.Nodes.Count; i++)
            {
                current = plan.Nodes[i];
                started.Restart();
                host.Progress(new DeployProgress(groupActivity, ProjectActivity, $"Group {group.Name}", $"node {current.Node}", i * 100 / plan.Nodes.Count));
                var (action, files, hooksRun) = await ApplyNodeAsync(run, server, plan, current).ConfigureAwait(false);
                add(action == NodeAction.Skipped
                    ? Declined(current, started.Elapsed)
                    : await ResultAsync(server, current, action, hooksRun, files, started.Elapsed, null, token).ConfigureAwait(false));
                done.Add(current.Node);
                current = null;
            }

            host.Progress(new DeployProgress(groupActivity, ProjectActivity, $"Group {group.Name}", "post-group", 100));
            if (run.Allows(groupHooks))
            {
                await run.Hooks.RunAsync(HookEvents.PostGroup, Targeted(HookSelection.ForGroupEvent(HookEvents.PostGroup, run.Project, group)), scope, group)
                    .ConfigureAwait(false);
            }

            host.Progress(new DeployProgress(groupActivity, ProjectActivity, $"Group {group.Name}", "done", 100, Completed: true));
            return true;
        }
        catch (Exception e) when (DeployFailures.IsDeployFailure(e))
        {
            e = DeployFailures.Normalize(e, plan.Remote.Length > 0 ? plan.Remote : _connections.RemoteNameOf(group));
            outcome.Failures.Add(new DeployFailure(run.Project.Name, group.Name, current?.Node, e));
            foreach (var node in plan.Nodes.Where(n => !done.Contains(n.Node)))
            {
                add(node == current
                    ? new NodeResult
                    {
                        Project = node.Project, Group = node.Group, Node = node.Node, Remote = node.Remote, Action = NodeAction.Failed,
                        State = "Unknown", Duration = started.Elapsed, Error = e.Message,
                    }
                    : Skipped(node));
            }

            host.Progress(new DeployProgress(groupActivity, ProjectActivity, $"Group {group.Name}", "failed", 100, Completed: true));
            return false;
        }
    }

    private static async Task<(NodeAction Action, int Files, int HooksRun)> ApplyNodeAsync(ApplyRun run, ILxdServer server, GroupPlan group,
        NodePlan node)
    {
        var host = run.Host;
        var (groupActivity, nodeActivity, _) = Activities(group);
        void Step(string status, int percent) =>
            host.Progress(new DeployProgress(nodeActivity, groupActivity, $"Node {node.Node}", status, percent));
        Step(node.Action.ToString(), 0);
        try
        {
            return await ApplyNodeStepsAsync(run, server, group.Spec, node, Step).ConfigureAwait(false);
        }
        finally
        {
            host.Progress(new DeployProgress(nodeActivity, groupActivity, $"Node {node.Node}", "done", 100, Completed: true));
        }
    }

    /// <summary>The node's action, then its sync steps; a declined node is left alone (nothing of its item runs).</summary>
    private static async Task<(NodeAction Action, int Files, int HooksRun)> ApplyNodeStepsAsync(ApplyRun run, ILxdServer server, LxdGroup group,
        NodePlan node, Action<string, int> step)
    {
        var item = ApplyPlanItems.Node(node);
        if (!run.Allows(item))
        {
            run.Declined(item);
            return (NodeAction.Skipped, 0, 0);
        }

        var counted = run.Hooks.StartCounting();
        NodeAction action;
        switch (node.Action)
        {
            case PlannedAction.Create:
                await NodeCreateStep.CreateAsync(run, server, group, node).ConfigureAwait(false);
                action = NodeAction.Created;
                break;
            case PlannedAction.Upgrade:
                await NodeCreateStep.UpgradeAsync(run, server, group, node).ConfigureAwait(false);
                action = NodeAction.Upgraded;
                break;
            // A replace recreates the node as -Upgrade does, upgrade hooks included: they are the project's code for
            // an existing node's deletion and re-creation (e.g. saving and restoring its data).
            case PlannedAction.Replace:
                await NodeCreateStep.UpgradeAsync(run, server, group, node).ConfigureAwait(false);
                action = NodeAction.Replaced;
                break;
            case PlannedAction.Update:
                if (await InstanceUpdateStep.ApplyAsync(server, node, run.Host, run.Token).ConfigureAwait(false))
                {
                    await NodeCreateStep.StartAsync(run, server, node).ConfigureAwait(false);
                }

                action = NodeAction.Updated;
                break;
            case PlannedAction.Resume:
                await NodeCreateStep.ResumeAsync(run, server, group, node).ConfigureAwait(false);
                action = NodeAction.Resumed;
                break;
            case PlannedAction.Start:
                await NodeCreateStep.StartAsync(run, server, node).ConfigureAwait(false);
                action = NodeAction.Started;
                break;
            default:
                action = NodeAction.Unchanged;
                break;
        }

        var files = await NodeSyncStep.SyncAsync(run, server, group, node, step).ConfigureAwait(false);
        return (action, files, counted.Value);
    }

    /// <summary>Project or group templates, when the plan has them and they were approved.</summary>
    private static void CompileIfApproved(ApplyRun run, PlanItem? item, TemplatePlan? templates)
    {
        if (item is null)
        {
            return;
        }

        if (!run.Allows(item))
        {
            run.Declined(item);
            return;
        }

        TemplateStep.Compile(run, templates);
    }

    private static async Task<NodeResult> ResultAsync(ILxdServer client, NodePlan node, NodeAction action, int hooksRun, int files,
        TimeSpan duration, string? error, CancellationToken token)
    {
        var state = await client.Instances.GetStateAsync(node.Node, token).ConfigureAwait(false);
        return new NodeResult
        {
            Project = node.Project, Group = node.Group, Node = node.Node, Remote = node.Remote, Action = action, State = state.Status,
            IPv4 = state.GlobalIPv4Addresses().FirstOrDefault(), HooksRun = hooksRun, FilesSynced = files, Duration = duration, Error = error,
        };
    }

    private static NodeResult Skipped(NodePlan node) => new()
    {
        Project = node.Project, Group = node.Group, Node = node.Node, Remote = node.Remote, Action = NodeAction.Skipped,
        State = node.CurrentState, Error = "not reached: an earlier step failed",
    };

    /// <summary>A node whose item was declined: nothing happened to it.</summary>
    private static NodeResult Declined(NodePlan node, TimeSpan duration) => new()
    {
        Project = node.Project, Group = node.Group, Node = node.Node, Remote = node.Remote, Action = NodeAction.Skipped,
        State = node.CurrentState, Duration = duration, Error = "not approved",
    };

    internal static IEnumerable<TargetedHook> Targeted(IEnumerable<LxdHook> hooks) => hooks.Select(h => new TargetedHook(h, HookTarget.Of(h)));
}
