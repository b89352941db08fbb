using System.Formats.Tar;
using System.IO.Compression;
using LxdCompose.Loading;
using LxdCompose.Maintenance;
using LxdCompose.Specs;
using TempSpecs = LxdCompose.Tests.Loading.TempSpecs;
using SpecTestKit = LxdCompose.Tests.Loading.SpecTestKit;
using Xunit;

namespace LxdCompose.Tests.Maintenance;

/// <summary>lxd-compose pack/unpack: the archive's entries exactly, a round trip, never the key, secret files 0600, safe paths.</summary>
public sealed class EnvironmentPackTests : IDisposable
{
    private readonly TempSpecs _specs = new();
    private readonly string _out = Path.Combine(Path.GetTempPath(), "lxdc-pack-" + Guid.NewGuid().ToString("N"));

    public EnvironmentPackTests()
    {
        Directory.CreateDirectory(_out);
        _specs
            .Write(".lxd-compose.yml", "general:\n  lxd_confdir: ./lxd-conf\nenv_dirs: [envs]\nsecurity:\n  key: c2VjcmV0LWtleS1zZWNyZXQta2V5LXNlY3JldC1rZXk=\n  keyfile: ../outside.key\n")
            .Write("lxd-conf/config.yml", "default-remote: local\n")
            .Write("lxd-conf/client.key", "PRIVATE\n")
            .Write("envs/groups/web.yml",
                "name: web\nnodes:\n  - name: web1\n    image_source: busybox/lab\n    sync_resources:\n      - source: site/\n        dst: /srv/\n      - source: out/generated.conf\n        dst: /etc/x\n")
            .Write("envs/site/index.html", "hello\n")
            .Write("envs/vars/secret.yml", "secret: true\nenvs:\n  db_password: hunter2\n")
            .Write("envs/vars/plain.yml", "envs:\n  colour: blue\n")
            .Write("envs/templates/app.conf.tmpl", "colour={{ .colour }}\n")
            .Write("envs/extra/readme.txt", "extra\n")
            .Write("envs/hooks/start.yml", "hooks:\n  - event: post-node-creation\n    commands: [echo hi]\n")
            .Env("""
                version: "1"
                template_engine: { engine: mottainai }
                pack_extra:
                  dirs: [extra, templates]
                projects:
                  - name: mc-pack
                    include_groups_files: [groups/web.yml]
                    include_env_files: [vars/secret.yml, vars/plain.yml]
                    include_hooks_files: [hooks/start.yml]
                    config_templates:
                      - source: templates/app.conf.tmpl
                        dst: out/app.conf
                """);
    }

    private async Task<(EnvironmentPackage Package, PackResult Result)> Pack(string name = "pack.tar.gz", PackOptions? options = null)
    {
        var specs = _specs.Load();
        Assert.Empty(_specs.Problems(specs, DiagnosticSeverity.Error));
        var project = specs.FindProject("mc-pack")!;
        var package = EnvironmentPacker.Collect(specs, new[] { project }, options);
        var result = await EnvironmentPacker.WriteAsync(package, Path.Combine(_out, name), new[] { project.Name }, CancellationToken.None);
        return (package, result);
    }

    private static List<(string Name, UnixFileMode Mode, string Text)> Read(string tarball)
    {
        using var file = File.OpenRead(tarball);
        using Stream stream = EnvironmentPacker.IsGzip(tarball) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new TarReader(stream);
        var entries = new List<(string, UnixFileMode, string)>();
        while (reader.GetNextEntry() is { } entry)
        {
            using var text = new StreamReader(entry.DataStream!);
            entries.Add((entry.Name, entry.Mode, text.ReadToEnd()));
        }

        return entries;
    }

    [Fact]
    public async Task The_archive_holds_exactly_the_files_the_project_needs_each_once()
    {
        var (_, result) = await Pack();
        var names = Read(result.Path).Select(e => e.Name).ToList();
        Assert.Equal(new[]
        {
            ".lxd-compose.yml",
            "envs/env.yml",
            "envs/groups/web.yml",
            "envs/vars/secret.yml",
            "envs/vars/plain.yml",
            "envs/hooks/start.yml",
            "envs/templates/app.conf.tmpl",
            "envs/site/index.html", // a sync source (out/generated.conf is made at apply time: left out)
            "envs/extra/readme.txt",
            "lxd-conf/client.key",
            "lxd-conf/config.yml",
        }, names);
        Assert.Equal(names, result.Entries);
        Assert.Equal(names.Count, names.Distinct().Count()); // lxd-compose #24: the template in a pack_extra dir is written once
    }

    [Fact]
    public async Task The_archive_never_holds_the_encryption_key()
    {
        var (_, result) = await Pack("plain.tar");
        var entries = Read(result.Path);
        var config = entries.Single(e => e.Name == ".lxd-compose.yml").Text;
        Assert.DoesNotContain("c2VjcmV0LWtleS1zZWNyZXQta2V5LXNlY3JldC1rZXk=", config);
        Assert.DoesNotContain("keyfile", config);
        Assert.Contains("./envs", config);
        Assert.Contains("debug: false", config);
        Assert.All(entries, e => Assert.DoesNotContain("c2VjcmV0LWtleS1zZWNyZXQta2V5LXNlY3JldC1rZXk=", e.Text));
        Assert.DoesNotContain("c2VjcmV0LWtleS1zZWNyZXQta2V5LXNlY3JldC1rZXk=", File.ReadAllText(result.Path));
    }

