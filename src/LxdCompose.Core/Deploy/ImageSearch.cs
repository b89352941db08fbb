using System.Collections.Concurrent;
using LxdCompose.Lxd;
using LxdCompose.Lxd.Config;
using LxdCompose.Lxd.Simplestreams;
using LxdCompose.Lxd.Transport;

namespace LxdCompose.Deploy;

/// <summary>An image found on a remote, with what lxd-compose's FindImage compares across remotes.</summary>
/// <param name="Public">Whether the remote serves the image to anyone; a private one is pulled with a one-time secret.</param>
public sealed record RemoteImage(string Remote, string Address, string Protocol, string Fingerprint, DateTimeOffset? CreatedAt, bool Public = true);

/// <summary>What the P2P search found: the newest match, and the remotes it asked and could not reach.</summary>
public sealed record ImageSearchResult(RemoteImage? Newest, IReadOnlyList<string> Searched, IReadOnlyList<string> Unreachable);

/// <summary>
/// Looks <c>image_source</c> up on remotes, each (remote, image) once per run however many nodes and groups ask:
/// one named remote, or in P2P mode every remote of the client config at once, each with a short timeout so an
/// unreachable one costs a warning, not the run.
/// </summary>
internal sealed class ImageSearch
{
    private readonly LxdConnections _connections;
    private readonly ConcurrentDictionary<string, Lazy<Task<RemoteImage?>>> _lookups = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<ImageSearchResult>>> _searches = new(StringComparer.Ordinal);

    public ImageSearch(LxdConnections connections) => _connections = connections;

    /// <summary>The image on one remote (alias, then fingerprint), or null; a remote that fails throws.</summary>
    public Task<RemoteImage?> FindOnAsync(LxdRemoteConfig remote, string source, CancellationToken cancellationToken) =>
        _lookups.GetOrAdd($"{remote.Name}\n{source}", _ => new Lazy<Task<RemoteImage?>>(
            () => LookUpAsync(remote, source, new LxdTransportOptions(), () => _connections.ForRemote(remote.Name), cancellationToken))).Value;

    /// <summary>
    /// P2P mode: every candidate remote (<see cref="Candidates"/>) is asked in parallel; those that fail or time out are
    /// reported to <paramref name="host"/> as warnings and left out; the newest match wins (<see cref="Newest"/>).
    /// </summary>
    public Task<ImageSearchResult> FindNewestAsync(string source, DeployOptions options, IDeployHost host, CancellationToken cancellationToken) =>
        _searches.GetOrAdd(source, _ => new Lazy<Task<ImageSearchResult>>(
            () => SearchAllAsync(source, options, host, cancellationToken))).Value;

    /// <summary>
    /// The remotes the P2P search asks, in config order: all of them, except <c>local</c> when
    /// <c>lxd_local_disable</c> is set, and except remotes that are not image servers (<c>oci</c>).
    /// </summary>
    internal static IReadOnlyList<LxdRemoteConfig> Candidates(LxdClientConfig config, bool localDisable) =>
        config.Remotes.Values
            .Where(r => !(localDisable && r.Name == "local"))
            .Where(r => r.IsSimplestreams || r.IsApiServer)
            .ToList();

    /// <summary>
    /// lxd-compose's choice: the match with the newest <c>created_at</c>; on a tie the remote asked first (config order)
    /// keeps it. A match without a creation time loses to any dated one.
    /// </summary>
    internal static RemoteImage? Newest(IEnumerable<RemoteImage?> foundInRemoteOrder)
    {
        RemoteImage? newest = null;
        foreach (var image in foundInRemoteOrder.OfType<RemoteImage>())
        {
            if (newest is null || (image.CreatedAt ?? DateTimeOffset.MinValue) > (newest.CreatedAt ?? DateTimeOffset.MinValue))
            {
                newest = image;
            }
        }

        return newest;
    }

