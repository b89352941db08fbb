using LxdCompose.Lxd.Api;

namespace LxdCompose.Lxd;

// One interface per API area of a server, as the LXD Go client has (InstanceServer, ImageServer, ...): the planner and
// the runner depend on these, so they are tested against fakes without a daemon. LxdClient implements them all.

/// <summary>A server as the engine sees it: who it is and its API areas.</summary>
public interface ILxdServer
{
    /// <summary>The remote's name, or its address when it has none.</summary>
    string DisplayName { get; }

    /// <summary>Name of the remote in config.yml; null for a client made from an address alone.</summary>
    string? RemoteName { get; }

    /// <summary>Where the server is reached (<c>https://host:port</c> or <c>unix:/path</c>).</summary>
    string Address { get; }

    /// <summary>LXD project every call is scoped to; null: the server's default.</summary>
    string? Project { get; }

    ILxdOperations Operations { get; }

    ILxdInstances Instances { get; }

    ILxdExec Exec { get; }

    ILxdFiles Files { get; }

    ILxdImages Images { get; }

    ILxdCollection<ServerProfile> Profiles { get; }

    ILxdNetworks Networks { get; }

    ILxdCollection<ServerStoragePool> StoragePools { get; }

    ILxdCollection<ServerNetworkAcl> NetworkAcls { get; }

    ILxdCertificates Certificates { get; }

    Task<LxdServerInfo> GetServerAsync(CancellationToken cancellationToken, bool refresh = false);

    Task<LxdDialect> GetDialectAsync(CancellationToken cancellationToken);

    Task<bool> HasExtensionAsync(string extension, CancellationToken cancellationToken);
}

/// <summary><c>/1.0/operations</c>.</summary>
public interface ILxdOperations
{
    Task<LxdOperation> GetAsync(string idOrUrl, CancellationToken cancellationToken);

    Task CancelAsync(string idOrUrl, CancellationToken cancellationToken);

    Task<LxdOperation> WaitAsync(string idOrUrl, TimeSpan? timeout, IProgress<LxdOperation>? progress, CancellationToken cancellationToken);
}

/// <summary><c>/1.0/instances</c> and their state.</summary>
public interface ILxdInstances
{
    Task<IReadOnlyList<LxdInstance>> ListAsync(CancellationToken cancellationToken, string? type = null);

    /// <summary>Like <see cref="ListAsync"/>, each instance with its <see cref="LxdInstance.State"/> (addresses).</summary>
    Task<IReadOnlyList<LxdInstance>> ListWithStateAsync(CancellationToken cancellationToken, string? type = null);

    Task<LxdInstance> GetAsync(string name, CancellationToken cancellationToken);

    Task<LxdVersioned<LxdInstance>> GetVersionedAsync(string name, CancellationToken cancellationToken);

    Task<LxdInstance?> TryGetAsync(string name, CancellationToken cancellationToken);

    Task<LxdInstanceState> GetStateAsync(string name, CancellationToken cancellationToken);

    Task<LxdInstance> CreateAsync(LxdInstanceCreateRequest request, CancellationToken cancellationToken, IProgress<LxdOperation>? progress = null,
        TimeSpan? timeout = null);

    Task StartAsync(string name, CancellationToken cancellationToken, TimeSpan? timeout = null);

    Task StopAsync(string name, CancellationToken cancellationToken, bool force = false, TimeSpan? timeout = null);

    Task RestartAsync(string name, CancellationToken cancellationToken, bool force = false, TimeSpan? timeout = null);

    /// <summary>PUT state with <paramref name="action"/> (start, stop, restart, freeze, unfreeze) and waits for it.</summary>
    Task ChangeStateAsync(string name, string action, CancellationToken cancellationToken, bool force = false, TimeSpan? timeout = null);

    Task UpdateAsync(string name, LxdInstance instance, CancellationToken cancellationToken, string? etag = null);

    Task PatchAsync(string name, object changes, CancellationToken cancellationToken);

    Task DeleteAsync(string name, CancellationToken cancellationToken, bool stopFirst = true);
}

/// <summary><c>/1.0/instances/&lt;name&gt;/exec</c>.</summary>
public interface ILxdExec
{
    /// <summary>
    /// Runs the command with live output; <paramref name="timeout"/> bounds the operation wait (null: the client's
    /// operation timeout). Cancelled or past its limit, the command is ended on the server first.
    /// </summary>
    Task<int> RunAsync(string instance, LxdExecRequest request, Stream? stdout, Stream? stderr, CancellationToken cancellationToken,
        Stream? stdin = null, TimeSpan? timeout = null);

    Task<LxdExecResult> RunCapturedAsync(string instance, LxdExecRequest request, CancellationToken cancellationToken);

    Task<LxdExecResult> RunRecordedAsync(string instance, LxdExecRequest request, CancellationToken cancellationToken);
}

/// <summary><c>/1.0/instances/&lt;name&gt;/files</c>.</summary>
public interface ILxdFiles
{
    Task PushAsync(string instance, string path, Stream content, LxdFileWriteOptions? options, CancellationToken cancellationToken);

    Task PushBytesAsync(string instance, string path, ReadOnlyMemory<byte> content, LxdFileWriteOptions? options, CancellationToken cancellationToken);

