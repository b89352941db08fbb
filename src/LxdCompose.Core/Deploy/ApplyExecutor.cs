using System.Diagnostics;
using LxdCompose.Loading;
using LxdCompose.Lxd;
using LxdCompose.Lxd.Api;
using LxdCompose.Specs;
using LxdCompose.Templating;

namespace LxdCompose.Deploy;

/// <summary>
/// Carries out an <see cref="ApplyPlan"/> in lxd-compose's event order (§3.4, §3.5): pre-project (host hooks), project
/// templates; per group: pre-group, group templates, missing declared storage/networks/profiles, image copies; per node:
/// [pre-node-upgrade, delete,] pre-node-creation, create + start, wait_ip, post-node-creation[, post-node-upgrade] or
/// start (+ wait_ip) when stopped, pre-node-sync, node templates, sync_resources, post-node-sync; post-group; post-project.
/// A failure stops its group and the run; the outcome lists what was done.
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

    public async Task<DeployOutcome> ExecuteAsync(ApplyPlan plan, IDeployHost host, CancellationToken cancellationToken)
    {
        var project = plan.Project;
        var context = new DeployContext(_specs, project, plan.Options, _connections, host, cancellationToken);
        var hooks = new HookRunner(context);
        var outcome = new DeployOutcome();
        host.Progress(new DeployProgress(ProjectActivity, -1, $"Apply {project.Name}", "pre-project", 0));
        try
        {
            await hooks.RunAsync(HookEvents.PreProject, Targeted(HookSelection.ForProjectEvent(HookEvents.PreProject, project)),
                Array.Empty<(LxdNode, LxdGroup)>(), null).ConfigureAwait(false);
            CompileTemplates(context, ConfigTemplateLevel.Project, null, null);
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

        if (!await ApplyGroupsAsync(context, hooks, plan, outcome).ConfigureAwait(false))
        {
            return Done(plan, outcome, host);
        }

        try
        {
            var scope = plan.Groups.SelectMany(g => g.Spec.Nodes.Select(n => (n, g.Spec))).ToList();
            await hooks.RunAsync(HookEvents.PostProject, Targeted(HookSelection.ForProjectEvent(HookEvents.PostProject, project)), scope, null)
                .ConfigureAwait(false);
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
    private async Task<bool> ApplyGroupsAsync(DeployContext context, HookRunner hooks, ApplyPlan plan, DeployOutcome outcome)
    {
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

                    if (!await ApplyGroupAsync(context, hooks, group, perGroup[group], Add).ConfigureAwait(false))
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
    private async Task<bool> ApplyGroupAsync(DeployContext context, HookRunner hooks, GroupPlan plan, DeployOutcome outcome, Action<NodeResult> add)
    {
        var host = context.Host;
        var group = plan.Spec;
        var token = context.CancellationToken;
        var scope = group.Nodes.Select(n => (n, group)).ToList();
        var done = new HashSet<string>(StringComparer.Ordinal);
        NodePlan? current = null;
        var started = Stopwatch.StartNew();
        var (groupActivity, _, imageActivity) = Activities(plan);
        try
        {
            host.Progress(new DeployProgress(groupActivity, ProjectActivity, $"Group {group.Name}", "pre-group", 0));
            await hooks.RunAsync(HookEvents.PreGroup, Targeted(HookSelection.ForGroupEvent(HookEvents.PreGroup, context.Project, group)), scope, group)
                .ConfigureAwait(false);
            CompileTemplates(context, ConfigTemplateLevel.Group, group, null);
            var client = _connections.ForGroup(group);
            await CreateResourcesAsync(client, plan, host, token).ConfigureAwait(false);
            await ResourceUpdateStep.ApplyAsync(client, plan, host, token).ConfigureAwait(false);
            foreach (var image in plan.ImagesToCopy)
            {
                host.Progress(new DeployProgress(groupActivity, ProjectActivity, $"Group {group.Name}", "image " + image.Source, 0));
                await ImageResolver.CopyAsync(_connections, client, image, host, token, imageActivity, groupActivity).ConfigureAwait(false);
            }

            for (var i = 0; i < plan.Nodes.Count; i++)
            {
                current = plan.Nodes[i];
                started.Restart();
                host.Progress(new DeployProgress(groupActivity, ProjectActivity, $"Group {group.Name}", $"node {current.Node}", i * 100 / plan.Nodes.Count));
                var (action, files, hooksRun) = await ApplyNodeAsync(context, hooks, client, plan, current).ConfigureAwait(false);
                add(await ResultAsync(client, current, action, hooksRun, files, started.Elapsed, null, token).ConfigureAwait(false));
                done.Add(current.Node);
                current = null;
            }

            host.Progress(new DeployProgress(groupActivity, ProjectActivity, $"Group {group.Name}", "post-group", 100));
            await hooks.RunAsync(HookEvents.PostGroup, Targeted(HookSelection.ForGroupEvent(HookEvents.PostGroup, context.Project, group)), scope, group)
                .ConfigureAwait(false);
            host.Progress(new DeployProgress(groupActivity, ProjectActivity, $"Group {group.Name}", "done", 100, Completed: true));
            return true;
        }
        catch (Exception e) when (DeployFailures.IsDeployFailure(e))
        {
            e = DeployFailures.Normalize(e, plan.Remote.Length > 0 ? plan.Remote : _connections.RemoteNameOf(group));
            outcome.Failures.Add(new DeployFailure(context.Project.Name, group.Name, current?.Node, e));
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

    private async Task<(NodeAction Action, int Files, int HooksRun)> ApplyNodeAsync(DeployContext context, HookRunner hooks, LxdClient client,
        GroupPlan group, NodePlan node)
    {
        var host = context.Host;
        var (groupActivity, nodeActivity, _) = Activities(group);
        void Step(string status, int percent) =>
            host.Progress(new DeployProgress(nodeActivity, groupActivity, $"Node {node.Node}", status, percent));
        Step(node.Action.ToString(), 0);
        try
        {
            return await ApplyNodeStepsAsync(context, hooks, client, group, node, Step).ConfigureAwait(false);
        }
        finally
        {
            host.Progress(new DeployProgress(nodeActivity, groupActivity, $"Node {node.Node}", "done", 100, Completed: true));
        }
    }

    private async Task<(NodeAction Action, int Files, int HooksRun)> ApplyNodeStepsAsync(DeployContext context, HookRunner hooks, LxdClient client,
        GroupPlan group, NodePlan node, Action<string, int> step)
    {
        var host = context.Host;
        var token = context.CancellationToken;
        var spec = node.Spec;
        var project = context.Project;
        var counted = hooks.StartCounting();
        var action = NodeAction.Unchanged;
        switch (node.Action)
        {
            case PlannedAction.Create when host.ShouldProcess(node.Node, ActionText(node)):
                await CreateNodeAsync(context, hooks, client, group.Spec, node).ConfigureAwait(false);
                action = NodeAction.Created;
                break;
            case PlannedAction.Update when host.ShouldProcess(node.Node, ActionText(node)):
                if (await InstanceUpdateStep.ApplyAsync(client, node, host, token).ConfigureAwait(false))
                {
                    await client.Instances.StartAsync(node.Node, token).ConfigureAwait(false);
                    await WaitIpAsync(context, client, node).ConfigureAwait(false);
                }

                action = NodeAction.Updated;
                break;
            // A replace recreates the node as -Upgrade does, upgrade hooks included: they are the project's code for
            // an existing node's deletion and re-creation (e.g. saving and restoring its data).
            case PlannedAction.Upgrade or PlannedAction.Replace when host.ShouldProcess(node.Node, ActionText(node)):
                var instance = await client.Instances.TryGetAsync(node.Node, token).ConfigureAwait(false);
                if (instance is { IsRunning: true })
                {
                    await hooks.RunAsync(HookEvents.PreNodeUpgrade, HookSelection.ForNodeEvent(HookEvents.PreNodeUpgrade, project, group.Spec, spec),
                        Array.Empty<(LxdNode, LxdGroup)>(), group.Spec).ConfigureAwait(false);
                }

                host.Log(node.Action == PlannedAction.Replace ? DeployLogLevel.Information : DeployLogLevel.Verbose,
                    $"Deleting {node.Node} on {client.DisplayName} to recreate it{ReplaceReasons(node)}.");
                await client.Instances.DeleteAsync(node.Node, token).ConfigureAwait(false);
                await CreateNodeAsync(context, hooks, client, group.Spec, node).ConfigureAwait(false);
                await hooks.RunAsync(HookEvents.PostNodeUpgrade, HookSelection.ForNodeEvent(HookEvents.PostNodeUpgrade, project, group.Spec, spec),
                    Array.Empty<(LxdNode, LxdGroup)>(), group.Spec).ConfigureAwait(false);
                action = node.Action == PlannedAction.Replace ? NodeAction.Replaced : NodeAction.Upgraded;
                break;
            case PlannedAction.Start when host.ShouldProcess(node.Node, ActionText(node)):
                host.Log(DeployLogLevel.Verbose, $"Starting {node.Node} on {client.DisplayName}.");
                await client.Instances.StartAsync(node.Node, token).ConfigureAwait(false);
                // Its hooks are about to run in a container that has just booted, as after a creation.
                await WaitIpAsync(context, client, node).ConfigureAwait(false);
                action = NodeAction.Started;
                break;
            case PlannedAction.Create or PlannedAction.Upgrade or PlannedAction.Start or PlannedAction.Update or PlannedAction.Replace:
                // declined: nothing more happens to this node
                return (NodeAction.Skipped, 0, 0);
        }

        step("pre-node-sync", 40);
        await hooks.RunAsync(HookEvents.PreNodeSync, HookSelection.ForNodeEvent(HookEvents.PreNodeSync, project, group.Spec, spec),
            Array.Empty<(LxdNode, LxdGroup)>(), group.Spec).ConfigureAwait(false);
        CompileTemplates(context, ConfigTemplateLevel.Node, group.Spec, spec);
        var files = 0;
        for (var i = 0; i < node.Files.Count; i++)
        {
            var file = node.Files[i];
            host.Log(DeployLogLevel.Verbose, $"[{node.Node}] [{i + 1}/{node.Files.Count}] {file.Destination}");
            step($"sync [{i + 1}/{node.Files.Count}] {file.Destination}", 50 + (40 * i / node.Files.Count));
            var pushed = await client.Files.PushRecursiveAsync(node.Node, file.Source, file.Destination, null, token).ConfigureAwait(false);
            files += pushed.Steps.Count(s => s.Kind == RecursivePushStepKind.File);
        }

        step("post-node-sync", 90);
        await hooks.RunAsync(HookEvents.PostNodeSync, HookSelection.ForNodeEvent(HookEvents.PostNodeSync, project, group.Spec, spec),
            Array.Empty<(LxdNode, LxdGroup)>(), group.Spec).ConfigureAwait(false);
        return (action, files, counted.Value);
    }

    private static async Task CreateNodeAsync(DeployContext context, HookRunner hooks, LxdClient client, LxdGroup group, NodePlan node)
    {
        var token = context.CancellationToken;
        var host = context.Host;
        await hooks.RunAsync(HookEvents.PreNodeCreation, HookSelection.ForNodeEvent(HookEvents.PreNodeCreation, context.Project, group, node.Spec),
            Array.Empty<(LxdNode, LxdGroup)>(), group).ConfigureAwait(false);
        var image = node.Image ?? throw new DeployException($"Node {node.Node}: the plan has no image to create it from.", node.Node);
        host.Log(DeployLogLevel.Information, $"Creating {node.Node} on {client.DisplayName} from {image}.");
        // What the spec wants; the plan's Config and Profiles show the server's for an existing node.
        var desired = node.Desired ?? DesiredInstance.Of(group, node.Spec, image.Fingerprint);
        await client.Instances.CreateAsync(new LxdInstanceCreateRequest
        {
            Name = node.Node,
            Source = LxdInstances.LocalSource(image.Fingerprint),
            Config = new Dictionary<string, string>(desired.Config, StringComparer.Ordinal),
            Profiles = desired.Profiles.ToList(),
            Devices = desired.Devices.ToDictionary(d => d.Key, d => d.Value.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal),
                StringComparer.Ordinal),
            Ephemeral = desired.Ephemeral,
        }, token).ConfigureAwait(false);
        await client.Instances.StartAsync(node.Node, token).ConfigureAwait(false);
        host.Log(DeployLogLevel.Verbose, $"Started {node.Node}.");
        await WaitIpAsync(context, client, node).ConfigureAwait(false);
        await hooks.RunAsync(HookEvents.PostNodeCreation, HookSelection.ForNodeEvent(HookEvents.PostNodeCreation, context.Project, group, node.Spec),
            Array.Empty<(LxdNode, LxdGroup)>(), group).ConfigureAwait(false);
    }

    /// <summary>The node's <c>wait_ip</c>, when it has one: its hooks wait until the container has an IPv4 address.</summary>
    private static async Task WaitIpAsync(DeployContext context, LxdClient client, NodePlan node)
    {
        if (node.Spec.WaitIp <= 0)
        {
            return;
        }

        var timeout = context.Options.WaitIpOverride ?? TimeSpan.FromSeconds(node.Spec.WaitIp);
        var address = await WaitForIPv4Async(client, node.Node, timeout, context.CancellationToken).ConfigureAwait(false);
        context.Host.Log(DeployLogLevel.Verbose, $"{node.Node} has the address {address}.");
    }

    /// <summary>Polls the state (with growing intervals) until a global IPv4 shows; a timeout is an error (lxd-compose bug #13).</summary>
    internal static async Task<string> WaitForIPv4Async(LxdClient client, string instance, TimeSpan timeout, CancellationToken token)
    {
        var deadline = Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            var state = await client.Instances.GetStateAsync(instance, token).ConfigureAwait(false);
            if (state.GlobalIPv4Addresses().FirstOrDefault() is { } address)
            {
                return address;
            }

            if (deadline.Elapsed >= timeout)
            {
                throw new DeployException(
                    $"Node {instance} got no IPv4 address within {timeout.TotalSeconds:0} s (wait_ip); check its network (profile, bridge, DHCP).",
                    instance, null, DeployProblem.Timeout);
            }

            await Task.Delay(delay, token).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(1000, delay.TotalMilliseconds * 1.5));
        }
    }

    private static async Task CreateResourcesAsync(LxdClient client, GroupPlan plan, IDeployHost host, CancellationToken token)
    {
        // The plan is made per group before anything runs; an earlier group on the same server may have created the
        // same resource since, so only what is still missing is created.
        foreach (var pool in plan.StoragePoolsToCreate)
        {
            if (await client.StoragePools.ExistsAsync(pool.Name, token).ConfigureAwait(false))
            {
                continue;
            }

            host.Log(DeployLogLevel.Information, $"Creating storage pool {pool.Name} on {client.DisplayName}.");
            await client.StoragePools.CreateAsync(new Lxd.Api.ServerStoragePool
            {
                Name = pool.Name, Driver = pool.Driver, Description = pool.Description, Config = pool.Config.ToDictionary(e => e.Key, e => e.Value),
            }, token).ConfigureAwait(false);
        }

        foreach (var network in plan.NetworksToCreate)
        {
            if (await client.Networks.ExistsAsync(network.Name, token).ConfigureAwait(false))
            {
                continue;
            }

            host.Log(DeployLogLevel.Information, $"Creating network {network.Name} on {client.DisplayName}.");
            await client.Networks.CreateAsync(new Lxd.Api.ServerNetwork
            {
                Name = network.Name, Type = network.Type, Description = network.Description,
                Config = network.Config.ToDictionary(e => e.Key, e => e.Value),
            }, token).ConfigureAwait(false);
        }

        foreach (var profile in plan.ProfilesToCreate)
        {
            if (await client.Profiles.ExistsAsync(profile.Name, token).ConfigureAwait(false))
            {
                continue;
            }

            host.Log(DeployLogLevel.Information, $"Creating profile {profile.Name} on {client.DisplayName}.");
            await client.Profiles.CreateAsync(new Lxd.Api.ServerProfile
            {
                Name = profile.Name, Description = profile.Description, Config = profile.Config.ToDictionary(e => e.Key, e => e.Value),
                Devices = profile.Devices.ToDictionary(d => d.Key, d => d.Value.ToDictionary(e => e.Key, e => e.Value)),
            }, token).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Compiles the config templates of one level with the variables as they are now (out2var values included). Only
    /// projects with templates need a template engine.
    /// </summary>
    private void CompileTemplates(DeployContext context, ConfigTemplateLevel level, LxdGroup? group, LxdNode? node)
    {
        var project = context.Project;
        var has = level switch
        {
            ConfigTemplateLevel.Project => project.ConfigTemplates.Count > 0,
            ConfigTemplateLevel.Group => group!.ConfigTemplates.Count > 0,
            _ => node!.ConfigTemplates.Count > 0,
        };
        if (!has)
        {
            return;
        }

        var compiler = new ConfigTemplateCompiler(_specs, new ConfigTemplateCompileOptions
        {
            ExtraVars = context.ExtraBlocks,
            EnabledGroups = group is null ? Array.Empty<string>() : new[] { group.Name },
        });
        var stage = compiler.Plan(project).FirstOrDefault(s => s.Level == level
            && (group is null || s.Jobs.All(j => j.Group == group.Name))
            && (node is null || s.Jobs.All(j => j.Node == node.Name)));
        if (stage is null)
        {
            return;
        }

        foreach (var outcome in compiler.Run(stage, null, context.CancellationToken))
        {
            if (outcome.Error is { } error)
            {
                throw error;
            }

            context.Host.Log(DeployLogLevel.Verbose, $"Compiled {outcome.Job.Source} -> {outcome.Job.Destination}.");
        }
    }

    private static async Task<NodeResult> ResultAsync(LxdClient client, NodePlan node, NodeAction action, int hooksRun, int files,
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

    /// <summary>The action text <see cref="IDeployHost.ShouldProcess"/> is asked with for a node's planned action.</summary>
    public static string ActionText(PlannedAction action) => action switch
    {
        PlannedAction.Create => "Create and start the instance",
        PlannedAction.Upgrade => "Delete and recreate the instance (upgrade)",
        PlannedAction.Start => "Start the instance",
        PlannedAction.Update => "Update the instance in place",
        PlannedAction.Replace => "Delete and recreate the instance (replace)",
        _ => "Sync the instance",
    };

    /// <summary>The action text for a node: an update or a replace names the fields that differ.</summary>
    public static string ActionText(NodePlan node) => node.Action is PlannedAction.Update or PlannedAction.Replace && node.Changes.Count > 0
        ? $"{ActionText(node.Action)}: {string.Join(", ", node.Changes.Select(c => c.Field))}"
        : ActionText(node.Action);

    private static string ReplaceReasons(NodePlan node) =>
        node.Action == PlannedAction.Replace && node.Changes.Where(c => !c.InPlace).Select(c => $"{c} ({c.ReplaceReason})").ToList() is { Count: > 0 } reasons
            ? ": " + string.Join("; ", reasons)
            : string.Empty;

    internal static IEnumerable<TargetedHook> Targeted(IEnumerable<LxdHook> hooks) => hooks.Select(h => new TargetedHook(h, HookTarget.Of(h)));
}
