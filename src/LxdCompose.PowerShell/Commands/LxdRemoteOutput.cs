namespace LxdCompose.PowerShell;

/// <summary>A remote of an lxc/incus client configuration, as Get-LxdRemote and Add-LxdRemote output it.</summary>
public sealed class LxdRemoteInfo
{
    public LxdRemoteInfo()
    {
    }

    /// <summary>A remote given by name only (<c>-Remote vm1</c>): looked up in the client configuration of the specs.</summary>
    public LxdRemoteInfo(string name) => Name = name;

    public string Name { get; init; } = string.Empty;
    public string Address { get; init; } = string.Empty;
    /// <summary><c>lxd</c>, <c>incus</c> or <c>simplestreams</c>.</summary>
    public string Protocol { get; init; } = string.Empty;
    /// <summary><c>tls</c>, <c>oidc</c>, or empty.</summary>
    public string AuthType { get; init; } = string.Empty;
    /// <summary>The LXD project on the server that the remote uses (config.yml <c>project</c>), not a project of the specs.</summary>
    public string Project { get; init; } = string.Empty;
    public bool Public { get; init; }
    /// <summary>The <c>default-remote</c> of the configuration.</summary>
    public bool IsDefault { get; init; }
    /// <summary>Built in (<c>local</c>, <c>images</c>) rather than written in config.yml.</summary>
    public bool IsBuiltIn { get; init; }
    /// <summary>SHA-256 of the certificate pinned in servercerts/, or null when none is pinned.</summary>
    public string? PinnedFingerprint { get; init; }
    public string ConfigDirectory { get; init; } = string.Empty;

    public override string ToString() => Name;
}

/// <summary>What Test-LxdRemote found out about a remote.</summary>
public sealed class LxdRemoteTestResult
{
    public string Name { get; init; } = string.Empty;
    public string Address { get; init; } = string.Empty;
    public bool Reachable { get; init; }
    public bool Trusted { get; init; }
    public string? ServerVersion { get; init; }
    /// <summary><c>lxd</c> or <c>incus</c>; null when not reached or a simplestreams server.</summary>
    public string? Dialect { get; init; }
    public string? Fingerprint { get; init; }
    /// <summary>Why the test failed; null when reachable and trusted.</summary>
    public string? Problem { get; init; }

    public override string ToString() => $"{Name}: {(Reachable ? Trusted ? "trusted" : "untrusted" : "unreachable")}";
}
