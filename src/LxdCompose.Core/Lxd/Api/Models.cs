using System.Text.Json;
using System.Text.Json.Serialization;

namespace LxdCompose.Lxd.Api;

// Typed shapes of the LXD 1.0 REST API. Names map to snake_case; dashed names are spelled out.
// Read-only fields (used_by, status, ...) are ignored by the server when an object is sent back with PUT.

public sealed class LxdServerInfo
{
    public List<string> ApiExtensions { get; set; } = new();
    public string ApiStatus { get; set; } = string.Empty;
    public string ApiVersion { get; set; } = string.Empty;
    /// <summary><c>trusted</c> or <c>untrusted</c>.</summary>
    public string Auth { get; set; } = string.Empty;
    public List<string> AuthMethods { get; set; } = new();
    public Dictionary<string, JsonElement> Config { get; set; } = new();
    public LxdServerEnvironment Environment { get; set; } = new();
    public bool Public { get; set; }

    public bool IsTrusted => string.Equals(Auth, "trusted", StringComparison.Ordinal);

    public bool HasExtension(string name) => ApiExtensions.Contains(name, StringComparer.Ordinal);
}

public sealed class LxdServerEnvironment
{
    public List<string> Addresses { get; set; } = new();
    public List<string> Architectures { get; set; } = new();
    public string Certificate { get; set; } = string.Empty;
    public string CertificateFingerprint { get; set; } = string.Empty;
    public string KernelVersion { get; set; } = string.Empty;
    public string Project { get; set; } = string.Empty;
    /// <summary><c>lxd</c> or <c>incus</c>.</summary>
    public string Server { get; set; } = string.Empty;
    public string ServerName { get; set; } = string.Empty;
    public string ServerVersion { get; set; } = string.Empty;
    public string Storage { get; set; } = string.Empty;
}

public sealed class LxdOperation
{
    public string Id { get; set; } = string.Empty;
    public string Class { get; set; } = string.Empty;
    public string Description { get; set; } = string.Empty;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string Status { get; set; } = string.Empty;
    public int StatusCode { get; set; }
    public Dictionary<string, List<string>>? Resources { get; set; }
    public JsonElement Metadata { get; set; }
    public bool MayCancel { get; set; }
    public string Err { get; set; } = string.Empty;
    public string Location { get; set; } = string.Empty;

    /// <summary>Created (100) through Running (103): not finished yet.</summary>
    public bool IsRunning => StatusCode is >= 100 and < 200;

    public bool Succeeded => StatusCode == 200;

    /// <summary>An entry of the operation's metadata as text, e.g. <c>download_progress</c>.</summary>
    public string? MetadataText(string key) =>
        Metadata.ValueKind == JsonValueKind.Object && Metadata.TryGetProperty(key, out var value)
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
            : null;
}

public sealed class LxdInstance
{
    public string Name { get; set; } = string.Empty;
    public string Description { get; set; } = string.Empty;
    /// <summary><c>container</c> or <c>virtual-machine</c>.</summary>
    public string Type { get; set; } = "container";
    public string Status { get; set; } = string.Empty;
    public int StatusCode { get; set; }
    public string Architecture { get; set; } = string.Empty;
    public Dictionary<string, string> Config { get; set; } = new();
    public Dictionary<string, Dictionary<string, string>> Devices { get; set; } = new();
    public Dictionary<string, string>? ExpandedConfig { get; set; }
    public Dictionary<string, Dictionary<string, string>>? ExpandedDevices { get; set; }
    public bool Ephemeral { get; set; }
    public List<string> Profiles { get; set; } = new();
    public bool Stateful { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string Location { get; set; } = string.Empty;
    public string Project { get; set; } = string.Empty;
    /// <summary>The runtime state (addresses, processes); only in lists read with recursion 2.</summary>
    public LxdInstanceState? State { get; set; }

    [JsonIgnore]
    public bool IsRunning => string.Equals(Status, "Running", StringComparison.OrdinalIgnoreCase);
}

/// <summary>What <c>POST /1.0/instances</c> takes.</summary>
public sealed class LxdInstanceCreateRequest
{
    public string Name { get; set; } = string.Empty;
    public string Type { get; set; } = "container";
    public string? Description { get; set; }
    public List<string>? Profiles { get; set; }
    public Dictionary<string, string> Config { get; set; } = new();
    public Dictionary<string, Dictionary<string, string>> Devices { get; set; } = new();
    public bool Ephemeral { get; set; }
    public LxdInstanceSource Source { get; set; } = new();
}

/// <summary>
/// An instance's source: a local image (<see cref="Fingerprint"/> or <see cref="Alias"/>), or an image the server pulls
/// (<see cref="Mode"/> <c>pull</c>, <see cref="Server"/>, <see cref="Protocol"/> <c>lxd</c>|<c>simplestreams</c>).
/// </summary>
public sealed class LxdInstanceSource
{
    public string Type { get; set; } = "image";
    public string? Mode { get; set; }
    public string? Server { get; set; }
    public string? Protocol { get; set; }
    public string? Alias { get; set; }
    public string? Fingerprint { get; set; }
    /// <summary>PEM of the image server's certificate, for an LXD-protocol server whose certificate is not chain-valid.</summary>
    public string? Certificate { get; set; }
    public string? Secret { get; set; }
    public string? Project { get; set; }
    /// <summary>Type <c>copy</c>: the instance copied.</summary>
    public string? Source { get; set; }
    /// <summary>Type <c>copy</c>: without its snapshots.</summary>
    public bool? InstanceOnly { get; set; }
    /// <summary>Type <c>copy</c>: a live (stateful) copy of a running instance.</summary>
    public bool? Live { get; set; }
    /// <summary>Type <c>copy</c>: a running instance's files may change while copied.</summary>
    public bool? AllowInconsistent { get; set; }
}

public sealed class LxdInstanceState
{
    public string Status { get; set; } = string.Empty;
    public int StatusCode { get; set; }
    public long Pid { get; set; }
    public long Processes { get; set; }
    public Dictionary<string, LxdNetworkInterfaceState>? Network { get; set; }

