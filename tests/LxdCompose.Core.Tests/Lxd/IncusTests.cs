using System.Text;
using LxdCompose.Lxd;
using LxdCompose.Lxd.Api;
using Xunit;

namespace LxdCompose.Tests.Lxd;

/// <summary>The same client against the lab's Incus server (<c>lab.sh up --incus</c>): dialect detection and X-Incus-* files.</summary>
[Collection(LabCollection.Name)]
[Trait("Category", "Lab")]
public sealed class IncusTests
{
    private readonly LabFixture _lab;

    public IncusTests(LabFixture lab) => _lab = lab;

    private LxdClient ConnectIncus(bool overTls)
    {
        var lab = _lab.Lab;
        return overTls
            ? LxdConnector.Connect(lab.LoadConfig(), IncusRemoteOf(lab))
            : LxdConnector.ConnectSocket(lab.IncusSocket);
    }

    /// <summary>The remote of the lab's client config that is the Incus server.</summary>
    internal static string IncusRemoteOf(LabEnvironment lab)
    {
        var address = lab.IncusAddress;
        var remote = lab.LoadConfig().Remotes.Values.FirstOrDefault(r => r.Address.TrimEnd('/') == address.TrimEnd('/'));
        if (remote is null)
        {
            Assert.Fail($"{LabEnvironment.NotUpMessage} (no remote for {address} in the lab config)");
        }

        return remote!.Name;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_dialect_is_detected_as_incus_on_both_transports(bool overTls)
    {
        using var client = ConnectIncus(overTls);

        var server = await client.GetServerAsync(LabFixture.Timeout());

        Assert.Equal("incus", server.Environment.Server);
        Assert.Same(LxdDialect.Incus, await client.GetDialectAsync(LabFixture.Timeout()));
        Assert.True(server.IsTrusted);
    }

    [Fact]
    public async Task Files_exec_and_instances_work_with_incus_headers()
    {
        using var client = ConnectIncus(overTls: true);
        var image = await client.Images.FindAsync(_lab.Lab.BusyboxAlias, LabFixture.Timeout());
        Assert.NotNull(image);
        var name = LabFixture.UniqueName("lxdc-incus");
        await client.Instances.CreateAsync(new LxdInstanceCreateRequest { Name = name, Source = LxdInstances.LocalSource(image!.Fingerprint) }, LabFixture.Timeout());
        try
        {
            await client.Instances.StartAsync(name, LabFixture.Timeout());
            await client.Files.CreateDirectoriesAsync(name, "/srv/a/b", null, LabFixture.Timeout());
            await client.Files.PushBytesAsync(name, "/srv/a/b/file", Encoding.UTF8.GetBytes("incus\n"), new LxdFileWriteOptions { Uid = 7, Gid = 8, Mode = Convert.ToInt32("600", 8) }, LabFixture.Timeout());

            var stat = await client.Exec.RunCapturedAsync(name, new LxdExecRequest(new[] { "stat", "-c", "%u %g %a", "/srv/a/b/file" }), LabFixture.Timeout());
            Assert.Equal("7 8 600\n", stat.Stdout);
            var info = await client.Files.TryStatAsync(name, "/srv/a/b/file", LabFixture.Timeout());
            Assert.Equal((7, 8, "0600"), (info!.Uid, info.Gid, info.ModeText));
            var recorded = await client.Exec.RunRecordedAsync(name, new LxdExecRequest(new[] { "cat", "/srv/a/b/file" }), LabFixture.Timeout());
            Assert.Equal("incus\n", recorded.Stdout);
        }
        finally
        {
            await client.Instances.DeleteAsync(name, LabFixture.Timeout());
        }
    }

    [Fact]
    public async Task A_group_connection_type_fixes_the_dialect_without_asking_the_server()
    {
        using var client = LxdConnector.ForGroup(_lab.Lab.LoadConfig(), "unix:" + _lab.Lab.IncusSocket, "incus");

        Assert.Same(LxdDialect.Incus, await client.GetDialectAsync(CancellationToken.None));
        Assert.True(client.Transport.Endpoint.IsUnixSocket);
    }
}
