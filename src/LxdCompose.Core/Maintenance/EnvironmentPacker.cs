using System.Formats.Tar;
using System.IO.Compression;
using LxdCompose.Loading;
using LxdCompose.Security;
using LxdCompose.Specs;
using LxdCompose.Templating;
using YamlDotNet.RepresentationModel;

namespace LxdCompose.Maintenance;

/// <summary>What <see cref="EnvironmentPacker.Collect"/> takes besides the specs (lxd-compose pack's flags).</summary>
public sealed record PackOptions
{
    /// <summary>
    /// lxd-compose's <c>--source-common-path</c>: config template sources under this folder go to
    /// <c>sources/&lt;rest&gt;</c> in the archive (absolute, or relative to the config's folder).
    /// </summary>
    public string? SourceCommonPath { get; init; }
}

/// <summary>One file of a package: where it is read from and its path in the archive (forward slashes).</summary>
public sealed record PackEntry(string ArchivePath, string SourcePath, bool HoldsSecrets);

/// <summary>The files a set of projects needs, and the config that goes with them.</summary>
public sealed class EnvironmentPackage
{
    internal EnvironmentPackage(IReadOnlyList<PackEntry> entries, string configText, string? sourceBaseDirectory)
    {
        Entries = entries;
        ConfigText = configText;
        SourceBaseDirectory = sourceBaseDirectory;
    }

    /// <summary>Every file, each archive path once (lxd-compose's duplicate entries, its issue #24, cannot happen).</summary>
    public IReadOnlyList<PackEntry> Entries { get; }

    /// <summary>The <c>.lxd-compose.yml</c> written at the archive's root: the config without any encryption key.</summary>
    public string ConfigText { get; }

    /// <summary>
    /// With <see cref="PackOptions.SourceCommonPath"/>: <c>sources</c> as seen from the packed environment folder
    /// (e.g. <c>../../sources</c>), the value to give the specs' source base (Import-LxdEnvironment -RenderValue).
    /// </summary>
    public string? SourceBaseDirectory { get; }
}

/// <summary>What Export-LxdEnvironment wrote.</summary>
public sealed class PackResult
{
    public string Path { get; init; } = string.Empty;
    public IReadOnlyList<string> Projects { get; init; } = Array.Empty<string>();
    /// <summary>The archive's entries in the order written, the config first.</summary>
    public IReadOnlyList<string> Entries { get; init; } = Array.Empty<string>();
    public long Size { get; init; }
    public string? SourceBaseDirectory { get; init; }

    public override string ToString() => Path;
}

/// <summary>
/// lxd-compose pack: collects the files projects need (environment files, every include, vars files of commands,
/// config template sources, sync sources, <c>pack_extra</c>, the client config folder, the render files) relative to the config's
/// folder, and writes them with a generated config into a tar archive (gzip for <c>.gz</c>/<c>.tgz</c>). Unlike
/// lxd-compose, the archive never holds the encryption key, and each path is written once.
/// </summary>
public static class EnvironmentPacker
{
    public const string ConfigEntry = ".lxd-compose.yml";
    public const string SourcesFolder = "sources";

    /// <summary>The package of <paramref name="projects"/>; throws <see cref="SpecException"/> for a missing or unreachable file.</summary>
    public static EnvironmentPackage Collect(SpecSet specs, IReadOnlyList<LxdProject> projects, PackOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(specs);
        ArgumentNullException.ThrowIfNull(projects);
        options ??= new PackOptions();
        var root = Path.GetFullPath(specs.Config.BaseDirectory);
        var common = string.IsNullOrEmpty(options.SourceCommonPath) ? null
            : Path.TrimEndingDirectorySeparator(specs.Config.Resolve(options.SourceCommonPath));
        var collector = new Collector(root, common, SecretFiles(projects));
        var environments = projects.Select(specs.EnvironmentOf).Distinct().ToList();
        foreach (var env in environments)
        {
            CollectEnvironment(collector, env, projects.Where(p => ReferenceEquals(specs.EnvironmentOf(p), env)).ToList());
        }

        if (DeployConfDir(specs.Config) is { } confDir && Directory.Exists(confDir))
        {
            collector.AddDirectory(confDir, SourceLocation.FileOnly(specs.Config.File), name => name.EndsWith(".key", StringComparison.Ordinal));
        }

        foreach (var file in new[] { specs.Config.RenderDefaultFile, specs.Config.RenderValuesFile }.Where(f => f.Length > 0))
        {
            collector.AddFile(specs.Config.Resolve(file), SourceLocation.FileOnly(specs.Config.File));
        }

        foreach (var dir in specs.Config.RenderTemplatesDirs.Where(d => d.Length > 0))
        {
            collector.AddDirectory(specs.Config.Resolve(dir), SourceLocation.FileOnly(specs.Config.File));
        }

        var envDirs = environments.Select(e => collector.ArchivePathOf(e.BaseDirectory, SourceLocation.FileOnly(e.File))).Distinct().ToList();
        var configText = GeneratedConfig(specs.Config, envDirs);
        var depth = envDirs.Count == 1 && envDirs[0].Length > 0 ? envDirs[0].Split('/').Length : 0;
        var sourceBase = common is null ? null : string.Concat(Enumerable.Repeat("../", depth)) + SourcesFolder;
        return new EnvironmentPackage(collector.Entries, configText, sourceBase);
    }