    [Fact]
    public async Task Files_holding_secrets_are_0600_in_the_archive_and_when_unpacked()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix modes only
        }

        File.SetUnixFileMode(_specs.PathOf("envs/vars/secret.yml"), (UnixFileMode)0b110_100_100);
        File.SetUnixFileMode(_specs.PathOf("envs/vars/plain.yml"), (UnixFileMode)0b110_100_100);
        var (_, result) = await Pack();
        var modes = Read(result.Path).ToDictionary(e => e.Name, e => e.Mode);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, modes["envs/vars/secret.yml"]);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, modes["lxd-conf/client.key"]);
        Assert.Equal((UnixFileMode)0b110_100_100, modes["envs/vars/plain.yml"]);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(result.Path));

        var target = Path.Combine(_out, "unpacked");
        await EnvironmentUnpacker.ExtractAsync(result.Path, target, null, CancellationToken.None);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(target, "envs/vars/secret.yml")));
        Assert.Equal((UnixFileMode)0b110_100_100, File.GetUnixFileMode(Path.Combine(target, "envs/vars/plain.yml")));
    }

    [Fact]
    public async Task A_round_trip_gives_specs_that_load_the_same_project()
    {
        var (_, result) = await Pack();
        var target = Path.Combine(_out, "roundtrip");
        var unpacked = await EnvironmentUnpacker.ExtractAsync(result.Path, target, null, CancellationToken.None);
        Assert.Equal(result.Entries, unpacked.Entries);
        foreach (var entry in result.Entries.Skip(1))
        {
            Assert.Equal(File.ReadAllText(_specs.PathOf(entry)), File.ReadAllText(Path.Combine(target, entry)));
        }

        var specs = SpecLoader.Load(new LoadOptions { WorkingDirectory = target, EnvironmentVariables = SpecTestKit.NoEnvironment });
        var project = specs.FindProject("mc-pack");
        Assert.NotNull(project);
        Assert.Equal(new[] { "web1" }, project!.Groups.SelectMany(g => g.Nodes).Select(n => n.Name));
    }

    [Fact]
    public async Task Source_common_path_moves_template_sources_under_sources()
    {
        var shared = Path.Combine(_out, "common");
        Directory.CreateDirectory(Path.Combine(shared, "tmpl"));
        File.WriteAllText(Path.Combine(shared, "tmpl", "x.tmpl"), "x\n");
        _specs.Env($"""
            version: "1"
            template_engine: {"{"} engine: mottainai {"}"}
            projects:
              - name: mc-pack
                config_templates:
                  - source: {Path.GetRelativePath(_specs.PathOf("envs"), Path.Combine(shared, "tmpl", "x.tmpl"))}
                    dst: out/x
            """);
        var (package, result) = await Pack("common.tar", new PackOptions { SourceCommonPath = shared });
        Assert.Contains("sources/tmpl/x.tmpl", result.Entries);
        Assert.Equal("../sources", package.SourceBaseDirectory);
    }

    [Fact]
    public void A_file_outside_the_config_folder_without_a_rule_is_refused()
    {
        var outside = Path.Combine(_out, "outside.tmpl");
        File.WriteAllText(outside, "x\n");
        _specs.Env($"""
            version: "1"
            template_engine: {"{"} engine: mottainai {"}"}
            projects:
              - name: mc-pack
                config_templates:
                  - source: {Path.GetRelativePath(_specs.PathOf("envs"), outside)}
                    dst: out/x
            """);
        var specs = _specs.Load();
        var e = Assert.Throws<SpecException>(() => EnvironmentPacker.Collect(specs, new[] { specs.FindProject("mc-pack")! }));
        Assert.Equal("PackFileOutsideConfigFolder", e.Diagnostic.Code);
    }

    [Fact]
    public async Task Unpack_refuses_entries_that_leave_the_folder_and_writes_nothing()
    {
        var tarball = Path.Combine(_out, "evil.tar");
        using (var file = File.Create(tarball))
        using (var writer = new TarWriter(file, TarEntryFormat.Pax))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "ok.txt") { DataStream = new MemoryStream(new byte[] { 1 }) });
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "../evil.txt") { DataStream = new MemoryStream(new byte[] { 1 }) });
        }

        var target = Path.Combine(_out, "evil");
        var e = await Assert.ThrowsAsync<PackageException>(() => EnvironmentUnpacker.ExtractAsync(tarball, target, null, CancellationToken.None))
            ;
        Assert.Equal("UnpackUnsafeEntry", e.Code);
        Assert.False(File.Exists(Path.Combine(target, "ok.txt")));
        Assert.False(File.Exists(Path.Combine(_out, "evil.txt")));
    }

    [Fact]
    public async Task Render_file_and_values_set_top_level_keys_after_unpacking()
    {
        _specs.Write("render/values.yaml", "source_base_dir: /old\nkeep: 1\n");
        _specs.Write(".lxd-compose.yml", "env_dirs: [envs]\nrender_values_file: render/values.yaml\n");
        var (_, result) = await Pack();
        var target = Path.Combine(_out, "render");
        var options = new UnpackOptions
        {
            RenderFile = "render/values.yaml",
            RenderValues = new Dictionary<string, string> { ["source_base_dir"] = "../sources" },
        };
        var unpacked = await EnvironmentUnpacker.ExtractAsync(result.Path, target, options, CancellationToken.None);
        var text = File.ReadAllText(unpacked.RenderFile!);
        Assert.Contains("source_base_dir: ../sources", text);
        Assert.Contains("keep: 1", text);

        var half = new UnpackOptions { RenderFile = "render/values.yaml" };
        var e = await Assert.ThrowsAsync<PackageException>(() => EnvironmentUnpacker.ExtractAsync(result.Path, target, half, CancellationToken.None))
            ;
        Assert.Equal("UnpackRenderFileAndValues", e.Code);
    }

    public void Dispose()
    {
        _specs.Dispose();
        Directory.Delete(_out, recursive: true);
    }
}