    private async Task<ImageSearchResult> SearchAllAsync(string source, DeployOptions options, IDeployHost host, CancellationToken cancellationToken)
    {
        var candidates = Candidates(_connections.Config, options.LocalDisable);
        var lookups = candidates.Select(remote => ProbeAsync(remote, source, options.ImageSearchTimeout, cancellationToken)).ToList();
        var outcomes = await Task.WhenAll(lookups).ConfigureAwait(false);
        var unreachable = new List<string>();
        for (var i = 0; i < candidates.Count; i++)
        {
            var remote = candidates[i];
            switch (outcomes[i])
            {
                case { Failure: { } failure }:
                    unreachable.Add(remote.Name);
                    host.Log(DeployLogLevel.Warning,
                        $"P2P image search: remote '{remote.Name}' ({remote.Address}) could not be searched for '{source}': {failure.Message.TrimEnd('.')}. " +
                        "The search goes on with the other remotes.");
                    break;
                case { Image: null }:
                    host.Log(DeployLogLevel.Verbose, $"P2P image search: '{source}' is not on remote '{remote.Name}'.");
                    break;
                case { Image: { } image }:
                    host.Log(DeployLogLevel.Verbose,
                        $"P2P image search: '{source}' is on remote '{remote.Name}' as {Short(image.Fingerprint)}, created {image.CreatedAt:u}.");
                    break;
            }
        }

        var newest = Newest(outcomes.Select(o => o.Image));
        if (newest is not null)
        {
            host.Log(DeployLogLevel.Verbose, $"P2P image search: '{source}' comes from remote '{newest.Remote}' ({Short(newest.Fingerprint)}), the newest match.");
        }

        return new ImageSearchResult(newest, candidates.Select(c => c.Name).ToList(), unreachable);
    }

    /// <summary>One remote of the P2P search with its own short-lived client: a failure is a result, not an exception.</summary>
    private async Task<(RemoteImage? Image, Exception? Failure)> ProbeAsync(LxdRemoteConfig remote, string source, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        LxdClient? client = null;
        var budget = timeout * 3;
        try
        {
            // Each connection and request has the timeout; the whole lookup (a few requests) a small multiple of it.
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(budget);
            var transport = new LxdTransportOptions { RequestTimeout = timeout, ConnectTimeout = timeout, MaxAttempts = 1 };
            var image = await LookUpAsync(remote, source, transport, () => client = LxdConnector.Connect(_connections.Config, remote.Name,
                new LxdConnectOptions { RequestTimeout = timeout, ConnectTimeout = timeout, MaxAttempts = 1 }), limit.Token).ConfigureAwait(false);
            return (image, null);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, new TimeoutException($"No answer within {budget.TotalSeconds:0} s.", e));
        }
        catch (Exception e) when (e is LxdException or IOException or System.Security.Cryptography.CryptographicException)
        {
            return (null, e);
        }
        finally
        {
            client?.Dispose();
        }
    }

    /// <summary>Alias, then fingerprint: on a simplestreams remote through its index, on an LXD or Incus remote through the API.</summary>
    private async Task<RemoteImage?> LookUpAsync(LxdRemoteConfig remote, string source, LxdTransportOptions streamsOptions, Func<ILxdServer> apiClient,
        CancellationToken cancellationToken)
    {
        if (remote.IsSimplestreams)
        {
            using var pinned = _connections.Config.LoadPinnedCertificate(remote.Name);
            using var streams = SimplestreamsClient.Create(remote.Address, streamsOptions with { PinnedServerCertificate = pinned });
            var offered = await streams.FindAsync(source, cancellationToken).ConfigureAwait(false);
            return offered is null ? null : new RemoteImage(remote.Name, remote.Address, "simplestreams", offered.Fingerprint, offered.Created);
        }

        var image = await apiClient().Images.FindAsync(source, cancellationToken).ConfigureAwait(false);
        return image is null ? null : new RemoteImage(remote.Name, remote.Address, "lxd", image.Fingerprint, image.CreatedAt, image.Public);
    }

    private static string Short(string fingerprint) => fingerprint[..Math.Min(12, fingerprint.Length)];
}
