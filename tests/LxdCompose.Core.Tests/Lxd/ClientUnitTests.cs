using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using LxdCompose.Lxd;
using LxdCompose.Lxd.Config;
using LxdCompose.Lxd.Simplestreams;
using LxdCompose.Lxd.Transport;
using Xunit;

namespace LxdCompose.Tests.Lxd;

public sealed class ConfigUnitTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "lxdc-unit-" + Guid.NewGuid().ToString("N")[..8]);

    public ConfigUnitTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private LxdClientConfig Write(string yaml)
    {
        File.WriteAllText(Path.Combine(_directory, "config.yml"), yaml);
        return LxdClientConfig.Load(_directory);
    }

    [Fact]
    public void A_missing_config_file_means_the_built_in_remotes()
    {
        var config = LxdClientConfig.Load(Path.Combine(_directory, "absent"));

        Assert.False(config.FileExists);
        Assert.Equal("local", config.DefaultRemote);
        Assert.Equal("unix://", config.GetRemote("local").Address);
        var images = config.GetRemote("images");
        Assert.Equal(("https://images.lxd.canonical.com", "simplestreams", true), (images.Address, images.Protocol, images.Public));
        Assert.Equal("https://images.linuxcontainers.org", LxdClientConfig.Load(_directory, LxdDialect.Incus).GetRemote("images").Address);
    }

    [Fact]
    public void Remotes_are_read_with_lxc_defaults_for_missing_fields()
    {
        var config = Write("""
            default-remote: vm1
            remotes:
              vm1: {addr: "https://198.18.0.11:8443", protocol: lxd, project: web, public: false}
              old: {addr: "https://198.18.0.12:8443"}
              mirror: {addr: "https://198.18.0.1:8444", protocol: simplestreams, public: true}
              sock: {addr: "unix:///run/other/unix.socket"}
              multi: {addresses: ["https://198.18.0.30:8443", "https://198.18.0.31:8443"], protocol: incus}
            aliases:
              ll: list -c ns
            """);

        Assert.Equal("vm1", config.DefaultRemote);
        Assert.Equal(("tls", "web"), (config.GetRemote("vm1").AuthType, config.GetRemote("vm1").Project));
        Assert.Equal(("lxd", "tls"), (config.GetRemote("old").Protocol, config.GetRemote("old").AuthType));
        Assert.True(config.GetRemote("mirror").IsSimplestreams);
        Assert.False(config.GetRemote("mirror").IsApiServer);
        Assert.Equal(string.Empty, config.GetRemote("sock").AuthType);
        Assert.Equal("https://198.18.0.30:8443", config.GetRemote("multi").Address);
        Assert.Equal("list -c ns", config.Aliases["ll"]);
        Assert.True(config.GetRemote("local").IsBuiltIn);
    }

    [Fact]
    public void Saving_and_loading_round_trips_remotes_default_and_aliases()
    {
        var config = Write("remotes: {}\naliases:\n  x: \"exec @ARGS@ -- sh\"\n")
            .WithRemote(new LxdRemoteConfig("lab", "https://198.18.0.11:8443") { AuthType = "tls", Project = "default" }, makeDefault: true)
            .WithRemote(new LxdRemoteConfig("odd: name", "https://198.18.0.12:8443") { Project = "true" });

        config.Save();
        var reloaded = LxdClientConfig.Load(_directory);

        Assert.Equal("lab", reloaded.DefaultRemote);
        Assert.Equal(config.GetRemote("lab") with { IsBuiltIn = false }, reloaded.GetRemote("lab"));
        Assert.Equal("true", reloaded.GetRemote("odd: name").Project);
        Assert.Equal("exec @ARGS@ -- sh", reloaded.Aliases["x"]);
        Assert.Equal("local", reloaded.WithoutRemote("lab").DefaultRemote);
    }

    [Fact]
    public void Unknown_remotes_and_broken_files_are_reported_with_the_file()
    {
        var config = Write("remotes:\n  a: {addr: https://198.18.0.11:8443}\n");
        var unknown = Assert.Throws<LxdConfigException>(() => config.GetRemote("b"));
        Assert.Contains("known remotes: a, images, local", unknown.Message);

        var noAddress = Assert.Throws<LxdConfigException>(() => Write("remotes:\n  a: {protocol: lxd}\n"));
        Assert.Contains("config.yml:2:", noAddress.Message);
        Assert.Throws<LxdConfigException>(() => Write("remotes: [\n"));
    }

    [Theory]
    [InlineData("/explicit", null, null, false, "/explicit")]
    [InlineData(null, "/from/lxd_conf", "/from/incus_conf", false, "/from/lxd_conf")]
    [InlineData(null, null, "/from/incus_conf", false, "/from/incus_conf")]
    [InlineData(null, null, null, true, "/home/u/.config/incus")]
    [InlineData(null, null, null, false, "/home/u/.config/lxc")]
    public void The_config_directory_is_found_like_lxd_compose(string? explicitDirectory, string? lxdConf, string? incusConf, bool incusExists, string expected)
    {
        var environment = new Dictionary<string, string?> { ["LXD_CONF"] = lxdConf, ["INCUS_CONF"] = incusConf, ["HOME"] = "/home/u" };

        var resolved = LxdConfigDirectory.Resolve(explicitDirectory, n => environment.GetValueOrDefault(n), directoryExists: d => incusExists && d == "/home/u/.config/incus");

        Assert.Equal(expected, resolved.Replace('\\', '/'));
    }

    [Fact]
    public void The_snap_config_directory_is_used_when_only_it_exists()
    {
        var resolved = LxdConfigDirectory.Resolve(null, n => n == "HOME" ? "/home/u" : null, directoryExists: d => d.Replace('\\', '/') == "/home/u/snap/lxd/common/config");

        Assert.Equal("/home/u/snap/lxd/common/config", resolved.Replace('\\', '/'));
    }

    [Fact]
    public void Lab_env_files_are_parsed_like_the_shell_reads_them()
    {
        var values = LabEnvironment.Parse(new[] { "# comment", "", "A=1", "B=\"x y\"", "C='z'" });

        Assert.Equal(new Dictionary<string, string> { ["A"] = "1", ["B"] = "x y", ["C"] = "z" }, values);
    }
}

