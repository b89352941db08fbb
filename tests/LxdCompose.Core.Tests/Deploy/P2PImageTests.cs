using System.Net;
using System.Net.Sockets;
using System.Text;
using LxdCompose.Deploy;
using LxdCompose.Lxd;
using LxdCompose.Lxd.Api;
using LxdCompose.Tests.Lxd;
using Xunit;

namespace LxdCompose.Tests.Deploy;

/// <summary>
/// P2P mode on the lab: two builds of one image under one test-only alias, an older one on vm2 and a newer one on the
/// first VM; a node on vm2 gets the newer one copied over, a remote that never answers only costs a warning.
/// </summary>
[Collection(LabCollection.Name)]
[Trait("Category", "Lab")]
public sealed class P2PImageTests
{
    /// <summary>Publishes a busybox container carrying <paramref name="build"/> in /p2p-build as an image with the alias.</summary>
    private static async Task<LxdImage> PublishBuildAsync(LxdClient client, LabEnvironment lab, string alias, string build, bool @public,
        CancellationToken token)
    {
        var container = LabFixture.UniqueName("t-p2p-build");
        await client.Instances.CreateAsync(new LxdInstanceCreateRequest
        {
            Name = container,
            Source = new LxdInstanceSource { Type = "image", Alias = lab.BusyboxAlias },
        }, token);
        try
        {
            await client.Files.PushBytesAsync(container, "/p2p-build", Encoding.UTF8.GetBytes(build), null, token);
            return await client.Images.PublishAsync(container, token, new[] { alias }, @public);
        }
        finally
        {
            await client.Instances.DeleteAsync(container, CancellationToken.None);
        }
    }

    private static async Task DeleteImageAsync(LxdClient client, string fingerprint)
    {
        try
        {
            await client.Images.DeleteAsync(fingerprint, LabFixture.Timeout(60));
        }
        catch (LxdNotFoundException)
        {
        }
    }

