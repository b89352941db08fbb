using System.Security.Cryptography.X509Certificates;
using LxdCompose.Lxd;
using LxdCompose.Lxd.Config;
using LxdCompose.Lxd.Transport;
using Xunit;

namespace LxdCompose.Tests.Lxd;

[Collection(LabCollection.Name)]
[Trait("Category", "Lab")]
public sealed class ServerAndTransportTests
{
    private readonly LabFixture _lab;

    public ServerAndTransportTests(LabFixture lab) => _lab = lab;

    [Fact]
    public async Task Server_info_over_https_is_trusted_lxd_with_extensions()
    {
        var server = await _lab.Tls.GetServerAsync(LabFixture.Timeout());

        Assert.True(server.IsTrusted);
        Assert.Equal("1.0", server.ApiVersion);
        Assert.Equal("lxd", server.Environment.Server);
        Assert.Contains("container_exec_recording", server.ApiExtensions);
        Assert.Same(LxdDialect.Lxd, await _lab.Tls.GetDialectAsync(LabFixture.Timeout()));
        Assert.False(_lab.Tls.Transport.Endpoint.IsUnixSocket);
    }

    [Fact]
    public async Task Server_info_over_the_unix_socket_matches_https()
    {
        var viaSocket = await _lab.Unix.GetServerAsync(LabFixture.Timeout());
        var viaTls = await _lab.Tls.GetServerAsync(LabFixture.Timeout());

        Assert.True(_lab.Unix.Transport.Endpoint.IsUnixSocket);
        Assert.True(viaSocket.IsTrusted);
        Assert.Equal(viaTls.Environment.CertificateFingerprint, viaSocket.Environment.CertificateFingerprint);
        Assert.Equal(viaTls.Environment.ServerVersion, viaSocket.Environment.ServerVersion);
    }

    [Fact]
    public async Task The_pinned_certificate_is_the_one_the_server_presents()
    {
        var config = _lab.Lab.LoadConfig();
        using var pinned = config.LoadPinnedCertificate(_lab.Vm)!;
        var server = await _lab.Tls.GetServerAsync(LabFixture.Timeout());

        Assert.Equal(server.Environment.CertificateFingerprint, LxdCertificateFiles.Fingerprint(pinned));
        Assert.Equal(LxdCertificateFiles.Fingerprint(pinned), _lab.Tls.Transport.PinnedFingerprint);
    }

    [Fact]
    public async Task A_server_presenting_another_certificate_than_the_pinned_one_is_refused()
    {
        var lab = _lab.Lab;
        var config = lab.LoadConfig();
        using var wrongPin = SelfSignedCertificate();
        using var identity = LxdCertificateFiles.LoadClientIdentity(config.ClientCertificatePath, config.ClientKeyPath);
        using var transport = new LxdTransport(
            LxdEndpoint.Parse(lab.Address(_lab.Vm)),
            new LxdTransportOptions { PinnedServerCertificate = wrongPin, ClientCertificate = identity, DisplayName = "pin test" });
        using var client = new LxdClient(transport, ownsTransport: false);

        var refused = await Assert.ThrowsAsync<LxdCertificatePinMismatchException>(() => client.GetServerAsync(LabFixture.Timeout()));

        Assert.Equal(LxdCertificateFiles.Fingerprint(wrongPin), refused.ExpectedFingerprint);
        Assert.Equal((await _lab.Tls.GetServerAsync(LabFixture.Timeout())).Environment.CertificateFingerprint, refused.ActualFingerprint);
        Assert.Contains("not the pinned", refused.Message);
    }

    private static X509Certificate2 SelfSignedCertificate()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP384);
        var request = new CertificateRequest("CN=impostor", key, System.Security.Cryptography.HashAlgorithmName.SHA384);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    [Fact]
    public async Task A_self_signed_server_without_a_pin_is_refused_as_a_tls_failure()
    {
        using var transport = new LxdTransport(LxdEndpoint.Parse(_lab.Lab.Address(_lab.Vm)), new LxdTransportOptions { DisplayName = "unpinned" });
        using var client = new LxdClient(transport, ownsTransport: false);

        var refused = await Assert.ThrowsAsync<LxdTlsException>(() => client.GetServerAsync(LabFixture.Timeout()));

        Assert.IsNotType<LxdCertificatePinMismatchException>(refused);
        Assert.Contains("no certificate is pinned", refused.Message);
    }

    [Fact]
    public async Task A_missing_socket_is_a_connection_error_that_says_so()
    {
        using var client = LxdConnector.ConnectSocket("/nonexistent/lxdcompose/unix.socket");

        var failure = await Assert.ThrowsAsync<LxdConnectionException>(() => client.GetServerAsync(LabFixture.Timeout()));

        Assert.Contains("not found: Please check LXD is running", failure.Message);
    }

    [Fact]
    public async Task Without_a_client_certificate_the_server_sees_an_untrusted_client()
    {
        var config = _lab.Lab.LoadConfig();
        using var transport = new LxdTransport(
            LxdEndpoint.Parse(_lab.Lab.Address(_lab.Vm)),
            new LxdTransportOptions { PinnedServerCertificate = config.LoadPinnedCertificate(_lab.Vm) });
        using var client = new LxdClient(transport, ownsTransport: false);

        var server = await client.GetServerAsync(LabFixture.Timeout());
        Assert.False(server.IsTrusted);
        await Assert.ThrowsAsync<LxdAuthException>(() => client.Instances.ListAsync(LabFixture.Timeout()));
    }

    [Fact]
    public async Task One_pooled_connection_serves_many_calls_in_parallel()
    {
        var calls = Enumerable.Range(0, 40).Select(_ => _lab.Tls.Instances.ListAsync(LabFixture.Timeout()));

        var results = await Task.WhenAll(calls);

        Assert.All(results, list => Assert.Contains(list, i => i.Name == _lab.Container));
    }
}