public sealed class DialectAndEndpointUnitTests
{
    [Theory]
    [InlineData("incus", "incus")]
    [InlineData("lxd-6", "lxd")]
    [InlineData("LXD", "lxd")]
    [InlineData("lxd-5", "lxd")]
    public void Connection_types_select_the_dialect(string connectionType, string server)
    {
        Assert.Equal(server, LxdDialect.FromConnectionType(connectionType)!.ServerName);
    }

    [Fact]
    public void An_empty_connection_type_means_detect_and_an_unknown_one_is_an_error()
    {
        Assert.Null(LxdDialect.FromConnectionType(""));
        Assert.Null(LxdDialect.FromConnectionType(null));
        Assert.Contains("'lxd-6'", Assert.Throws<LxdConfigException>(() => LxdDialect.FromConnectionType("docker")).Message);
    }

    [Fact]
    public void Dialects_differ_in_header_prefix_and_server_name()
    {
        Assert.Equal("X-LXD-mode", LxdDialect.Lxd.Header("mode"));
        Assert.Equal("X-Incus-mode", LxdDialect.Incus.Header("mode"));
        Assert.Same(LxdDialect.Incus, LxdDialect.FromServerName("incus"));
        Assert.Same(LxdDialect.Lxd, LxdDialect.FromServerName("lxd"));
        Assert.Same(LxdDialect.Lxd, LxdDialect.FromServerName(null));
    }

