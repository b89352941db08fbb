using LxdCompose.Specs;
using LxdCompose.Yaml;

namespace LxdCompose.Loading;

/// <summary>
/// Loads one environment file and everything it includes (reference §1.16). Every include path is relative to the
/// environment file's directory, also for includes named inside included group files.
/// </summary>
internal sealed class EnvironmentLoader
{
    private readonly SpecFileReader _files;
    private readonly string? _cliNodesPrefix;
    private readonly string _envFile;
    private readonly string _envDir;
    private readonly DiagnosticSink _sink;
    /// <summary>The files being read, outermost first: the environment file, then e.g. a group file reading its hooks files.</summary>
    private readonly List<string> _chain = new();

    private EnvironmentLoader(string envFile, SpecFileReader files, string? cliNodesPrefix, DiagnosticSink sink)
    {
        _envFile = envFile;
        _envDir = Path.GetDirectoryName(envFile) ?? string.Empty;
        _files = files;
        _cliNodesPrefix = string.IsNullOrEmpty(cliNodesPrefix) ? null : cliNodesPrefix;
        _sink = sink;
        _chain.Add(_envFile);
    }

    /// <summary>The environment, or null when the file itself could not be read; check the sink for errors.</summary>
    public static LxdEnvironment? Load(string envFile, SpecFileReader files, string? cliNodesPrefix, DiagnosticSink sink)
    {
        var loader = new EnvironmentLoader(Path.GetFullPath(envFile), files, cliNodesPrefix, sink);
        try
        {
            return loader.LoadEnvironment();
        }
        catch (InsufficientExecutionStackException)
        {
            // Variables are turned into values while reading; the file names the environment, its includes hold them.
            sink.Error(LoadCodes.NestingTooDeep, LoadCodes.NestingTooDeepMessage, SourceLocation.FileOnly(loader._envFile));
            return null;
        }
    }

    /// <summary>
    /// One command file read as an entry of <c>include_commands_files</c> of <paramref name="environmentFile"/> (its
    /// hooks files resolve against that file's directory), through <paramref name="files"/>; null with a diagnostic
    /// when it is missing, broken or empty.
    /// </summary>
    internal static LxdCommand? LoadCommandFile(string commandFile, string environmentFile, SpecFileReader files, DiagnosticSink sink)
    {
        var loader = new EnvironmentLoader(Path.GetFullPath(environmentFile), files, null, sink);
        var full = Path.GetFullPath(commandFile);
        return loader.LoadEach(new[] { new IncludeEntry(full, SourceLocation.FileOnly(full)) }, "command", loader.ReadCommand)
            .FirstOrDefault();
    }

    private LxdEnvironment? LoadEnvironment()
    {
        if (!_files.TryRead(_envFile, _sink, out var root))
        {
            return null;
        }

        if (root is null || root is YamlScalar { IsNull: true })
        {
            _sink.Verbose(LoadCodes.EmptyEnvironment, "the environment file is empty; it declares nothing",
                SourceLocation.FileOnly(_envFile));
            return new LxdEnvironment { File = _envFile };
        }

        if (ObjectReader.For(root, "environment file", _sink) is not { } r)
        {
            return null;
        }

        // Include order of lxd-compose (§1.16): networks, profiles, storages, acls, commands, then per project
        // groups and env files, then hooks. Each list keeps inline entries first.
        var networks = r.Objects("networks", "network", n => ReadNetwork(n, null)).ToList();
        var networkFiles = IncludeEntries(r, "include_networks_files");
        networks.AddRange(LoadEach(networkFiles, "network", ReadNetwork));

        var profiles = r.Objects("profiles", "profile", p => ReadProfile(p, null)).ToList();
        var profileFiles = IncludeEntries(r, "include_profiles_files");
        profiles.AddRange(LoadEach(profileFiles, "profile", ReadProfile));

        var storages = r.Objects("storages", "storage pool", s => ReadStorage(s, null)).ToList();
        var storageFiles = IncludeEntries(r, "include_storage_files");
        storages.AddRange(LoadEach(storageFiles, "storage pool", ReadStorage));

        var acls = r.Objects("acls", "ACL", a => ReadAcl(a, null)).ToList();
        var aclFiles = IncludeEntries(r, "include_acls_files");
        acls.AddRange(LoadEach(aclFiles, "ACL", ReadAcl));

        var commands = r.Objects("commands", "command", c => ReadCommand(c, null)).ToList();
        var commandFiles = IncludeEntries(r, "include_commands_files");
        commands.AddRange(LoadEach(commandFiles, "command", ReadCommand));

        var environment = new LxdEnvironment
        {
            File = _envFile,
            Version = r.String("version"),
            TemplateEngine = r.Object("template_engine", "template_engine", ReadTemplateEngine) ?? new TemplateEngineSpec(),
            Networks = networks,
            IncludeNetworksFiles = Paths(networkFiles),
            Profiles = profiles,
            IncludeProfilesFiles = Paths(profileFiles),
            Storages = storages,
            IncludeStorageFiles = Paths(storageFiles),
            Acls = acls,
            IncludeAclsFiles = Paths(aclFiles),
            Commands = commands,
            IncludeCommandsFiles = Paths(commandFiles),
            Projects = r.Objects("projects", "project", ReadProject),
            Certificates = r.Objects("certificates", "certificate", ReadCertificate),
            PackExtra = r.Object("pack_extra", "pack_extra", ReadPackExtra),
        };
        r.ReportUnknownKeys();
        return environment;
    }

