using LxdCompose.Lxd;
using LxdCompose.Lxd.Api;

namespace LxdCompose.Deploy;

/// <summary>
/// <see cref="PlannedAction.Update"/>: makes an existing instance match the spec in place. The instance is read again
/// and diffed (it may have changed since the plan), then written back whole with PUT and the ETag it was read with, so
/// keys and devices the spec does not have really go away, the server's own keys (<c>volatile.*</c>, <c>image.*</c>,
/// <c>user.lxdcompose.*</c>) are kept, and a change made by someone else in between fails the update instead of being
/// overwritten.
/// </summary>
internal static class InstanceUpdateStep
{
    /// <summary>Updates the instance; true when it is not running and must be started.</summary>
    public static async Task<bool> ApplyAsync(ILxdServer client, NodePlan node, IDeployHost host, CancellationToken cancellationToken)
    {
        var desired = node.Desired ?? throw new DeployException($"Node {node.Node}: the plan has no spec to update it to.", node.Node);
        var current = await client.Instances.GetVersionedAsync(node.Node, cancellationToken).ConfigureAwait(false);
        var live = current.Value;
        var drift = InstanceDriftDetector.Compare(desired, live);
        if (drift.NeedsReplace)
        {
            throw new DeployException(
                $"Node {node.Node} changed on {client.DisplayName} since the plan: {string.Join("; ", drift.Changes.Where(c => !c.InPlace))} " +
                "cannot be changed in place; run the apply again to replace it.", node.Node, null, DeployProblem.Failed);
        }

        if (!drift.IsEmpty)
        {
            host.Log(DeployLogLevel.Information, $"Updating {node.Node} on {client.DisplayName}: {string.Join("; ", drift.Changes)}.");
            await client.Instances.UpdateAsync(node.Node, Updated(desired, live), cancellationToken, current.ETag).ConfigureAwait(false);
        }

        return !live.IsRunning;
    }

    /// <summary>The instance as the spec wants it, keeping what the server and the engine keep on it.</summary>
    public static LxdInstance Updated(DesiredInstance desired, LxdInstance live)
    {
        var config = live.Config.Where(e => InstanceDriftDetector.IsIgnoredConfigKey(e.Key)).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        foreach (var (key, value) in desired.Config.Where(e => !InstanceDriftDetector.IsIgnoredConfigKey(e.Key)))
        {
            config[key] = value;
        }

        return new LxdInstance
        {
            Name = live.Name,
            Architecture = live.Architecture,
            Description = live.Description,
            Stateful = live.Stateful,
            Config = config,
            Devices = desired.Devices.ToDictionary(d => d.Key, d => d.Value.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal), StringComparer.Ordinal),
            Profiles = desired.Profiles.ToList(),
            Ephemeral = desired.Ephemeral,
        };
    }
}
