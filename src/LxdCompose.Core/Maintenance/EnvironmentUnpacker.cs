using System.Formats.Tar;
using System.IO.Compression;
using System.Runtime.InteropServices;
using LxdCompose.Security;
using YamlDotNet.RepresentationModel;

namespace LxdCompose.Maintenance;

/// <summary>lxd-compose unpack's flags.</summary>
public sealed record UnpackOptions
{
    /// <summary><c>--same-owner</c>: files get the owner and group the archive names (needs root).</summary>
    public bool SameOwner { get; init; }

    /// <summary><c>--render-file</c>: a YAML file of the archive (path inside it) whose top-level keys <see cref="RenderValues"/> set.</summary>
    public string? RenderFile { get; init; }

    /// <summary><c>--render-env K=V</c>: the top-level keys to set in <see cref="RenderFile"/>.</summary>
    public IReadOnlyDictionary<string, string> RenderValues { get; init; } = new Dictionary<string, string>();
}

/// <summary>What Import-LxdEnvironment wrote.</summary>
public sealed class UnpackResult
{
    public string Path { get; init; } = string.Empty;
    public string Archive { get; init; } = string.Empty;
    public IReadOnlyList<string> Entries { get; init; } = Array.Empty<string>();
    /// <summary>The render file whose keys were set, when one was.</summary>
    public string? RenderFile { get; init; }

    public override string ToString() => Path;
}

/// <summary>A problem with an archive or with what unpacking asks for.</summary>
public sealed class PackageException : Exception
{
    public PackageException(string code, string message, string? target = null, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
        Target = target;
    }

    public string Code { get; }

    public string? Target { get; }
}

