using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using LxdCompose.Lxd.Config;
using LxdCompose.Lxd.Transport;

namespace LxdCompose.Lxd;

/// <summary>What <c>lxc remote add</c> needs.</summary>
public sealed record LxdAddRemoteRequest
{
    public LxdAddRemoteRequest(string name) => Name = name;

    public string Name { get; init; }

    /// <summary>https://host[:port] or a unix socket; may be omitted with a token (its addresses are tried in order).</summary>
    public string? Address { get; init; }

    /// <summary>A trust token from <c>lxc config trust add</c>: proves the server's identity and gets this client trusted.</summary>
    public string? Token { get; init; }

    /// <summary>Trust the server's certificate on first contact without a token (after checking its fingerprint).</summary>
    public bool AcceptCertificate { get; init; }

    /// <summary>A fingerprint (or prefix of at least 12 hex digits) the server's certificate must have.</summary>
    public string? ExpectedFingerprint { get; init; }

    public string? Project { get; init; }

    /// <summary><c>lxd</c> (default), <c>incus</c> or <c>simplestreams</c>.</summary>
    public string Protocol { get; init; } = "lxd";

    public bool Public { get; init; }

    public bool MakeDefault { get; init; }
}

/// <summary>The remote as written, and what was learnt on the way.</summary>
public sealed record LxdAddRemoteResult(
    LxdRemoteConfig Remote, string? ServerFingerprint, bool Pinned, bool Trusted, bool GeneratedClientIdentity, string? ServerVersion, LxdDialect? Dialect);

/// <summary>Result of probing a remote.</summary>
public sealed record LxdRemoteStatus(
    string Name, string Address, bool Reachable, bool Trusted, string? ServerVersion, LxdDialect? Dialect, string? Fingerprint, LxdException? Failure);

/// <summary>
/// Adding a remote like <c>lxc remote add</c>: fetch the server certificate, check it (token fingerprint, expected
/// fingerprint, chain validity or explicit acceptance), generate a P-384 client identity when there is none, get it trusted
/// with the token, then write servercerts/&lt;name&gt;.crt and config.yml. Also removal and probing.
/// </summary>
public static class LxdRemoteOnboarding
{
    public static async Task<LxdAddRemoteResult> AddAsync(LxdClientConfig config, LxdAddRemoteRequest request, CancellationToken cancellationToken)
    {
        ValidateName(request.Name);
        if (config.Remotes.ContainsKey(request.Name))
        {
            throw new LxdConflictException($"The remote '{request.Name}' already exists in {config.ConfigFile}; remove it first.") { Target = request.Name, StatusCode = 409 };
        }

        var token = request.Token is { Length: > 0 } text ? LxdTrustToken.Parse(text) : null;
        var candidates = request.Address is { Length: > 0 } address
            ? new List<string> { address }
            : token?.Addresses.ToList() ?? new List<string>();
        if (candidates.Count == 0)
        {
            throw new LxdConfigException($"The remote '{request.Name}' needs an address (or a trust token that lists addresses).") { Target = request.Name };
        }

        if (candidates[0].StartsWith("unix:", StringComparison.OrdinalIgnoreCase))
        {
            var socketRemote = new LxdRemoteConfig(request.Name, candidates[0]) { Protocol = request.Protocol, Project = request.Project ?? string.Empty };
            config.WithRemote(socketRemote, request.MakeDefault).Save();
            return new LxdAddRemoteResult(socketRemote, null, false, true, false, null, null);
        }

        Exception? lastFailure = null;
        foreach (var candidate in candidates)
        {
            var endpoint = LxdEndpoint.Parse(candidate);
            X509Certificate2 certificate;
            bool chainValid;
            try
            {
                (certificate, chainValid) = await FetchServerCertificateAsync(endpoint.HttpsBase!, cancellationToken).ConfigureAwait(false);
            }
            catch (LxdConnectionException e) when (candidates.Count > 1)
            {
                lastFailure = e;
                continue;
            }

            return await AddAtAsync(config, request, token, endpoint, certificate, chainValid, cancellationToken).ConfigureAwait(false);
        }

        throw new LxdConnectionException($"None of the addresses of the remote '{request.Name}' answered: {string.Join(", ", candidates)}.", lastFailure) { Target = request.Name };
    }

