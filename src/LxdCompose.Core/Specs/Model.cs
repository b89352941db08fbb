namespace LxdCompose.Specs;

// The spec model: plain types built once by the loader. Every element knows where it was written.
// YAML field names are given in the comments where they differ from the property name.

/// <summary>A <c>source</c>/<c>dst</c> pair of <c>config_templates</c> or <c>sync_resources</c>.</summary>
public sealed class FileMapping
{
    public string Source { get; init; } = string.Empty;
    /// <summary>YAML <c>dst</c>.</summary>
    public string Destination { get; init; } = string.Empty;
    public SourceLocation Location { get; init; }

    public override string ToString() => $"{Source} -> {Destination}";
}

/// <summary>One <c>vars</c> block: <c>envs</c>, or the encrypted form <c>encrypted</c>/<c>enc_content</c>.</summary>
public sealed class VarsBlock
{
    /// <summary>Variables with yaml.v3 typing (string, long, ulong, double, bool, DateTimeOffset, null, lists, maps).</summary>
    public IReadOnlyDictionary<string, object?> Envs { get; init; } = EmptyEnvs;
    /// <summary>
    /// YAML <c>encrypted</c>. Loading decrypts such a block into <see cref="Envs"/> and keeps this true: the values
    /// came from an encrypted source.
    /// </summary>
    public bool Encrypted { get; init; }
    /// <summary>
    /// YAML <c>secret</c> (an LxdCompose key that lxd-compose ignores): every variable of the block is a secret value,
    /// masked wherever the module reports (Security/SecretValues).
    /// </summary>
    public bool Secret { get; init; }
    /// <summary>YAML <c>enc_content</c>: base64 of salt|nonce|ciphertext+tag (Security/LxdComposeCipher).</summary>
    public string EncryptedContent { get; init; } = string.Empty;
    /// <summary>The vars file this block came from, when it was included.</summary>
    public string? File { get; init; }
    public SourceLocation Location { get; init; }

    internal static readonly IReadOnlyDictionary<string, object?> EmptyEnvs = new Dictionary<string, object?>();

    public override string ToString() =>
        Encrypted ? "encrypted vars" : $"{Envs.Count} variable{(Envs.Count == 1 ? string.Empty : "s")}";
}

public sealed class LxdHook
{
    public string Event { get; init; } = string.Empty;
    /// <summary><c>""</c> or <c>*</c>: every node in scope; <c>host</c>: the local machine; else a node name.</summary>
    public string Node { get; init; } = string.Empty;
    public IReadOnlyList<string> Commands { get; init; } = Array.Empty<string>();
    /// <summary>YAML <c>out2var</c>.</summary>
    public string? Out2Var { get; init; }
    /// <summary>YAML <c>err2var</c>.</summary>
    public string? Err2Var { get; init; }
    public IReadOnlyList<string> Entrypoint { get; init; } = Array.Empty<string>();
    public IReadOnlyList<string> Flags { get; init; } = Array.Empty<string>();
    public bool Disable { get; init; }
    public uint? Uid { get; init; }
    public uint? Gid { get; init; }
    public string? Cwd { get; init; }
    /// <summary>
    /// YAML <c>timeout</c> (seconds, an LxdCompose key that lxd-compose ignores): the longest one command of the hook may
    /// run; null: the run's <c>-HookTimeout</c>, if any.
    /// </summary>
    public TimeSpan? Timeout { get; init; }
    /// <summary>Where the hook is declared: Project, Group or Node.</summary>
    public HookLevel Level { get; init; }
    /// <summary>The hooks file it came from, when included.</summary>
    public string? IncludedFrom { get; init; }
    public SourceLocation Location { get; init; }

    public override string ToString() =>
        $"{Event} on {(Node.Length == 0 ? "*" : Node)}: {(Commands.Count == 0 ? "(no commands)" : Commands[0].Split('\n')[0])}";
}

public enum HookLevel
{
    Project,
    Group,
    Node,
}

