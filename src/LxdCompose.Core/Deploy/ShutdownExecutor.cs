using System.Diagnostics;
using LxdCompose.Loading;
using LxdCompose.Lxd;
using LxdCompose.Specs;

namespace LxdCompose.Deploy;

public enum ShutdownKind
{
    /// <summary>lxd-compose <c>stop</c>: stop the instances.</summary>
    Stop,
    /// <summary>lxd-compose <c>destroy</c>: stop and delete the instances.</summary>
    Destroy,
}

/// <summary>
/// lxd-compose <c>destroy</c> and <c>stop</c> (§3.11, §3.12), both with the shutdown events: pre-project-shutdown; per
/// enabled group pre-group-shutdown, per present node pre-node-shutdown, stop or delete, post-node-shutdown;
/// post-group-shutdown; post-project-shutdown. Absent nodes are skipped; profiles, networks and images stay. Only the
/// approved items of the <see cref="ShutdownPlan"/> are done: a declined group is left out, a declined node is skipped.
/// </summary>
public sealed class ShutdownExecutor
{
    private readonly SpecSet _specs;
    private readonly LxdConnections _connections;

    public ShutdownExecutor(SpecSet specs, LxdConnections connections)
    {
        _specs = specs;
        _connections = connections;
    }

    public async Task<DeployOutcome> ExecuteAsync(ShutdownPlan plan, PlanApproval approval, IDeployHost host, CancellationToken cancellationToken)
    {
        var (project, kind, options) = (plan.Project, plan.Kind, plan.Options);
        var context = new DeployContext(_specs, project, options, _connections, host, cancellationToken);
        var hooks = new HookRunner(context);
        var outcome = new DeployOutcome();
        var projectHooks = plan.ProjectHooks();
        var runsProjectHooks = projectHooks is null || approval.Approves(projectHooks);
        var groups = plan.Groups.Where(g => approval.Approves(plan.Group(g))).ToList();
        var allNodes = groups.SelectMany(g => g.Nodes.Select(n => (n, g))).ToList();
        var verb = kind == ShutdownKind.Stop ? "Stop" : "Destroy";
        host.Progress(new DeployProgress(ApplyExecutor.ProjectActivity, -1, $"{verb} {project.Name}", "pre-project-shutdown", 0));
        string? currentGroup = null;
        string? currentNode = null;
        var done = new HashSet<LxdNode>(ReferenceEqualityComparer.Instance);
        var open = new List<DeployProgress>(); // activities to complete when a failure ends the run
        void Add(NodeResult result)
        {
            outcome.Results.Add(result);
            host.NodeFinished(result);
        }

        try
        {
            if (runsProjectHooks)
            {
                await hooks.RunAsync(HookEvents.PreProjectShutdown,
                    ApplyExecutor.Targeted(HookSelection.ForProjectEvent(HookEvents.PreProjectShutdown, project)), allNodes, null).ConfigureAwait(false);
            }

            for (var g = 0; g < groups.Count; g++)
            {
                var group = groups[g];
                var (groupActivity, nodeActivity, _) = ApplyExecutor.Activities(g);
                currentGroup = group.Name;
                var client = _connections.ForGroup(group);
                var remote = _connections.RemoteNameOf(group);
                var present = (await client.Instances.ListAsync(cancellationToken, "container").ConfigureAwait(false))
                    .ToDictionary(i => i.Name, StringComparer.Ordinal);
                var scope = group.Nodes.Where(n => present.ContainsKey(n.InstanceName)).Select(n => (n, group)).ToList();
                host.Progress(new DeployProgress(ApplyExecutor.ProjectActivity, -1, $"{verb} {project.Name}", $"group {group.Name}", g * 100 / groups.Count));
                host.Progress(new DeployProgress(groupActivity, ApplyExecutor.ProjectActivity, $"Group {group.Name}", "pre-group-shutdown", 0));
                open.Add(new DeployProgress(groupActivity, ApplyExecutor.ProjectActivity, $"Group {group.Name}", "failed", 100, Completed: true));
                await hooks.RunAsync(HookEvents.PreGroupShutdown,
                    ApplyExecutor.Targeted(HookSelection.ForGroupEvent(HookEvents.PreGroupShutdown, project, group)), scope, group).ConfigureAwait(false);
                for (var n = 0; n < group.Nodes.Count; n++)
                {
                    var node = group.Nodes[n];
                    currentNode = node.InstanceName;
                    var started = Stopwatch.StartNew();
                    host.Progress(new DeployProgress(groupActivity, ApplyExecutor.ProjectActivity, $"Group {group.Name}", $"node {node.InstanceName}",
                        n * 100 / group.Nodes.Count));
                    if (!present.TryGetValue(node.InstanceName, out var instance))
                    {
                        Add(Result(project, group, node, remote, NodeAction.Skipped, "Absent", 0, started.Elapsed));
                        done.Add(node);
                        continue;
                    }

                    if (!approval.Approves(plan.Node(group, node)))
                    {
                        Add(Result(project, group, node, remote, NodeAction.Skipped, instance.Status, 0, started.Elapsed));
                        done.Add(node);
                        continue;
                    }

                    var counted = hooks.StartCounting();
                    var nodeTitle = $"Node {node.InstanceName}";
                    host.Progress(new DeployProgress(nodeActivity, groupActivity, nodeTitle, "pre-node-shutdown", 0));
                    open.Insert(0, new DeployProgress(nodeActivity, groupActivity, nodeTitle, "failed", 100, Completed: true));
                    await hooks.RunAsync(HookEvents.PreNodeShutdown, HookSelection.ForNodeEvent(HookEvents.PreNodeShutdown, project, group, node),
                        Array.Empty<(LxdNode, LxdGroup)>(), group).ConfigureAwait(false);
                    string state;
                    NodeAction action;
                    if (kind == ShutdownKind.Destroy)
                    {
                        host.Progress(new DeployProgress(nodeActivity, groupActivity, nodeTitle, "delete", 30));
                        host.Log(DeployLogLevel.Information, $"Deleting {node.InstanceName} on {client.DisplayName}.");
                        await client.Instances.DeleteAsync(node.InstanceName, cancellationToken).ConfigureAwait(false);
                        (state, action) = ("Absent", NodeAction.Destroyed);
                    }
                    else if (instance.IsRunning)
                    {
                        host.Progress(new DeployProgress(nodeActivity, groupActivity, nodeTitle, "stop", 30));
                        host.Log(DeployLogLevel.Information, $"Stopping {node.InstanceName} on {client.DisplayName}.");
                        await client.Instances.StopAsync(node.InstanceName, cancellationToken).ConfigureAwait(false);
                        state = (await client.Instances.TryGetAsync(node.InstanceName, cancellationToken).ConfigureAwait(false))?.Status ?? "Absent";
                        action = NodeAction.Stopped;
                    }
                    else
                    {
                        host.Log(DeployLogLevel.Warning, $"{node.InstanceName} is already stopped.");
                        (state, action) = (instance.Status, NodeAction.Unchanged);
                    }

                    host.Progress(new DeployProgress(nodeActivity, groupActivity, nodeTitle, "post-node-shutdown", 80));
                    await hooks.RunAsync(HookEvents.PostNodeShutdown, HookSelection.ForNodeEvent(HookEvents.PostNodeShutdown, project, group, node),
                        Array.Empty<(LxdNode, LxdGroup)>(), group).ConfigureAwait(false);
                    host.Progress(new DeployProgress(nodeActivity, groupActivity, nodeTitle, "done", 100, Completed: true));
                    open.RemoveAt(0);
                    Add(Result(project, group, node, remote, action, state, counted.Value, started.Elapsed));
                    done.Add(node);
                }

                currentNode = null;
                await hooks.RunAsync(HookEvents.PostGroupShutdown,
                    ApplyExecutor.Targeted(HookSelection.ForGroupEvent(HookEvents.PostGroupShutdown, project, group)), scope, group).ConfigureAwait(false);
                host.Progress(new DeployProgress(groupActivity, ApplyExecutor.ProjectActivity, $"Group {group.Name}", "done", 100, Completed: true));
                open.Clear();
            }

            currentGroup = null;
            if (runsProjectHooks)
            {
                await hooks.RunAsync(HookEvents.PostProjectShutdown,
                    ApplyExecutor.Targeted(HookSelection.ForProjectEvent(HookEvents.PostProjectShutdown, project)), Array.Empty<(LxdNode, LxdGroup)>(), null)
                    .ConfigureAwait(false);
            }
        }
        catch (Exception e) when (DeployFailures.IsDeployFailure(e))
        {
            e = DeployFailures.Normalize(e, groups.FirstOrDefault(g => g.Name == currentGroup) is { } failedGroup
                ? _connections.RemoteNameOf(failedGroup) : "the servers of project " + project.Name);
            outcome.Failures.Add(new DeployFailure(project.Name, currentGroup, currentNode, e));
            open.ForEach(host.Progress);
            foreach (var (node, group) in allNodes.Where(x => !done.Contains(x.n)))
            {
                var failed = node.InstanceName == currentNode;
                Add(Result(project, group, node, _connections.RemoteNameOf(group),
                    failed ? NodeAction.Failed : NodeAction.Skipped, "Unknown", 0, TimeSpan.Zero,
                    failed ? e.Message : "not reached: an earlier step failed"));
            }
        }

        host.Progress(new DeployProgress(ApplyExecutor.ProjectActivity, -1, $"{verb} {project.Name}", "done", 100, Completed: true));
        return outcome;
    }

    private static NodeResult Result(LxdProject project, LxdGroup group, LxdNode node, string remote, NodeAction action, string state, int hooksRun,
        TimeSpan duration, string? error = null) => new()
        {
            Project = project.Name, Group = group.Name, Node = node.InstanceName, Remote = remote, Action = action, State = state,
            HooksRun = hooksRun, Duration = duration, Error = error,
        };
}