    [Theory]
    [InlineData("https://198.18.0.11:8443", "https://198.18.0.11:8443/")]
    [InlineData("https://198.18.0.11", "https://198.18.0.11:8443/")]
    [InlineData("198.18.0.11", "https://198.18.0.11:8443/")]
    [InlineData("198.18.0.11:9443", "https://198.18.0.11:9443/")]
    [InlineData("https://198.18.0.11:443", "https://198.18.0.11/")]
    [InlineData("https://[fd00::1]:8443", "https://[fd00::1]:8443/")]
    public void Https_addresses_get_lxcs_default_port(string address, string expected)
    {
        Assert.Equal(expected, LxdEndpoint.Parse(address).HttpsBase!.ToString());
    }

    [Fact]
    public void Unix_addresses_name_a_socket_and_plain_http_is_refused()
    {
        Assert.Equal("/run/x.socket", LxdEndpoint.Parse("unix:/run/x.socket").SocketPath);
        Assert.Equal("/run/x.socket", LxdEndpoint.Parse("unix:///run/x.socket").SocketPath);
        Assert.Equal("ws://unix.socket/", LxdEndpoint.Parse("unix:///run/x.socket").WebSocketBase.ToString());
        Assert.Equal("wss://198.18.0.11:8443/", LxdEndpoint.Parse("198.18.0.11").WebSocketBase.ToString());
        Assert.Throws<LxdConfigException>(() => LxdEndpoint.Parse("http://198.18.0.11:8443"));
    }

    [Fact]
    public void The_default_socket_follows_environment_then_debian_then_snap_or_incus_paths()
    {
        var none = new Func<string, string?>(_ => null);
        Assert.Equal(
            new[] { "/var/lib/lxd/unix.socket", "/var/snap/lxd/common/lxd/unix.socket", "/var/lib/incus/unix.socket", "/run/incus/unix.socket" },
            LxdEndpoint.DefaultSocketCandidates(null, none));
        Assert.Equal(
            new[] { "/s/lxd.socket", Path.Combine("/d", "unix.socket"), "/var/lib/lxd/unix.socket", "/var/snap/lxd/common/lxd/unix.socket" },
            LxdEndpoint.DefaultSocketCandidates(LxdDialect.Lxd, n => n switch { "LXD_SOCKET" => "/s/lxd.socket", "LXD_DIR" => "/d", _ => null }));
        Assert.Equal("/var/lib/incus/unix.socket", LxdEndpoint.DefaultSocketCandidates(LxdDialect.Incus, none).First());
    }

    [Theory]
    [InlineData(404, typeof(LxdNotFoundException))]
    [InlineData(409, typeof(LxdConflictException))]
    [InlineData(412, typeof(LxdPreconditionFailedException))]
    [InlineData(403, typeof(LxdAuthException))]
    [InlineData(400, typeof(LxdApiException))]
    [InlineData(500, typeof(LxdApiException))]
    public void Error_codes_become_typed_exceptions_with_the_servers_text(int code, Type expected)
    {
        var error = LxdTransport.Create(code, "some reason", "GET /1.0/x");

        Assert.IsType(expected, error);
        Assert.Equal(("some reason", code), (error.ServerError, error.StatusCode));
    }

    [Fact]
    public void Trust_tokens_decode_and_fingerprints_compare_by_prefix()
    {
        var token = LxdTrustToken.Create("me", "abcdef0123456789", new[] { "198.18.0.11:8443" }, "s3cret", null);
        var parsed = LxdTrustToken.Parse(token.Encoded);

        Assert.Equal(("me", "abcdef0123456789", "s3cret"), (parsed.ClientName, parsed.Fingerprint, parsed.Secret));
        Assert.DoesNotContain("s3cret", parsed.ToString());
        Assert.True(LxdCertificateFiles.FingerprintsMatch("abcdef012345", "abcdef0123456789"));
        Assert.False(LxdCertificateFiles.FingerprintsMatch("abcdef01234", "abcdef0123456789"));
        Assert.False(LxdCertificateFiles.FingerprintsMatch("bbcdef012345", "abcdef0123456789"));
        Assert.Throws<LxdConfigException>(() => LxdTrustToken.Parse("not a token"));
    }