    [Fact]
    public async Task An_image_on_a_remote_reached_over_a_unix_socket_is_pulled_from_that_servers_network_address()
    {
        var lab = LabEnvironment.Load();
        using var first = lab.ConnectTls(lab.Vms[0]);
        using var second = lab.ConnectTls(lab.Vms[1]);
        var token = LabFixture.Timeout(300);
        var alias = LabFixture.UniqueName("t-p2p/sock");
        var root = DeployLabKit.NewTempDir("t-p2p-sock");
        LxdImage? image = null;
        try
        {
            image = await PublishBuildAsync(first, lab, alias, "socket", @public: false, token);
            DeployLabKit.WriteSpecRoot(root, lab, $$"""
                version: "1"
                projects:
                  - name: t-p2p-sock
                    groups:
                      - name: g
                        connection: vm2
                        nodes:
                          - name: s
                            image_source: {{alias}}
                            image_remote_server: vm1sock
                """,
                $"  vm1sock:\n    addr: unix:{lab.Socket(lab.Vms[0])}\n    protocol: lxd\n");
            var specs = DeployLabKit.Load(root, "t-p2p");

            var (plan, outcome) = await DeployLabKit.ApplyAsync(specs, "t-p2p-sock", new DeployOptions(), new RecordingDeployHost(), token);

            Assert.True(outcome.Succeeded, string.Join("\n", outcome.Failures.Select(f => f.Exception.Message)));
            Assert.Equal(("vm1sock", true), (plan.Nodes.Single().Image!.Remote, plan.Nodes.Single().Image!.CopyNeeded));
            Assert.Equal("socket", Encoding.UTF8.GetString(await second.Files.ReadAllBytesAsync("t-p2p-s", "/p2p-build", token)));
        }
        finally
        {
            await second.Instances.DeleteAsync("t-p2p-s", CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
            if (image is not null)
            {
                await DeleteImageAsync(first, image.Fingerprint);
                await DeleteImageAsync(second, image.Fingerprint);
            }

            Directory.Delete(root, true);
        }
    }

    [Fact]
    public async Task The_newest_build_on_any_remote_wins_and_is_copied_to_the_groups_server()
    {
        var lab = LabEnvironment.Load();
        using var first = lab.ConnectTls(lab.Vms[0]);
        using var second = lab.ConnectTls(lab.Vms[1]);
        var token = LabFixture.Timeout(300);
        var alias = LabFixture.UniqueName("t-p2p/busybox");
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var root = DeployLabKit.NewTempDir("t-p2p");
        LxdImage? older = null, newer = null;
        try
        {
            // created_at orders the builds: the older one is published before the newer one.
            // The newer one is private, as images on deploy servers usually are: the copy needs the source's secret.
            older = await PublishBuildAsync(second, lab, alias, "older", @public: true, token);
            newer = await PublishBuildAsync(first, lab, alias, "newer", @public: false, token);
            Assert.True(newer.CreatedAt > older.CreatedAt, $"{newer.CreatedAt:o} should be after {older.CreatedAt:o}");

            DeployLabKit.WriteSpecRoot(root, lab, $$"""
                version: "1"
                projects:
                  - name: t-p2p
                    groups:
                      - name: g
                        connection: vm2
                        nodes:
                          - name: n
                            image_source: {{alias}}
                            image_remote_server: imgsrv
                """,
                $"  hung:\n    addr: https://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}\n    protocol: lxd\n    public: true\n");
            var specs = DeployLabKit.Load(root, "t-p2p");
            var options = new DeployOptions { P2PMode = true, ImageSearchTimeout = TimeSpan.FromSeconds(2) };

            // Without P2P mode only image_remote_server is asked, and it lacks the test alias.
            var plain = await Assert.ThrowsAsync<DeployException>(() =>
                DeployLabKit.ApplyAsync(specs, "t-p2p", new DeployOptions(), new RecordingDeployHost(), token));
            Assert.Equal(DeployProblem.NotFound, plain.Problem);
            Assert.Contains("on remote 'imgsrv'", plain.Message, StringComparison.Ordinal);

            var host = new RecordingDeployHost();
            var (plan, outcome) = await DeployLabKit.ApplyAsync(specs, "t-p2p", options, host, token);

            Assert.True(outcome.Succeeded, string.Join("\n", outcome.Failures.Select(f => f.Exception.Message)));
            var image = Assert.Single(plan.Nodes).Image!;
            Assert.Equal(("local", newer.Fingerprint, true, newer.CreatedAt), (image.Remote, image.Fingerprint, image.CopyNeeded, image.CreatedAt));
            Assert.False(image.RemotePublic);
            Assert.Contains(host.Logs, l => l.Level == DeployLogLevel.Warning
                && l.Message.StartsWith("P2P image search: remote 'hung' (https://127.0.0.1:", StringComparison.Ordinal));
            Assert.DoesNotContain(host.Logs, l => l.Level == DeployLogLevel.Warning && l.Message.Contains("remote 'vm2'", StringComparison.Ordinal));
            Assert.Equal("newer", Encoding.UTF8.GetString(await second.Files.ReadAllBytesAsync("t-p2p-n", "/p2p-build", token)));
            Assert.Equal(newer.Fingerprint, (await second.Images.GetAliasAsync(alias, token)).Target);

            // Save-LxdImage's engine finds it present now, from the same remote.
            var (config, resolved) = DeployClientConfig.Resolve(specs, options);
            using var connections = new LxdConnections(config);
            var fetched = Assert.Single((await new DeployRunner(specs, connections).FetchAsync(DeployLabKit.Project(specs, "t-p2p"), resolved, null,
                ApproveAll.Instance, new RecordingDeployHost(), token)).Results);
            Assert.Equal(("Present", "local", newer.Fingerprint), (fetched.Action, fetched.Source, fetched.Fingerprint));
        }
        finally
        {
            await second.Instances.DeleteAsync("t-p2p-n", CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
            foreach (var image in new[] { older, newer }.OfType<LxdImage>())
            {
                await DeleteImageAsync(first, image.Fingerprint);
                await DeleteImageAsync(second, image.Fingerprint);
            }

            Directory.Delete(root, true);
        }
    }
}