    Task CreateDirectoryAsync(string instance, string path, LxdFileWriteOptions? options, CancellationToken cancellationToken);

    Task CreateDirectoriesAsync(string instance, string path, LxdFileWriteOptions? options, CancellationToken cancellationToken);

    Task CreateSymlinkAsync(string instance, string path, string target, LxdFileWriteOptions? options, CancellationToken cancellationToken);

    Task<LxdFileInfo> PullAsync(string instance, string path, Stream destination, CancellationToken cancellationToken);

    Task<byte[]> ReadAllBytesAsync(string instance, string path, CancellationToken cancellationToken);

    Task<LxdFileInfo?> TryStatAsync(string instance, string path, CancellationToken cancellationToken);

    Task DeleteAsync(string instance, string path, CancellationToken cancellationToken);

    Task<RecursivePushPlan> PushRecursiveAsync(string instance, string source, string target, RecursivePushOptions? options,
        CancellationToken cancellationToken, IProgress<RecursivePushStep>? progress = null);
}

/// <summary><c>/1.0/images</c> and their aliases.</summary>
public interface ILxdImages
{
    Task<IReadOnlyList<LxdImage>> ListAsync(CancellationToken cancellationToken);

    Task<LxdImage> GetAsync(string fingerprint, CancellationToken cancellationToken);

    Task<LxdImageAlias> GetAliasAsync(string alias, CancellationToken cancellationToken);

    Task<IReadOnlyList<LxdImageAlias>> ListAliasesAsync(CancellationToken cancellationToken);

    Task<LxdImage?> FindAsync(string aliasOrFingerprint, CancellationToken cancellationToken);

    Task<string> CreateSecretAsync(string fingerprint, CancellationToken cancellationToken);

    Task CreateAliasAsync(string alias, string fingerprint, CancellationToken cancellationToken, string description = "");

    Task DeleteAliasAsync(string alias, CancellationToken cancellationToken);

    Task DeleteAsync(string fingerprint, CancellationToken cancellationToken);

    Task<LxdImage> CopyFromAsync(LxdImageCopySource source, CancellationToken cancellationToken, IReadOnlyList<string>? aliases = null,
        bool @public = false, bool autoUpdate = false, IProgress<LxdOperation>? progress = null, TimeSpan? timeout = null);

    Task<LxdImage> PublishAsync(string instance, CancellationToken cancellationToken, IReadOnlyList<string>? aliases = null, bool @public = false);

    Task<IReadOnlyList<string>> ExportAsync(string fingerprint, string directory, CancellationToken cancellationToken);
}

/// <summary>A collection of named server objects (profiles, storage pools, networks, network ACLs).</summary>
public interface ILxdCollection<T>
    where T : class
{
    Task<IReadOnlyList<T>> ListAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<string>> ListNamesAsync(CancellationToken cancellationToken);

    Task<T> GetAsync(string name, CancellationToken cancellationToken);

    Task<LxdVersioned<T>> GetVersionedAsync(string name, CancellationToken cancellationToken);

    Task<T?> TryGetAsync(string name, CancellationToken cancellationToken);

    Task<bool> ExistsAsync(string name, CancellationToken cancellationToken);

    Task CreateAsync(T item, CancellationToken cancellationToken);

    Task UpdateAsync(string name, T item, CancellationToken cancellationToken, string? etag = null);

    Task DeleteAsync(string name, CancellationToken cancellationToken);
}

/// <summary><c>/1.0/networks</c> with their forwards.</summary>
public interface ILxdNetworks : ILxdCollection<ServerNetwork>
{
    Task<IReadOnlyList<ServerNetworkForward>> ListForwardsAsync(string network, CancellationToken cancellationToken);

    Task<ServerNetworkForward> GetForwardAsync(string network, string listenAddress, CancellationToken cancellationToken);

    Task CreateForwardAsync(string network, ServerNetworkForward forward, CancellationToken cancellationToken);

    Task UpdateForwardAsync(string network, ServerNetworkForward forward, CancellationToken cancellationToken);

    Task DeleteForwardAsync(string network, string listenAddress, CancellationToken cancellationToken);
}

/// <summary><c>/1.0/certificates</c>: the server's trust store.</summary>
public interface ILxdCertificates
{
    Task<IReadOnlyList<ServerCertificate>> ListAsync(CancellationToken cancellationToken);

    Task<ServerCertificate> GetAsync(string fingerprint, CancellationToken cancellationToken);

    Task AddAsync(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, string name, CancellationToken cancellationToken,
        bool restricted = false, IReadOnlyList<string>? projects = null);

    /// <summary>Adds a declared certificate: <see cref="ServerCertificate.Certificate"/> holds base64 of its DER bytes.</summary>
    Task CreateAsync(ServerCertificate certificate, CancellationToken cancellationToken);

    Task AddWithTokenAsync(LxdTrustToken token, System.Security.Cryptography.X509Certificates.X509Certificate2 clientCertificate,
        CancellationToken cancellationToken, string? name = null);

    Task<LxdTrustToken> CreateTokenAsync(string clientName, CancellationToken cancellationToken);

    Task DeleteAsync(string fingerprint, CancellationToken cancellationToken);
}