    /// <summary>Global IPv4 addresses of the non-loopback interfaces (what lxd-compose's wait_ip waits for).</summary>
    public IEnumerable<string> GlobalIPv4Addresses() => GlobalAddresses("inet");

    /// <summary>Global IPv6 addresses of the non-loopback interfaces.</summary>
    public IEnumerable<string> GlobalIPv6Addresses() => GlobalAddresses("inet6");

    private IEnumerable<string> GlobalAddresses(string family) =>
        (Network ?? new Dictionary<string, LxdNetworkInterfaceState>())
            .Where(n => n.Key != "lo" && n.Value.Type != "loopback")
            .SelectMany(n => n.Value.Addresses)
            .Where(a => a.Family == family && a.Scope == "global" && a.Address.Length > 0)
            .Select(a => a.Address);
}

public sealed class LxdNetworkInterfaceState
{
    public List<LxdInterfaceAddress> Addresses { get; set; } = new();
    public string Hwaddr { get; set; } = string.Empty;
    public string HostName { get; set; } = string.Empty;
    public string State { get; set; } = string.Empty;
    public string Type { get; set; } = string.Empty;
}

public sealed class LxdInterfaceAddress
{
    public string Family { get; set; } = string.Empty;
    public string Address { get; set; } = string.Empty;
    public string Netmask { get; set; } = string.Empty;
    public string Scope { get; set; } = string.Empty;
}

internal sealed class LxdInstanceStateRequest
{
    public string Action { get; set; } = string.Empty;
    public int Timeout { get; set; }
    public bool Force { get; set; }
    public bool Stateful { get; set; }
}

internal sealed class LxdExecPost
{
    public List<string> Command { get; set; } = new();
    public Dictionary<string, string> Environment { get; set; } = new();
    [JsonPropertyName("wait-for-websocket")]
    public bool WaitForWebsocket { get; set; }
    [JsonPropertyName("record-output")]
    public bool RecordOutput { get; set; }
    public bool Interactive { get; set; }
    public int Width { get; set; }
    public int Height { get; set; }
    public int? User { get; set; }
    public int? Group { get; set; }
    public string? Cwd { get; set; }
}

public sealed class LxdImage
{
    public string Fingerprint { get; set; } = string.Empty;
    public string Filename { get; set; } = string.Empty;
    public long Size { get; set; }
    public string Architecture { get; set; } = string.Empty;
    public string Type { get; set; } = string.Empty;
    public bool Public { get; set; }
    public bool AutoUpdate { get; set; }
    public bool Cached { get; set; }
    public Dictionary<string, string> Properties { get; set; } = new();
    public List<LxdImageAliasRef> Aliases { get; set; } = new();
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UploadedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}

public sealed class LxdImageAliasRef
{
    public string Name { get; set; } = string.Empty;
    public string Description { get; set; } = string.Empty;
}

public sealed class LxdImageAlias
{
    public string Name { get; set; } = string.Empty;
    public string Description { get; set; } = string.Empty;
    public string Target { get; set; } = string.Empty;
    public string Type { get; set; } = string.Empty;
}

/// <summary>What <c>POST /1.0/images</c> takes to copy an image from another server.</summary>
internal sealed class LxdImageCopyRequest
{
    public LxdInstanceSource Source { get; set; } = new();
    public bool Public { get; set; }
    public bool AutoUpdate { get; set; }
    public List<LxdImageAliasRef>? Aliases { get; set; }
}

public sealed class ServerProfile
{
    public string Name { get; set; } = string.Empty;
    public string Description { get; set; } = string.Empty;
    public Dictionary<string, string> Config { get; set; } = new();
    public Dictionary<string, Dictionary<string, string>> Devices { get; set; } = new();
    public List<string>? UsedBy { get; set; }
}

public sealed class ServerNetwork
{
    public string Name { get; set; } = string.Empty;
    public string Description { get; set; } = string.Empty;
    public string Type { get; set; } = string.Empty;
    public bool Managed { get; set; }
    public string Status { get; set; } = string.Empty;
    public Dictionary<string, string> Config { get; set; } = new();
    public List<string>? UsedBy { get; set; }
}

public sealed class ServerNetworkForward
{
    public string ListenAddress { get; set; } = string.Empty;
    public string Description { get; set; } = string.Empty;
    public Dictionary<string, string> Config { get; set; } = new();
    public List<ServerNetworkForwardPort> Ports { get; set; } = new();
}

public sealed class ServerNetworkForwardPort
{
    public string Description { get; set; } = string.Empty;
    public string Protocol { get; set; } = "tcp";
    public string ListenPort { get; set; } = string.Empty;
    public string TargetPort { get; set; } = string.Empty;
    public string TargetAddress { get; set; } = string.Empty;
}

public sealed class ServerStoragePool
{
    public string Name { get; set; } = string.Empty;
    public string Description { get; set; } = string.Empty;
    public string Driver { get; set; } = string.Empty;
    public string Status { get; set; } = string.Empty;
    public Dictionary<string, string> Config { get; set; } = new();
    public List<string>? UsedBy { get; set; }
}

public sealed class ServerNetworkAcl
{
    public string Name { get; set; } = string.Empty;
    public string Description { get; set; } = string.Empty;
    public Dictionary<string, string> Config { get; set; } = new();
    public List<ServerNetworkAclRule> Egress { get; set; } = new();
    public List<ServerNetworkAclRule> Ingress { get; set; } = new();
    public List<string>? UsedBy { get; set; }
}

public sealed class ServerNetworkAclRule
{
    public string Action { get; set; } = string.Empty;
    public string State { get; set; } = "enabled";
    public string Description { get; set; } = string.Empty;
    public string Source { get; set; } = string.Empty;
    public string Destination { get; set; } = string.Empty;
    public string Protocol { get; set; } = string.Empty;
    public string SourcePort { get; set; } = string.Empty;
    public string DestinationPort { get; set; } = string.Empty;
    public string IcmpType { get; set; } = string.Empty;
    public string IcmpCode { get; set; } = string.Empty;
}

public sealed class ServerCertificate
{
    public string Name { get; set; } = string.Empty;
    public string Type { get; set; } = "client";
    public bool Restricted { get; set; }
    public List<string> Projects { get; set; } = new();
    /// <summary>PEM of the certificate (as the server returns it).</summary>
    public string Certificate { get; set; } = string.Empty;
    public string Fingerprint { get; set; } = string.Empty;
    public string Description { get; set; } = string.Empty;
}

internal sealed class LxdCertificateAddRequest
{
    public string? Name { get; set; }
    public string Type { get; set; } = "client";
    public bool Restricted { get; set; }
    public List<string>? Projects { get; set; }
    /// <summary>Base64 of the DER certificate; empty: the server takes the TLS client certificate.</summary>
    public string? Certificate { get; set; }
    /// <summary>The trust token on servers with <c>explicit_trust_token</c>.</summary>
    public string? TrustToken { get; set; }
    /// <summary>The trust token on older servers (LXD 5.0), which take it in the password field.</summary>
    public string? Password { get; set; }
    /// <summary>True asks the server to issue a token for a client instead of adding a certificate.</summary>
    public bool? Token { get; set; }
}
