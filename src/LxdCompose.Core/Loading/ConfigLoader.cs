using System.Collections;
using LxdCompose.Specs;
using LxdCompose.Templating;
using LxdCompose.Yaml;

namespace LxdCompose.Loading;

/// <summary>Finds and reads <c>.lxd-compose.yml</c>, with <c>LXD_COMPOSE_*</c> environment overrides as Viper applies them.</summary>
internal static class ConfigLoader
{
    public const string DefaultFileName = ".lxd-compose.yml";
    public const string ConfigVariable = "LXD_COMPOSE_CONFIG";
    private const string EnvPrefix = "LXD_COMPOSE_";

    private enum KeyKind { Scalar, Bool, List }

    // Every key of the config (§1.1 plus our render_engine). Viper maps key a.b_c to LXD_COMPOSE_A__B_C.
    private static readonly (string Key, KeyKind Kind)[] Keys =
    {
        ("general.debug", KeyKind.Bool), ("general.lxd_confdir", KeyKind.Scalar),
        ("general.lxd_local_disable", KeyKind.Bool), ("general.p2pmode", KeyKind.Bool),
        ("general.legacyapi", KeyKind.Bool), ("general.concurrency", KeyKind.Scalar),
        ("general." + TemplateLimits.ConfigKeys.LoopIterations, KeyKind.Scalar),
        ("general." + TemplateLimits.ConfigKeys.OutputChars, KeyKind.Scalar),
        ("general." + TemplateLimits.ConfigKeys.Depth, KeyKind.Scalar),
        ("logging.level", KeyKind.Scalar), ("logging.enable_logfile", KeyKind.Bool), ("logging.path", KeyKind.Scalar),
        ("logging.json_format", KeyKind.Bool), ("logging.enable_emoji", KeyKind.Bool), ("logging.color", KeyKind.Bool),
        ("logging.runtime_cmds_output", KeyKind.Bool), ("logging.cmds_output", KeyKind.Bool),
        ("logging.push_progressbar", KeyKind.Bool),
        ("env_dirs", KeyKind.List), ("render_default_file", KeyKind.Scalar), ("render_values_file", KeyKind.Scalar),
        ("render_secrets_file", KeyKind.Scalar), ("render_templates_dirs", KeyKind.List),
        ("render_engine", KeyKind.Scalar),
        ("security.key", KeyKind.Scalar), ("security.keyfile", KeyKind.Scalar),
        ("security.encrypted_secrets", KeyKind.Bool), ("security.dka_opts.time_iterations", KeyKind.Scalar),
        ("security.dka_opts.memory_usage", KeyKind.Scalar), ("security.dka_opts.key_length", KeyKind.Scalar),
        ("security.dka_opts.parallelism", KeyKind.Scalar), ("security.secret_name_patterns", KeyKind.List),
    };

    public static string EnvironmentVariableName(string key) =>
        EnvPrefix + key.Replace(".", "__", StringComparison.Ordinal).ToUpperInvariant();