    private static void CollectEnvironment(Collector c, LxdEnvironment env, IReadOnlyList<LxdProject> projects)
    {
        var envAt = SourceLocation.FileOnly(env.File);
        string InEnv(string path) => ConfigTemplateCompiler.JoinLikeGo(env.BaseDirectory, path);
        c.AddFile(env.File, envAt);
        foreach (var list in new[] { env.IncludeCommandsFiles, env.IncludeProfilesFiles, env.IncludeNetworksFiles, env.IncludeStorageFiles, env.IncludeAclsFiles })
        {
            foreach (var file in list)
            {
                c.AddFile(InEnv(file), envAt);
            }
        }

        foreach (var certificate in env.Certificates.Where(x => x.CertificatePath.Length > 0))
        {
            c.AddFile(certificate.CertificatePath, certificate.Location);
        }

        foreach (var command in env.Commands)
        {
            foreach (var file in command.VarsFiles.Concat(command.IncludeHooksFiles))
            {
                c.AddFile(Path.IsPathRooted(file) ? file : Path.Combine(env.BaseDirectory, file), command.Location);
            }
        }

        foreach (var project in projects)
        {
            foreach (var file in project.IncludeGroupsFiles.Concat(project.IncludeEnvFiles).Concat(project.IncludeHooksFiles))
            {
                c.AddFile(InEnv(file), project.Location);
            }

            foreach (var template in project.ConfigTemplates)
            {
                c.AddTemplate(InEnv(template.Source), template.Location);
            }

            foreach (var group in project.Groups)
            {
                foreach (var file in group.IncludeHooksFiles)
                {
                    c.AddFile(InEnv(file), group.Location);
                }

                foreach (var template in group.ConfigTemplates)
                {
                    c.AddTemplate(InEnv(template.Source), template.Location);
                }

                foreach (var node in group.Nodes)
                {
                    foreach (var file in node.IncludeHooksFiles)
                    {
                        c.AddFile(InEnv(file), node.Location);
                    }

                    // As the compile reads them: relative to the node's source_dir.
                    var baseDir = Path.IsPathRooted(node.SourceDir) ? Path.GetFullPath(node.SourceDir)
                        : ConfigTemplateCompiler.JoinLikeGo(env.BaseDirectory, node.SourceDir);
                    foreach (var template in node.ConfigTemplates)
                    {
                        c.AddTemplate(ConfigTemplateCompiler.JoinLikeGo(baseDir, template.Source), template.Location);
                    }

                    // Unlike lxd-compose (which needs pack_extra for them), the sync sources go in: an apply needs them.
                    // One that is missing is made at apply time (a compiled template, a hook's output) and left out.
                    foreach (var sync in Deploy.ApplyPlanner.SyncSources(env, node))
                    {
                        c.AddIfPresent(sync.Source, sync.Location);
                    }
                }
            }
        }

        if (env.PackExtra is { } extra)
        {
            foreach (var rename in extra.Rename)
            {
                c.AddRename(InEnv(rename.Source), rename.Destination.Replace('\\', '/').Trim('/'));
            }

            foreach (var dir in extra.Dirs)
            {
                c.AddDirectory(InEnv(dir), extra.Location);
            }

            foreach (var file in extra.Files)
            {
                c.AddFile(InEnv(file), extra.Location);
            }
        }
    }

