using System.Text;
using LxdCompose.Lxd.Api;
using LxdCompose.Lxd.Transport;

namespace LxdCompose.Lxd;

/// <summary>Who and where a client talks to, beyond the transport.</summary>
public sealed record LxdClientOptions
{
    /// <summary>Name of the remote in config.yml, for messages and error targets.</summary>
    public string? RemoteName { get; init; }

    /// <summary>LXD project every call is scoped to (<c>?project=</c>); empty: the server's default.</summary>
    public string? Project { get; init; }

    /// <summary>LXD or Incus; null: detected from <c>GET /1.0</c> on first need.</summary>
    public LxdDialect? Dialect { get; init; }

    /// <summary>Limit of an operation wait that names none of its own; null: no limit.</summary>
    public TimeSpan? OperationTimeout { get; init; }
}

/// <summary>
/// A client of one LXD or Incus server. Each API area has its own object (<see cref="Instances"/>, <see cref="Files"/>,
/// <see cref="Images"/>, ...); all share one transport (one pooled connection set) and every call takes a
/// <see cref="CancellationToken"/>. Thread-safe.
/// </summary>
public sealed class LxdClient : ILxdServer, IDisposable
{
    private readonly SemaphoreSlim _serverLock = new(1, 1);
    private readonly bool _ownsTransport;
    private LxdServerInfo? _server;
    private LxdDialect? _dialect;

    public LxdClient(LxdTransport transport, LxdClientOptions? options = null, bool ownsTransport = true)
    {
        Transport = transport;
        _ownsTransport = ownsTransport;
        var settings = options ?? new LxdClientOptions();
        RemoteName = settings.RemoteName;
        Project = string.IsNullOrEmpty(settings.Project) ? null : settings.Project;
        _dialect = settings.Dialect;
        OperationTimeout = settings.OperationTimeout;
        Operations = new LxdOperations(this);
        Instances = new LxdInstances(this);
        Exec = new LxdExec(this);
        Files = new LxdFiles(this);
        Images = new LxdImages(this);
        Profiles = new LxdProfiles(this);
        Networks = new LxdNetworks(this);
        StoragePools = new LxdStoragePools(this);
        NetworkAcls = new LxdNetworkAcls(this);
        Certificates = new LxdCertificates(this);
    }

    public LxdTransport Transport { get; }

    public string? RemoteName { get; }

    public string? Project { get; }

    /// <summary>Limit of an operation wait that names none of its own; null: no limit.</summary>
    public TimeSpan? OperationTimeout { get; }

    /// <summary>The remote's name, or its address when it has none.</summary>
    public string DisplayName => RemoteName ?? Transport.Endpoint.ToString();

    public string Address => Transport.Endpoint.Address;

    public LxdOperations Operations { get; }

    public LxdInstances Instances { get; }

    public LxdExec Exec { get; }

    public LxdFiles Files { get; }

    public LxdImages Images { get; }

    public LxdProfiles Profiles { get; }

    public LxdNetworks Networks { get; }

    public LxdStoragePools StoragePools { get; }

    public LxdNetworkAcls NetworkAcls { get; }

    public LxdCertificates Certificates { get; }

    ILxdOperations ILxdServer.Operations => Operations;

    ILxdInstances ILxdServer.Instances => Instances;

    ILxdExec ILxdServer.Exec => Exec;

    ILxdFiles ILxdServer.Files => Files;

    ILxdImages ILxdServer.Images => Images;

    ILxdCollection<ServerProfile> ILxdServer.Profiles => Profiles;

    ILxdNetworks ILxdServer.Networks => Networks;

    ILxdCollection<ServerStoragePool> ILxdServer.StoragePools => StoragePools;

    ILxdCollection<ServerNetworkAcl> ILxdServer.NetworkAcls => NetworkAcls;

    ILxdCertificates ILxdServer.Certificates => Certificates;

    /// <summary><c>GET /1.0</c>, read once and kept; <paramref name="refresh"/> reads it again (e.g. after becoming trusted).</summary>
    public async Task<LxdServerInfo> GetServerAsync(CancellationToken cancellationToken, bool refresh = false)
    {
        if (_server is { } known && !refresh)
        {
            return known;
        }

        await _serverLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_server is null || refresh)
            {
                var response = await GetAsync("/1.0", cancellationToken).ConfigureAwait(false);
                _server = response.As<LxdServerInfo>("server description");
            }

            return _server;
        }
        finally
        {
            _serverLock.Release();
        }
    }

    /// <summary>The dialect given at construction, else the one the server names itself with.</summary>
    public async Task<LxdDialect> GetDialectAsync(CancellationToken cancellationToken)
    {
        if (_dialect is { } known)
        {
            return known;
        }

        var server = await GetServerAsync(cancellationToken).ConfigureAwait(false);
        _dialect = LxdDialect.FromServerName(server.Environment.Server);
        return _dialect;
    }

    public async Task<bool> HasExtensionAsync(string extension, CancellationToken cancellationToken) =>
        (await GetServerAsync(cancellationToken).ConfigureAwait(false)).HasExtension(extension);

    public void Dispose()
    {
        if (_ownsTransport)
        {
            Transport.Dispose();
        }

        _serverLock.Dispose();
    }

    /// <summary>A path with its query; the project is added unless <paramref name="scoped"/> is false.</summary>
    internal string Url(string path, bool scoped = true, params (string Name, string? Value)[] query)
    {
        var builder = new StringBuilder(path);
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        foreach (var (name, value) in query.Where(q => q.Value is not null))
        {
            builder.Append(separator).Append(name).Append('=').Append(Uri.EscapeDataString(value!));
            separator = '&';
        }

        if (scoped && Project is { } project)
        {
            builder.Append(separator).Append("project=").Append(Uri.EscapeDataString(project));
        }

        return builder.ToString();
    }

    internal static string Segment(string name) => Uri.EscapeDataString(name);

    internal Task<LxdResponse> GetAsync(string url, CancellationToken cancellationToken) =>
        Transport.RequestAsync(HttpMethod.Get, url, null, cancellationToken);

    internal Task<LxdResponse> SendAsync(HttpMethod method, string url, object? body, CancellationToken cancellationToken, string? ifMatch = null) =>
        Transport.RequestAsync(method, url, body, cancellationToken, ifMatch);

    /// <summary>Sends a request and, when the server answers with an operation, waits for it to succeed.</summary>
    internal async Task<LxdOperation?> SendAndWaitAsync(
        HttpMethod method, string url, object? body, CancellationToken cancellationToken, IProgress<LxdOperation>? progress = null,
        string? ifMatch = null, TimeSpan? timeout = null)
    {
        var response = await SendAsync(method, url, body, cancellationToken, ifMatch).ConfigureAwait(false);
        if (response.Type != "async")
        {
            return null;
        }

        var operation = response.As<LxdOperation>("operation");
        return await Operations.WaitAsync(operation.Id, timeout, progress, cancellationToken).ConfigureAwait(false);
    }
}
