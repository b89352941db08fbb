using LxdCompose.Deploy;
using LxdCompose.Lxd;
using LxdCompose.Lxd.Api;

namespace LxdCompose.Tests.Deploy.Drift;

/// <summary>
/// A server held in memory, enough for the drift steps: instances, profiles, networks and storage pools with ETags that
/// change on every write; a PUT with a stale ETag is refused as LXD refuses it. Other API areas are not used.
/// </summary>
internal sealed class FakeDriftServer : ILxdServer
{
    public string DisplayName => "fake";

    public string? RemoteName => "fake";

    public string Address => "https://127.0.0.1:9";

    public string? Project => null;

    public FakeInstances FakeInstances { get; } = new();

    public FakeCollection<ServerProfile> FakeProfiles { get; } = new(p => p.Name);

    public FakeNetworks FakeNetworks { get; } = new();

    public FakeCollection<ServerStoragePool> FakePools { get; } = new(p => p.Name);

    public FakeCollection<ServerNetworkAcl> FakeAcls { get; } = new(a => a.Name);

    public FakeCertificates FakeCertificates { get; } = new();

    public ILxdInstances Instances => FakeInstances;

    public ILxdCollection<ServerProfile> Profiles => FakeProfiles;

    public ILxdNetworks Networks => FakeNetworks;

    public ILxdCollection<ServerStoragePool> StoragePools => FakePools;

    public ILxdCollection<ServerNetworkAcl> NetworkAcls => FakeAcls;

    public ILxdCertificates Certificates => FakeCertificates;

    public ILxdOperations Operations => throw new NotSupportedException();

    public ILxdExec Exec => throw new NotSupportedException();

    public ILxdFiles Files => throw new NotSupportedException();

    public ILxdImages Images => throw new NotSupportedException();

    public Task<LxdServerInfo> GetServerAsync(CancellationToken cancellationToken, bool refresh = false) => throw new NotSupportedException();

    public Task<LxdDialect> GetDialectAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<bool> HasExtensionAsync(string extension, CancellationToken cancellationToken) => throw new NotSupportedException();
}

/// <summary>Named objects with an ETag each; records every PUT.</summary>
internal class FakeCollection<T>(Func<T, string> nameOf) : ILxdCollection<T>
    where T : class
{
    private readonly Dictionary<string, (T Value, int Version)> _items = new(StringComparer.Ordinal);

    public List<(string Name, T Item, string? ETag)> Puts { get; } = new();

    public void Add(T item) => _items[nameOf(item)] = (item, 1);

    /// <summary>Someone else changes the object: its ETag moves on.</summary>
    public void Touch(string name) => _items[name] = (_items[name].Value, _items[name].Version + 1);

    public T this[string name] => _items[name].Value;

    public Task<IReadOnlyList<T>> ListAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<T>>(_items.Values.Select(v => v.Value).ToList());

    public Task<IReadOnlyList<string>> ListNamesAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>(_items.Keys.ToList());

    public Task<T> GetAsync(string name, CancellationToken cancellationToken) => Task.FromResult(_items[name].Value);

    public Task<LxdVersioned<T>> GetVersionedAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(new LxdVersioned<T>(_items[name].Value, ETagOf(name)));

    public Task<T?> TryGetAsync(string name, CancellationToken cancellationToken) => Task.FromResult(_items.TryGetValue(name, out var v) ? v.Value : null);

    public Task<bool> ExistsAsync(string name, CancellationToken cancellationToken) => Task.FromResult(_items.ContainsKey(name));

    public Task CreateAsync(T item, CancellationToken cancellationToken)
    {
        Add(item);
        return Task.CompletedTask;
    }

    public Task UpdateAsync(string name, T item, CancellationToken cancellationToken, string? etag = null)
    {
        if (etag is not null && etag != ETagOf(name))
        {
            throw new LxdPreconditionFailedException($"ETag of {name} does not match");
        }

        Puts.Add((name, item, etag));
        _items[name] = (item, _items[name].Version + 1);
        return Task.CompletedTask;
    }

    public Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        _items.Remove(name);
        return Task.CompletedTask;
    }

    private string ETagOf(string name) => $"{name}-{_items[name].Version}";
}

internal sealed class FakeNetworks() : FakeCollection<ServerNetwork>(n => n.Name), ILxdNetworks
{
    /// <summary>Forwards by network, each list in listen-address order of creation.</summary>
    public Dictionary<string, List<ServerNetworkForward>> Forwards { get; } = new(StringComparer.Ordinal);

    /// <summary>Every forward call: "create 10.0.0.1", "update ...", "delete ...".</summary>
    public List<string> ForwardCalls { get; } = new();

    private List<ServerNetworkForward> Of(string network) =>
        Forwards.TryGetValue(network, out var list) ? list : Forwards[network] = new List<ServerNetworkForward>();

