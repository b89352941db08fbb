using System.Collections.Concurrent;
using System.Text;
using LxdCompose.Lxd;
using LxdCompose.Lxd.Api;

namespace LxdCompose.Tests.Deploy.FakeServer;

/// <summary>
/// An LXD server in memory, behind the client interfaces the planner and the runner use: instances (with config,
/// status and an address once running), images, profiles, networks, storage pools, and exec that runs nothing but
/// answers by <see cref="ExecRule"/>. Every changing call is recorded in <see cref="Calls"/> ("create n1",
/// "exec n1 post-node-creation", ...). Calls the engine does not make throw <see cref="NotSupportedException"/>.
/// </summary>
internal sealed class InMemoryServer : ILxdServer
{
    public InMemoryServer(string name)
    {
        DisplayName = name;
        Instances = new FakeInstances(this);
        Exec = new FakeExec(this);
        Images = new FakeImages(this);
    }

    public string DisplayName { get; }
    public string? RemoteName => DisplayName;
    public string Address => "https://127.0.0.1:9";
    public string? Project => null;

    /// <summary>What the engine changed or ran, in order.</summary>
    public ConcurrentQueue<string> Calls { get; } = new();

    /// <summary>The exit code of an exec (instance, command text); default 0. May await (and honour) the token.</summary>
    public Func<string, string, CancellationToken, Task<int>> ExecRule { get; set; } = (_, _, _) => Task.FromResult(0);

