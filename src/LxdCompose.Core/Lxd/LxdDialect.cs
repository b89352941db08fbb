namespace LxdCompose.Lxd;

/// <summary>
/// What differs between LXD and Incus at the REST level: the file header prefix, the server's self-name in
/// <c>GET /1.0</c>, environment variables and default paths. Paths, envelope and operations are the same.
/// </summary>
public sealed class LxdDialect
{
    public static readonly LxdDialect Lxd = new("lxd", "LXD", "LXD", "/var/lib/lxd/unix.socket", "https://images.lxd.canonical.com");

    public static readonly LxdDialect Incus = new("incus", "Incus", "INCUS", "/var/lib/incus/unix.socket", "https://images.linuxcontainers.org");

    private LxdDialect(string serverName, string headerWord, string environmentPrefix, string defaultSocket, string imagesAddress)
    {
        ServerName = serverName;
        HeaderPrefix = $"X-{headerWord}-";
        EnvironmentPrefix = environmentPrefix;
        DefaultSocket = defaultSocket;
        ImagesRemoteAddress = imagesAddress;
    }

    /// <summary><c>environment.server</c> of <c>GET /1.0</c>: <c>lxd</c> or <c>incus</c>.</summary>
    public string ServerName { get; }

    /// <summary><c>X-LXD-</c> or <c>X-Incus-</c>: the prefix of the file API's uid/gid/mode/type/write headers.</summary>
    public string HeaderPrefix { get; }

    /// <summary><c>LXD</c> or <c>INCUS</c>: prefix of <c>_SOCKET</c>, <c>_DIR</c>, <c>_CONF</c>.</summary>
    public string EnvironmentPrefix { get; }

    public string DefaultSocket { get; }

    /// <summary>The built-in <c>images</c> remote (simplestreams).</summary>
    public string ImagesRemoteAddress { get; }

    public string Header(string name) => HeaderPrefix + name;

    public override string ToString() => ServerName;

    /// <summary>The dialect a server names itself with; unknown names are LXD (the protocol Incus forked from).</summary>
    public static LxdDialect FromServerName(string? serverName) =>
        string.Equals(serverName, "incus", StringComparison.OrdinalIgnoreCase) ? Incus : Lxd;

    /// <summary>
    /// A group's <c>connection_type</c>: <c>incus</c> → Incus, <c>lxd</c>/<c>lxd-6</c>/any <c>lxd-*</c> → LXD, empty → null
    /// (detect from the server). Anything else is a configuration error.
    /// </summary>
    public static LxdDialect? FromConnectionType(string? connectionType)
    {
        if (string.IsNullOrWhiteSpace(connectionType))
        {
            return null;
        }

        var value = connectionType.Trim();
        if (value.Equals("incus", StringComparison.OrdinalIgnoreCase))
        {
            return Incus;
        }

        if (value.Equals("lxd", StringComparison.OrdinalIgnoreCase) || value.StartsWith("lxd-", StringComparison.OrdinalIgnoreCase))
        {
            return Lxd;
        }

        throw new LxdConfigException(
            $"Unknown connection_type '{connectionType}': use 'lxd-6' (or 'lxd') for LXD, 'incus' for Incus, or leave it empty to detect it.");
    }
}
