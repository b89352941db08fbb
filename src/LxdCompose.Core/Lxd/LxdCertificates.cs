using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using LxdCompose.Lxd.Api;
using LxdCompose.Lxd.Transport;

namespace LxdCompose.Lxd;

/// <summary>
/// A trust token as <c>lxc config trust add</c> prints it: base64 of JSON with the server's certificate fingerprint, its
/// addresses and a one-time secret. The secret never appears in <see cref="ToString"/>.
/// </summary>
public sealed class LxdTrustToken
{
    [JsonPropertyName("client_name")]
    public string ClientName { get; set; } = string.Empty;

    [JsonPropertyName("fingerprint")]
    public string Fingerprint { get; set; } = string.Empty;

    [JsonPropertyName("addresses")]
    public List<string> Addresses { get; set; } = new();

    [JsonPropertyName("secret")]
    public string Secret { get; set; } = string.Empty;

    [JsonPropertyName("expires_at")]
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>Set when the token was issued by the fine-grained auth API (identities) rather than /1.0/certificates.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    /// <summary>The token text as given, which is what the server expects back.</summary>
    [JsonIgnore]
    public string Encoded { get; private set; } = string.Empty;

    public static LxdTrustToken Parse(string token)
    {
        var text = token.Trim();
        try
        {
            var padded = text.Replace('-', '+').Replace('_', '/');
            padded = padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '=');
            var parsed = JsonSerializer.Deserialize<LxdTrustToken>(Convert.FromBase64String(padded))
                ?? throw new FormatException("empty token");
            if (parsed.Fingerprint.Length == 0 || parsed.Secret.Length == 0)
            {
                throw new FormatException("it has no fingerprint or no secret");
            }

            parsed.Encoded = text;
            return parsed;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw new LxdConfigException(
                "The trust token is not valid (expected the base64 text printed by `lxc config trust add`): " + e.Message);
        }
    }

    /// <summary>Builds a token like the server's (for tokens created through the API).</summary>
    public static LxdTrustToken Create(string clientName, string fingerprint, IEnumerable<string> addresses, string secret, DateTimeOffset? expiresAt)
    {
        var token = new LxdTrustToken
        {
            ClientName = clientName,
            Fingerprint = fingerprint,
            Addresses = addresses.ToList(),
            Secret = secret,
            ExpiresAt = expiresAt,
        };
        token.Encoded = Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(token));
        return token;
    }

    public override string ToString() => $"trust token for '{ClientName}' (server {Fingerprint[..Math.Min(12, Fingerprint.Length)]})";
}

/// <summary>The server's trust store: list, add (directly or with a trust token), issue tokens, remove.</summary>
public sealed class LxdCertificates : ILxdCertificates
{
    private readonly LxdClient _client;

    internal LxdCertificates(LxdClient client) => _client = client;

    public async Task<IReadOnlyList<ServerCertificate>> ListAsync(CancellationToken cancellationToken)
    {
        var response = await _client.GetAsync(_client.Url("/1.0/certificates", false, ("recursion", "1")), cancellationToken).ConfigureAwait(false);
        return response.As<List<ServerCertificate>>("certificate list");
    }

    public async Task<ServerCertificate> GetAsync(string fingerprint, CancellationToken cancellationToken)
    {
        var response = await _client.GetAsync(_client.Url($"/1.0/certificates/{LxdClient.Segment(fingerprint)}", false), cancellationToken).ConfigureAwait(false);
        return response.As<ServerCertificate>("certificate");
    }

    /// <summary>Adds a certificate as a trusted client (needs a trusted connection).</summary>
    public Task AddAsync(X509Certificate2 certificate, string name, CancellationToken cancellationToken, bool restricted = false, IReadOnlyList<string>? projects = null) =>
        _client.SendAsync(HttpMethod.Post, _client.Url("/1.0/certificates", false), new LxdCertificateAddRequest
        {
            Name = name,
            Certificate = Convert.ToBase64String(certificate.RawData),
            Restricted = restricted,
            Projects = projects?.ToList(),
        }, cancellationToken);

    public Task CreateAsync(ServerCertificate certificate, CancellationToken cancellationToken) =>
        _client.SendAsync(HttpMethod.Post, _client.Url("/1.0/certificates", false), new LxdCertificateAddRequest
        {
            Name = certificate.Name,
            Type = certificate.Type.Length > 0 ? certificate.Type : "client",
            Certificate = certificate.Certificate,
            Restricted = certificate.Restricted,
            Projects = certificate.Restricted ? certificate.Projects.ToList() : null,
        }, cancellationToken);

    /// <summary>
    /// Has the server trust the TLS client certificate of this connection by presenting a trust token. The caller must
    /// have checked the token's fingerprint against the server first (see <see cref="LxdRemoteOnboarding"/>). A server
    /// that already trusts the certificate (409) counts as success, as with lxc.
    /// </summary>
    public async Task AddWithTokenAsync(LxdTrustToken token, X509Certificate2 clientCertificate, CancellationToken cancellationToken, string? name = null)
    {
        var server = await _client.GetServerAsync(cancellationToken).ConfigureAwait(false);
        var request = new LxdCertificateAddRequest
        {
            Name = name ?? token.ClientName,
            Certificate = Convert.ToBase64String(clientCertificate.RawData),
        };
        if (server.HasExtension("explicit_trust_token"))
        {
            request.TrustToken = token.Encoded;
        }
        else
        {
            request.Password = token.Encoded;
        }

        try
        {
            await _client.SendAsync(HttpMethod.Post, _client.Url("/1.0/certificates", false), request, cancellationToken).ConfigureAwait(false);
        }
        catch (LxdConflictException)
        {
            // Already trusted.
        }
        catch (LxdApiException e) when (e.ServerError?.Contains("already in trust store", StringComparison.OrdinalIgnoreCase) == true)
        {
            // Older servers say so with another status.
        }
    }

    /// <summary>Issues a trust token for a new client (like <c>lxc config trust add</c>); needs a trusted connection.</summary>
    public async Task<LxdTrustToken> CreateTokenAsync(string clientName, CancellationToken cancellationToken)
    {
        var response = await _client.SendAsync(
            HttpMethod.Post, _client.Url("/1.0/certificates", false), new LxdCertificateAddRequest { Name = clientName, Token = true }, cancellationToken)
            .ConfigureAwait(false);
        var operation = response.As<LxdOperation>("token operation");
        var metadata = operation.Metadata;
        string Text(string key) => metadata.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : string.Empty;
        var addresses = metadata.TryGetProperty("addresses", out var a) && a.ValueKind == JsonValueKind.Array
            ? a.EnumerateArray().Select(x => x.GetString() ?? string.Empty).Where(x => x.Length > 0).ToList()
            : new List<string>();
        DateTimeOffset? expires = metadata.TryGetProperty("expires_at", out var e) && e.ValueKind == JsonValueKind.String && e.TryGetDateTimeOffset(out var at) && at.Year > 1
            ? at
            : null;
        return LxdTrustToken.Create(clientName, Text("fingerprint"), addresses, Text("secret"), expires);
    }

    public Task DeleteAsync(string fingerprint, CancellationToken cancellationToken) =>
        _client.SendAsync(HttpMethod.Delete, _client.Url($"/1.0/certificates/{LxdClient.Segment(fingerprint)}", false), null, cancellationToken);

    /// <summary>The fingerprint of a certificate as the server computes it.</summary>
    public static string FingerprintOf(X509Certificate2 certificate) => LxdCertificateFiles.Fingerprint(certificate);
}