    // ---- includes -------------------------------------------------------------------------------------------

    private readonly record struct IncludeEntry(string Path, SourceLocation At);

    private static IReadOnlyList<string> Paths(IReadOnlyList<IncludeEntry> entries) =>
        entries.Select(e => e.Path).ToList();

    /// <summary>The paths of an <c>include_*</c> list with the position of each entry.</summary>
    private static IReadOnlyList<IncludeEntry> IncludeEntries(ObjectReader r, string key)
    {
        var node = r.Take(key);
        switch (node)
        {
            case null:
            case YamlScalar { IsNull: true }:
                return Array.Empty<IncludeEntry>();
            case YamlSequence seq:
                var result = new List<IncludeEntry>();
                foreach (var item in seq.Items)
                {
                    if (r.ScalarText(item, key) is { Length: > 0 } path)
                    {
                        result.Add(new IncludeEntry(path, item.Location));
                    }
                }

                return result;
            default:
                ObjectReader.Mismatch(r.Sink, node, $"'{key}' must be a list of file paths", "a list");
                return Array.Empty<IncludeEntry>();
        }
    }

    private string FullPath(string path) => Path.GetFullPath(Path.Combine(_envDir, path));

    /// <summary>Reads an included file; null (with a diagnostic) when it is missing, broken or empty.</summary>
    private YamlNode? ReadInclude(IncludeEntry entry, string what)
    {
        var full = FullPath(entry.Path);
        if (_chain.Contains(full, StringComparer.Ordinal))
        {
            var chain = string.Join(" -> ", _chain.Append(full).Select(f => Path.GetRelativePath(_envDir, f)));
            _sink.Error(LoadCodes.IncludeCycle,
                $"included {what} file '{entry.Path}' is a file that is already being read, so the environment would " +
                $"include itself: {chain}; remove the entry", entry.At);
            return null;
        }

        if (!File.Exists(full))
        {
            _sink.Error(LoadCodes.IncludeNotFound,
                $"included {what} file '{entry.Path}' does not exist (looked for {full}; include paths are relative " +
                "to the environment file's directory); fix the path or remove the entry", entry.At);
            return null;
        }

        if (!_files.TryRead(full, _sink, out var root))
        {
            return null;
        }

        if (root is null || root is YamlScalar { IsNull: true })
        {
            _sink.Warning(LoadCodes.IncludeEmpty, $"included {what} file '{entry.Path}' is empty; nothing is included",
                entry.At);
            return null;
        }

        return root;
    }

    /// <summary>Files that each hold ONE object (profile, network, storage, ACL, command, group).</summary>
    private IEnumerable<T> LoadEach<T>(IReadOnlyList<IncludeEntry> entries, string what,
        Func<ObjectReader, string?, T> read)
    {
        foreach (var entry in entries)
        {
            if (ReadInclude(entry, what) is not { } root)
            {
                continue;
            }

            if (ObjectReader.For(root, what, _sink) is { } reader)
            {
                // A group file's own includes (its hooks files) are read while it is on the chain.
                _chain.Add(FullPath(entry.Path));
                T item;
                try
                {
                    item = read(reader, FullPath(entry.Path));
                }
                finally
                {
                    _chain.RemoveAt(_chain.Count - 1);
                }

                yield return item;
            }
        }
    }