    public static ComposeConfig Load(LoadOptions options, DiagnosticSink sink)
    {
        var env = options.EnvironmentVariables ?? ProcessEnvironment();
        var path = FindConfigFile(options, env);
        var directory = Path.GetDirectoryName(path) ?? options.WorkingDirectory;

        YamlNode? root;
        try
        {
            root = YamlTreeReader.Parse(InputFiles.ReadText(path), path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SpecException(LoadCodes.ConfigInvalid, $"cannot read the config file: {e.Message}",
                SourceLocation.FileOnly(path), e);
        }

        var map = root switch
        {
            null => new YamlMapping(new SourceLocation(path, 1, 1), string.Empty,
                Array.Empty<KeyValuePair<YamlScalar, YamlNode>>()),
            YamlScalar { IsNull: true } => new YamlMapping(root.Location, string.Empty,
                Array.Empty<KeyValuePair<YamlScalar, YamlNode>>()),
            YamlMapping m => m,
            _ => throw new SpecException(LoadCodes.ConfigInvalid,
                $"the config file must be a map of settings (general:, logging:, env_dirs:, ...), found a {root.Kind}",
                root.Location),
        };

        foreach (var (key, kind) in Keys)
        {
            var name = EnvironmentVariableName(key);
            // Viper ignores empty variables unless AllowEmptyEnv is set, which lxd-compose does not do.
            if (env.TryGetValue(name, out var value) && value.Length > 0)
            {
                map = Override(map, key.Split('.'), ValueFromEnvironment(name, value, kind));
            }
        }

        if (options.LxdConfigDirectory is { Length: > 0 } confDir)
        {
            // -LxdConfigDirectory wins over the config and LXD_COMPOSE_GENERAL__LXD_CONFDIR, as --lxd-config-dir does.
            var full = Path.GetFullPath(Path.Combine(options.WorkingDirectory, confDir));
            map = Override(map, "general.lxd_confdir".Split('.'),
                new YamlScalar(SourceLocation.FileOnly("-LxdConfigDirectory"), string.Empty, full, isPlain: false));
        }

        var local = new DiagnosticSink();
        var config = Read(new ObjectReader(map, "the config file", local), path, directory, options);
        foreach (var diagnostic in local.Items)
        {
            if (diagnostic.Severity == DiagnosticSeverity.Error)
            {
                throw new SpecException(diagnostic);
            }

            sink.Add(diagnostic);
        }

        return config;
    }

    private static string FindConfigFile(LoadOptions options, IReadOnlyDictionary<string, string> env)
    {
        if (!string.IsNullOrEmpty(options.ConfigPath))
        {
            var explicitPath = Path.GetFullPath(Path.Combine(options.WorkingDirectory, options.ConfigPath));
            if (Directory.Exists(explicitPath))
            {
                // A folder stands for the .lxd-compose.yml in it, as the current location does without -ConfigPath.
                var inFolder = Path.Combine(explicitPath, DefaultFileName);
                return File.Exists(inFolder)
                    ? inFolder
                    : throw new SpecException(LoadCodes.ConfigNotFound,
                        $"no {DefaultFileName} in the folder {explicitPath}; check -ConfigPath", SourceLocation.None);
            }

            return File.Exists(explicitPath)
                ? explicitPath
                : throw new SpecException(LoadCodes.ConfigNotFound,
                    $"config file '{explicitPath}' does not exist; check -ConfigPath", SourceLocation.None);
        }

        if (env.TryGetValue(ConfigVariable, out var fromEnv) && fromEnv.Length > 0)
        {
            var envPath = Path.GetFullPath(Path.Combine(options.WorkingDirectory, fromEnv));
            return File.Exists(envPath)
                ? envPath
                : throw new SpecException(LoadCodes.ConfigNotFound,
                    $"config file '{envPath}' named by {ConfigVariable} does not exist; fix or unset {ConfigVariable}",
                    SourceLocation.None);
        }

        var directory = Path.GetFullPath(options.WorkingDirectory);
        var defaultPath = Path.Combine(directory, DefaultFileName);
        return File.Exists(defaultPath)
            ? defaultPath
            : throw new SpecException(LoadCodes.ConfigNotFound,
                $"no {DefaultFileName} in {directory}; pass -ConfigPath or create one", SourceLocation.None);
    }

    private static IReadOnlyDictionary<string, string> ProcessEnvironment()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string key && key.StartsWith(EnvPrefix, StringComparison.Ordinal) && entry.Value is string value)
            {
                result[key] = value;
            }
        }

        return result;
    }

    /// <summary>An environment value as Viper decodes it: lists split at commas, Go's ParseBool words for bools.</summary>
    private static YamlNode ValueFromEnvironment(string name, string value, KeyKind kind)
    {
        var at = SourceLocation.FileOnly("$env:" + name);
        switch (kind)
        {
            case KeyKind.List:
                return new YamlSequence(at, string.Empty,
                    value.Split(',').Select(v => (YamlNode)new YamlScalar(at, string.Empty, v, isPlain: false)).ToList());
            case KeyKind.Bool:
                var normalized = value switch
                {
                    "1" or "t" or "T" => "true",
                    "0" or "f" or "F" => "false",
                    _ => value,
                };
                return new YamlScalar(at, string.Empty, normalized, isPlain: false);
            default:
                return new YamlScalar(at, string.Empty, value, isPlain: false);
        }
    }

    private static YamlMapping Override(YamlMapping map, ReadOnlySpan<string> path, YamlNode value)
    {
        var entries = map.Entries.ToList();
        var name = path[0];
        var index = entries.FindIndex(e => e.Key.Value == name);
        YamlNode replacement;
        if (path.Length == 1)
        {
            replacement = value;
        }
        else
        {
            var inner = index >= 0 && entries[index].Value is YamlMapping existing
                ? existing
                : new YamlMapping(value.Location, string.Empty, Array.Empty<KeyValuePair<YamlScalar, YamlNode>>());
            replacement = Override(inner, path[1..], value);
        }

        var key = index >= 0 ? entries[index].Key : new YamlScalar(value.Location, string.Empty, name, isPlain: true);
        if (index >= 0)
        {
            entries[index] = new(key, replacement);
        }
        else
        {
            entries.Add(new(key, replacement));
        }

        return new YamlMapping(map.Location, map.Tag, entries);
    }

    private static ComposeConfig Read(ObjectReader r, string path, string directory, LoadOptions options)
    {
        var general = r.Object("general", "general", ReadGeneral) ?? new GeneralSettings();
        var logging = r.Object("logging", "logging", ReadLogging) ?? new LoggingSettings();
        var security = WithKeyParameters(r.Object("security", "security", ReadSecurity) ?? new SecuritySettings(), path, options);
        var envDirs = ReadEnvDirs(r);
        var config = new ComposeConfig
        {
            File = path,
            BaseDirectory = directory,
            General = general,
            Logging = logging,
            EnvDirs = envDirs?.Select(e => e.Dir).ToList() ?? ComposeConfig.DefaultEnvDirs,
            EnvDirLocations = envDirs?.Select(e => e.At).ToList()
                ?? ComposeConfig.DefaultEnvDirs.Select(_ => SourceLocation.FileOnly(path)).ToList(),
            RenderDefaultFile = r.String("render_default_file"),
            RenderValuesFile = r.String("render_values_file"),
            RenderSecretsFile = r.String("render_secrets_file"),
            RenderTemplatesDirs = r.StringList("render_templates_dirs"),
            RenderEngine = r.String("render_engine"),
            Security = security,
            Location = r.Location,
        };
        r.ReportUnknownKeys();
        return config;
    }

    private static List<(string Dir, SourceLocation At)>? ReadEnvDirs(ObjectReader r)
    {
        var node = r.Take("env_dirs");
        switch (node)
        {
            case null:
            case YamlScalar { IsNull: true }:
                return null;
            case YamlSequence seq:
                var result = new List<(string, SourceLocation)>();
                foreach (var item in seq.Items)
                {
                    if (r.ScalarText(item, "env_dirs") is { Length: > 0 } dir)
                    {
                        result.Add((dir, item.Location));
                    }
                }

                return result;
            default:
                ObjectReader.Mismatch(r.Sink, node, "'env_dirs' must be a list of directories", "a list");
                return null;
        }
    }

    private static GeneralSettings ReadGeneral(ObjectReader r)
    {
        var defaults = new GeneralSettings();
        var general = new GeneralSettings
        {
            Debug = r.Bool("debug"),
            LxdConfDir = r.String("lxd_confdir"),
            LxdConfDirLocation = r.Map["lxd_confdir"]?.Location ?? r.Location,
            LxdLocalDisable = r.Bool("lxd_local_disable"),
            P2PMode = r.Bool("p2pmode"),
            LegacyApi = r.Bool("legacyapi"),
            Concurrency = (int)(r.Integer("concurrency", 1, int.MaxValue) ?? defaults.Concurrency),
            TemplateLimits = new TemplateLimits
            {
                LoopIterations = r.Integer(TemplateLimits.ConfigKeys.LoopIterations, 1, int.MaxValue)
                    ?? TemplateLimits.Default.LoopIterations,
                OutputChars = r.Integer(TemplateLimits.ConfigKeys.OutputChars, 1, int.MaxValue)
                    ?? TemplateLimits.Default.OutputChars,
                Depth = (int)(r.Integer(TemplateLimits.ConfigKeys.Depth, 1, 100_000) ?? TemplateLimits.Default.Depth),
            },
        };
        r.ReportUnknownKeys();
        return general;
    }

    private static LoggingSettings ReadLogging(ObjectReader r)
    {
        var d = new LoggingSettings();
        var logging = new LoggingSettings
        {
            Level = r.OptionalString("level") ?? d.Level,
            EnableLogfile = r.OptionalBool("enable_logfile") ?? d.EnableLogfile,
            Path = r.OptionalString("path") ?? d.Path,
            JsonFormat = r.OptionalBool("json_format") ?? d.JsonFormat,
            EnableEmoji = r.OptionalBool("enable_emoji") ?? d.EnableEmoji,
            Color = r.OptionalBool("color") ?? d.Color,
            RuntimeCmdsOutput = r.OptionalBool("runtime_cmds_output") ?? d.RuntimeCmdsOutput,
            CmdsOutput = r.OptionalBool("cmds_output") ?? d.CmdsOutput,
            PushProgressbar = r.OptionalBool("push_progressbar") ?? d.PushProgressbar,
        };
        r.ReportUnknownKeys();
        return logging;
    }

    private static SecuritySettings ReadSecurity(ObjectReader r)
    {
        var security = new SecuritySettings
        {
            Key = r.String("key"),
            KeyFile = r.String("keyfile"),
            EncryptedSecrets = r.OptionalBool("encrypted_secrets"),
            DkaOpts = r.Object("dka_opts", "dka_opts", ReadDka) ?? new DkaOptions(),
            SecretNamePatterns = r.Has("secret_name_patterns") ? r.StringList("secret_name_patterns") : null,
        };
        r.ReportUnknownKeys();
        return security;
    }

    /// <summary>
    /// -Key, then -KeyFile, replace the config's key (as --key and --keyfile set security.key and security.keyfile);
    /// in the config, <c>key</c> wins over <c>keyfile</c>, as in lxd-compose.
    /// </summary>
    private static SecuritySettings WithKeyParameters(SecuritySettings s, string configFile, LoadOptions options)
    {
        var (key, keyFile, origin) = options switch
        {
            { Key.Length: > 0 } => (options.Key, string.Empty, "-Key"),
            { KeyFile.Length: > 0 } => (string.Empty, Path.GetFullPath(Path.Combine(options.WorkingDirectory, options.KeyFile)),
                "-KeyFile"),
            _ => (s.Key, s.KeyFile, s.Key.Length > 0 ? $"security.key of {configFile}" : $"security.keyfile of {configFile}"),
        };
        return new SecuritySettings
        {
            Key = key, KeyFile = keyFile, KeyOrigin = origin, EncryptedSecrets = s.EncryptedSecrets, DkaOpts = s.DkaOpts,
            SecretNamePatterns = s.SecretNamePatterns,
        };
    }

    private static DkaOptions ReadDka(ObjectReader r)
    {
        var d = new DkaOptions();
        var dka = new DkaOptions
        {
            TimeIterations = r.UInt32("time_iterations") ?? d.TimeIterations,
            MemoryUsage = r.UInt32("memory_usage") ?? d.MemoryUsage,
            KeyLength = r.UInt32("key_length") ?? d.KeyLength,
            Parallelism = r.Integer("parallelism", 0, byte.MaxValue) is { } p ? (byte)p : d.Parallelism,
        };
        r.ReportUnknownKeys();
        return dka;
    }
}