    [Fact]
    public void A_generated_client_identity_is_p384_and_loads_back_with_its_key()
    {
        var directory = Path.Combine(Path.GetTempPath(), "lxdc-id-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            LxdCertificateFiles.GenerateClientIdentity(Path.Combine(directory, "client.crt"), Path.Combine(directory, "client.key"));
            using var identity = LxdCertificateFiles.LoadClientIdentity(Path.Combine(directory, "client.crt"), Path.Combine(directory, "client.key"));

            Assert.True(identity.HasPrivateKey);
            using var key = identity.GetECDsaPublicKey()!;
            Assert.Equal(384, key.KeySize);
            Assert.StartsWith("-----BEGIN EC PRIVATE KEY-----", File.ReadAllText(Path.Combine(directory, "client.key")));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(directory, "client.key")));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}

public sealed class RecursivePushPlannerTests : IDisposable
{
    private readonly LocalTree _tree = new();

    public RecursivePushPlannerTests()
    {
        _tree.AddDirectory("files", "755");
        _tree.AddFile("files/a.yaml", "a", "640");
        _tree.AddDirectory("files/sub", "700");
        _tree.AddFile("files/sub/b.sh", "b", "755");
        _tree.AddSymlink("files/link", "a.yaml");
    }

    public void Dispose() => _tree.Dispose();

    private static string[] Targets(RecursivePushPlan plan) => plan.Steps.Select(s => $"{s.Kind} {s.TargetPath}").ToArray();

    [Fact]
    public void A_file_to_a_path_is_renamed_and_to_a_directory_keeps_its_name()
    {
        var renamed = RecursivePushPlanner.Plan(_tree.Path("files/a.yaml"), "/etc/app/b.yaml");
        Assert.Equal("/etc/app", renamed.ParentDirectory);
        Assert.Equal(new[] { "File /etc/app/b.yaml" }, Targets(renamed));
        Assert.Equal(Convert.ToInt32("640", 8), renamed.Steps[0].Mode);

        var kept = RecursivePushPlanner.Plan(_tree.Path("files/a.yaml"), "/");
        Assert.Equal(new[] { "File /a.yaml" }, Targets(RecursivePushPlanner.Plan(_tree.Path("files/a.yaml"), "/")));
        Assert.Equal("/", kept.ParentDirectory);
        Assert.Equal(new[] { "File /etc/app/a.yaml" }, Targets(RecursivePushPlanner.Plan(_tree.Path("files/a.yaml"), "/etc/app/")));
    }

    [Fact]
    public void Directory_contents_go_into_the_target_when_the_source_ends_with_a_slash()
    {
        var plan = RecursivePushPlanner.Plan(_tree.Path("files") + "/", "/etc/app2/");

        Assert.Equal("/etc", plan.ParentDirectory);
        Assert.Equal(
            new[] { "Directory /etc/app2", "File /etc/app2/a.yaml", "Symlink /etc/app2/link", "Directory /etc/app2/sub", "File /etc/app2/sub/b.sh" },
            Targets(plan));
        Assert.Equal("a.yaml", plan.Steps.Single(s => s.Kind == RecursivePushStepKind.Symlink).LinkTarget);
        Assert.Equal(Convert.ToInt32("700", 8), plan.Steps.Single(s => s.TargetPath == "/etc/app2/sub").Mode);
    }

    [Theory]
    [InlineData("/etc/app")]
    [InlineData("/etc/app/")]
    public void A_directory_without_trailing_slash_is_placed_inside_the_target(string target)
    {
        var plan = RecursivePushPlanner.Plan(_tree.Path("files"), target);

        Assert.Equal("/etc/app", plan.ParentDirectory);
        Assert.Equal("Directory /etc/app/files", Targets(plan)[0]);
        Assert.Contains("File /etc/app/files/sub/b.sh", Targets(plan));
    }

