using System.Text;
using LxdCompose.Lxd;
using Xunit;

namespace LxdCompose.Tests.Lxd;

[Collection(LabCollection.Name)]
[Trait("Category", "Lab")]
public sealed class FileTests
{
    private readonly LabFixture _lab;

    public FileTests(LabFixture lab) => _lab = lab;

    private string Dir(string name) => $"/tmp/{LabFixture.UniqueName(name)}";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_pushed_file_reads_back_with_content_owner_and_mode(bool overTls)
    {
        var client = overTls ? _lab.Tls : _lab.Unix;
        var path = Dir("file") + ".txt";
        var content = Encoding.UTF8.GetBytes("hello from the client\n");

        await client.Files.PushBytesAsync(_lab.Container, path, content, new LxdFileWriteOptions { Uid = 1000, Gid = 2000, Mode = Convert.ToInt32("640", 8) }, LabFixture.Timeout());
        using var pulled = new MemoryStream();
        var info = await client.Files.PullAsync(_lab.Container, path, pulled, LabFixture.Timeout());

        Assert.Equal(content, pulled.ToArray());
        Assert.Equal(LxdFileType.File, info.Type);
        Assert.Equal((1000, 2000, "0640"), (info.Uid, info.Gid, info.ModeText));
        var listed = await client.Exec.RunCapturedAsync(_lab.Container, new LxdExecRequest(new[] { "stat", "-c", "%u %g %a", path }), LabFixture.Timeout());
        Assert.Equal("1000 2000 640\n", listed.Stdout);
    }

    [Fact]
    public async Task Append_adds_to_an_existing_file()
    {
        var path = Dir("append");
        await _lab.Tls.Files.PushBytesAsync(_lab.Container, path, Encoding.UTF8.GetBytes("a\n"), null, LabFixture.Timeout());
        await _lab.Tls.Files.PushBytesAsync(_lab.Container, path, Encoding.UTF8.GetBytes("b\n"), new LxdFileWriteOptions { Append = true }, LabFixture.Timeout());

        Assert.Equal("a\nb\n", Encoding.UTF8.GetString(await _lab.Tls.Files.ReadAllBytesAsync(_lab.Container, path, LabFixture.Timeout())));
    }

    [Fact]
    public async Task Mkdir_p_creates_every_missing_component_and_tolerates_existing_ones()
    {
        var root = Dir("mkdir");
        var deep = root + "/a/b/c";

        await _lab.Tls.Files.CreateDirectoriesAsync(_lab.Container, deep, new LxdFileWriteOptions { Mode = Convert.ToInt32("750", 8) }, LabFixture.Timeout());
        await _lab.Tls.Files.CreateDirectoriesAsync(_lab.Container, deep, null, LabFixture.Timeout());

        var info = await _lab.Tls.Files.TryStatAsync(_lab.Container, deep, LabFixture.Timeout());
        Assert.Equal(LxdFileType.Directory, info!.Type);
        Assert.Equal("0750", info.ModeText);
        var parent = await _lab.Tls.Files.TryStatAsync(_lab.Container, root + "/a", LabFixture.Timeout());
        Assert.Equal(new[] { "b" }, parent!.Entries);
    }

    [Fact]
    public async Task Symlinks_are_created_and_read_back_as_symlinks()
    {
        var root = Dir("links");
        await _lab.Tls.Files.CreateDirectoryAsync(_lab.Container, root, null, LabFixture.Timeout());

        await _lab.Tls.Files.CreateSymlinkAsync(_lab.Container, root + "/link", "../etc/passwd", null, LabFixture.Timeout());

        var info = await _lab.Tls.Files.TryStatAsync(_lab.Container, root + "/link", LabFixture.Timeout());
        Assert.Equal(LxdFileType.Symlink, info!.Type);
        // LXD 5.0 reports the target resolved against the link's directory; newer servers the raw text.
        Assert.Contains(info.LinkTarget, new[] { "../etc/passwd", "/tmp/etc/passwd" });
        var readlink = await _lab.Tls.Exec.RunCapturedAsync(_lab.Container, new LxdExecRequest(new[] { "readlink", root + "/link" }), LabFixture.Timeout());
        Assert.Equal("../etc/passwd\n", readlink.Stdout);
    }

    [Fact]
    public async Task Delete_removes_a_file_and_a_missing_path_is_not_found()
    {
        var path = Dir("delete");
        await _lab.Tls.Files.PushBytesAsync(_lab.Container, path, new byte[] { 1, 2, 3 }, null, LabFixture.Timeout());

        await _lab.Tls.Files.DeleteAsync(_lab.Container, path, LabFixture.Timeout());

        Assert.Null(await _lab.Tls.Files.TryStatAsync(_lab.Container, path, LabFixture.Timeout()));
        await Assert.ThrowsAsync<LxdNotFoundException>(() => _lab.Tls.Files.ReadAllBytesAsync(_lab.Container, path, LabFixture.Timeout()));
    }

    [Fact]
    public async Task A_large_file_round_trips_byte_for_byte()
    {
        var path = Dir("large");
        var content = new byte[5 * 1024 * 1024 + 17];
        new Random(42).NextBytes(content);

        await _lab.Tls.Files.PushBytesAsync(_lab.Container, path, content, null, LabFixture.Timeout());

        Assert.Equal(content, await _lab.Tls.Files.ReadAllBytesAsync(_lab.Container, path, LabFixture.Timeout()));
    }