    /// <summary>Vars files and environment files holding <c>secret: true</c> or encrypted blocks.</summary>
    private static HashSet<string> SecretFiles(IEnumerable<LxdProject> projects) =>
        projects.SelectMany(p => p.Vars.Where(v => v.Secret || v.Encrypted).Select(v => v.File ?? p.EnvironmentFile))
            .Where(f => f.Length > 0).Select(Path.GetFullPath).ToHashSet(StringComparer.Ordinal);

    private static string? DeployConfDir(ComposeConfig config) =>
        config.General.LxdConfDir.Length == 0 ? null : config.Resolve(config.General.LxdConfDir);

    /// <summary>
    /// The config as written, with <c>general.debug</c> false, <c>env_dirs</c> the packed environment folders, and no
    /// <c>security.key</c> or <c>security.keyfile</c> (lxd-compose copies the key in: its archives leak it).
    /// </summary>
    internal static string GeneratedConfig(ComposeConfig config, IReadOnlyList<string> envDirs)
    {
        var root = new YamlMappingNode();
        if (config.File.Length > 0 && File.Exists(config.File))
        {
            var stream = new YamlStream();
            using var reader = new StringReader(File.ReadAllText(config.File));
            stream.Load(reader);
            if (stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode mapping)
            {
                root = mapping;
            }
        }

        var general = Child(root, "general");
        general.Children[new YamlScalarNode("debug")] = new YamlScalarNode("false");
        root.Children[new YamlScalarNode("env_dirs")] = new YamlSequenceNode(envDirs.Select(d => new YamlScalarNode(d.Length == 0 ? "." : "./" + d)));
        if (root.Children.TryGetValue(new YamlScalarNode("security"), out var security) && security is YamlMappingNode securityMap)
        {
            securityMap.Children.Remove(new YamlScalarNode("key"));
            securityMap.Children.Remove(new YamlScalarNode("keyfile"));
        }

        using var writer = new StringWriter();
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        return writer.ToString().Replace("\r\n", "\n").TrimEnd('.', '\n', ' ') + "\n";
    }

    private static YamlMappingNode Child(YamlMappingNode parent, string key)
    {
        if (parent.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlMappingNode mapping)
        {
            return mapping;
        }

        mapping = new YamlMappingNode();
        parent.Children[new YamlScalarNode(key)] = mapping;
        return mapping;
    }

    /// <summary>
    /// Writes the config and every entry (mode and time kept; files holding secrets 0600) into
    /// <paramref name="tarball"/>, itself 0600 (it may carry the client key); gzip for <c>.gz</c>, <c>.gzip</c>, <c>.tgz</c>.
    /// </summary>
    public static async Task<PackResult> WriteAsync(EnvironmentPackage package, string tarball, IReadOnlyList<string> projects,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(package);
        var full = Path.GetFullPath(tarball);
        var temporary = full + ".partial";
        var written = new List<string>();
        var fileOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = PrivateFile.OwnerOnly;
        }

