namespace LxdCompose.Lxd.Config;

/// <summary>One entry of config.yml's <c>remotes</c>.</summary>
public sealed record LxdRemoteConfig
{
    public LxdRemoteConfig(string name, string address)
    {
        Name = name;
        Address = address;
    }

    public string Name { get; init; }

    /// <summary><c>addr</c>: <c>unix://</c>, <c>unix:/path</c> or <c>https://host:port</c>.</summary>
    public string Address { get; init; }

    /// <summary><c>lxd</c>, <c>incus</c>, <c>simplestreams</c> (or <c>oci</c> in Incus configs).</summary>
    public string Protocol { get; init; } = "lxd";

    /// <summary><c>tls</c>, <c>oidc</c>, or empty for public and unix remotes.</summary>
    public string AuthType { get; init; } = string.Empty;

    /// <summary>LXD project the remote's calls are scoped to; empty or <c>default</c>: the default project.</summary>
    public string Project { get; init; } = string.Empty;

    /// <summary>A public image server (no client certificate is presented).</summary>
    public bool Public { get; init; }

    /// <summary>Built in (<c>local</c>, <c>images</c>), not read from config.yml.</summary>
    public bool IsBuiltIn { get; init; }

    public bool IsUnixSocket => Address.StartsWith("unix:", StringComparison.OrdinalIgnoreCase);

    public bool IsSimplestreams => string.Equals(Protocol, "simplestreams", StringComparison.OrdinalIgnoreCase);

    /// <summary>An LXD/Incus API server (as opposed to a simplestreams image server).</summary>
    public bool IsApiServer => !IsSimplestreams && !string.Equals(Protocol, "oci", StringComparison.OrdinalIgnoreCase);
}
