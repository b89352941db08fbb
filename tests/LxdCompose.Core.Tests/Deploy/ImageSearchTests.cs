using System.Net;
using System.Net.Sockets;
using LxdCompose.Deploy;
using LxdCompose.Lxd.Config;
using LxdCompose.Tests.Lxd;
using Xunit;

namespace LxdCompose.Tests.Deploy;

/// <summary>P2P image search without a server: which remotes are asked, which match wins, and remotes that never answer.</summary>
public sealed class ImageSearchTests : IDisposable
{
    private readonly List<string> _directories = new();

    public void Dispose() => _directories.ForEach(d => Directory.Delete(d, true));

    private LxdClientConfig Config(string remotesYaml)
    {
        var dir = DeployLabKit.NewTempDir("t-p2p-conf");
        _directories.Add(dir);
        File.WriteAllText(Path.Combine(dir, "config.yml"), "default-remote: a\nremotes:\n" + remotesYaml);
        return LxdClientConfig.Load(dir);
    }

    private static RemoteImage Found(string remote, int day) =>
        new(remote, "https://" + remote, "lxd", remote + "-fingerprint", new DateTimeOffset(2026, 11, day, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Every_image_server_remote_is_a_candidate_in_config_order_and_local_only_without_local_disable()
    {
        var config = Config("""
              a: {addr: "https://198.18.0.11:8443", protocol: lxd}
              local: {addr: "unix://", protocol: lxd}
              streams: {addr: "https://198.18.0.1:8444", protocol: simplestreams, public: true}
              registry: {addr: "https://198.18.0.2", protocol: oci, public: true}
              inc: {addr: "https://198.18.0.30:8443", protocol: incus}
            """);

        // "images" is the built-in simplestreams remote, added after the file's remotes.
        Assert.Equal(new[] { "a", "local", "streams", "inc", "images" }, ImageSearch.Candidates(config, localDisable: false).Select(r => r.Name));
        Assert.Equal(new[] { "a", "streams", "inc", "images" }, ImageSearch.Candidates(config, localDisable: true).Select(r => r.Name));
    }

    [Fact]
    public void The_newest_match_wins_and_a_tie_keeps_the_remote_asked_first()
    {
        Assert.Equal("b", ImageSearch.Newest(new[] { Found("a", 1), null, Found("b", 3), Found("c", 2) })!.Remote);
        Assert.Equal("a", ImageSearch.Newest(new[] { Found("a", 3), Found("b", 3) })!.Remote);
        Assert.Equal("b", ImageSearch.Newest(new[] { Found("a", 1) with { CreatedAt = null }, Found("b", 1) })!.Remote);
        Assert.Equal("a", ImageSearch.Newest(new[] { Found("a", 1) with { CreatedAt = null } })!.Remote);
        Assert.Null(ImageSearch.Newest(new RemoteImage?[] { null, null }));
    }

    [Fact]
    public async Task Remotes_that_refuse_or_never_answer_are_warned_about_and_the_search_still_ends()
    {
        // One port that accepts connections and never says a word (a hung server), one that refuses them.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepted = new List<TcpClient>();
        _ = Task.Run(async () =>
        {
            while (true)
            {
                accepted.Add(await silent.AcceptTcpClientAsync());
            }
        });
        var refusing = new TcpListener(IPAddress.Loopback, 0);
        refusing.Start();
        var refusedPort = ((IPEndPoint)refusing.LocalEndpoint).Port;
        refusing.Stop();
        var silentPort = ((IPEndPoint)silent.LocalEndpoint).Port;
        var config = Config($$"""
              silent: {addr: "https://127.0.0.1:{{silentPort}}", protocol: lxd, public: true}
              refused: {addr: "https://127.0.0.1:{{refusedPort}}", protocol: simplestreams, public: true}
              local: {addr: "unix:///nonexistent/lxd/unix.socket", protocol: lxd}
              images: {addr: "https://127.0.0.1:{{refusedPort}}", protocol: simplestreams, public: true}
            """);
        using var connections = new LxdConnections(config);
        var host = new RecordingDeployHost();
        var options = new DeployOptions { P2PMode = true, ImageSearchTimeout = TimeSpan.FromSeconds(1) };

        var result = await connections.ImageSearch.FindNewestAsync("busybox/lab", options, host, new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);

        Assert.Null(result.Newest);
        Assert.Equal(new[] { "silent", "refused", "local", "images" }, result.Searched);
        Assert.Equal(result.Searched, result.Unreachable);
        var warnings = host.Logs.Where(l => l.Level == DeployLogLevel.Warning).Select(l => l.Message).ToList();
        Assert.Equal(4, warnings.Count);
        Assert.All(warnings, w => Assert.Contains("The search goes on with the other remotes.", w, StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.StartsWith("P2P image search: remote 'silent' (https://127.0.0.1:", StringComparison.Ordinal));

        // Asked again in the same run (another node, another group): answered from the first search, no new warnings.
        var again = await connections.ImageSearch.FindNewestAsync("busybox/lab", options, new RecordingDeployHost(), CancellationToken.None);
        Assert.Same(result, again);
        accepted.ForEach(c => c.Dispose());
    }

    [Fact]
    public async Task Found_nowhere_a_named_image_is_an_error_naming_the_remotes_searched_and_those_that_could_not_be()
    {
        // The target: an LXD server without any image.
        using var target = new FakeLxdServer(_ => FakeResponse.Error(404, "not found"));
        using var refusing = new FakeLxdServer(_ => FakeResponse.Error(404, "not found"));
        var config = Config($$"""
              other: {addr: "unix:{{refusing.SocketPath}}", protocol: lxd}
              gone: {addr: "unix:///nonexistent/lxd/unix.socket", protocol: lxd}
              images: {addr: "unix:///nonexistent/images/unix.socket", protocol: lxd}
            """);
        using var connections = new LxdConnections(config);
        using var client = LxdCompose.Lxd.LxdConnector.ConnectSocket(target.SocketPath);
        var node = new LxdCompose.Specs.LxdNode { Name = "n", ImageSource = "busybox/none", ImageRemoteServer = "other" };
        var options = new DeployOptions { P2PMode = true, LocalDisable = true, ImageSearchTimeout = TimeSpan.FromSeconds(2) };

        var error = await Assert.ThrowsAsync<DeployException>(() =>
            ImageResolver.ResolveAsync(connections, client, node, options, new RecordingDeployHost(), LabFixture.Timeout(60)));

        Assert.Equal(DeployProblem.NotFound, error.Problem);
        Assert.Contains("P2P mode searched other, gone, images; could not search gone, images)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("image_remote_server at", error.Message, StringComparison.Ordinal); // ignored in P2P mode, not to be fixed
    }

    [Fact]
    public void The_config_file_switches_p2p_mode_and_local_disable_on()
    {
        var root = DeployLabKit.NewTempDir("t-p2p-cfg");
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "envs"));
            File.WriteAllText(Path.Combine(root, ".lxd-compose.yml"), "general:\n  p2pmode: true\n  lxd_local_disable: true\nenv_dirs: [envs]\n");
            var specs = DeployLabKit.Load(root, string.Empty);

            var (_, resolved) = DeployClientConfig.Resolve(specs, new DeployOptions { ThrottleLimit = 2 });

            Assert.Equal((true, true, 2), (resolved.P2PMode, resolved.LocalDisable, resolved.ThrottleLimit));
            File.WriteAllText(Path.Combine(root, ".lxd-compose.yml"), "env_dirs: [envs]\n");
            var (_, plain) = DeployClientConfig.Resolve(DeployLabKit.Load(root, string.Empty), new DeployOptions());
            Assert.Equal((false, false), (plain.P2PMode, plain.LocalDisable));
            var (_, switched) = DeployClientConfig.Resolve(DeployLabKit.Load(root, string.Empty), new DeployOptions { P2PMode = true });
            Assert.True(switched.P2PMode);
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }
}