    [Fact]
    public void Contents_pushed_to_the_root_create_no_root_directory()
    {
        var plan = RecursivePushPlanner.Plan(_tree.Path("files/sub") + "/", "/");

        Assert.Equal("/", plan.ParentDirectory);
        Assert.Equal(new[] { "File /b.sh" }, Targets(plan));
    }

    [Fact]
    public void Relative_targets_missing_sources_and_special_files_are_refused_before_anything_is_sent()
    {
        Assert.Throws<ArgumentException>(() => RecursivePushPlanner.Plan(_tree.Path("files"), "etc/app"));
        Assert.Throws<FileNotFoundException>(() => RecursivePushPlanner.Plan(_tree.Path("nothing"), "/etc"));
        Assert.Throws<ArgumentException>(() => RecursivePushPlanner.Plan(_tree.Path("files/a.yaml") + "/", "/etc"));
        if (!OperatingSystem.IsWindows())
        {
            var fifo = System.Diagnostics.Process.Start("mkfifo", _tree.Path("files/pipe"));
            fifo.WaitForExit();
            var refused = Assert.Throws<NotSupportedException>(() => RecursivePushPlanner.Plan(_tree.Path("files"), "/etc"));
            Assert.Contains("pipe", refused.Message);
        }
    }
}

public sealed class SimplestreamsParserTests
{
    // Written for these tests: two products, one with split squashfs + root.tar.xz + VM disk, one unified, plus a stale version.
    private const string Products = """
        {
          "content_id": "images", "datatype": "image-downloads", "format": "products:1.0",
          "products": {
            "alpine:3.20:amd64:default": {
              "aliases": "alpine/3.20/default, alpine/3.20", "arch": "amd64", "os": "Alpine", "release": "3.20", "variant": "default",
              "versions": {
                "20260101_01:00": { "items": {
                  "lxd.tar.xz": { "ftype": "lxd.tar.xz", "path": "old/lxd.tar.xz", "size": 1, "combined_squashfs_sha256": "1111111111111111111111111111111111111111111111111111111111111111" },
                  "root.squashfs": { "ftype": "squashfs", "path": "old/root.squashfs", "size": 10 } } },
                "20260301_01:00": { "items": {
                  "lxd.tar.xz": { "ftype": "lxd.tar.xz", "path": "new/lxd.tar.xz", "size": 2,
                    "combined_squashfs_sha256": "2222222222222222222222222222222222222222222222222222222222222222",
                    "combined_rootxz_sha256": "3333333333333333333333333333333333333333333333333333333333333333",
                    "combined_disk-kvm-img_sha256": "4444444444444444444444444444444444444444444444444444444444444444" },
                  "root.squashfs": { "ftype": "squashfs", "path": "new/root.squashfs", "size": 20 },
                  "root.tar.xz": { "ftype": "root.tar.xz", "path": "new/root.tar.xz", "size": 30 },
                  "disk.qcow2": { "ftype": "disk-kvm.img", "path": "new/disk.qcow2", "size": 40 } } }
              }
            },
            "alpine:3.20:arm64:default": {
              "aliases": "alpine/3.20", "arch": "arm64", "os": "Alpine", "release": "3.20", "variant": "default",
              "versions": { "20260301_01:00": { "items": {
                  "lxd.tar.xz": { "ftype": "lxd.tar.xz", "path": "arm/lxd.tar.xz", "size": 2, "combined_squashfs_sha256": "5555555555555555555555555555555555555555555555555555555555555555" },
                  "root.squashfs": { "ftype": "squashfs", "path": "arm/root.squashfs", "size": 20 } } } }
            },
            "tiny:1:amd64:default": {
              "aliases": "tiny", "arch": "amd64", "os": "Tiny", "release": "1",
              "versions": { "20260201": { "items": {
                  "lxd_combined.tar.gz": { "ftype": "lxd_combined.tar.gz", "path": "tiny/unified.tar.gz", "sha256": "6666666666666666666666666666666666666666666666666666666666666666", "size": 7 } } } }
            }
          }
        }
        """;