    /// <summary>
    /// The hooks of a command's <c>include_hooks_files</c> (paths relative to its environment file's directory), read
    /// like the project's own hooks files: rendered when <paramref name="files"/> renders, project level.
    /// </summary>
    internal static IReadOnlyList<LxdHook> LoadCommandHooks(LxdCommand command, SpecFileReader files, DiagnosticSink sink)
    {
        var loader = new EnvironmentLoader(Path.GetFullPath(command.EnvironmentFile), files, null, sink);
        var entries = command.IncludeHooksFiles.Select(f => new IncludeEntry(f, command.Location)).ToList();
        return loader.LoadHooksFiles(entries, HookLevel.Project).ToList();
    }

    private IEnumerable<LxdHook> LoadHooksFiles(IReadOnlyList<IncludeEntry> entries, HookLevel level)
    {
        foreach (var entry in entries)
        {
            if (ReadInclude(entry, "hooks") is not { } root || ObjectReader.For(root, "hooks file", _sink) is not { } r)
            {
                continue;
            }

            var file = FullPath(entry.Path);
            if (!r.Has("hooks"))
            {
                _sink.Warning(LoadCodes.HooksFileWithoutHooksKey,
                    $"hooks file '{entry.Path}' has no 'hooks:' list, so it adds no hooks (lxd-compose loads none " +
                    "from it either); put its hooks under 'hooks:' as a list", r.Location);
                continue;
            }

            foreach (var hook in r.Objects("hooks", "hook", h => ReadHook(h, level, file)))
            {
                yield return hook;
            }

            r.ReportUnknownKeys();
        }
    }

    private IEnumerable<VarsBlock> LoadEnvFiles(IReadOnlyList<IncludeEntry> entries)
    {
        foreach (var entry in entries)
        {
            if (!IsYamlFile(entry.Path))
            {
                _sink.Verbose(LoadCodes.IncludeIgnored,
                    $"'{entry.Path}' is not a .yml/.yaml file, so it is not loaded as variables (only the jinja2 " +
                    "template engine reads such files)", entry.At);
                continue;
            }

            if (ReadInclude(entry, "variables") is { } root && ObjectReader.For(root, "variables file", _sink) is { } r)
            {
                yield return ReadVarsBlock(r, FullPath(entry.Path));
            }
        }
    }

    /// <summary>An encrypted block with its variables; a decryption problem is an error at the block (never missing variables).</summary>
    private VarsBlock Decrypted(VarsBlock block)
    {
        try
        {
            return _files.Decryptor.Decrypt(block);
        }
        catch (SpecException e)
        {
            _sink.Add(e.Diagnostic);
            return block;
        }
    }

    internal static bool IsYamlFile(string path) =>
        path.EndsWith(".yml", StringComparison.Ordinal) || path.EndsWith(".yaml", StringComparison.Ordinal);

    // ---- sections -------------------------------------------------------------------------------------------

    private static TemplateEngineSpec ReadTemplateEngine(ObjectReader r)
    {
        var spec = new TemplateEngineSpec
        {
            Engine = r.String("engine"),
            Opts = r.StringList("opts"),
            Location = r.Location,
        };
        r.ReportUnknownKeys();
        return spec;
    }

    private LxdProject ReadProject(ObjectReader r)
    {
        var name = r.String("name");
        r.What = $"project '{name}'";
        var nodesPrefix = r.String("nodes_prefix");

        var groups = r.Objects("groups", "group", g => ReadGroup(g, name, nodesPrefix, null)).ToList();
        var groupFiles = IncludeEntries(r, "include_groups_files");
        groups.AddRange(LoadEach(groupFiles, "group", (g, file) => ReadGroup(g, name, nodesPrefix, file)));

        var vars = r.Objects("vars", "vars", v => ReadVarsBlock(v, null)).ToList();
        var envFiles = IncludeEntries(r, "include_env_files");
        vars.AddRange(LoadEnvFiles(envFiles));
        vars = vars.Select(Decrypted).ToList();

        var hooks = r.Objects("hooks", "hook", h => ReadHook(h, HookLevel.Project, null)).ToList();
        var hookFiles = IncludeEntries(r, "include_hooks_files");
        hooks.AddRange(LoadHooksFiles(hookFiles, HookLevel.Project));

        var project = new LxdProject
        {
            Name = name,
            Description = r.String("description"),
            NodesPrefix = nodesPrefix,
            Groups = groups,
            IncludeGroupsFiles = Paths(groupFiles),
            Vars = vars,
            IncludeEnvFiles = Paths(envFiles),
            Hooks = hooks,
            IncludeHooksFiles = Paths(hookFiles),
            ShellEnvsFilter = r.StringList("shell_envs_filter"),
            ConfigTemplates = FileMappings(r, "config_templates"),
            EnvironmentFile = _envFile,
            Location = r.Location,
        };
        r.ReportUnknownKeys();
        return project;
    }

