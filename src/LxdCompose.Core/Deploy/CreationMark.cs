using LxdCompose.Lxd;
using LxdCompose.Lxd.Api;

namespace LxdCompose.Deploy;

/// <summary>
/// The mark of a creation that has not finished: apply creates every instance with <see cref="Key"/> set and removes it
/// once the creation hooks (post-node-creation, and post-node-upgrade for an upgrade) have succeeded. An instance that
/// still has it was left by a failed hook, Ctrl+C or a lost server; the next plan resumes or replaces it.
/// </summary>
public static class CreationMark
{
    /// <summary>The instance config key; its value says which creation did not finish.</summary>
    public const string Key = "user.lxdcompose.creation";

    /// <summary>Set by a creation (<see cref="PlannedAction.Create"/>, resume of one).</summary>
    public const string Create = "create";

    /// <summary>Set by the creation of an upgrade: post-node-upgrade is still due after post-node-creation.</summary>
    public const string Upgrade = "upgrade";

    /// <summary>The mark's value on <paramref name="instance"/>, or null when its creation finished.</summary>
    public static string? Of(LxdInstance instance) => instance.Config.TryGetValue(Key, out var value) ? value : null;

    /// <summary>Whether a marked instance can be resumed: it is running, or stopped so apply can start it.</summary>
    public static bool CanResume(LxdInstance instance) =>
        instance.IsRunning || string.Equals(instance.Status, "Stopped", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Removes the mark (PUT of the instance as read, without the key, guarded by its ETag so a concurrent change is
    /// not overwritten: a conflict fails the node, and the mark stays for the next plan).
    /// </summary>
    public static async Task ClearAsync(ILxdServer server, string instance, CancellationToken cancellationToken)
    {
        var current = await server.Instances.GetVersionedAsync(instance, cancellationToken).ConfigureAwait(false);
        if (!current.Value.Config.Remove(Key))
        {
            return;
        }

        await server.Instances.UpdateAsync(instance, current.Value, cancellationToken, current.ETag).ConfigureAwait(false);
    }
}
