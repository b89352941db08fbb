using LxdCompose.Lxd.Api;

namespace LxdCompose.Lxd;

/// <summary>An object read together with its ETag, for a later conditional update.</summary>
public sealed record LxdVersioned<T>(T Value, string? ETag);

/// <summary>Instances: list, read, create (from a local image or pulled from an image server), state changes, update, delete.</summary>
public sealed class LxdInstances : ILxdInstances
{
    private readonly LxdClient _client;

    internal LxdInstances(LxdClient client) => _client = client;

    private static string PathOf(string name) => $"/1.0/instances/{LxdClient.Segment(name)}";

    /// <summary>All instances of the project; <paramref name="type"/> narrows to <c>container</c> or <c>virtual-machine</c>.</summary>
    public async Task<IReadOnlyList<LxdInstance>> ListAsync(CancellationToken cancellationToken, string? type = null)
    {
        var response = await _client.GetAsync(_client.Url("/1.0/instances", true, ("recursion", "1"), ("instance-type", type)), cancellationToken)
            .ConfigureAwait(false);
        return response.As<List<LxdInstance>>("instance list");
    }

    /// <summary>All instances of the project with their state (addresses): recursion 2, one call.</summary>
    public async Task<IReadOnlyList<LxdInstance>> ListWithStateAsync(CancellationToken cancellationToken, string? type = null)
    {
        var response = await _client.GetAsync(_client.Url("/1.0/instances", true, ("recursion", "2"), ("instance-type", type)), cancellationToken)
            .ConfigureAwait(false);
        return response.As<List<LxdInstance>>("instance list");
    }

    public async Task<LxdInstance> GetAsync(string name, CancellationToken cancellationToken) =>
        (await GetVersionedAsync(name, cancellationToken).ConfigureAwait(false)).Value;

    public async Task<LxdVersioned<LxdInstance>> GetVersionedAsync(string name, CancellationToken cancellationToken)
    {
        var response = await _client.GetAsync(_client.Url(PathOf(name)), cancellationToken).ConfigureAwait(false);
        return new LxdVersioned<LxdInstance>(response.As<LxdInstance>("instance"), response.ETag);
    }

    /// <summary>The instance, or null when it does not exist.</summary>
    public async Task<LxdInstance?> TryGetAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await GetAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (LxdNotFoundException)
        {
            return null;
        }
    }

    public async Task<LxdInstanceState> GetStateAsync(string name, CancellationToken cancellationToken)
    {
        var response = await _client.GetAsync(_client.Url(PathOf(name) + "/state"), cancellationToken).ConfigureAwait(false);
        return response.As<LxdInstanceState>("instance state");
    }

    /// <summary>Creates the instance and waits until the server finished (image download and unpack included).</summary>
    public async Task<LxdInstance> CreateAsync(
        LxdInstanceCreateRequest request, CancellationToken cancellationToken, IProgress<LxdOperation>? progress = null, TimeSpan? timeout = null)
    {
        await _client.SendAndWaitAsync(HttpMethod.Post, _client.Url("/1.0/instances"), request, cancellationToken, progress, timeout: timeout)
            .ConfigureAwait(false);
        return await GetAsync(request.Name, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An image source that the server pulls from an image server (<c>lxd</c> or <c>simplestreams</c> protocol).</summary>
    public static LxdInstanceSource PullSource(string server, string protocol, string aliasOrFingerprint, bool isFingerprint = false,
        string? certificatePem = null, string? secret = null) =>
        new()
        {
            Type = "image",
            Mode = "pull",
            Server = server,
            Protocol = protocol,
            Alias = isFingerprint ? null : aliasOrFingerprint,
            Fingerprint = isFingerprint ? aliasOrFingerprint : null,
            Certificate = certificatePem,
            Secret = secret,
        };

    /// <summary>A source from the server's own image store.</summary>
    public static LxdInstanceSource LocalSource(string fingerprint) => new() { Type = "image", Fingerprint = fingerprint };

    public Task StartAsync(string name, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        ChangeStateAsync(name, "start", cancellationToken, timeout: timeout);

    /// <summary>Stops the instance; <paramref name="force"/> kills it instead of a clean shutdown.</summary>
    public Task StopAsync(string name, CancellationToken cancellationToken, bool force = false, TimeSpan? timeout = null) =>
        ChangeStateAsync(name, "stop", cancellationToken, force, timeout);

    public Task RestartAsync(string name, CancellationToken cancellationToken, bool force = false, TimeSpan? timeout = null) =>
        ChangeStateAsync(name, "restart", cancellationToken, force, timeout);

    /// <summary><c>start</c>, <c>stop</c>, <c>restart</c>, <c>freeze</c> or <c>unfreeze</c>; waits for the result.</summary>
    public async Task ChangeStateAsync(string name, string action, CancellationToken cancellationToken, bool force = false, TimeSpan? timeout = null)
    {
        var seconds = timeout is { } t ? (int)Math.Ceiling(t.TotalSeconds) : 120;
        var request = new LxdInstanceStateRequest { Action = action, Force = force, Timeout = seconds };
        await _client.SendAndWaitAsync(HttpMethod.Put, _client.Url(PathOf(name) + "/state"), request, cancellationToken, timeout: timeout is null ? null : timeout.Value + TimeSpan.FromSeconds(30))
            .ConfigureAwait(false);
    }

    /// <summary>Replaces config, devices, profiles, ephemeral and description; with an ETag the server refuses concurrent changes (412).</summary>
    public Task UpdateAsync(string name, LxdInstance instance, CancellationToken cancellationToken, string? etag = null) =>
        _client.SendAndWaitAsync(HttpMethod.Put, _client.Url(PathOf(name)), new
        {
            instance.Architecture,
            instance.Config,
            instance.Devices,
            instance.Ephemeral,
            instance.Profiles,
            instance.Description,
        }, cancellationToken, ifMatch: etag);

    /// <summary>Changes only the given fields (PATCH), e.g. <c>new { config = new Dictionary&lt;string,string&gt; { ... } }</c>.</summary>
    public Task PatchAsync(string name, object changes, CancellationToken cancellationToken) =>
        _client.SendAndWaitAsync(HttpMethod.Patch, _client.Url(PathOf(name)), changes, cancellationToken);

    /// <summary>Deletes the instance; a running one is stopped first (forcibly) when <paramref name="stopFirst"/>.</summary>
    public async Task DeleteAsync(string name, CancellationToken cancellationToken, bool stopFirst = true)
    {
        if (stopFirst)
        {
            var instance = await TryGetAsync(name, cancellationToken).ConfigureAwait(false);
            if (instance is null)
            {
                throw new LxdNotFoundException($"Instance '{name}' not found on {_client.DisplayName}.") { Target = name, StatusCode = 404 };
            }

            if (!string.Equals(instance.Status, "Stopped", StringComparison.OrdinalIgnoreCase))
            {
                try
                {
                    await StopAsync(name, cancellationToken, force: true).ConfigureAwait(false);
                }
                catch (LxdNotFoundException) when (instance.Ephemeral)
                {
                    return; // an ephemeral instance deletes itself when it stops
                }

                if (instance.Ephemeral && await TryGetAsync(name, cancellationToken).ConfigureAwait(false) is null)
                {
                    return;
                }
            }
        }

        await _client.SendAndWaitAsync(HttpMethod.Delete, _client.Url(PathOf(name)), null, cancellationToken).ConfigureAwait(false);
    }
}