    private static async Task<LxdAddRemoteResult> AddAtAsync(
        LxdClientConfig config, LxdAddRemoteRequest request, LxdTrustToken? token, LxdEndpoint endpoint, X509Certificate2 certificate, bool chainValid,
        CancellationToken cancellationToken)
    {
        var fingerprint = LxdCertificateFiles.Fingerprint(certificate);
        if (token is not null && !LxdCertificateFiles.FingerprintsMatch(token.Fingerprint, fingerprint))
        {
            throw new LxdCertificatePinMismatchException(
                $"Certificate fingerprint mismatch between the trust token and {endpoint}: the token names {token.Fingerprint}, the server presented {fingerprint}. Nothing was sent to the server.",
                token.Fingerprint,
                fingerprint)
            { Target = request.Name };
        }

        if (request.ExpectedFingerprint is { Length: > 0 } expected && !LxdCertificateFiles.FingerprintsMatch(expected, fingerprint))
        {
            throw new LxdCertificatePinMismatchException(
                $"{endpoint} presented the certificate {fingerprint}, not the expected {expected}.", expected, fingerprint)
            { Target = request.Name };
        }

        var verified = token is not null || request.ExpectedFingerprint is { Length: > 0 } || request.AcceptCertificate;
        if (!chainValid && !verified)
        {
            throw new LxdTlsException(
                $"The certificate of {endpoint} is not signed by a trusted authority; its fingerprint is {fingerprint}. "
                + "Compare it with `lxc info` on the server, then add the remote again accepting the certificate (or use a trust token).")
            { Target = request.Name };
        }

        var pin = !chainValid;
        var isPublic = request.Public || request.Protocol == "simplestreams";
        var generated = false;
        if (!isPublic && !config.HasClientIdentity)
        {
            LxdCertificateFiles.GenerateClientIdentity(config.ClientCertificatePath, config.ClientKeyPath);
            generated = true;
        }

        var remote = new LxdRemoteConfig(request.Name, endpoint.HttpsBase!.GetLeftPart(UriPartial.Authority))
        {
            Protocol = request.Protocol,
            AuthType = isPublic ? string.Empty : "tls",
            Project = isPublic ? string.Empty : request.Project ?? "default",
            Public = isPublic,
        };

        string? version = null;
        LxdDialect? dialect = null;
        var trusted = isPublic;
        if (remote.IsApiServer)
        {
            using var identity = isPublic ? null : LxdCertificateFiles.LoadClientIdentity(config.ClientCertificatePath, config.ClientKeyPath);
            using var transport = new LxdTransport(endpoint, new LxdTransportOptions
            {
                DisplayName = $"remote '{request.Name}' ({endpoint})",
                ClientCertificate = identity,
                PinnedServerCertificate = pin ? certificate : null,
            });
            using var client = new LxdClient(transport, new LxdClientOptions { RemoteName = request.Name }, ownsTransport: false);
            var server = await client.GetServerAsync(cancellationToken).ConfigureAwait(false);
            if (!server.IsTrusted && token is not null && identity is not null)
            {
                await client.Certificates.AddWithTokenAsync(token, identity, cancellationToken).ConfigureAwait(false);
                server = await client.GetServerAsync(cancellationToken, refresh: true).ConfigureAwait(false);
            }

            if (!server.IsTrusted && !isPublic)
            {
                throw new LxdAuthException(
                    $"{endpoint} does not trust this client ({config.ClientCertificatePath}). Create a token on the server with "
                    + "`lxc config trust add`, then add the remote with it.")
                { Target = request.Name, StatusCode = 403 };
            }

            trusted = server.IsTrusted;
            version = server.Environment.ServerVersion;
            dialect = LxdDialect.FromServerName(server.Environment.Server);
            if (string.Equals(remote.Protocol, "lxd", StringComparison.Ordinal) && ReferenceEquals(dialect, LxdDialect.Incus))
            {
                remote = remote with { Protocol = "incus" };
            }
        }

        if (pin)
        {
            config.PinServerCertificate(request.Name, certificate);
        }

        config.WithRemote(remote, request.MakeDefault).Save();
        return new LxdAddRemoteResult(remote, fingerprint, pin, trusted, generated, version, dialect);
    }