    public Task<IReadOnlyList<ServerNetworkForward>> ListForwardsAsync(string network, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ServerNetworkForward>>(Of(network).ToList());

    public Task<ServerNetworkForward> GetForwardAsync(string network, string listenAddress, CancellationToken cancellationToken) =>
        Task.FromResult(Of(network).Single(f => f.ListenAddress == listenAddress));

    public Task CreateForwardAsync(string network, ServerNetworkForward forward, CancellationToken cancellationToken)
    {
        ForwardCalls.Add("create " + forward.ListenAddress);
        Of(network).Add(forward);
        return Task.CompletedTask;
    }

    public Task UpdateForwardAsync(string network, ServerNetworkForward forward, CancellationToken cancellationToken)
    {
        ForwardCalls.Add("update " + forward.ListenAddress);
        var list = Of(network);
        list[list.FindIndex(f => f.ListenAddress == forward.ListenAddress)] = forward;
        return Task.CompletedTask;
    }

    public Task DeleteForwardAsync(string network, string listenAddress, CancellationToken cancellationToken)
    {
        ForwardCalls.Add("delete " + listenAddress);
        Of(network).RemoveAll(f => f.ListenAddress == listenAddress);
        return Task.CompletedTask;
    }
}

/// <summary>A trust store in memory; certificates added through <see cref="CreateAsync"/> get the fingerprint of their DER bytes.</summary>
internal sealed class FakeCertificates : ILxdCertificates
{
    public List<ServerCertificate> Trusted { get; } = new();

    public Task<IReadOnlyList<ServerCertificate>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ServerCertificate>>(Trusted.ToList());

    public Task<ServerCertificate> GetAsync(string fingerprint, CancellationToken cancellationToken) =>
        Task.FromResult(Trusted.Single(c => c.Fingerprint == fingerprint));

    public Task CreateAsync(ServerCertificate certificate, CancellationToken cancellationToken)
    {
        var der = Convert.FromBase64String(certificate.Certificate);
        Trusted.Add(new ServerCertificate
        {
            Name = certificate.Name, Type = certificate.Type, Restricted = certificate.Restricted, Projects = certificate.Projects.ToList(),
            Fingerprint = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(der)).ToLowerInvariant(),
        });
        return Task.CompletedTask;
    }

    public Task AddAsync(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, string name, CancellationToken cancellationToken,
        bool restricted = false, IReadOnlyList<string>? projects = null) => throw new NotSupportedException();

    public Task AddWithTokenAsync(LxdTrustToken token, System.Security.Cryptography.X509Certificates.X509Certificate2 clientCertificate,
        CancellationToken cancellationToken, string? name = null) => throw new NotSupportedException();

    public Task<LxdTrustToken> CreateTokenAsync(string clientName, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task DeleteAsync(string fingerprint, CancellationToken cancellationToken) => throw new NotSupportedException();
}

internal sealed class FakeInstances : ILxdInstances
{
    private readonly FakeCollection<LxdInstance> _store = new(i => i.Name);

    public List<(string Name, LxdInstance Item, string? ETag)> Puts => _store.Puts;

    public void Add(LxdInstance instance) => _store.Add(instance);

    public void Touch(string name) => _store.Touch(name);

    public LxdInstance this[string name] => _store[name];

    public Task<IReadOnlyList<LxdInstance>> ListAsync(CancellationToken cancellationToken, string? type = null) => _store.ListAsync(cancellationToken);

    public Task<IReadOnlyList<LxdInstance>> ListWithStateAsync(CancellationToken cancellationToken, string? type = null) => _store.ListAsync(cancellationToken);

    public Task<LxdInstance> GetAsync(string name, CancellationToken cancellationToken) => _store.GetAsync(name, cancellationToken);

    public Task<LxdVersioned<LxdInstance>> GetVersionedAsync(string name, CancellationToken cancellationToken) => _store.GetVersionedAsync(name, cancellationToken);

    public Task<LxdInstance?> TryGetAsync(string name, CancellationToken cancellationToken) => _store.TryGetAsync(name, cancellationToken);

    public Task UpdateAsync(string name, LxdInstance instance, CancellationToken cancellationToken, string? etag = null) =>
        _store.UpdateAsync(name, instance, cancellationToken, etag);

    public Task<LxdInstanceState> GetStateAsync(string name, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<LxdInstance> CreateAsync(LxdInstanceCreateRequest request, CancellationToken cancellationToken, IProgress<LxdOperation>? progress = null,
        TimeSpan? timeout = null) => throw new NotSupportedException();

    public Task StartAsync(string name, CancellationToken cancellationToken, TimeSpan? timeout = null) => throw new NotSupportedException();

    public Task StopAsync(string name, CancellationToken cancellationToken, bool force = false, TimeSpan? timeout = null) => throw new NotSupportedException();

    public Task RestartAsync(string name, CancellationToken cancellationToken, bool force = false, TimeSpan? timeout = null) => throw new NotSupportedException();

    public Task ChangeStateAsync(string name, string action, CancellationToken cancellationToken, bool force = false, TimeSpan? timeout = null) =>
        throw new NotSupportedException();

    public Task PatchAsync(string name, object changes, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task DeleteAsync(string name, CancellationToken cancellationToken, bool stopFirst = true) => throw new NotSupportedException();
}

/// <summary>A deploy host that answers every question with <see cref="Approve"/> and keeps what it was told.</summary>
internal sealed class RecordingHost : IDeployHost
{
    public Func<string, string, bool> Approve { get; init; } = (_, _) => true;

    public List<(string Target, string Action)> Asked { get; } = new();

    public List<string> Logged { get; } = new();

    /// <summary>Decides on the resource updates of <paramref name="plan"/> by their plan items' target and description, recording each.</summary>
    public Func<ResourceDrift, bool> ApprovesUpdatesOf(GroupPlan plan) => drift =>
    {
        var item = ApplyPlanItems.ResourceUpdate(plan, drift);
        Asked.Add((item.Target, item.Description));
        return Approve(item.Target, item.Description);
    };

    public void Log(DeployLogLevel level, string message) => Logged.Add(message);

    public void Progress(DeployProgress progress)
    {
    }

    public void HookOutput(HookOutputLine line)
    {
    }
}