public sealed class LxdNode
{
    public string Name { get; init; } = string.Empty;
    /// <summary>YAML <c>name_prefix</c>; <c>-</c> opts the node out of a nodes prefix.</summary>
    public string NamePrefix { get; init; } = string.Empty;
    /// <summary>The container name: <c>&lt;name_prefix&gt;-&lt;name&gt;</c> when a prefix applies, else the name.</summary>
    public string InstanceName => NamePrefix.Length > 0 && NamePrefix != "-" ? $"{NamePrefix}-{Name}" : Name;
    public string ImageSource { get; init; } = string.Empty;
    public string ImageRemoteServer { get; init; } = string.Empty;
    public IReadOnlyDictionary<string, string> Labels { get; init; } = Maps.EmptyStrings;
    public IReadOnlyDictionary<string, string> Config { get; init; } = Maps.EmptyStrings;
    public string SourceDir { get; init; } = string.Empty;
    public IReadOnlyList<string> Entrypoint { get; init; } = Array.Empty<string>();
    public IReadOnlyList<FileMapping> ConfigTemplates { get; init; } = Array.Empty<FileMapping>();
    public IReadOnlyList<FileMapping> SyncResources { get; init; } = Array.Empty<FileMapping>();
    public IReadOnlyList<string> Profiles { get; init; } = Array.Empty<string>();
    public IReadOnlyList<LxdHook> Hooks { get; init; } = Array.Empty<LxdHook>();
    public IReadOnlyList<string> IncludeHooksFiles { get; init; } = Array.Empty<string>();
    /// <summary>YAML <c>wait_ip</c>, seconds; 0 means no wait.</summary>
    public long WaitIp { get; init; }
    public string Project { get; init; } = string.Empty;
    public string Group { get; init; } = string.Empty;
    /// <summary>
    /// Where the container runs: its group's <c>connection</c> (a remote of the client config, or
    /// <c>unix:&lt;socket&gt;</c>; empty: the default remote). Not the image server (<see cref="ImageRemoteServer"/>).
    /// </summary>
    public string Connection { get; init; } = string.Empty;
    /// <summary>The environment file that declares the node's project.</summary>
    public string EnvironmentFile { get; init; } = string.Empty;
    public SourceLocation Location { get; init; }

    public override string ToString() => InstanceName;
}

public sealed class LxdGroup
{
    public string Name { get; init; } = string.Empty;
    public string Description { get; init; } = string.Empty;
    /// <summary>Remote name from the client config.yml, or <c>unix:&lt;socket&gt;</c>; empty: the default remote.</summary>
    public string Connection { get; init; } = string.Empty;
    /// <summary>YAML <c>connection_type</c>: <c>lxd-6</c> or <c>incus</c>; empty: detected from the server.</summary>
    public string ConnectionType { get; init; } = string.Empty;
    public IReadOnlyList<string> CommonProfiles { get; init; } = Array.Empty<string>();
    public IReadOnlyDictionary<string, string> Config { get; init; } = Maps.EmptyStrings;
    public bool Ephemeral { get; init; }
    public IReadOnlyList<LxdNode> Nodes { get; init; } = Array.Empty<LxdNode>();
    public string NodesPrefix { get; init; } = string.Empty;
    public IReadOnlyList<LxdHook> Hooks { get; init; } = Array.Empty<LxdHook>();
    public IReadOnlyList<string> IncludeHooksFiles { get; init; } = Array.Empty<string>();
    public IReadOnlyList<FileMapping> ConfigTemplates { get; init; } = Array.Empty<FileMapping>();
    public string Project { get; init; } = string.Empty;
    public string EnvironmentFile { get; init; } = string.Empty;
    /// <summary>The group file it came from, when included with <c>include_groups_files</c>.</summary>
    public string? IncludedFrom { get; init; }
    public SourceLocation Location { get; init; }

    public override string ToString() => Name;
}

public sealed class LxdProject
{
    public string Name { get; init; } = string.Empty;
    public string Description { get; init; } = string.Empty;
    public IReadOnlyList<string> IncludeGroupsFiles { get; init; } = Array.Empty<string>();
    public IReadOnlyList<string> IncludeEnvFiles { get; init; } = Array.Empty<string>();
    public IReadOnlyList<string> IncludeHooksFiles { get; init; } = Array.Empty<string>();
    /// <summary>Inline <c>vars</c> blocks followed by the blocks of <c>include_env_files</c>, in precedence order.</summary>
    public IReadOnlyList<VarsBlock> Vars { get; init; } = Array.Empty<VarsBlock>();
    public IReadOnlyList<string> ShellEnvsFilter { get; init; } = Array.Empty<string>();
    public IReadOnlyList<LxdGroup> Groups { get; init; } = Array.Empty<LxdGroup>();
    public string NodesPrefix { get; init; } = string.Empty;
    public IReadOnlyList<LxdHook> Hooks { get => _hooks; init => _hooks = value; }
    public IReadOnlyList<FileMapping> ConfigTemplates { get; init; } = Array.Empty<FileMapping>();
    public string EnvironmentFile { get; init; } = string.Empty;
    public SourceLocation Location { get; init; }

    private IReadOnlyList<LxdHook> _hooks = Array.Empty<LxdHook>();