    /// <summary>Removes the remote from config.yml and its pinned certificate. Built-in remotes cannot be removed.</summary>
    public static LxdClientConfig Remove(LxdClientConfig config, string name)
    {
        var remote = config.GetRemote(name);
        if (remote.IsBuiltIn || name == "local")
        {
            // lxc keeps 'local' as a static remote too.
            throw new LxdConfigException($"The remote '{name}' is built in and cannot be removed.") { Target = name };
        }

        var updated = config.WithoutRemote(name);
        updated.Save();
        config.RemovePinnedCertificate(name);
        return updated;
    }

    /// <summary>Reachability, trust, version and dialect of a remote; failures are returned, not thrown.</summary>
    public static async Task<LxdRemoteStatus> ProbeAsync(LxdClientConfig config, string name, CancellationToken cancellationToken)
    {
        var remote = config.GetRemote(name);
        var pinned = config.LoadPinnedCertificate(name);
        var fingerprint = pinned is null ? null : LxdCertificateFiles.Fingerprint(pinned);
        try
        {
            if (!remote.IsApiServer)
            {
                var endpoint = LxdEndpoint.Parse(remote.Address);
                using var transport = new LxdTransport(endpoint, new LxdTransportOptions { PinnedServerCertificate = pinned, DisplayName = $"remote '{name}'" });
                var streams = new Simplestreams.SimplestreamsClient(transport, remote.Address, cache: null);
                await streams.GetIndexAsync(cancellationToken).ConfigureAwait(false);
                return new LxdRemoteStatus(name, remote.Address, true, true, null, null, fingerprint, null);
            }

            using var client = LxdConnector.Connect(config, name, new LxdConnectOptions { RequestTimeout = TimeSpan.FromSeconds(15) });
            var server = await client.GetServerAsync(cancellationToken).ConfigureAwait(false);
            return new LxdRemoteStatus(
                name, remote.Address, true, server.IsTrusted, server.Environment.ServerVersion, LxdDialect.FromServerName(server.Environment.Server),
                fingerprint ?? NullIfEmpty(server.Environment.CertificateFingerprint), null);
        }
        catch (LxdException e)
        {
            var reached = e is LxdApiException;
            return new LxdRemoteStatus(name, remote.Address, reached, false, null, null, fingerprint, e);
        }
    }

    /// <summary>
    /// Opens a TLS connection only to read the server's certificate (nothing is sent). Returns it with whether it is
    /// chain-valid for the host.
    /// </summary>
    public static async Task<(X509Certificate2 Certificate, bool ChainValid)> FetchServerCertificateAsync(Uri httpsBase, CancellationToken cancellationToken)
    {
        X509Certificate2? presented = null;
        var errors = SslPolicyErrors.None;
        using var tcp = new TcpClient();
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(TimeSpan.FromSeconds(20));
            await tcp.ConnectAsync(httpsBase.Host, httpsBase.Port, limit.Token).ConfigureAwait(false);
            await using var ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
            await ssl.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = httpsBase.Host,
                    RemoteCertificateValidationCallback = (_, certificate, _, policyErrors) =>
                    {
                        presented = certificate is null ? null : new X509Certificate2(certificate);
                        errors = policyErrors;
                        return true; // only reading it; nothing is sent over this connection
                    },
                },
                limit.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new LxdConnectionException($"Cannot reach {httpsBase.GetLeftPart(UriPartial.Authority)}: {e.Message}", e) { Target = httpsBase.ToString() };
        }
        catch (AuthenticationException e)
        {
            throw new LxdTlsException($"TLS with {httpsBase.GetLeftPart(UriPartial.Authority)} failed: {e.Message}", e) { Target = httpsBase.ToString() };
        }

        return presented is null
            ? throw new LxdTlsException($"{httpsBase.GetLeftPart(UriPartial.Authority)} presented no certificate.") { Target = httpsBase.ToString() }
            : (presented, errors == SslPolicyErrors.None);
    }

    private static void ValidateName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.IndexOfAny(new[] { '/', '\\', ':', ' ' }) >= 0 || name is "." or "..")
        {
            throw new LxdConfigException($"'{name}' is not a usable remote name (no '/', '\\', ':' or spaces).") { Target = name };
        }
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