    /// <summary>Fails the creation of these instances with a server error (after recording the call).</summary>
    public HashSet<string> FailCreate { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, LxdInstance> InstanceTable { get; } = new(StringComparer.Ordinal);
    public ConcurrentDictionary<string, LxdImage> ImageTable { get; } = new(StringComparer.Ordinal);

    public ILxdOperations Operations => throw new NotSupportedException();
    public ILxdInstances Instances { get; }
    public ILxdExec Exec { get; }
    public ILxdFiles Files => throw new NotSupportedException("the fake's specs have no sync resources");
    public ILxdImages Images { get; }
    public FakeCollection<ServerProfile> ProfileTable { get; } = new("profile", p => p.Name);
    public FakeCollection<ServerNetwork> NetworkTable { get; } = new("network", n => n.Name);
    public FakeCollection<ServerStoragePool> PoolTable { get; } = new("storage pool", p => p.Name);
    public ILxdCollection<ServerProfile> Profiles => ProfileTable.WithCalls(Calls);
    public ILxdNetworks Networks => new FakeNetworks(NetworkTable.WithCalls(Calls));
    public ILxdCollection<ServerStoragePool> StoragePools => PoolTable.WithCalls(Calls);

    public ILxdCollection<ServerNetworkAcl> NetworkAcls => throw new NotSupportedException("the fake's specs declare no network ACLs");

    public ILxdCertificates Certificates => throw new NotSupportedException("the fake's specs declare no certificates");

    public Task<LxdServerInfo> GetServerAsync(CancellationToken cancellationToken, bool refresh = false) => throw new NotSupportedException();
    public Task<LxdDialect> GetDialectAsync(CancellationToken cancellationToken) => Task.FromResult(LxdDialect.Lxd);
    public Task<bool> HasExtensionAsync(string extension, CancellationToken cancellationToken) => Task.FromResult(true);

    /// <summary>An image the server holds, found by fingerprint or alias.</summary>
    public InMemoryServer WithImage(string fingerprint, string? alias = null)
    {
        ImageTable[fingerprint] = new LxdImage
        {
            Fingerprint = fingerprint, Public = true, CreatedAt = DateTimeOffset.UnixEpoch,
            Aliases = alias is null ? new() : new() { new LxdImageAliasRef { Name = alias } },
        };
        return this;
    }

    /// <summary>An instance as another run left it.</summary>
    public InMemoryServer WithInstance(string name, string status, params (string Key, string Value)[] config)
    {
        InstanceTable[name] = new LxdInstance { Name = name, Status = status, Config = config.ToDictionary(c => c.Key, c => c.Value) };
        return this;
    }

    private sealed class FakeInstances(InMemoryServer server) : ILxdInstances
    {
        private int _etag;

        public Task<IReadOnlyList<LxdInstance>> ListAsync(CancellationToken cancellationToken, string? type = null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return Task.FromResult<IReadOnlyList<LxdInstance>>(server.InstanceTable.Values.Select(Copy).ToList());
        }

        public Task<IReadOnlyList<LxdInstance>> ListWithStateAsync(CancellationToken cancellationToken, string? type = null) =>
            ListAsync(cancellationToken, type);

        public async Task<LxdInstance> GetAsync(string name, CancellationToken cancellationToken) =>
            await TryGetAsync(name, cancellationToken) ?? throw new LxdNotFoundException($"Instance not found: {name}");

        public async Task<LxdVersioned<LxdInstance>> GetVersionedAsync(string name, CancellationToken cancellationToken) =>
            new(await GetAsync(name, cancellationToken), Volatile.Read(ref _etag).ToString(System.Globalization.CultureInfo.InvariantCulture));

        public Task<LxdInstance?> TryGetAsync(string name, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return Task.FromResult(server.InstanceTable.TryGetValue(name, out var i) ? Copy(i) : null);
        }

        public async Task<LxdInstanceState> GetStateAsync(string name, CancellationToken cancellationToken)
        {
            var instance = await GetAsync(name, cancellationToken);
            var state = new LxdInstanceState { Status = instance.Status };
            if (instance.IsRunning)
            {
                state.Network = new()
                {
                    ["eth0"] = new LxdNetworkInterfaceState
                    {
                        Type = "broadcast",
                        Addresses = { new LxdInterfaceAddress { Family = "inet", Scope = "global", Address = "198.18.100.1" } },
                    },
                };
            }

            return state;
        }

        public Task<LxdInstance> CreateAsync(LxdInstanceCreateRequest request, CancellationToken cancellationToken, IProgress<LxdOperation>? progress = null,
            TimeSpan? timeout = null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            server.Calls.Enqueue("create " + request.Name);
            if (server.FailCreate.Contains(request.Name))
            {
                throw new LxdApiException($"Failed creating instance {request.Name}");
            }

            if (!server.ImageTable.ContainsKey(request.Source.Fingerprint ?? string.Empty))
            {
                throw new LxdNotFoundException($"Image not found: {request.Source.Fingerprint}");
            }

            var instance = new LxdInstance
            {
                Name = request.Name, Status = "Stopped", Config = new(request.Config), Profiles = request.Profiles ?? new() { "default" },
                Ephemeral = request.Ephemeral,
            };
            if (!server.InstanceTable.TryAdd(request.Name, instance))
            {
                throw new LxdConflictException($"Instance {request.Name} already exists");
            }

            return Task.FromResult(Copy(instance));
        }

        public Task StartAsync(string name, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
            ChangeStateAsync(name, "start", cancellationToken);

        public Task StopAsync(string name, CancellationToken cancellationToken, bool force = false, TimeSpan? timeout = null) =>
            ChangeStateAsync(name, "stop", cancellationToken);

        public Task RestartAsync(string name, CancellationToken cancellationToken, bool force = false, TimeSpan? timeout = null) =>
            ChangeStateAsync(name, "restart", cancellationToken);

        public Task ChangeStateAsync(string name, string action, CancellationToken cancellationToken, bool force = false, TimeSpan? timeout = null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            server.Calls.Enqueue($"{action} {name}");
            var instance = server.InstanceTable.TryGetValue(name, out var i) ? i : throw new LxdNotFoundException($"Instance not found: {name}");
            instance.Status = action is "stop" or "freeze" ? (action == "stop" ? "Stopped" : "Frozen") : "Running";
            return Task.CompletedTask;
        }

        public Task UpdateAsync(string name, LxdInstance instance, CancellationToken cancellationToken, string? etag = null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (etag is not null && etag != Volatile.Read(ref _etag).ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                throw new LxdPreconditionFailedException("ETag mismatch");
            }

            server.Calls.Enqueue("update " + name);
            var current = server.InstanceTable.TryGetValue(name, out var i) ? i : throw new LxdNotFoundException($"Instance not found: {name}");
            current.Config = new(instance.Config);
            current.Profiles = new(instance.Profiles);
            Interlocked.Increment(ref _etag);
            return Task.CompletedTask;
        }

        public Task PatchAsync(string name, object changes, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task DeleteAsync(string name, CancellationToken cancellationToken, bool stopFirst = true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            server.Calls.Enqueue("delete " + name);
            return server.InstanceTable.TryRemove(name, out _) ? Task.CompletedTask : throw new LxdNotFoundException($"Instance not found: {name}");
        }

        private static LxdInstance Copy(LxdInstance i) => new()
        {
            Name = i.Name, Status = i.Status, Config = new(i.Config), Profiles = new(i.Profiles), Ephemeral = i.Ephemeral,
            Devices = i.Devices.ToDictionary(d => d.Key, d => new Dictionary<string, string>(d.Value)),
        };
    }

    private sealed class FakeExec(InMemoryServer server) : ILxdExec
    {
        public async Task<int> RunAsync(string instance, LxdExecRequest request, Stream? stdout, Stream? stderr, CancellationToken cancellationToken,
            Stream? stdin = null, TimeSpan? timeout = null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!server.InstanceTable.TryGetValue(instance, out var i) || !i.IsRunning)
            {
                throw new LxdApiException($"Instance {instance} is not running");
            }

            var command = request.Command[^1];
            server.Calls.Enqueue($"exec {instance} {command}");
            var code = await server.ExecRule(instance, command, cancellationToken);
            if (stdout is not null)
            {
                await stdout.WriteAsync(Encoding.UTF8.GetBytes(command + "\n"), cancellationToken);
            }

            return code;
        }

        public Task<LxdExecResult> RunCapturedAsync(string instance, LxdExecRequest request, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<LxdExecResult> RunRecordedAsync(string instance, LxdExecRequest request, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }

    private sealed class FakeImages(InMemoryServer server) : ILxdImages
    {
        public Task<LxdImage?> FindAsync(string aliasOrFingerprint, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var found = server.ImageTable.Values.FirstOrDefault(i => i.Aliases.Any(a => a.Name == aliasOrFingerprint))
                        ?? server.ImageTable.Values.FirstOrDefault(i => i.Fingerprint.StartsWith(aliasOrFingerprint, StringComparison.Ordinal));
            return Task.FromResult(found);
        }

        public Task<LxdImage> CopyFromAsync(LxdImageCopySource source, CancellationToken cancellationToken, IReadOnlyList<string>? aliases = null,
            bool @public = false, bool autoUpdate = false, IProgress<LxdOperation>? progress = null, TimeSpan? timeout = null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            server.Calls.Enqueue("copy image " + source.AliasOrFingerprint);
            server.WithImage(source.AliasOrFingerprint);
            return Task.FromResult(server.ImageTable[source.AliasOrFingerprint]);
        }

        public Task<LxdImageAlias> GetAliasAsync(string alias, CancellationToken cancellationToken) =>
            server.ImageTable.Values.FirstOrDefault(i => i.Aliases.Any(a => a.Name == alias)) is { } image
                ? Task.FromResult(new LxdImageAlias { Name = alias, Target = image.Fingerprint })
                : throw new LxdNotFoundException($"Image alias not found: {alias}");

        public Task CreateAliasAsync(string alias, string fingerprint, CancellationToken cancellationToken, string description = "")
        {
            server.Calls.Enqueue($"alias {alias} {fingerprint}");
            server.ImageTable[fingerprint].Aliases.Add(new LxdImageAliasRef { Name = alias });
            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<LxdImage>> ListAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<LxdImage>>(server.ImageTable.Values.ToList());

        public Task<LxdImage> GetAsync(string fingerprint, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<IReadOnlyList<LxdImageAlias>> ListAliasesAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<string> CreateSecretAsync(string fingerprint, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task DeleteAliasAsync(string alias, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task DeleteAsync(string fingerprint, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<LxdImage> PublishAsync(string instance, CancellationToken cancellationToken, IReadOnlyList<string>? aliases = null, bool @public = false) =>
            throw new NotSupportedException();

        public Task<IReadOnlyList<string>> ExportAsync(string fingerprint, string directory, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }

    private sealed class FakeNetworks(ILxdCollection<ServerNetwork> inner) : ILxdNetworks
    {
        public Task<IReadOnlyList<ServerNetwork>> ListAsync(CancellationToken cancellationToken) => inner.ListAsync(cancellationToken);
        public Task<IReadOnlyList<string>> ListNamesAsync(CancellationToken cancellationToken) => inner.ListNamesAsync(cancellationToken);
        public Task<ServerNetwork> GetAsync(string name, CancellationToken cancellationToken) => inner.GetAsync(name, cancellationToken);
        public Task<LxdVersioned<ServerNetwork>> GetVersionedAsync(string name, CancellationToken cancellationToken) => inner.GetVersionedAsync(name, cancellationToken);
        public Task<ServerNetwork?> TryGetAsync(string name, CancellationToken cancellationToken) => inner.TryGetAsync(name, cancellationToken);
        public Task<bool> ExistsAsync(string name, CancellationToken cancellationToken) => inner.ExistsAsync(name, cancellationToken);
        public Task CreateAsync(ServerNetwork item, CancellationToken cancellationToken) => inner.CreateAsync(item, cancellationToken);
        public Task UpdateAsync(string name, ServerNetwork item, CancellationToken cancellationToken, string? etag = null) =>
            inner.UpdateAsync(name, item, cancellationToken, etag);
        public Task DeleteAsync(string name, CancellationToken cancellationToken) => inner.DeleteAsync(name, cancellationToken);
        public Task<IReadOnlyList<ServerNetworkForward>> ListForwardsAsync(string network, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<ServerNetworkForward> GetForwardAsync(string network, string listenAddress, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task CreateForwardAsync(string network, ServerNetworkForward forward, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task UpdateForwardAsync(string network, ServerNetworkForward forward, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task DeleteForwardAsync(string network, string listenAddress, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}

/// <summary>Named server objects in memory; creations are recorded as "create &lt;what&gt; &lt;name&gt;".</summary>
internal sealed class FakeCollection<T>(string what, Func<T, string> nameOf) : ILxdCollection<T>
    where T : class
{
    private readonly ConcurrentDictionary<string, T> _items = new(StringComparer.Ordinal);
    private ConcurrentQueue<string>? _calls;

    public FakeCollection<T> WithCalls(ConcurrentQueue<string> calls)
    {
        _calls = calls;
        return this;
    }

    public void Add(T item) => _items[nameOf(item)] = item;

    public Task<IReadOnlyList<T>> ListAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<T>>(_items.Values.ToList());
    public Task<IReadOnlyList<string>> ListNamesAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>(_items.Keys.ToList());

    public Task<T> GetAsync(string name, CancellationToken cancellationToken) =>
        _items.TryGetValue(name, out var item) ? Task.FromResult(item) : throw new LxdNotFoundException($"{what} not found: {name}");

    public async Task<LxdVersioned<T>> GetVersionedAsync(string name, CancellationToken cancellationToken) => new(await GetAsync(name, cancellationToken), "1");
    public Task<T?> TryGetAsync(string name, CancellationToken cancellationToken) => Task.FromResult(_items.TryGetValue(name, out var item) ? item : null);
    public Task<bool> ExistsAsync(string name, CancellationToken cancellationToken) => Task.FromResult(_items.ContainsKey(name));

    public Task CreateAsync(T item, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _calls?.Enqueue($"create {what} {nameOf(item)}");
        Add(item);
        return Task.CompletedTask;
    }

    public Task UpdateAsync(string name, T item, CancellationToken cancellationToken, string? etag = null) => throw new NotSupportedException();
    public Task DeleteAsync(string name, CancellationToken cancellationToken) => throw new NotSupportedException();
}