    /// <summary>A copy with <paramref name="extra"/> appended to its hooks (a command's include_hooks_files while it runs).</summary>
    public LxdProject WithHooksAppended(IEnumerable<LxdHook> extra)
    {
        var copy = (LxdProject)MemberwiseClone();
        copy._hooks = _hooks.Concat(extra).ToList();
        return copy;
    }

    public override string ToString() => Name;
}

public sealed class LxdCommand
{
    public string Name { get; init; } = string.Empty;
    public string Description { get; init; } = string.Empty;
    public string Project { get; init; } = string.Empty;
    public bool ApplyAlias { get; init; }
    public bool SkipSync { get; init; }
    public bool Destroy { get; init; }
    public string NodesPrefix { get; init; } = string.Empty;
    public IReadOnlyList<string> EnableFlags { get; init; } = Array.Empty<string>();
    public IReadOnlyList<string> DisableFlags { get; init; } = Array.Empty<string>();
    public IReadOnlyList<string> EnableGroups { get; init; } = Array.Empty<string>();
    public IReadOnlyList<string> DisableGroups { get; init; } = Array.Empty<string>();
    /// <summary>YAML <c>envs</c>: a vars block (<c>envs: {envs: {...}}</c>), or the flat map lxd-compose ignores.</summary>
    public VarsBlock? Envs { get; init; }
    public IReadOnlyList<string> VarsFiles { get; init; } = Array.Empty<string>();
    public IReadOnlyList<string> IncludeHooksFiles { get; init; } = Array.Empty<string>();
    public string EnvironmentFile { get; init; } = string.Empty;
    /// <summary>The command file it came from, when included with <c>include_commands_files</c>.</summary>
    public string? IncludedFrom { get; init; }
    public SourceLocation Location { get; init; }

    public override string ToString() => Name;
}

public sealed class LxdProfile
{
    public string Name { get; init; } = string.Empty;
    public string Description { get; init; } = string.Empty;
    public IReadOnlyDictionary<string, string> Config { get; init; } = Maps.EmptyStrings;
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Devices { get; init; } = Maps.EmptyDevices;
    public string EnvironmentFile { get; init; } = string.Empty;
    public string? IncludedFrom { get; init; }
    public SourceLocation Location { get; init; }

    public override string ToString() => Name;
}

public sealed class LxdNetworkForwardPort
{
    public string Description { get; init; } = string.Empty;
    public string Protocol { get; init; } = string.Empty;
    /// <summary>YAML <c>listen_port</c>: ports or ranges, e.g. <c>80,81,8080-8090</c>.</summary>
    public string ListenPort { get; init; } = string.Empty;
    public string TargetPort { get; init; } = string.Empty;
    public string TargetAddress { get; init; } = string.Empty;
    public SourceLocation Location { get; init; }
}

public sealed class LxdNetworkForward
{
    public string ListenAddress { get; init; } = string.Empty;
    public string Description { get; init; } = string.Empty;
    public IReadOnlyDictionary<string, string> Config { get; init; } = Maps.EmptyStrings;
    public IReadOnlyList<LxdNetworkForwardPort> Ports { get; init; } = Array.Empty<LxdNetworkForwardPort>();
    public SourceLocation Location { get; init; }
}

public sealed class LxdNetwork
{
    public string Name { get; init; } = string.Empty;
    public string Type { get; init; } = string.Empty;
    public string Description { get; init; } = string.Empty;
    public IReadOnlyDictionary<string, string> Config { get; init; } = Maps.EmptyStrings;
    public IReadOnlyList<LxdNetworkForward> Forwards { get; init; } = Array.Empty<LxdNetworkForward>();
    public string EnvironmentFile { get; init; } = string.Empty;
    public string? IncludedFrom { get; init; }
    public SourceLocation Location { get; init; }

    public override string ToString() => Name;
}

public sealed class LxdStoragePool
{
    public string Name { get; init; } = string.Empty;
    public string Driver { get; init; } = string.Empty;
    public string Description { get; init; } = string.Empty;
    /// <summary>Free text for people; never sent to LXD.</summary>
    public string Documentation { get; init; } = string.Empty;
    public IReadOnlyDictionary<string, string> Config { get; init; } = Maps.EmptyStrings;
    public string EnvironmentFile { get; init; } = string.Empty;
    public string? IncludedFrom { get; init; }
    public SourceLocation Location { get; init; }

    public override string ToString() => Name;
}

public sealed class LxdAclRule
{
    public string Action { get; init; } = string.Empty;
    public string Source { get; init; } = string.Empty;
    public string Destination { get; init; } = string.Empty;
    public string Protocol { get; init; } = string.Empty;
    public string SourcePort { get; init; } = string.Empty;
    public string DestinationPort { get; init; } = string.Empty;
    public string IcmpType { get; init; } = string.Empty;
    public string IcmpCode { get; init; } = string.Empty;
    public string Description { get; init; } = string.Empty;
    public string State { get; init; } = string.Empty;
    public SourceLocation Location { get; init; }
}

