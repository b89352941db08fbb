using System.Diagnostics;
using LxdCompose.Loading;
using LxdCompose.Lxd;
using LxdCompose.Specs;

namespace LxdCompose.Deploy;

/// <summary>What a command run in a node (lxd-compose <c>node exec</c>) did.</summary>
public sealed class NodeExecResult
{
    public string Project { get; init; } = string.Empty;
    public string Group { get; init; } = string.Empty;
    /// <summary>The instance name.</summary>
    public string Node { get; init; } = string.Empty;
    public string Remote { get; init; } = string.Empty;
    public string Command { get; init; } = string.Empty;
    public int ExitCode { get; init; }
    public string Stdout { get; init; } = string.Empty;
    public string Stderr { get; init; } = string.Empty;
    public TimeSpan Duration { get; init; }

    public bool Succeeded => ExitCode == 0;

    public override string ToString() => $"{Node}: {Command} -> {ExitCode}";
}

/// <summary>A file or tree pushed into a node (lxd-compose <c>node push</c>).</summary>
public sealed class NodeFileCopyResult
{
    public string Project { get; init; } = string.Empty;
    public string Group { get; init; } = string.Empty;
    /// <summary>The instance name.</summary>
    public string Node { get; init; } = string.Empty;
    public string Remote { get; init; } = string.Empty;
    /// <summary>The host path, as given.</summary>
    public string Source { get; init; } = string.Empty;
    public string Destination { get; init; } = string.Empty;
    public int Files { get; init; }
    public int Directories { get; init; }
    public int Symlinks { get; init; }

    public override string ToString() => $"{Source} -> {Node}:{Destination}";
}

/// <summary>An instance on a server (lxd-compose <c>node list</c>), with the spec node it is when the specs know it.</summary>
public sealed class ServerInstance
{
    public string Name { get; init; } = string.Empty;
    /// <summary>The remote the instance was read from.</summary>
    public string Remote { get; init; } = string.Empty;
    public string Status { get; init; } = string.Empty;
    /// <summary><c>container</c> or <c>virtual-machine</c>.</summary>
    public string Type { get; init; } = string.Empty;
    public IReadOnlyList<string> IPv4 { get; init; } = Array.Empty<string>();
    public IReadOnlyList<string> IPv6 { get; init; } = Array.Empty<string>();
    /// <summary>The spec project of the node this instance is; empty when the specs do not know it.</summary>
    public string Project { get; init; } = string.Empty;
    /// <summary>The spec group of the node this instance is; empty when the specs do not know it.</summary>
    public string Group { get; init; } = string.Empty;
    /// <summary>The spec node's name (without prefix); empty when the specs do not know it.</summary>
    public string NodeName { get; init; } = string.Empty;
    /// <summary>Whether a node of the specs is this instance (same instance name, a group on the same remote).</summary>
    public bool InSpecs { get; init; }
    /// <summary>The LXD project the instance lives in.</summary>
    public string LxdProject { get; init; } = string.Empty;
    public IReadOnlyList<string> Profiles { get; init; } = Array.Empty<string>();
    public DateTimeOffset CreatedAt { get; init; }

    public override string ToString() => $"{Remote}:{Name}";
}

/// <summary>
/// lxd-compose's <c>node exec</c>, <c>node push</c> and <c>node list</c> for nodes of the specs: exec runs through the
/// hook runner (entrypoint, variables, limits as a hook command), push with the sync step's secret rule.
/// </summary>
public sealed class NodeCommands
{
    /// <summary>The event name of output lines and failures of a command run with <see cref="ExecAsync"/>.</summary>
    public const string ExecEvent = "exec";

    private readonly SpecSet _specs;
    private readonly LxdConnections _connections;

    public NodeCommands(SpecSet specs, LxdConnections connections)
    {
        _specs = specs;
        _connections = connections;
    }

    /// <summary>
    /// Runs <paramref name="command"/> in the node as a hook command (the node's entrypoint, the project's variables as
    /// hooks get them, <see cref="DeployOptions.HookTimeout"/>); a non-zero exit code is in the result, not thrown.
    /// </summary>
    public async Task<NodeExecResult> ExecAsync(LxdProject project, LxdGroup group, LxdNode node, string command, DeployOptions options,
        bool streamOutput, IDeployHost host, CancellationToken cancellationToken)
    {
        var context = new DeployContext(_specs, project, options, _connections, host, cancellationToken);
        var asHook = new LxdHook { Event = ExecEvent, Node = node.InstanceName, Commands = new[] { command }, Location = node.Location };
        var clock = Stopwatch.StartNew();
        var (code, stdout, stderr) = await new HookRunner(context).ExecAsync(asHook, node, group, streamOutput).ConfigureAwait(false);
        return new NodeExecResult
        {
            Project = project.Name,
            Group = group.Name,
            Node = node.InstanceName,
            Remote = _connections.RemoteNameOf(group),
            Command = command,
            ExitCode = code,
            Stdout = stdout,
            Stderr = stderr,
            Duration = clock.Elapsed,
        };
    }

