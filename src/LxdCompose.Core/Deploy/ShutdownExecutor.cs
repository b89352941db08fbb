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
/// post-group-shutdown; post-project-shutdown. Absent nodes are skipped; profiles, networks and images stay.
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

    public async Task<DeployOutcome> ExecuteAsync(LxdProject project, ShutdownKind kind, DeployOptions options, IDeployHost host,
        CancellationToken cancellationToken)
    {
        var context = new DeployContext(_specs, project, options, _connections, host, cancellationToken);
        var hooks = new HookRunner(context);
        var outcome = new DeployOutcome();
        var groups = project.Groups.Where(options.Groups.Includes).ToList();
        var allNodes = groups.SelectMany(g => g.Nodes.Select(n => (n, g))).ToList();
        var verb = kind == ShutdownKind.Stop ? "Stop" : "Destroy";
        host.Progress(new DeployProgress(ApplyExecutor.ProjectActivity, -1, $"{verb} {project.Name}", "pre-project-shutdown", 0));
        string? currentGroup = null;
        string? currentNode = null;
        var done = new HashSet<LxdNode>(ReferenceEqualityComparer.Instance);
        try
        {
            await hooks.RunAsync(HookEvents.PreProjectShutdown,
                ApplyExecutor.Targeted(HookSelection.ForProjectEvent(HookEvents.PreProjectShutdown, project)), allNodes, null).ConfigureAwait(false);
            foreach (var group in groups)
            {
                currentGroup = group.Name;
                var client = _connections.ForGroup(group);
                var remote = _connections.RemoteNameOf(group);
                var present = (await client.Instances.ListAsync(cancellationToken, "container").ConfigureAwait(false))
                    .ToDictionary(i => i.Name, StringComparer.Ordinal);
                var scope = group.Nodes.Where(n => present.ContainsKey(n.InstanceName)).Select(n => (n, group)).ToList();
                host.Progress(new DeployProgress(ApplyExecutor.GroupActivity, ApplyExecutor.ProjectActivity, $"Group {group.Name}", "pre-group-shutdown", 0));
                await hooks.RunAsync(HookEvents.PreGroupShutdown,
                    ApplyExecutor.Targeted(HookSelection.ForGroupEvent(HookEvents.PreGroupShutdown, project, group)), scope, group).ConfigureAwait(false);
                foreach (var node in group.Nodes)
                {
                    currentNode = node.InstanceName;
                    var started = Stopwatch.StartNew();
                    if (!present.TryGetValue(node.InstanceName, out var instance))
                    {
                        outcome.Results.Add(Result(project, group, node, remote, NodeAction.Skipped, "Absent", 0, started.Elapsed));
                        done.Add(node);
                        continue;
                    }

                    if (!host.ShouldProcess(node.InstanceName, ActionText(kind)))
                    {
                        outcome.Results.Add(Result(project, group, node, remote, NodeAction.Skipped, instance.Status, 0, started.Elapsed));
                        done.Add(node);
                        continue;
                    }

                    var counted = hooks.StartCounting();
                    await hooks.RunAsync(HookEvents.PreNodeShutdown, HookSelection.ForNodeEvent(HookEvents.PreNodeShutdown, project, group, node),
                        Array.Empty<(LxdNode, LxdGroup)>(), group).ConfigureAwait(false);
                    string state;
                    NodeAction action;
                    if (kind == ShutdownKind.Destroy)
                    {
                        host.Log(DeployLogLevel.Information, $"Deleting {node.InstanceName} on {client.DisplayName}.");
                        await client.Instances.DeleteAsync(node.InstanceName, cancellationToken).ConfigureAwait(false);
                        (state, action) = ("Absent", NodeAction.Destroyed);
                    }
                    else if (instance.IsRunning)
                    {
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

                    await hooks.RunAsync(HookEvents.PostNodeShutdown, HookSelection.ForNodeEvent(HookEvents.PostNodeShutdown, project, group, node),
                        Array.Empty<(LxdNode, LxdGroup)>(), group).ConfigureAwait(false);
                    outcome.Results.Add(Result(project, group, node, remote, action, state, counted.Value, started.Elapsed));
                    done.Add(node);
                }

                currentNode = null;
                await hooks.RunAsync(HookEvents.PostGroupShutdown,
                    ApplyExecutor.Targeted(HookSelection.ForGroupEvent(HookEvents.PostGroupShutdown, project, group)), scope, group).ConfigureAwait(false);
                host.Progress(new DeployProgress(ApplyExecutor.GroupActivity, ApplyExecutor.ProjectActivity, $"Group {group.Name}", "done", 100, Completed: true));
            }

            currentGroup = null;
            await hooks.RunAsync(HookEvents.PostProjectShutdown,
                ApplyExecutor.Targeted(HookSelection.ForProjectEvent(HookEvents.PostProjectShutdown, project)), Array.Empty<(LxdNode, LxdGroup)>(), null)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is DeployException or LxdException)
        {
            outcome.Failures.Add(new DeployFailure(project.Name, currentGroup, currentNode, e));
            foreach (var (node, group) in allNodes.Where(x => !done.Contains(x.n)))
            {
                var failed = node.InstanceName == currentNode;
                outcome.Results.Add(Result(project, group, node, _connections.RemoteNameOf(group),
                    failed ? NodeAction.Failed : NodeAction.Skipped, "Unknown", 0, TimeSpan.Zero,
                    failed ? e.Message : "not reached: an earlier step failed"));
            }
        }

        host.Progress(new DeployProgress(ApplyExecutor.ProjectActivity, -1, verb, "done", 100, Completed: true));
        return outcome;
    }

    /// <summary>The action text <see cref="IDeployHost.ShouldProcess"/> is asked with for each present node.</summary>
    public static string ActionText(ShutdownKind kind) => kind == ShutdownKind.Stop ? "Stop the instance" : "Stop and delete the instance";

    private static NodeResult Result(LxdProject project, LxdGroup group, LxdNode node, string remote, NodeAction action, string state, int hooksRun,
        TimeSpan duration, string? error = null) => new()
    {
        Project = project.Name, Group = group.Name, Node = node.InstanceName, Remote = remote, Action = action, State = state,
        HooksRun = hooksRun, Duration = duration, Error = error,
    };
}