public sealed class LxdNetworkAcl
{
    public string Name { get; init; } = string.Empty;
    public string Description { get; init; } = string.Empty;
    public string Documentation { get; init; } = string.Empty;
    public IReadOnlyDictionary<string, string> Config { get; init; } = Maps.EmptyStrings;
    public IReadOnlyList<LxdAclRule> Egress { get; init; } = Array.Empty<LxdAclRule>();
    public IReadOnlyList<LxdAclRule> Ingress { get; init; } = Array.Empty<LxdAclRule>();
    public string EnvironmentFile { get; init; } = string.Empty;
    public string? IncludedFrom { get; init; }
    public SourceLocation Location { get; init; }

    public override string ToString() => Name;
}

public sealed class LxdCertificate
{
    public string Name { get; init; } = string.Empty;
    /// <summary><c>client</c> or <c>metrics</c>.</summary>
    public string Type { get; init; } = string.Empty;
    public bool Restricted { get; init; }
    public IReadOnlyList<string> Projects { get; init; } = Array.Empty<string>();
    /// <summary>Inline certificate text, sent as written.</summary>
    public string Certificate { get; init; } = string.Empty;
    /// <summary>PEM file; made absolute against the environment's directory.</summary>
    public string CertificatePath { get; init; } = string.Empty;
    public string Fingerprint { get; init; } = string.Empty;
    public SourceLocation Location { get; init; }
}

public sealed class PackRename
{
    public string Source { get; init; } = string.Empty;
    public string Destination { get; init; } = string.Empty;
    public SourceLocation Location { get; init; }
}

public sealed class PackExtra
{
    public IReadOnlyList<string> Dirs { get; init; } = Array.Empty<string>();
    public IReadOnlyList<string> Files { get; init; } = Array.Empty<string>();
    public IReadOnlyList<PackRename> Rename { get; init; } = Array.Empty<PackRename>();
    public SourceLocation Location { get; init; }
}

public sealed class TemplateEngineSpec
{
    /// <summary><c>mottainai</c>, <c>jinja2</c> or (ours) <c>scriban</c>.</summary>
    public string Engine { get; init; } = string.Empty;
    public IReadOnlyList<string> Opts { get; init; } = Array.Empty<string>();
    public SourceLocation Location { get; init; }
}

/// <summary>One environment file (<c>*.yml</c> in an env dir) after includes are resolved.</summary>
public sealed class LxdEnvironment
{
    /// <summary>Absolute path of the environment file; its directory is the base of every relative path in it.</summary>
    public string File { get; init; } = string.Empty;
    public string BaseDirectory => Path.GetDirectoryName(File) ?? string.Empty;
    public string Version { get; init; } = string.Empty;
    public TemplateEngineSpec TemplateEngine { get; init; } = new();
    public IReadOnlyList<LxdProject> Projects { get; init; } = Array.Empty<LxdProject>();
    public IReadOnlyList<LxdCommand> Commands { get; init; } = Array.Empty<LxdCommand>();
    public IReadOnlyList<string> IncludeCommandsFiles { get; init; } = Array.Empty<string>();
    public IReadOnlyList<LxdCertificate> Certificates { get; init; } = Array.Empty<LxdCertificate>();
    public IReadOnlyList<LxdProfile> Profiles { get; init; } = Array.Empty<LxdProfile>();
    public IReadOnlyList<string> IncludeProfilesFiles { get; init; } = Array.Empty<string>();
    public IReadOnlyList<LxdNetwork> Networks { get; init; } = Array.Empty<LxdNetwork>();
    public IReadOnlyList<string> IncludeNetworksFiles { get; init; } = Array.Empty<string>();
    public IReadOnlyList<LxdStoragePool> Storages { get; init; } = Array.Empty<LxdStoragePool>();
    public IReadOnlyList<string> IncludeStorageFiles { get; init; } = Array.Empty<string>();
    public IReadOnlyList<LxdNetworkAcl> Acls { get; init; } = Array.Empty<LxdNetworkAcl>();
    public IReadOnlyList<string> IncludeAclsFiles { get; init; } = Array.Empty<string>();
    public PackExtra? PackExtra { get; init; }
}

internal static class Maps
{
    public static readonly IReadOnlyDictionary<string, string> EmptyStrings = new Dictionary<string, string>();
    public static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> EmptyDevices =
        new Dictionary<string, IReadOnlyDictionary<string, string>>();
}
