using LxdCompose.Lxd;
using LxdCompose.Lxd.Api;
using LxdCompose.Specs;

namespace LxdCompose.Deploy;

/// <summary>
/// A node's creation sequence (lxd-compose's order): pre-node-creation, create + start, wait_ip, post-node-creation;
/// an upgrade wraps it in pre-node-upgrade + delete and post-node-upgrade. The instance carries the
/// <see cref="CreationMark"/> from its creation until those hooks succeeded; a resume runs what a marked instance
/// still lacks.
/// </summary>
internal static class NodeCreateStep
{
    public static async Task CreateAsync(ApplyRun run, ILxdServer server, LxdGroup group, NodePlan node, string mark = CreationMark.Create)
    {
        await run.RunNodeHooksAsync(HookEvents.PreNodeCreation, group, node.Spec).ConfigureAwait(false);
        var image = node.Image ?? throw new DeployException($"Node {node.Node}: the plan has no image to create it from.", node.Node);
        run.Host.Log(DeployLogLevel.Information, $"Creating {node.Node} on {server.DisplayName} from {image}.");
        // What the spec wants; the plan's Config and Profiles show the server's for an existing node.
        var desired = node.Desired ?? DesiredInstance.Of(group, node.Spec);
        var config = new Dictionary<string, string>(desired.Config, StringComparer.Ordinal)
        {
            [CreationMark.Key] = mark,
            [InstanceDriftDetector.ImageSourceKey] = node.Spec.ImageSource,
        };
        await server.Instances.CreateAsync(new LxdInstanceCreateRequest
        {
            Name = node.Node,
            Source = LxdInstances.LocalSource(image.Fingerprint),
            Config = config,
            Profiles = desired.Profiles.ToList(),
            Devices = desired.Devices.ToDictionary(d => d.Key, d => d.Value.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal),
                StringComparer.Ordinal),
            Ephemeral = desired.Ephemeral,
        }, run.Token).ConfigureAwait(false);
        await server.Instances.StartAsync(node.Node, run.Token).ConfigureAwait(false);
        run.Host.Log(DeployLogLevel.Verbose, $"Started {node.Node}.");
        await RecordingKnownFailuresAsync(run, server, node, async () =>
        {
            await InstanceAddress.WaitAsync(run.Context, server, node).ConfigureAwait(false);
            await run.RunNodeHooksAsync(HookEvents.PostNodeCreation, group, node.Spec).ConfigureAwait(false);
        }).ConfigureAwait(false);
        if (mark == CreationMark.Create)
        {
            await CreationMark.ClearAsync(server, node.Node, run.Token).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// An upgrade, or a replace (the same steps: the upgrade hooks are the project's code for a re-creation). The replace
    /// of an unfinished creation runs only what that creation still owed: no pre-node-upgrade (the node never was
    /// complete), post-node-upgrade only when an upgrade left it.
    /// </summary>
    public static async Task UpgradeAsync(ApplyRun run, ILxdServer server, LxdGroup group, NodePlan node)
    {
        if (node.Unfinished is { } phase)
        {
            run.Host.Log(DeployLogLevel.Information, $"Deleting {node.Node} on {server.DisplayName}: its creation did not finish; creating it again.");
            await server.Instances.DeleteAsync(node.Node, run.Token).ConfigureAwait(false);
            await CreateAsync(run, server, group, node, phase).ConfigureAwait(false);
            if (phase == CreationMark.Upgrade)
            {
                await RecordingKnownFailuresAsync(run, server, node,
                    () => run.RunNodeHooksAsync(HookEvents.PostNodeUpgrade, group, node.Spec)).ConfigureAwait(false);
                await CreationMark.ClearAsync(server, node.Node, run.Token).ConfigureAwait(false);
            }

            return;
        }

        var instance = await server.Instances.TryGetAsync(node.Node, run.Token).ConfigureAwait(false);
        if (instance is { IsRunning: true })
        {
            await run.RunNodeHooksAsync(HookEvents.PreNodeUpgrade, group, node.Spec).ConfigureAwait(false);
        }

        run.Host.Log(node.Action == PlannedAction.Replace ? DeployLogLevel.Information : DeployLogLevel.Verbose,
            $"Deleting {node.Node} on {server.DisplayName} to recreate it{ReplaceReasons(node)}.");
        await server.Instances.DeleteAsync(node.Node, run.Token).ConfigureAwait(false);
        await CreateAsync(run, server, group, node, CreationMark.Upgrade).ConfigureAwait(false);
        await RecordingKnownFailuresAsync(run, server, node, () => run.RunNodeHooksAsync(HookEvents.PostNodeUpgrade, group, node.Spec))
            .ConfigureAwait(false);
        await CreationMark.ClearAsync(server, node.Node, run.Token).ConfigureAwait(false);
    }

    /// <summary>
    /// An unfinished creation: start it when it is not running, wait_ip, post-node-creation (and post-node-upgrade when
    /// an upgrade left it), then the mark goes.
    /// </summary>
    public static async Task ResumeAsync(ApplyRun run, ILxdServer server, LxdGroup group, NodePlan node)
    {
        var instance = await server.Instances.GetAsync(node.Node, run.Token).ConfigureAwait(false);
        run.Host.Log(DeployLogLevel.Information, $"Finishing the creation of {node.Node} on {server.DisplayName}.");
        if (!instance.IsRunning)
        {
            await server.Instances.StartAsync(node.Node, run.Token).ConfigureAwait(false);
        }

        await RecordingKnownFailuresAsync(run, server, node, async () =>
        {
            await InstanceAddress.WaitAsync(run.Context, server, node).ConfigureAwait(false);
            await run.RunNodeHooksAsync(HookEvents.PostNodeCreation, group, node.Spec).ConfigureAwait(false);
            if (node.ResumesUpgrade)
            {
                await run.RunNodeHooksAsync(HookEvents.PostNodeUpgrade, group, node.Spec).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
        await CreationMark.ClearAsync(server, node.Node, run.Token).ConfigureAwait(false);
    }

    /// <summary>Runs creation steps of a marked instance; a failure whose end is known is recorded on the mark (resumable).</summary>
    private static async Task RecordingKnownFailuresAsync(ApplyRun run, ILxdServer server, NodePlan node, Func<Task> steps)
    {
        try
        {
            await steps().ConfigureAwait(false);
        }
        catch (Exception e) when (CreationMark.IsKnownEnd(e) && !run.Token.IsCancellationRequested)
        {
            await CreationMark.RecordKnownFailureAsync(server, node.Node, run.Host, run.Token).ConfigureAwait(false);
            throw;
        }
    }

    private static string ReplaceReasons(NodePlan node) =>
        node.Action == PlannedAction.Replace && node.Changes.Where(c => !c.InPlace).Select(c => $"{c} ({c.ReplaceReason})").ToList() is { Count: > 0 } reasons
            ? ": " + string.Join("; ", reasons)
            : string.Empty;

    public static async Task StartAsync(ApplyRun run, ILxdServer server, NodePlan node)
    {
        run.Host.Log(DeployLogLevel.Verbose, $"Starting {node.Node} on {server.DisplayName}.");
        await server.Instances.StartAsync(node.Node, run.Token).ConfigureAwait(false);
        // Its hooks are about to run in a container that has just booted, as after a creation.
        await InstanceAddress.WaitAsync(run.Context, server, node).ConfigureAwait(false);
    }
}
