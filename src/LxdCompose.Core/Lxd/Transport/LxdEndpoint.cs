namespace LxdCompose.Lxd.Transport;

/// <summary>Where a remote is: a unix socket path or an HTTPS base address. Parsed from a config.yml <c>addr</c>.</summary>
public sealed record LxdEndpoint
{
    /// <summary>The host name LXD's own clients put in unix-socket URLs; the server ignores it.</summary>
    internal const string UnixHost = "unix.socket";

    private LxdEndpoint(string address, string? socketPath, Uri? httpsBase)
    {
        Address = address;
        SocketPath = socketPath;
        HttpsBase = httpsBase;
    }

    /// <summary>The address as configured.</summary>
    public string Address { get; }

    /// <summary>The unix socket path, for a unix endpoint.</summary>
    public string? SocketPath { get; }

    /// <summary>scheme://host:port, for an HTTPS endpoint.</summary>
    public Uri? HttpsBase { get; }

    public bool IsUnixSocket => SocketPath is not null;

    /// <summary>The base URI requests are built on: <c>http://unix.socket</c> or the HTTPS address.</summary>
    public Uri BaseUri => HttpsBase ?? new Uri($"http://{UnixHost}");

    /// <summary>The websocket base: <c>ws://unix.socket</c> or <c>wss://host:port</c>.</summary>
    public Uri WebSocketBase => HttpsBase is { } https
        ? new UriBuilder(https) { Scheme = "wss" }.Uri
        : new Uri($"ws://{UnixHost}");

    public override string ToString() => SocketPath ?? HttpsBase!.GetLeftPart(UriPartial.Authority);

    /// <summary>
    /// <c>unix://</c> (the dialect's default socket), <c>unix:///path</c>, <c>unix:/path</c>, <c>https://host[:port]</c>,
    /// or <c>host[:port]</c> (HTTPS, port 8443 by default, like lxc).
    /// </summary>
    public static LxdEndpoint Parse(string address, LxdDialect? dialect = null, Func<string, string?>? environment = null)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            throw new LxdConfigException("The remote address is empty.");
        }

        var text = address.Trim();
        if (text.StartsWith("unix:", StringComparison.OrdinalIgnoreCase))
        {
            var path = text["unix:".Length..];
            if (path.StartsWith("//", StringComparison.Ordinal))
            {
                path = path[2..];
            }

            return new LxdEndpoint(text, path.Length == 0 ? DefaultSocket(dialect, environment) : path, null);
        }

        if (text.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            throw new LxdConfigException($"The address '{address}' uses plain HTTP: LXD remotes are reached over HTTPS only.");
        }

        var withScheme = text.Contains("://", StringComparison.Ordinal) ? text : "https://" + text;
        if (!Uri.TryCreate(withScheme, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || uri.Host.Length == 0)
        {
            throw new LxdConfigException($"The address '{address}' is neither https://host[:port] nor a unix socket (unix:// or unix:/path).");
        }

        var port = HasExplicitPort(withScheme) ? uri.Port : 8443;
        return new LxdEndpoint(text, null, new UriBuilder(Uri.UriSchemeHttps, uri.Host, port).Uri);
    }

    private static bool HasExplicitPort(string text)
    {
        var authority = text[(text.IndexOf("://", StringComparison.Ordinal) + 3)..].Split('/')[0];
        return authority.LastIndexOf(':') > authority.LastIndexOf(']');
    }

    /// <summary>
    /// The socket of <c>unix://</c>: <c>$LXD_SOCKET</c>, <c>$LXD_DIR/unix.socket</c>, <c>/var/lib/lxd/unix.socket</c>, then the
    /// snap's socket (Incus: <c>$INCUS_SOCKET</c>, <c>$INCUS_DIR</c>, <c>/var/lib/incus</c>, <c>/run/incus</c>). The first that
    /// exists wins; when none exists the first candidate is named in the error later.
    /// </summary>
    public static string DefaultSocket(LxdDialect? dialect, Func<string, string?>? environment = null)
    {
        var candidates = DefaultSocketCandidates(dialect, environment ?? Environment.GetEnvironmentVariable).ToList();
        return candidates.FirstOrDefault(File.Exists) ?? candidates[0];
    }

    internal static IEnumerable<string> DefaultSocketCandidates(LxdDialect? dialect, Func<string, string?> environment)
    {
        var dialects = dialect is null ? new[] { LxdDialect.Lxd, LxdDialect.Incus } : new[] { dialect };
        foreach (var d in dialects)
        {
            if (environment(d.EnvironmentPrefix + "_SOCKET") is { Length: > 0 } socket)
            {
                yield return socket;
            }

            if (environment(d.EnvironmentPrefix + "_DIR") is { Length: > 0 } dir)
            {
                yield return Path.Combine(dir, "unix.socket");
            }

            yield return d.DefaultSocket;
            yield return ReferenceEquals(d, LxdDialect.Incus) ? "/run/incus/unix.socket" : "/var/snap/lxd/common/lxd/unix.socket";
        }
    }
}