    [Fact]
    public async Task A_recursive_push_of_a_tree_with_modes_and_symlinks_reads_back_identical()
    {
        using var tree = new LocalTree();
        tree.AddDirectory("etc", "755");
        tree.AddFile("etc/app.conf", "key=value\n", "640");
        tree.AddFile("etc/run.sh", "#!/bin/sh\necho hi\n", "755");
        tree.AddDirectory("etc/conf.d", "700");
        tree.AddFile("etc/conf.d/10-empty.conf", string.Empty, "600");
        tree.AddFile("etc/conf.d/20-unicode.conf", "grüße ✓\n", "644");
        tree.AddSymlink("etc/current.conf", "app.conf");
        tree.AddSymlink("etc/dangling", "/nowhere/at/all");
        tree.AddDirectory("etc/empty", "711");
        var target = Dir("sync");

        var plan = await _lab.Tls.Files.PushRecursiveAsync(_lab.Container, tree.Path("etc") + "/", target + "/deep/etc/", null, LabFixture.Timeout());

        Assert.Equal(target + "/deep", plan.ParentDirectory);
        var local = tree.Describe("etc");
        var remote = await DescribeRemoteAsync(target + "/deep/etc");
        Assert.Equal(local, remote);

        // Pushing again overwrites in place (symlinks included) and yields the same tree.
        await _lab.Tls.Files.PushRecursiveAsync(_lab.Container, tree.Path("etc") + "/", target + "/deep/etc/", null, LabFixture.Timeout());
        Assert.Equal(local, await DescribeRemoteAsync(target + "/deep/etc"));
    }

    [Fact]
    public async Task A_directory_without_trailing_slash_lands_inside_the_target()
    {
        using var tree = new LocalTree();
        tree.AddDirectory("files", "755");
        tree.AddFile("files/a.txt", "a\n", "644");
        var target = Dir("nested");

        await _lab.Tls.Files.PushRecursiveAsync(_lab.Container, tree.Path("files"), target, null, LabFixture.Timeout());

        Assert.Equal("a\n", Encoding.UTF8.GetString(await _lab.Tls.Files.ReadAllBytesAsync(_lab.Container, target + "/files/a.txt", LabFixture.Timeout())));
    }

    /// <summary>"relative-path type mode [size sha|link]" lines of a tree in the instance, read through the file API.</summary>
    private async Task<IReadOnlyList<string>> DescribeRemoteAsync(string root)
    {
        var lines = new List<string>();
        async Task WalkAsync(string path, string relative)
        {
            using var content = new MemoryStream();
            var info = await _lab.Tls.Files.PullAsync(_lab.Container, path, content, LabFixture.Timeout());
            switch (info.Type)
            {
                case LxdFileType.Directory:
                    lines.Add($"{relative} dir {info.ModeText[1..]}");
                    foreach (var entry in info.Entries.Order(StringComparer.Ordinal))
                    {
                        await WalkAsync(path + "/" + entry, relative.Length == 0 ? entry : relative + "/" + entry);
                    }

                    break;
                case LxdFileType.Symlink:
                    // The raw link text, which the file API of older servers does not return.
                    var readlink = await _lab.Tls.Exec.RunCapturedAsync(_lab.Container, new LxdExecRequest(new[] { "readlink", path }), LabFixture.Timeout());
                    lines.Add($"{relative} link {readlink.Stdout.TrimEnd('\n')}");
                    break;
                default:
                    lines.Add($"{relative} file {info.ModeText[1..]} {LocalTree.Hash(content.ToArray())}");
                    break;
            }
        }

        await WalkAsync(root, string.Empty);
        return lines;
    }
}

/// <summary>A local directory tree for push tests, and its description in the same format as the remote one.</summary>
internal sealed class LocalTree : IDisposable
{
    private readonly string _root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "lxdc-tree-" + Guid.NewGuid().ToString("N")[..8]);

    public LocalTree() => System.IO.Directory.CreateDirectory(_root);

    public string Path(string relative) => System.IO.Path.Combine(_root, relative);

    public void AddDirectory(string relative, string mode)
    {
        System.IO.Directory.CreateDirectory(Path(relative));
        SetMode(relative, mode);
    }

    public void AddFile(string relative, string content, string mode)
    {
        System.IO.File.WriteAllText(Path(relative), content);
        SetMode(relative, mode);
    }

    private void SetMode(string relative, string mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            System.IO.File.SetUnixFileMode(Path(relative), (UnixFileMode)Convert.ToInt32(mode, 8));
        }
    }

    public void AddSymlink(string relative, string target) => System.IO.File.CreateSymbolicLink(Path(relative), target);

    public static string Hash(byte[] content) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(content))[..16];

    public IReadOnlyList<string> Describe(string relativeRoot)
    {
        var lines = new List<string>();
        void Walk(FileSystemInfo entry, string relative)
        {
            if (entry.LinkTarget is { } link)
            {
                lines.Add($"{relative} link {link}");
            }
            else if (entry is DirectoryInfo directory)
            {
                lines.Add($"{relative} dir {Convert.ToString((int)directory.UnixFileMode, 8)}");
                foreach (var child in directory.EnumerateFileSystemInfos().OrderBy(c => c.Name, StringComparer.Ordinal))
                {
                    Walk(child, relative.Length == 0 ? child.Name : relative + "/" + child.Name);
                }
            }
            else
            {
                lines.Add($"{relative} file {Convert.ToString((int)entry.UnixFileMode, 8)} {Hash(System.IO.File.ReadAllBytes(entry.FullName))}");
            }
        }

        Walk(new DirectoryInfo(Path(relativeRoot)), string.Empty);
        return lines;
    }

    public void Dispose() => System.IO.Directory.Delete(_root, recursive: true);
}
