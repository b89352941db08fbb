using LxdCompose.Lxd.Api;

namespace LxdCompose.Lxd;

/// <summary>
/// The shared shape of named server objects (profiles, networks, storage pools, network ACLs): list, read with ETag,
/// create, replace (PUT, conditional with an ETag), delete. Answers that come as operations are waited for.
/// </summary>
public abstract class LxdCollection<T> : ILxdCollection<T>
    where T : class
{
    private readonly string _basePath;
    private readonly string _what;

    private protected LxdCollection(LxdClient client, string basePath, string what)
    {
        Client = client;
        _basePath = basePath;
        _what = what;
    }

    private protected LxdClient Client { get; }

    private protected string PathOf(string name) => $"{_basePath}/{LxdClient.Segment(name)}";

    public async Task<IReadOnlyList<T>> ListAsync(CancellationToken cancellationToken)
    {
        var response = await Client.GetAsync(Client.Url(_basePath, true, ("recursion", "1")), cancellationToken).ConfigureAwait(false);
        return response.As<List<T>>($"{_what} list");
    }

    public async Task<IReadOnlyList<string>> ListNamesAsync(CancellationToken cancellationToken)
    {
        var response = await Client.GetAsync(Client.Url(_basePath), cancellationToken).ConfigureAwait(false);
        return response.As<List<string>>($"{_what} list").Select(url => Uri.UnescapeDataString(url[(url.LastIndexOf('/') + 1)..].Split('?')[0])).ToList();
    }

    public async Task<T> GetAsync(string name, CancellationToken cancellationToken) =>
        (await GetVersionedAsync(name, cancellationToken).ConfigureAwait(false)).Value;

    public async Task<LxdVersioned<T>> GetVersionedAsync(string name, CancellationToken cancellationToken)
    {
        var response = await Client.GetAsync(Client.Url(PathOf(name)), cancellationToken).ConfigureAwait(false);
        return new LxdVersioned<T>(response.As<T>(_what), response.ETag);
    }

    public async Task<T?> TryGetAsync(string name, CancellationToken cancellationToken)
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

    public async Task<bool> ExistsAsync(string name, CancellationToken cancellationToken) =>
        await TryGetAsync(name, cancellationToken).ConfigureAwait(false) is not null;

    public Task CreateAsync(T item, CancellationToken cancellationToken) =>
        Client.SendAndWaitAsync(HttpMethod.Post, Client.Url(_basePath), item, cancellationToken);

    /// <summary>Replaces the object's writable fields; with an ETag a concurrent change fails with 412.</summary>
    public Task UpdateAsync(string name, T item, CancellationToken cancellationToken, string? etag = null) =>
        Client.SendAndWaitAsync(HttpMethod.Put, Client.Url(PathOf(name)), item, cancellationToken, ifMatch: etag);

    public Task DeleteAsync(string name, CancellationToken cancellationToken) =>
        Client.SendAndWaitAsync(HttpMethod.Delete, Client.Url(PathOf(name)), null, cancellationToken);
}

public sealed class LxdProfiles : LxdCollection<ServerProfile>
{
    internal LxdProfiles(LxdClient client)
        : base(client, "/1.0/profiles", "profile")
    {
    }
}

public sealed class LxdStoragePools : LxdCollection<ServerStoragePool>
{
    internal LxdStoragePools(LxdClient client)
        : base(client, "/1.0/storage-pools", "storage pool")
    {
    }
}

public sealed class LxdNetworkAcls : LxdCollection<ServerNetworkAcl>
{
    internal LxdNetworkAcls(LxdClient client)
        : base(client, "/1.0/network-acls", "network ACL")
    {
    }
}

/// <summary>Networks and their forwards (extension <c>network_forward</c>).</summary>
public sealed class LxdNetworks : LxdCollection<ServerNetwork>, ILxdNetworks
{
    internal LxdNetworks(LxdClient client)
        : base(client, "/1.0/networks", "network")
    {
    }

    private string ForwardsPath(string network) => PathOf(network) + "/forwards";

    public async Task<IReadOnlyList<ServerNetworkForward>> ListForwardsAsync(string network, CancellationToken cancellationToken)
    {
        var response = await Client.GetAsync(Client.Url(ForwardsPath(network), true, ("recursion", "1")), cancellationToken).ConfigureAwait(false);
        return response.As<List<ServerNetworkForward>>("network forward list");
    }

    public async Task<ServerNetworkForward> GetForwardAsync(string network, string listenAddress, CancellationToken cancellationToken)
    {
        var response = await Client.GetAsync(Client.Url($"{ForwardsPath(network)}/{LxdClient.Segment(listenAddress)}"), cancellationToken)
            .ConfigureAwait(false);
        return response.As<ServerNetworkForward>("network forward");
    }

    public Task CreateForwardAsync(string network, ServerNetworkForward forward, CancellationToken cancellationToken) =>
        Client.SendAndWaitAsync(HttpMethod.Post, Client.Url(ForwardsPath(network)), forward, cancellationToken);

    public Task UpdateForwardAsync(string network, ServerNetworkForward forward, CancellationToken cancellationToken) =>
        Client.SendAndWaitAsync(
            HttpMethod.Put,
            Client.Url($"{ForwardsPath(network)}/{LxdClient.Segment(forward.ListenAddress)}"),
            new { forward.Description, forward.Config, forward.Ports },
            cancellationToken);

    public Task DeleteForwardAsync(string network, string listenAddress, CancellationToken cancellationToken) =>
        Client.SendAndWaitAsync(HttpMethod.Delete, Client.Url($"{ForwardsPath(network)}/{LxdClient.Segment(listenAddress)}"), null, cancellationToken);
}