    private LxdGroup ReadGroup(ObjectReader r, string project, string projectNodesPrefix, string? includedFrom)
    {
        var name = r.String("name");
        r.What = $"group '{name}'";
        var nodesPrefix = r.String("nodes_prefix");
        var inheritedPrefix = nodesPrefix.Length > 0 ? nodesPrefix : projectNodesPrefix;

        var hooks = r.Objects("hooks", "hook", h => ReadHook(h, HookLevel.Group, null)).ToList();
        var hookFiles = IncludeEntries(r, "include_hooks_files");
        hooks.AddRange(LoadHooksFiles(hookFiles, HookLevel.Group));
        var connection = r.String("connection");

        var group = new LxdGroup
        {
            Name = name,
            Description = r.String("description"),
            Connection = connection,
            // Kept as written: the client detects the dialect when empty (lxd-compose defaults inline groups to incus).
            ConnectionType = r.String("connection_type"),
            CommonProfiles = r.StringList("common_profiles"),
            Config = r.StringMap("config"),
            Ephemeral = r.Bool("ephemeral"),
            NodesPrefix = nodesPrefix,
            Nodes = r.Objects("nodes", "node", n => ReadNode(n, project, name, connection, inheritedPrefix)),
            Hooks = hooks,
            IncludeHooksFiles = Paths(hookFiles),
            ConfigTemplates = FileMappings(r, "config_templates"),
            Project = project,
            EnvironmentFile = _envFile,
            IncludedFrom = includedFrom,
            Location = r.Location,
        };
        r.ReportUnknownKeys();
        return group;
    }

    private LxdNode ReadNode(ObjectReader r, string project, string group, string connection, string inheritedPrefix)
    {
        var name = r.String("name");
        r.What = $"node '{name}'";
        var written = r.String("name_prefix");
        // A written name_prefix (or "-") wins; then the CLI prefix; then the group's, then the project's nodes_prefix.
        var prefix = written.Length > 0 ? written : _cliNodesPrefix ?? inheritedPrefix;

        var hooks = r.Objects("hooks", "hook", h => ReadHook(h, HookLevel.Node, null)).ToList();
        var hookFiles = IncludeEntries(r, "include_hooks_files");
        hooks.AddRange(LoadHooksFiles(hookFiles, HookLevel.Node));

        var node = new LxdNode
        {
            Name = name,
            NamePrefix = prefix,
            ImageSource = r.String("image_source"),
            ImageRemoteServer = r.String("image_remote_server"),
            Labels = r.StringMap("labels"),
            Config = r.StringMap("config"),
            SourceDir = r.String("source_dir"),
            Entrypoint = r.StringList("entrypoint"),
            ConfigTemplates = FileMappings(r, "config_templates"),
            SyncResources = FileMappings(r, "sync_resources"),
            Profiles = r.StringList("profiles"),
            Hooks = hooks,
            IncludeHooksFiles = Paths(hookFiles),
            WaitIp = r.Integer("wait_ip", 0, long.MaxValue) ?? 0,
            Project = project,
            Group = group,
            Connection = connection,
            EnvironmentFile = _envFile,
            Location = r.Location,
        };
        r.ReportUnknownKeys();
        return node;
    }

    private static LxdHook ReadHook(ObjectReader r, HookLevel level, string? includedFrom)
    {
        var hook = new LxdHook
        {
            Event = r.String("event"),
            Node = r.String("node"),
            Commands = r.StringList("commands"),
            Out2Var = r.OptionalString("out2var"),
            Err2Var = r.OptionalString("err2var"),
            Entrypoint = r.StringList("entrypoint"),
            Flags = r.StringList("flags"),
            Disable = r.Bool("disable"),
            Uid = r.UInt32("uid"),
            Gid = r.UInt32("gid"),
            Cwd = r.OptionalString("cwd"),
            Timeout = r.PositiveSeconds("timeout"),
            Level = level,
            IncludedFrom = includedFrom,
            Location = r.Location,
        };
        r.What = $"{hook.Event} hook";
        r.ReportUnknownKeys();
        return hook;
    }