    /// <summary>
    /// Pushes a host file or tree into the node as <c>lxc file push -r -p</c> does (<see cref="RecursivePushPlanner"/>):
    /// a file holding a secret value of the specs goes without group and other bits.
    /// </summary>
    public async Task<NodeFileCopyResult> CopyAsync(LxdProject project, LxdGroup group, LxdNode node, string source, string destination,
        IDeployHost host, CancellationToken cancellationToken)
    {
        var server = _connections.ForGroup(group);
        var options = new RecursivePushOptions { FileMode = (path, mode) => PushedFileModes.WithoutSecretsShown(_specs.Secrets, path, mode) };
        var progress = new Progress<RecursivePushStep>(step => host.Log(DeployLogLevel.Verbose, $"[{node.InstanceName}] {step.Kind} {step.TargetPath}"));
        var plan = await server.Files.PushRecursiveAsync(node.InstanceName, source, destination, options, cancellationToken, progress)
            .ConfigureAwait(false);
        return new NodeFileCopyResult
        {
            Project = project.Name,
            Group = group.Name,
            Node = node.InstanceName,
            Remote = _connections.RemoteNameOf(group),
            Source = source,
            Destination = destination,
            Files = plan.Steps.Count(s => s.Kind == RecursivePushStepKind.File),
            Directories = plan.Steps.Count(s => s.Kind == RecursivePushStepKind.Directory),
            Symlinks = plan.Steps.Count(s => s.Kind == RecursivePushStepKind.Symlink),
        };
    }

    /// <summary>
    /// The instances on <paramref name="remotes"/> (each once, in order), each matched with the node of
    /// <paramref name="projects"/> it is: same instance name, and a group whose connection reaches the same remote.
    /// </summary>
    public async Task<IReadOnlyList<ServerInstance>> ListAsync(IReadOnlyList<LxdProject> projects, IReadOnlyList<string> remotes,
        CancellationToken cancellationToken)
    {
        var nodes = projects.SelectMany(p => p.Groups.SelectMany(g => g.Nodes.Select(n => (Project: p, Group: g, Node: n))))
            .GroupBy(e => (Remote: _connections.RemoteNameOf(e.Group), e.Node.InstanceName))
            .ToDictionary(e => e.Key, e => e.First());
        var listed = new List<ServerInstance>();
        foreach (var remote in remotes.Distinct(StringComparer.Ordinal))
        {
            var server = _connections.ForRemote(remote);
            foreach (var instance in (await server.Instances.ListWithStateAsync(cancellationToken).ConfigureAwait(false)).OrderBy(i => i.Name, StringComparer.Ordinal))
            {
                var known = nodes.TryGetValue((remote, instance.Name), out var node);
                listed.Add(new ServerInstance
                {
                    Name = instance.Name,
                    Remote = remote,
                    Status = instance.Status,
                    Type = instance.Type,
                    IPv4 = instance.State?.GlobalIPv4Addresses().ToList() ?? new List<string>(),
                    IPv6 = instance.State?.GlobalIPv6Addresses().ToList() ?? new List<string>(),
                    Project = known ? node.Project.Name : string.Empty,
                    Group = known ? node.Group.Name : string.Empty,
                    NodeName = known ? node.Node.Name : string.Empty,
                    InSpecs = known,
                    LxdProject = instance.Project.Length > 0 ? instance.Project : server.Project ?? "default",
                    Profiles = instance.Profiles,
                    CreatedAt = instance.CreatedAt,
                });
            }
        }

        return listed;
    }