    private static IReadOnlyList<SimplestreamsImage> Images() => SimplestreamsParser.ParseProducts(JsonDocument.Parse(Products).RootElement);

    [Theory]
    [InlineData("https://images.example", "images.example", 443)]
    [InlineData("https://198.18.0.1:8444/", "198.18.0.1", 8444)]
    [InlineData("https://[fd00::1]/streams", "[fd00::1]", 443)]
    public void A_simplestreams_url_without_a_port_means_443(string url, string host, int port)
    {
        var endpoint = SimplestreamsClient.EndpointOf(url).HttpsBase!;
        Assert.Equal((host, port), (endpoint.Host, endpoint.Port));
    }

    [Fact]
    public void The_index_lists_only_image_download_product_files()
    {
        var index = JsonDocument.Parse("""
            {"format":"index:1.0","index":{
              "images":{"datatype":"image-downloads","path":"streams/v1/images.json"},
              "other":{"datatype":"content-download","path":"streams/v1/other.json"}}}
            """);

        Assert.Equal(new[] { "streams/v1/images.json" }, SimplestreamsParser.ParseIndex(index.RootElement));
        Assert.Throws<LxdApiException>(() => SimplestreamsParser.ParseIndex(JsonDocument.Parse("{}").RootElement));
    }

    [Fact]
    public void Every_rootfs_kind_yields_an_image_with_lxds_combined_fingerprint()
    {
        var latest = Images().Where(i => i.Product == "alpine:3.20:amd64:default" && i.Version == "20260301_01:00").ToList();

        Assert.Equal(
            new[] { ("2222222222222222222222222222222222222222222222222222222222222222", "container", 22L), ("3333333333333333333333333333333333333333333333333333333333333333", "container", 32L), ("4444444444444444444444444444444444444444444444444444444444444444", "virtual-machine", 42L) },
            latest.Select(i => (i.Fingerprint, i.Type, i.Size)).OrderBy(t => t.Fingerprint).ToArray());
        Assert.All(latest, i => Assert.Equal(("x86_64", "new/lxd.tar.xz"), (i.Architecture, i.MetadataPath)));
        Assert.Equal(new[] { "alpine/3.20/default", "alpine/3.20" }, latest[0].Aliases);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 1, 0, 0, TimeSpan.Zero), latest[0].Created);
    }

    [Fact]
    public void Selection_prefers_newest_version_host_architecture_containers_and_squashfs()
    {
        Assert.Equal("2222222222222222222222222222222222222222222222222222222222222222", SimplestreamsParser.Select(Images(), "alpine/3.20", "x86_64")!.Fingerprint);
        Assert.Equal("5555555555555555555555555555555555555555555555555555555555555555", SimplestreamsParser.Select(Images(), "alpine/3.20", "aarch64")!.Fingerprint);
        Assert.Equal("5555555555555555555555555555555555555555555555555555555555555555", SimplestreamsParser.Select(Images(), "alpine/3.20/aarch64", "x86_64")!.Fingerprint);
        Assert.Equal("virtual-machine", SimplestreamsParser.Select(Images(), "alpine/3.20", "x86_64", "virtual-machine")!.Type);
        Assert.Equal("tiny/unified.tar.gz", SimplestreamsParser.Select(Images(), "tiny", "x86_64")!.MetadataPath);
        Assert.Equal("alpine:3.20:amd64:default", SimplestreamsParser.Select(Images(), "111111111111", "x86_64")!.Product);
        Assert.Null(SimplestreamsParser.Select(Images(), "1111", "x86_64"));
        Assert.Null(SimplestreamsParser.Select(Images(), "debian/12", "x86_64"));
    }
}
