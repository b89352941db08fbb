using LxdCompose.Lxd;
using LxdCompose.Lxd.Api;

namespace LxdCompose.Deploy;

/// <summary>
/// The mark of a creation that has not finished: apply creates every instance with <see cref="Key"/> set and removes it
/// once the creation hooks (post-node-creation, and post-node-upgrade for an upgrade) have succeeded. When a step fails
/// in a way whose end is known (a hook exited non-zero or was killed at its timeout, wait_ip ran out) the value gets
/// <see cref="FailedSuffix"/>: nothing of the creation still runs, so the next plan resumes it in place. A mark without it
/// was left by Ctrl+C, a frozen or dead server or a killed process: a hook may still be running in the container, or
/// have half run, so the next plan replaces the instance (deleted and created again).
/// </summary>
public static class CreationMark
{
    /// <summary>The instance config key; its value says which creation did not finish.</summary>
    public const string Key = "user.lxdcompose.creation";

    /// <summary>Set by a creation (<see cref="PlannedAction.Create"/>, resume of one).</summary>
    public const string Create = "create";

    /// <summary>Set by the creation of an upgrade: post-node-upgrade is still due after post-node-creation.</summary>
    public const string Upgrade = "upgrade";

    /// <summary>Appended to the value when the creation stopped at a failure whose end is known.</summary>
    public const string FailedSuffix = ":failed";

    /// <summary>The mark's value on <paramref name="instance"/>, or null when its creation finished.</summary>
    public static string? Of(LxdInstance instance) => instance.Config.TryGetValue(Key, out var value) ? value : null;

    /// <summary>Which creation a mark's value belongs to: <see cref="Create"/> or <see cref="Upgrade"/>.</summary>
    public static string PhaseOf(string mark) => mark.EndsWith(FailedSuffix, StringComparison.Ordinal) ? mark[..^FailedSuffix.Length] : mark;

    /// <summary>
    /// Whether a marked instance can be resumed in place: its creation stopped at a known failure (nothing of it still
    /// runs), and it is running or stopped so apply can start it.
    /// </summary>
    public static bool CanResume(LxdInstance instance) =>
        Of(instance) is { } mark && mark.EndsWith(FailedSuffix, StringComparison.Ordinal)
        && (instance.IsRunning || string.Equals(instance.Status, "Stopped", StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether <paramref name="failure"/> ends a creation step in a known way (see the class comment).</summary>
    public static bool IsKnownEnd(Exception failure) =>
        failure is HookFailedException or HookTimeoutException || failure is DeployException { Problem: DeployProblem.Timeout, InnerException: null };

    /// <summary>
    /// Records on the instance that its creation stopped at a known failure, so the next plan resumes it. Best effort:
    /// when the server cannot take it, the mark stays as it is and the next plan replaces the instance.
    /// </summary>
    public static async Task RecordKnownFailureAsync(ILxdServer server, string instance, IDeployHost host, CancellationToken cancellationToken)
    {
        try
        {
            var current = await server.Instances.GetVersionedAsync(instance, cancellationToken).ConfigureAwait(false);
            if (Of(current.Value) is not { } mark || mark.EndsWith(FailedSuffix, StringComparison.Ordinal))
            {
                return;
            }

            current.Value.Config[Key] = mark + FailedSuffix;
            await server.Instances.UpdateAsync(instance, current.Value, cancellationToken, current.ETag).ConfigureAwait(false);
        }
        catch (Exception e) when (e is LxdException or OperationCanceledException)
        {
            host.Log(DeployLogLevel.Verbose, $"{instance}: its creation mark was not updated ({e.Message}); the next plan replaces it.");
        }
    }

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