        try
        {
            await using (var file = new FileStream(temporary, fileOptions))
            {
                await using Stream output = IsGzip(full) ? new GZipStream(file, CompressionLevel.Optimal) : file;
                await using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
                var config = new PaxTarEntry(TarEntryType.RegularFile, ConfigEntry)
                {
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                    ModificationTime = DateTimeOffset.UtcNow,
                    DataStream = new MemoryStream(new System.Text.UTF8Encoding(false).GetBytes(package.ConfigText)),
                };
                await writer.WriteEntryAsync(config, cancellationToken).ConfigureAwait(false);
                written.Add(ConfigEntry);
                foreach (var entry in package.Entries)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    await using var content = File.OpenRead(entry.SourcePath);
                    var info = new FileInfo(entry.SourcePath);
                    var tar = new PaxTarEntry(TarEntryType.RegularFile, entry.ArchivePath)
                    {
                        Mode = entry.HoldsSecrets ? PrivateFile.OwnerOnly : ModeOf(entry.SourcePath),
                        ModificationTime = info.LastWriteTimeUtc,
                        DataStream = content,
                    };
                    await writer.WriteEntryAsync(tar, cancellationToken).ConfigureAwait(false);
                    written.Add(entry.ArchivePath);
                }
            }

            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        return new PackResult
        {
            Path = full,
            Projects = projects,
            Entries = written,
            Size = new FileInfo(full).Length,
            SourceBaseDirectory = package.SourceBaseDirectory,
        };
    }

    internal static bool IsGzip(string path) =>
        path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".gzip", StringComparison.OrdinalIgnoreCase)
        || path.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase);

    private static UnixFileMode ModeOf(string path) =>
        OperatingSystem.IsWindows()
            ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead
            : File.GetUnixFileMode(path);

    /// <summary>Entries in the order met, each archive path once; paths outside the root need a rename.</summary>
    private sealed class Collector
    {
        private readonly string _root;
        private readonly string? _common;
        private readonly HashSet<string> _secretFiles;
        private readonly Dictionary<string, PackEntry> _byArchivePath = new(StringComparer.Ordinal);
        private readonly List<PackEntry> _entries = new();
        private readonly List<(string Source, string Destination)> _renames = new();

        public Collector(string root, string? common, HashSet<string> secretFiles)
        {
            _root = root;
            _common = common;
            _secretFiles = secretFiles;
        }

        public IReadOnlyList<PackEntry> Entries => _entries;

        public void AddRename(string source, string destination) => _renames.Add((Path.TrimEndingDirectorySeparator(source), destination));

        public void AddTemplate(string path, SourceLocation at)
        {
            if (_common is not null && Under(path, _common) is { } rest)
            {
                Add(path, Join(SourcesFolder, rest), at, false);
                return;
            }

            AddFile(path, at);
        }

        public void AddIfPresent(string path, SourceLocation at)
        {
            if (Directory.Exists(path))
            {
                AddDirectory(path, at);
            }
            else if (File.Exists(path))
            {
                AddFile(path, at);
            }
        }

        public void AddFile(string path, SourceLocation at, bool holdsSecrets = false)
        {
            var full = Path.GetFullPath(path);
            if (!File.Exists(full))
            {
                throw new SpecException("PackFileMissing", $"The file {full} that the package needs does not exist.", at);
            }

            Add(full, ArchivePathOf(full, at), at, holdsSecrets);
        }

        public void AddDirectory(string path, SourceLocation at, Func<string, bool>? holdsSecrets = null)
        {
            var full = Path.GetFullPath(path);
            if (!Directory.Exists(full))
            {
                throw new SpecException("PackFileMissing", $"The folder {full} that the package needs does not exist.", at);
            }

            var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false };
            foreach (var file in Directory.EnumerateFiles(full, "*", options).Order(StringComparer.Ordinal))
            {
                AddFile(file, at, holdsSecrets?.Invoke(Path.GetFileName(file)) ?? false);
            }
        }

        /// <summary>The archive path of a file or folder: a pack_extra rename, else its path under the config's folder.</summary>
        public string ArchivePathOf(string path, SourceLocation at)
        {
            var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
            foreach (var (source, destination) in _renames)
            {
                if (Under(full, source) is { } renamed)
                {
                    return Join(destination, renamed);
                }
            }

            return Under(full, _root) ?? throw new SpecException("PackFileOutsideConfigFolder",
                $"{full} is outside the config's folder {_root}, so it has no place in the package. Move it under that folder, " +
                "add a pack_extra rename for it, or (a config template source) name its parent with -SourceCommonPath.", at);
        }

        private void Add(string full, string archivePath, SourceLocation at, bool holdsSecrets)
        {
            if (archivePath == ConfigEntry)
            {
                return; // the generated config takes the original's place
            }

            holdsSecrets |= _secretFiles.Contains(full);
            if (_byArchivePath.TryGetValue(archivePath, out var known))
            {
                if (known.SourcePath != full)
                {
                    throw new SpecException("PackDuplicateEntry",
                        $"Two files would be written as '{archivePath}' in the package: {known.SourcePath} and {full}.", at);
                }

                return; // the same file reached twice (a pack_extra dir holding a template): written once
            }

            var entry = new PackEntry(archivePath, full, holdsSecrets);
            _byArchivePath.Add(archivePath, entry);
            _entries.Add(entry);
        }

        private static string? Under(string full, string folder)
        {
            if (full == folder)
            {
                return string.Empty;
            }

            var prefix = folder.EndsWith(Path.DirectorySeparatorChar) ? folder : folder + Path.DirectorySeparatorChar;
            return full.StartsWith(prefix, StringComparison.Ordinal) ? full[prefix.Length..].Replace('\\', '/') : null;
        }

        private static string Join(string a, string b) => a.Length == 0 ? b : b.Length == 0 ? a : a + "/" + b;
    }
}