    private static IReadOnlyList<FileMapping> FileMappings(ObjectReader r, string key) =>
        r.Objects(key, key + " entry", m =>
        {
            var mapping = new FileMapping { Source = m.String("source"), Destination = m.String("dst"), Location = m.Location };
            m.ReportUnknownKeys();
            return mapping;
        });

    internal static VarsBlock ReadVarsBlock(ObjectReader r, string? file)
    {
        var envsNode = r.Take("envs");
        IReadOnlyDictionary<string, object?> envs = VarsBlock.EmptyEnvs;
        switch (envsNode)
        {
            case null:
            case YamlScalar { IsNull: true }:
                break;
            case YamlMapping map:
                envs = YamlScalarTyping.ToMap(map);
                break;
            default:
                ObjectReader.Mismatch(r.Sink, envsNode, "'envs' must be a map of variable names to values", "a map");
                break;
        }

        var block = new VarsBlock
        {
            Envs = envs,
            Encrypted = r.Bool("encrypted"),
            EncryptedContent = r.String("enc_content"),
            Secret = r.Bool("secret"),
            File = file,
            Location = r.Location,
        };
        r.ReportUnknownKeys();
        return block;
    }

    private LxdCommand ReadCommand(ObjectReader r, string? includedFrom)
    {
        var name = r.String("name");
        r.What = $"command '{name}'";
        var command = new LxdCommand
        {
            Name = name,
            Description = r.String("description"),
            Project = r.String("project"),
            ApplyAlias = r.Bool("apply_alias"),
            SkipSync = r.Bool("skip_sync"),
            Destroy = r.Bool("destroy"),
            NodesPrefix = r.String("nodes_prefix"),
            EnableFlags = r.StringList("enable_flags"),
            DisableFlags = r.StringList("disable_flags"),
            EnableGroups = r.StringList("enable_groups"),
            DisableGroups = r.StringList("disable_groups"),
            Envs = ReadCommandEnvs(r),
            // Loaded when the command runs (lxd-compose too): some are generated by earlier hooks.
            VarsFiles = r.StringList("vars_files"),
            IncludeHooksFiles = r.StringList("include_hooks_files"),
            EnvironmentFile = _envFile,
            IncludedFrom = includedFrom,
            Location = r.Location,
        };
        r.ReportUnknownKeys();
        return command;
    }

    private static readonly string[] VarsBlockKeys = { "envs", "encrypted", "enc_content", "secret" };

    /// <summary>The nested form <c>envs: {envs: {...}}</c> of lxd-compose, or the flat form <c>envs: {k: v}</c> it ignores.</summary>
    private static VarsBlock? ReadCommandEnvs(ObjectReader r)
    {
        var node = r.Take("envs");
        switch (node)
        {
            case null:
            case YamlScalar { IsNull: true }:
                return null;
            case YamlMapping map when map.Entries.Any(e => VarsBlockKeys.Contains(e.Key.Value, StringComparer.Ordinal)):
                return ReadVarsBlock(new ObjectReader(map, $"{r.What} envs", r.Sink), null);
            case YamlMapping map:
                r.Sink.Verbose(LoadCodes.CommandFlatEnvs,
                    $"{r.What}: flat 'envs' map accepted as variables (lxd-compose expects envs: {{envs: {{...}}}} and " +
                    "ignores this form)", map.Location);
                return new VarsBlock { Envs = YamlScalarTyping.ToMap(map), Location = map.Location };
            default:
                ObjectReader.Mismatch(r.Sink, node, "'envs' must be a map of variables", "a map");
                return null;
        }
    }

    private LxdProfile ReadProfile(ObjectReader r, string? includedFrom)
    {
        var name = r.String("name");
        r.What = $"profile '{name}'";
        var devicesNode = r.Take("devices");
        var devices = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        switch (devicesNode)
        {
            case null:
            case YamlScalar { IsNull: true }:
                break;
            case YamlMapping map:
                foreach (var (device, settings) in map.Entries)
                {
                    devices[device.Value] = r.StringMapOf(settings, $"devices.{device.Value}");
                }

                break;
            default:
                ObjectReader.Mismatch(r.Sink, devicesNode, "'devices' must map device names to their settings", "a map");
                break;
        }

        var profile = new LxdProfile
        {
            Name = name,
            Description = r.String("description"),
            Config = r.StringMap("config"),
            Devices = devices,
            EnvironmentFile = _envFile,
            IncludedFrom = includedFrom,
            Location = r.Location,
        };
        r.ReportUnknownKeys();
        return profile;
    }

