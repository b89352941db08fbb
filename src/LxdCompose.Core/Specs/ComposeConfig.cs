namespace LxdCompose.Specs;

/// <summary>The main configuration, <c>.lxd-compose.yml</c>. Paths are kept as written; see <see cref="BaseDirectory"/>.</summary>
public sealed class ComposeConfig
{
    /// <summary>Absolute path of the config file; empty when built-in defaults are used.</summary>
    public string File { get; init; } = string.Empty;
    /// <summary>Directory that relative paths of this file resolve against (the config file's directory).</summary>
    public string BaseDirectory { get; init; } = string.Empty;
    public GeneralSettings General { get; init; } = new();
    public LoggingSettings Logging { get; init; } = new();
    /// <summary>YAML <c>env_dirs</c>; default <c>./lxd-compose/envs</c>.</summary>
    public IReadOnlyList<string> EnvDirs { get; init; } = DefaultEnvDirs;
    /// <summary>Where each <see cref="EnvDirs"/> entry was written (the config file, or an environment variable).</summary>
    internal IReadOnlyList<SourceLocation> EnvDirLocations { get; init; } = Array.Empty<SourceLocation>();
    public string RenderDefaultFile { get; init; } = string.Empty;
    public string RenderValuesFile { get; init; } = string.Empty;
    public string RenderSecretsFile { get; init; } = string.Empty;
    public IReadOnlyList<string> RenderTemplatesDirs { get; init; } = Array.Empty<string>();
    /// <summary>Ours: <c>helm</c> (default, Go templates as lxd-compose) or <c>scriban</c>.</summary>
    public string RenderEngine { get; init; } = string.Empty;
    public SecuritySettings Security { get; init; } = new();
    public SourceLocation Location { get; init; }

    /// <summary>Spec files go through the render engine only when a default or values file is configured.</summary>
    public bool RenderEnabled => RenderDefaultFile.Length > 0 || RenderValuesFile.Length > 0;

    public string Resolve(string path) =>
        path.Length == 0 ? path : Path.GetFullPath(Path.Combine(BaseDirectory, path));

    public static readonly IReadOnlyList<string> DefaultEnvDirs = new[] { "./lxd-compose/envs" };
}

public sealed class GeneralSettings
{
    public bool Debug { get; init; }
    /// <summary>YAML <c>lxd_confdir</c>: the lxc/incus client configuration directory.</summary>
    public string LxdConfDir { get; init; } = string.Empty;
    /// <summary>Where <see cref="LxdConfDir"/> was set: its line in the config file, or <c>$env:LXD_COMPOSE_GENERAL__LXD_CONFDIR</c>.</summary>
    public SourceLocation LxdConfDirLocation { get; init; }
    public bool LxdLocalDisable { get; init; }
    /// <summary>YAML <c>p2pmode</c>.</summary>
    public bool P2PMode { get; init; }
    /// <summary>YAML <c>legacyapi</c>; accepted, no effect (as in lxd-compose).</summary>
    public bool LegacyApi { get; init; }
    /// <summary>Parallel template compilations; default: processor count.</summary>
    public int Concurrency { get; init; } = Environment.ProcessorCount;
    /// <summary>
    /// Ours: <c>template_loop_limit</c>, <c>template_output_limit</c>, <c>template_depth_limit</c>, the bounds of every
    /// template engine (lxd-compose ignores these keys).
    /// </summary>
    public LxdCompose.Templating.TemplateLimits TemplateLimits { get; init; } = LxdCompose.Templating.TemplateLimits.Default;
}

public sealed class LoggingSettings
{
    public string Level { get; init; } = "info";
    public bool EnableLogfile { get; init; }
    public string Path { get; init; } = "./logs/lxd-compose.log";
    public bool JsonFormat { get; init; }
    public bool EnableEmoji { get; init; } = true;
    public bool Color { get; init; } = true;
    public bool RuntimeCmdsOutput { get; init; } = true;
    public bool CmdsOutput { get; init; } = true;
    public bool PushProgressbar { get; init; }
}

public sealed class SecuritySettings
{
    /// <summary>Base64 encryption key. A secret: never printed (see <see cref="ToString"/>).</summary>
    public string Key { get; init; } = string.Empty;
    public string KeyFile { get; init; } = string.Empty;
    public bool? EncryptedSecrets { get; init; }
    public DkaOptions DkaOpts { get; init; } = new();
    /// <summary>
    /// YAML <c>secret_name_patterns</c> (LxdCompose's; lxd-compose ignores it): names whose values are masked; null: the
    /// defaults of <see cref="Security.SecretNamePatterns"/>.
    /// </summary>
    public IReadOnlyList<string>? SecretNamePatterns { get; init; }
    /// <summary>Where <see cref="Key"/> or <see cref="KeyFile"/> was given (the config file, -Key, -KeyFile), for messages.</summary>
    public string KeyOrigin { get; init; } = string.Empty;

    public override string ToString() => Key.Length > 0 ? "key: <set>" : KeyFile.Length > 0 ? $"keyfile: {KeyFile}" : "none";
}

/// <summary>Argon2id parameters (YAML <c>dka_opts</c>).</summary>
public sealed class DkaOptions
{
    public uint TimeIterations { get; init; } = 3;
    public uint MemoryUsage { get; init; } = 65536;
    public uint KeyLength { get; init; } = 32;
    public byte Parallelism { get; init; } = 4;
}
