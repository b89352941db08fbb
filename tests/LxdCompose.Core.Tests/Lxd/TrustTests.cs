using LxdCompose.Lxd;
using LxdCompose.Lxd.Config;
using LxdCompose.Lxd.Transport;
using Xunit;

namespace LxdCompose.Tests.Lxd;

[Collection(LabCollection.Name)]
[Trait("Category", "Lab")]
public sealed class TrustTests : IDisposable
{
    private readonly LabFixture _lab;
    private readonly string _configDirectory = Path.Combine(Path.GetTempPath(), LabFixture.UniqueName("lxdc-conf"));

    public TrustTests(LabFixture lab) => _lab = lab;

    public void Dispose()
    {
        if (Directory.Exists(_configDirectory))
        {
            Directory.Delete(_configDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task A_new_client_is_onboarded_with_a_trust_token_like_lxc_remote_add()
    {
        var clientName = LabFixture.UniqueName("lxdc-client");
        var token = await _lab.Tls.Certificates.CreateTokenAsync(clientName, LabFixture.Timeout());
        var address = _lab.Lab.Address(_lab.Vm);
        var empty = LxdClientConfig.Load(_configDirectory);
        Assert.False(empty.FileExists);

        var result = await LxdRemoteOnboarding.AddAsync(empty, new LxdAddRemoteRequest("lab") { Address = address, Token = token.Encoded, MakeDefault = true }, LabFixture.Timeout());
        try
        {
            Assert.True(result.Trusted);
            Assert.True(result.Pinned);
            Assert.True(result.GeneratedClientIdentity);
            Assert.Same(LxdDialect.Lxd, result.Dialect);
            Assert.StartsWith("-----BEGIN EC PRIVATE KEY-----", await File.ReadAllTextAsync(Path.Combine(_configDirectory, "client.key")));

            var written = LxdClientConfig.Load(_configDirectory);
            Assert.Equal("lab", written.DefaultRemote);
            Assert.Equal("tls", written.GetRemote("lab").AuthType);
            Assert.NotNull(written.LoadPinnedCertificate("lab"));
            using var client = LxdConnector.Connect(written);
            Assert.True((await client.GetServerAsync(LabFixture.Timeout())).IsTrusted);
            Assert.Contains(_lab.Container, (await client.Instances.ListAsync(LabFixture.Timeout())).Select(i => i.Name));

            var status = await LxdRemoteOnboarding.ProbeAsync(written, "lab", LabFixture.Timeout());
            Assert.True(status.Reachable && status.Trusted);
            Assert.Null(status.Failure);
        }
        finally
        {
            using var identity = LxdCertificateFiles.LoadCertificate(Path.Combine(_configDirectory, "client.crt"));
            await _lab.Tls.Certificates.DeleteAsync(LxdCertificateFiles.Fingerprint(identity), LabFixture.Timeout());
        }

        var removed = LxdRemoteOnboarding.Remove(LxdClientConfig.Load(_configDirectory), "lab");
        Assert.False(removed.Remotes.ContainsKey("lab"));
        Assert.Equal("local", removed.DefaultRemote);
        Assert.False(File.Exists(Path.Combine(_configDirectory, "servercerts", "lab.crt")));
    }

    [Fact]
    public async Task A_token_naming_another_server_is_refused_before_anything_is_sent()
    {
        var genuine = await _lab.Tls.Certificates.CreateTokenAsync(LabFixture.UniqueName("lxdc-forged"), LabFixture.Timeout());
        var forged = LxdTrustToken.Create(genuine.ClientName, new string('a', 64), genuine.Addresses, genuine.Secret, genuine.ExpiresAt);
        var config = LxdClientConfig.Load(_configDirectory);

        var refused = await Assert.ThrowsAsync<LxdCertificatePinMismatchException>(() => LxdRemoteOnboarding.AddAsync(
            config, new LxdAddRemoteRequest("lab") { Address = _lab.Lab.Address(_lab.Vm), Token = forged.Encoded }, LabFixture.Timeout()));

        Assert.Contains("fingerprint mismatch", refused.Message);
        Assert.False(File.Exists(Path.Combine(_configDirectory, "config.yml")));
        Assert.False(File.Exists(Path.Combine(_configDirectory, "client.crt")));
    }

    [Fact]
    public async Task Without_token_or_acceptance_a_self_signed_server_is_not_added()
    {
        var refused = await Assert.ThrowsAsync<LxdTlsException>(() => LxdRemoteOnboarding.AddAsync(
            LxdClientConfig.Load(_configDirectory), new LxdAddRemoteRequest("lab") { Address = _lab.Lab.Address(_lab.Vm) }, LabFixture.Timeout()));

        var server = await _lab.Tls.GetServerAsync(LabFixture.Timeout());
        Assert.Contains(server.Environment.CertificateFingerprint, refused.Message);
        Assert.False(File.Exists(Path.Combine(_configDirectory, "config.yml")));
    }

    [Fact]
    public async Task An_accepted_certificate_without_trust_is_refused_with_a_hint_to_use_a_token()
    {
        var refused = await Assert.ThrowsAsync<LxdAuthException>(() => LxdRemoteOnboarding.AddAsync(
            LxdClientConfig.Load(_configDirectory), new LxdAddRemoteRequest("lab") { Address = _lab.Lab.Address(_lab.Vm), AcceptCertificate = true }, LabFixture.Timeout()));

        Assert.Contains("lxc config trust add", refused.Message);
    }

    [Fact]
    public async Task The_trust_store_lists_the_lab_client_certificate()
    {
        var config = _lab.Lab.LoadConfig();
        using var ours = LxdCertificateFiles.LoadCertificate(config.ClientCertificatePath);

        var certificates = await _lab.Tls.Certificates.ListAsync(LabFixture.Timeout());

        Assert.Contains(certificates, c => c.Fingerprint == LxdCertificateFiles.Fingerprint(ours));
    }
}