    private LxdNetwork ReadNetwork(ObjectReader r, string? includedFrom)
    {
        var name = r.String("name");
        r.What = $"network '{name}'";
        var network = new LxdNetwork
        {
            Name = name,
            Type = r.String("type"),
            Description = r.String("description"),
            Config = r.StringMap("config"),
            Forwards = r.Objects("forwards", "forward", ReadForward),
            EnvironmentFile = _envFile,
            IncludedFrom = includedFrom,
            Location = r.Location,
        };
        r.ReportUnknownKeys();
        return network;
    }

    private static LxdNetworkForward ReadForward(ObjectReader r)
    {
        var forward = new LxdNetworkForward
        {
            ListenAddress = r.String("listen_address"),
            Description = r.String("description"),
            Config = r.StringMap("config"),
            Ports = r.Objects("ports", "port", p =>
            {
                var port = new LxdNetworkForwardPort
                {
                    Description = p.String("description"),
                    Protocol = p.String("protocol"),
                    ListenPort = p.String("listen_port"),
                    TargetPort = p.String("target_port"),
                    TargetAddress = p.String("target_address"),
                    Location = p.Location,
                };
                p.ReportUnknownKeys();
                return port;
            }),
            Location = r.Location,
        };
        r.What = $"forward '{forward.ListenAddress}'";
        r.ReportUnknownKeys();
        return forward;
    }

    private LxdStoragePool ReadStorage(ObjectReader r, string? includedFrom)
    {
        var name = r.String("name");
        r.What = $"storage pool '{name}'";
        var storage = new LxdStoragePool
        {
            Name = name,
            Driver = r.String("driver"),
            Description = r.String("description"),
            Documentation = r.String("documentation"),
            Config = r.StringMap("config"),
            EnvironmentFile = _envFile,
            IncludedFrom = includedFrom,
            Location = r.Location,
        };
        r.ReportUnknownKeys();
        return storage;
    }

    private LxdNetworkAcl ReadAcl(ObjectReader r, string? includedFrom)
    {
        var name = r.String("name");
        r.What = $"ACL '{name}'";
        var acl = new LxdNetworkAcl
        {
            Name = name,
            Description = r.String("description"),
            Documentation = r.String("documentation"),
            Config = r.StringMap("config"),
            Egress = r.Objects("egress", "rule", ReadAclRule),
            Ingress = r.Objects("ingress", "rule", ReadAclRule),
            EnvironmentFile = _envFile,
            IncludedFrom = includedFrom,
            Location = r.Location,
        };
        r.ReportUnknownKeys();
        return acl;
    }

    private static LxdAclRule ReadAclRule(ObjectReader r)
    {
        var rule = new LxdAclRule
        {
            Action = r.String("action"),
            Source = r.String("source"),
            Destination = r.String("destination"),
            Protocol = r.String("protocol"),
            SourcePort = r.String("source_port"),
            DestinationPort = r.String("destination_port"),
            IcmpType = r.String("icmp_type"),
            IcmpCode = r.String("icmp_code"),
            Description = r.String("description"),
            State = r.String("state"),
            Location = r.Location,
        };
        r.What = "ACL rule";
        r.ReportUnknownKeys();
        return rule;
    }

    private LxdCertificate ReadCertificate(ObjectReader r)
    {
        var name = r.String("name");
        r.What = $"certificate '{name}'";
        var path = r.String("certificate_path");
        var certificate = new LxdCertificate
        {
            Name = name,
            Type = r.String("type"),
            Restricted = r.Bool("restricted"),
            Projects = r.StringList("projects"),
            Certificate = r.String("certificate"),
            CertificatePath = path.Length > 0 ? FullPath(path) : path,
            Fingerprint = r.String("fingerprint"),
            Location = r.Location,
        };
        r.ReportUnknownKeys();
        return certificate;
    }

    private static PackExtra ReadPackExtra(ObjectReader r)
    {
        var pack = new PackExtra
        {
            Dirs = r.StringList("dirs"),
            Files = r.StringList("files"),
            Rename = r.Objects("rename", "rename rule", n =>
            {
                var rename = new PackRename { Source = n.String("source"), Destination = n.String("dest"), Location = n.Location };
                n.ReportUnknownKeys();
                return rename;
            }),
            Location = r.Location,
        };
        r.ReportUnknownKeys();
        return pack;
    }
}