/// <summary>
/// lxd-compose unpack: extracts a package (tar, gzip recognised by its content) into a folder, modes and times kept
/// (entries are written owner-only until their mode is set, so a 0600 file is never readable by others); entries that
/// would land outside the folder (absolute paths, <c>..</c>, links pointing out) are refused before anything is written.
/// </summary>
public static class EnvironmentUnpacker
{
    public static async Task<UnpackResult> ExtractAsync(string tarball, string destination, UnpackOptions? options, CancellationToken cancellationToken)
    {
        options ??= new UnpackOptions();
        if (options.RenderFile is null != (options.RenderValues.Count == 0))
        {
            throw new PackageException("UnpackRenderFileAndValues",
                "Setting render values needs both the render file and the values (lxd-compose's --render-file with --render-env).", options.RenderFile);
        }

        var archive = Path.GetFullPath(tarball);
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(destination));
        var entries = await ReadEntriesAsync(archive, root, cancellationToken).ConfigureAwait(false);
        Directory.CreateDirectory(root);
        var written = new List<string>();
        await using (var stream = await OpenAsync(archive, cancellationToken).ConfigureAwait(false))
        await using (var reader = new TarReader(stream))
        {
            while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                var target = entries[entry.Name];
                switch (entry.EntryType)
                {
                    case TarEntryType.Directory:
                        Directory.CreateDirectory(target);
                        break;
                    case TarEntryType.SymbolicLink:
                        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                        File.Delete(target);
                        File.CreateSymbolicLink(target, entry.LinkName);
                        break;
                    default:
                        await WriteFileAsync(entry, target, cancellationToken).ConfigureAwait(false);
                        break;
                }

                if (options.SameOwner && entry.EntryType != TarEntryType.SymbolicLink)
                {
                    Chown(target, entry.Uid, entry.Gid);
                }

                written.Add(entry.Name);
            }
        }

        string? renderFile = null;
        if (options.RenderFile is { } file)
        {
            renderFile = Inside(root, file) ?? throw new PackageException("UnpackUnsafeEntry", $"The render file '{file}' is outside {root}.", file);
            SetTopLevelKeys(renderFile, options.RenderValues);
        }

        return new UnpackResult { Path = root, Archive = archive, Entries = written, RenderFile = renderFile };
    }

    /// <summary>Every entry's target, read before anything is written, so an unsafe archive writes nothing.</summary>
    private static async Task<Dictionary<string, string>> ReadEntriesAsync(string archive, string root, CancellationToken cancellationToken)
    {
        var targets = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var stream = await OpenAsync(archive, cancellationToken).ConfigureAwait(false);
        await using var reader = new TarReader(stream);
        try
        {
            while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                var target = Inside(root, entry.Name)
                    ?? throw new PackageException("UnpackUnsafeEntry", $"The entry '{entry.Name}' of {archive} would be written outside {root}.", entry.Name);
                switch (entry.EntryType)
                {
                    case TarEntryType.Directory or TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                        break;
                    case TarEntryType.SymbolicLink:
                        if (Path.IsPathRooted(entry.LinkName) || Inside(root, Path.Combine(Path.GetDirectoryName(target)!, entry.LinkName)) is null)
                        {
                            throw new PackageException("UnpackUnsafeEntry",
                                $"The link '{entry.Name}' of {archive} points outside {root} ({entry.LinkName}).", entry.Name);
                        }

                        break;
                    default:
                        throw new PackageException("UnpackUnsupportedEntry",
                            $"The entry '{entry.Name}' of {archive} is a {entry.EntryType}; a package holds files, folders and links.", entry.Name);
                }

                targets[entry.Name] = target;
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new PackageException("UnpackNotAnArchive", $"{archive} is not a tar archive (plain or gzip): {e.Message}", archive, e);
        }

        return targets;
    }

    private static async Task<Stream> OpenAsync(string archive, CancellationToken cancellationToken)
    {
        var file = File.OpenRead(archive);
        var magic = new byte[2];
        var read = await file.ReadAsync(magic, cancellationToken).ConfigureAwait(false);
        file.Position = 0;
        return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    private static async Task WriteFileAsync(TarEntry entry, string target, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = PrivateFile.OwnerOnly;
            if (File.Exists(target))
            {
                File.SetUnixFileMode(target, PrivateFile.OwnerOnly);
            }
        }

        await using (var file = new FileStream(target, options))
        {
            if (entry.DataStream is { } data)
            {
                await data.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            }
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(target, entry.Mode);
        }

        File.SetLastWriteTimeUtc(target, entry.ModificationTime.UtcDateTime);
    }

    /// <summary>The full path of <paramref name="relative"/> under <paramref name="root"/>, or null when it leaves it.</summary>
    internal static string? Inside(string root, string relative)
    {
        var name = relative.Replace('\\', '/');
        if (name.Length == 0 || name.StartsWith('/') || Path.IsPathRooted(name) || name.Split('/').Contains(".."))
        {
            return null;
        }

        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(Path.Combine(root, name)));
        return full == root || full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? full : null;
    }

    /// <summary>lxd-compose's --render-file/--render-env: sets top-level keys of a YAML mapping, keeping the file's mode.</summary>
    internal static void SetTopLevelKeys(string file, IReadOnlyDictionary<string, string> values)
    {
        if (!File.Exists(file))
        {
            throw new PackageException("UnpackRenderFileMissing", $"The render file {file} is not in the package.", file);
        }

        var stream = new YamlStream();
        using (var reader = new StringReader(File.ReadAllText(file)))
        {
            stream.Load(reader);
        }

        var root = stream.Documents.Count > 0 ? stream.Documents[0].RootNode as YamlMappingNode : new YamlMappingNode();
        if (root is null)
        {
            throw new PackageException("UnpackRenderFileNotMapping", $"The render file {file} is not a YAML mapping.", file);
        }

        foreach (var (key, value) in values)
        {
            root.Children[new YamlScalarNode(key)] = new YamlScalarNode(value);
        }

        using var writer = new StringWriter();
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        File.WriteAllText(file, writer.ToString().Replace("\r\n", "\n").TrimEnd('.', '\n', ' ') + "\n");
    }

    private static void Chown(string path, int uid, int gid)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PackageException("UnpackSameOwnerUnsupported", "Keeping the archive's owners works on Linux and macOS only.", path);
        }

        if (Native.lchown(path, uid, gid) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new PackageException("UnpackSameOwnerFailed",
                $"Could not give {path} the owner {uid}:{gid} of the archive (errno {errno}; only root can).", path);
        }
    }

    private static class Native
    {
        [DllImport("libc", SetLastError = true)]
#pragma warning disable SA1300, CA2101 // the libc name
        public static extern int lchown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int owner, int group);
#pragma warning restore SA1300, CA2101
    }
}
