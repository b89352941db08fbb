using LxdCompose.Lxd.Config;
using LxdCompose.Lxd.Transport;

namespace LxdCompose.Lxd;

/// <summary>How to connect, beyond what config.yml says.</summary>
public sealed record LxdConnectOptions
{
    /// <summary>LXD or Incus; null: from the remote's protocol (<c>incus</c>) or detected from the server.</summary>
    public LxdDialect? Dialect { get; init; }

    /// <summary>Overrides the remote's <c>project</c>.</summary>
    public string? Project { get; init; }

    public TimeSpan? RequestTimeout { get; init; }

    /// <summary>Limit of opening a connection; null: only the request timeout limits it.</summary>
    public TimeSpan? ConnectTimeout { get; init; }

    /// <summary>Attempts for idempotent reads and for connecting; null: the transport's default.</summary>
    public int? MaxAttempts { get; init; }

    /// <summary>Limit of an operation wait that names none of its own; null: no limit.</summary>
    public TimeSpan? OperationTimeout { get; init; }
}

/// <summary>Builds clients from an lxc/incus client configuration: remote by name, socket path, or a group's connection.</summary>
public static class LxdConnector
{
    /// <summary>A client of the named remote (null: <c>default-remote</c>), with its pinned certificate and the client identity.</summary>
    public static LxdClient Connect(LxdClientConfig config, string? remoteName = null, LxdConnectOptions? options = null)
    {
        var remote = config.GetRemote(string.IsNullOrEmpty(remoteName) ? config.DefaultRemote : remoteName);
        if (!remote.IsApiServer)
        {
            throw new LxdConfigException(
                $"The remote '{remote.Name}' is a {remote.Protocol} image server, not an LXD or Incus server: use it as an image source.")
            { Target = remote.Name };
        }

        var settings = options ?? new LxdConnectOptions();
        var dialect = settings.Dialect ?? (string.Equals(remote.Protocol, "incus", StringComparison.OrdinalIgnoreCase) ? LxdDialect.Incus : null);
        var endpoint = LxdEndpoint.Parse(remote.Address, dialect);
        var transportOptions = new LxdTransportOptions
        {
            DisplayName = $"remote '{remote.Name}' ({endpoint})",
            RequestTimeout = settings.RequestTimeout ?? new LxdTransportOptions().RequestTimeout,
            ConnectTimeout = settings.ConnectTimeout,
            MaxAttempts = settings.MaxAttempts ?? new LxdTransportOptions().MaxAttempts,
        };
        if (!endpoint.IsUnixSocket)
        {
            transportOptions = transportOptions with
            {
                PinnedServerCertificate = config.LoadPinnedCertificate(remote.Name),
                ClientCertificate = !remote.Public && config.HasClientIdentity
                    ? LxdCertificateFiles.LoadClientIdentity(config.ClientCertificatePath, config.ClientKeyPath)
                    : null,
            };
        }

        var project = settings.Project ?? remote.Project;
        return new LxdClient(
            new LxdTransport(endpoint, transportOptions),
            new LxdClientOptions
            {
                RemoteName = remote.Name,
                Project = string.IsNullOrEmpty(project) || project == "default" ? null : project,
                Dialect = dialect,
                OperationTimeout = settings.OperationTimeout,
            });
    }

    /// <summary>A client of a unix socket (path, or <c>unix://</c> for the default socket).</summary>
    public static LxdClient ConnectSocket(string socket, LxdConnectOptions? options = null)
    {
        var settings = options ?? new LxdConnectOptions();
        var endpoint = LxdEndpoint.Parse(socket.StartsWith("unix:", StringComparison.OrdinalIgnoreCase) ? socket : "unix:" + socket, settings.Dialect);
        return new LxdClient(
            new LxdTransport(endpoint, new LxdTransportOptions
            {
                RequestTimeout = settings.RequestTimeout ?? new LxdTransportOptions().RequestTimeout,
                ConnectTimeout = settings.ConnectTimeout,
                MaxAttempts = settings.MaxAttempts ?? new LxdTransportOptions().MaxAttempts,
            }),
            new LxdClientOptions { Project = settings.Project, Dialect = settings.Dialect, OperationTimeout = settings.OperationTimeout });
    }

    /// <summary>
    /// The server of an lxd-compose group: a <c>connection</c> starting with <c>unix:</c> is a socket; another non-empty
    /// value names a remote; empty uses <c>default-remote</c>. <c>connection_type</c> (<c>lxd-6</c>, <c>incus</c>) fixes the
    /// dialect when set; otherwise it is detected from the server.
    /// </summary>
    public static LxdClient ForGroup(LxdClientConfig config, string? connection, string? connectionType, LxdConnectOptions? options = null)
    {
        var settings = (options ?? new LxdConnectOptions()) with { Dialect = LxdDialect.FromConnectionType(connectionType) ?? options?.Dialect };
        return RemoteOf(config, connection) is { } remote ? Connect(config, remote, settings) : ConnectSocket(connection!, settings);
    }

    /// <summary>
    /// The remote a group's <c>connection</c> names: itself, or <c>default-remote</c> when empty; null for a
    /// <c>unix:</c> socket path, which needs no remote.
    /// </summary>
    public static string? RemoteOf(LxdClientConfig config, string? connection)
    {
        ArgumentNullException.ThrowIfNull(config);
        return connection is { Length: > 0 } value
            ? value.StartsWith("unix:", StringComparison.OrdinalIgnoreCase) ? null : value
            : config.DefaultRemote;
    }
}