    /// <summary>
    /// lxd-compose <c>node sync</c>: the node's config templates compiled and its sync_resources pushed as apply's sync
    /// step does them; pre- and post-node-sync hooks only with <paramref name="runHooks"/>. The node must exist.
    /// </summary>
    public async Task<NodeResult> SyncAsync(LxdProject project, LxdGroup group, LxdNode node, DeployOptions options, bool runHooks, IDeployHost host,
        CancellationToken cancellationToken)
    {
        var (run, groupPlan, nodePlan) = await PlanNodeAsync(project, group, node, options, runHooks, host, cancellationToken, plan =>
            new[] { ApplyPlanItems.Node(plan.Node), ApplyPlanItems.Templates(project, plan.Node.Templates, plan.Node) }).ConfigureAwait(false);
        if (nodePlan.CurrentState == "Absent")
        {
            throw new DeployException($"Node {node.InstanceName} does not exist on {groupPlan.Remote}: create it first (New-LxdNode, Invoke-LxdApply).",
                node.InstanceName, problem: DeployProblem.NotFound);
        }

        var server = _connections.ForGroup(group);
        var counted = run.Hooks.StartCounting();
        var clock = Stopwatch.StartNew();
        var files = await NodeSyncStep.SyncAsync(run, server, group, nodePlan, Step(host, nodePlan)).ConfigureAwait(false);
        return await ResultAsync(server, nodePlan, NodeAction.Synced, counted.Value, files, clock.Elapsed, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// lxd-compose <c>node create</c>: the node created as apply creates it (declared profiles, networks and pools it
    /// lacks, its image, create and start, wait_ip), its pre- and post-node-creation hooks only with
    /// <paramref name="runHooks"/>; no sync. A node that exists is left alone (Unchanged).
    /// </summary>
    public async Task<NodeResult> CreateAsync(LxdProject project, LxdGroup group, LxdNode node, DeployOptions options, bool runHooks, IDeployHost host,
        CancellationToken cancellationToken)
    {
        var (run, groupPlan, nodePlan) = await PlanNodeAsync(project, group, node, options, runHooks, host, cancellationToken, plan =>
            new[] { ApplyPlanItems.Node(plan.Node) }
                .Concat(plan.Node.Image is { } image && plan.Group.ImagesToCopy.Contains(image) ? new[] { ApplyPlanItems.Image(plan.Group.Remote, image) } : Array.Empty<PlanItem>())
                .Concat(plan.Group.StoragePoolsToCreate.Select(p => ApplyPlanItems.StoragePool(plan.Group, p)))
                .Concat(plan.Group.NetworksToCreate.Select(n => ApplyPlanItems.Network(plan.Group, n)))
                .Concat(plan.Group.ProfilesToCreate.Select(p => ApplyPlanItems.Profile(plan.Group, p)))).ConfigureAwait(false);
        var server = _connections.ForGroup(group);
        if (nodePlan.Action != PlannedAction.Create)
        {
            host.Log(DeployLogLevel.Warning, $"Node {node.InstanceName} exists on {groupPlan.Remote} ({nodePlan.CurrentState}): left as it is.");
            return await ResultAsync(server, nodePlan, NodeAction.Unchanged, 0, 0, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        }

        var counted = run.Hooks.StartCounting();
        var clock = Stopwatch.StartNew();
        await GroupResourcesStep.CreateAsync(run, server, groupPlan).ConfigureAwait(false);
        await ImageCopyStep.CopyAsync(run, server, groupPlan).ConfigureAwait(false);
        await NodeCreateStep.CreateAsync(run, server, group, nodePlan).ConfigureAwait(false);
        return await ResultAsync(server, nodePlan, NodeAction.Created, counted.Value, 0, clock.Elapsed, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Plans the node's group (reading its server) and makes a run that approves only <paramref name="items"/> of it.</summary>
    private async Task<(ApplyRun Run, GroupPlan Group, NodePlan Node)> PlanNodeAsync(LxdProject project, LxdGroup group, LxdNode node,
        DeployOptions options, bool runHooks, IDeployHost host, CancellationToken cancellationToken,
        Func<(GroupPlan Group, NodePlan Node), IEnumerable<PlanItem?>> items)
    {
        var narrowed = options with { Groups = new GroupFilter(new[] { System.Text.RegularExpressions.Regex.Replace(group.Name, @"[*?\[\]`]", "`$0") }) };
        var plan = await new ApplyPlanner(_specs, _connections).PlanAsync(project, narrowed, host, cancellationToken).ConfigureAwait(false);
        var groupPlan = plan.Groups.Single(g => ReferenceEquals(g.Spec, group) || g.Spec.Name == group.Name);
        var nodePlan = groupPlan.Nodes.Single(n => n.Node == node.InstanceName);
        var approval = PlanApproval.All(items((groupPlan, nodePlan)).OfType<PlanItem>());
        var run = new ApplyRun(new DeployContext(_specs, project, plan.Options, _connections, host, cancellationToken), approval) { RunsNodeHooks = runHooks };
        return (run, groupPlan, nodePlan);
    }

    private static Action<string, int> Step(IDeployHost host, NodePlan node) =>
        (status, percent) => host.Progress(new DeployProgress(ApplyExecutor.ProjectActivity, -1, $"Node {node.Node}", status, percent));

    private static async Task<NodeResult> ResultAsync(ILxdServer server, NodePlan node, NodeAction action, int hooksRun, int files, TimeSpan duration,
        CancellationToken cancellationToken)
    {
        var state = await server.Instances.GetStateAsync(node.Node, cancellationToken).ConfigureAwait(false);
        return new NodeResult
        {
            Project = node.Project, Group = node.Group, Node = node.Node, Remote = node.Remote, Action = action, State = state.Status,
            IPv4 = state.GlobalIPv4Addresses().FirstOrDefault(), HooksRun = hooksRun, FilesSynced = files, Duration = duration,
        };
    }

    /// <summary>The remotes the groups of <paramref name="projects"/> use, in spec order, each once.</summary>
    public IReadOnlyList<string> RemotesOf(IEnumerable<LxdProject> projects) =>
        projects.SelectMany(p => p.Groups).Select(_connections.RemoteNameOf).Distinct(StringComparer.Ordinal).ToList();
}

/// <summary>The mode a file pushed into a node gets (the sync step and Copy-LxdFile).</summary>
internal static class PushedFileModes
{
    /// <summary>A file holding a secret value of the specs loses its group and other bits (0644 becomes 0600).</summary>
    public static int WithoutSecretsShown(Security.SecretValues secrets, string localPath, int mode) =>
        secrets.FileReveals(localPath) ? mode & 0b111_000_000 : mode;
}
