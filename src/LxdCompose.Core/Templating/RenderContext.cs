using System.Text;
using LxdCompose.Loading;
using LxdCompose.Security;
using LxdCompose.Specs;
using LxdCompose.Yaml;

namespace LxdCompose.Templating;

/// <summary>A named template of a <c>render_templates_dirs</c> directory: <c>tpl/&lt;file name without .yaml&gt;</c>.</summary>
public sealed record NamedTemplate(string Name, string File, string Text);

/// <summary>
/// What the render engine renders spec files with (reference §4.1): <c>.Values</c> built exactly as lxd-compose builds
/// it, plus the named templates. Built once per load; both render engines (Helm, Scriban) consume it.
/// </summary>
public sealed class RenderContext
{
    public const string NamedTemplatePrefix = "tpl/";

    private RenderContext(IReadOnlyDictionary<string, object?> values, IReadOnlyList<NamedTemplate> namedTemplates)
    {
        Values = values;
        NamedTemplates = namedTemplates;
    }

    /// <summary>Loop, output and nesting bounds of the render engines (the config's <c>general.template_*_limit</c>).</summary>
    public TemplateLimits Limits { get; private set; } = TemplateLimits.Default;

    /// <summary>The merged values; contains secrets when a secrets file is configured, so never print it whole.</summary>
    public IReadOnlyDictionary<string, object?> Values { get; }

    /// <summary>The render secrets file's map (<c>.Values.secrets</c>), empty without one: every value in it is a secret.</summary>
    public IReadOnlyDictionary<string, object?> SecretsFileValues { get; private set; } = new Dictionary<string, object?>();

    /// <summary>In load order: directories as listed, files by name.</summary>
    public IReadOnlyList<NamedTemplate> NamedTemplates { get; }

    public NamedTemplate? FindTemplate(string name) =>
        NamedTemplates.LastOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal));

    /// <summary>
    /// From the config: values file, secrets file as <c>secrets</c>, <paramref name="overrides"/>, coalesced onto the
    /// defaults file; named templates from <c>render_templates_dirs</c>. Throws <see cref="SpecException"/> for a
    /// missing or broken file.
    /// </summary>
    public static RenderContext Build(ComposeConfig config, RenderValueOverrides? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var values = ReadConfiguredMap(config, "render_values_file", config.RenderValuesFile);
        var defaults = ReadConfiguredMap(config, "render_default_file", config.RenderDefaultFile);
        Dictionary<string, object?> secrets = new();
        if (config.RenderSecretsFile.Length > 0)
        {
            secrets = config.Security.EncryptedSecrets == true
                ? ReadEncryptedSecrets(config)
                : ReadConfiguredMap(config, "render_secrets_file", config.RenderSecretsFile);
            // As lxd-compose: an empty secrets map leaves a 'secrets' key of the values file alone.
            if (secrets.Count > 0)
            {
                values["secrets"] = secrets;
            }
        }

        var directories = config.RenderTemplatesDirs
            .Select(d => (Written: d, Full: config.Resolve(d)))
            .ToList();
        var context = Create(values, defaults, overrides, directories, SourceLocation.FileOnly(config.File));
        context.Limits = config.General.TemplateLimits;
        context.SecretsFileValues = secrets;
        return context;
    }

    /// <summary>From values already read (Expand-LxdTemplate): overrides onto values, coalesced onto defaults.</summary>
    public static RenderContext Create(IReadOnlyDictionary<string, object?> values,
        IReadOnlyDictionary<string, object?>? defaults, RenderValueOverrides? overrides,
        IReadOnlyList<string> templatesDirectories) =>
        Create((Dictionary<string, object?>)RenderValueTree.Normalize(values)!, defaults, overrides,
            templatesDirectories.Select(d => (d, Path.GetFullPath(d))).ToList(), SourceLocation.None);

    private static RenderContext Create(Dictionary<string, object?> values, IReadOnlyDictionary<string, object?>? defaults,
        RenderValueOverrides? overrides, IReadOnlyList<(string Written, string Full)> templatesDirectories,
        SourceLocation configuredAt)
    {
        (overrides ?? RenderValueOverrides.Empty).ApplyTo(values);
        var merged = RenderValueTree.Coalesce(values, defaults ?? new Dictionary<string, object?>());
        var templates = new List<NamedTemplate>();
        foreach (var (written, full) in templatesDirectories)
        {
            templates.AddRange(ReadTemplatesDirectory(written, full, configuredAt));
        }

        return new RenderContext(merged, templates);
    }

    /// <summary>
    /// A YAML (or JSON) file that must hold a map; empty is an empty map. Values get yaml.v3 typing.
    /// </summary>
    public static Dictionary<string, object?> ReadYamlMap(string path, string what)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new SpecException(TemplateCodes.RenderFileNotFound, $"{what} '{full}' does not exist; check the path",
                SourceLocation.None);
        }

        return ParseYamlMap(InputFiles.ReadText(full), full, what);
    }

    /// <summary>
    /// <c>security.encrypted_secrets</c>: the secrets file is the base64 of lxd-compose's cipher text; its plain text
    /// is the secrets map. A missing or wrong key is an error naming the file.
    /// </summary>
    private static Dictionary<string, object?> ReadEncryptedSecrets(ComposeConfig config)
    {
        var full = ExistingConfiguredFile(config, "render_secrets_file", config.RenderSecretsFile);
        var at = SourceLocation.FileOnly(full);
        var key = EncryptionKeys.Resolve(config, at) ?? throw new SpecException(LoadCodes.EncryptionKeyMissing,
            $"the render secrets file is encrypted (security.encrypted_secrets: true) and no encryption key is set: " +
            EncryptionKeys.HowToGiveAKey, at);
        string text;
        try
        {
            text = Encoding.UTF8.GetString(LxdComposeCipher.DecryptBase64(InputFiles.ReadText(full), key, config.Security.DkaOpts));
        }
        catch (CipherException e)
        {
            throw new SpecException(LoadCodes.DecryptionFailed,
                $"cannot decrypt the render secrets file with the key from {config.Security.KeyOrigin}: {e.Message}; use " +
                "the key it was encrypted with (Protect-LxdVariable -Secrets or 'lxd-compose security encrypt " +
                "--secrets-file') and the same security.dka_opts, or set security.encrypted_secrets to false for a plain file",
                at, e);
        }

        return ParseYamlMap(text, full, "render_secrets_file (decrypted)");
    }

    private static Dictionary<string, object?> ParseYamlMap(string text, string full, string what)
    {
        var root = YamlTreeReader.Parse(text, full);
        try
        {
            return root switch
            {
                null or YamlScalar { IsNull: true } => new Dictionary<string, object?>(StringComparer.Ordinal),
                YamlMapping map => YamlScalarTyping.ToMap(map),
                _ => throw new SpecException(TemplateCodes.RenderFileInvalid,
                    $"{what} must be a map of keys to values, found a {root.Kind}", root.Location),
            };
        }
        catch (InsufficientExecutionStackException)
        {
            throw new SpecException(LoadCodes.NestingTooDeep, LoadCodes.NestingTooDeepMessage, SourceLocation.FileOnly(full));
        }
    }

    private static Dictionary<string, object?> ReadConfiguredMap(ComposeConfig config, string key, string written)
    {
        if (written.Length == 0)
        {
            return new Dictionary<string, object?>(StringComparer.Ordinal);
        }

        return ReadYamlMap(ExistingConfiguredFile(config, key, written), key);
    }

    private static string ExistingConfiguredFile(ComposeConfig config, string key, string written)
    {
        var full = config.Resolve(written);
        if (!File.Exists(full))
        {
            throw new SpecException(TemplateCodes.RenderFileNotFound,
                $"{key} '{written}' does not exist (looked for {full}; relative paths are taken from the config " +
                $"file's directory); create it or fix {key}", SourceLocation.FileOnly(config.File));
        }

        return full;
    }

    /// <summary>The <c>*.yaml</c> files directly in the directory, by name; a missing directory is an error (as lxd-compose).</summary>
    private static IEnumerable<NamedTemplate> ReadTemplatesDirectory(string written, string full, SourceLocation configuredAt)
    {
        if (!Directory.Exists(full))
        {
            throw new SpecException(TemplateCodes.TemplatesDirNotFound,
                $"render templates directory '{written}' does not exist (looked for {full}); create it or remove it " +
                "from render_templates_dirs", configuredAt);
        }

        var names = Directory.EnumerateFiles(full).Select(Path.GetFileName).OfType<string>()
            .Where(n => n.EndsWith(".yaml", StringComparison.Ordinal))
            .OrderBy(n => n, StringComparer.Ordinal);
        foreach (var name in names)
        {
            var file = Path.Combine(full, name);
            // lxd-compose removes every ".yaml" from the name (strings.ReplaceAll), not only the extension.
            yield return new NamedTemplate(NamedTemplatePrefix + name.Replace(".yaml", string.Empty, StringComparison.Ordinal),
                file, InputFiles.ReadText(file));
        }
    }
}

/// <summary>Stable codes of template problems.</summary>
public static class TemplateCodes
{
    public const string RenderFileNotFound = "RenderFileNotFound";
    public const string RenderFileInvalid = "RenderFileInvalid";
    public const string TemplatesDirNotFound = "RenderTemplatesDirNotFound";
    public const string RenderEngineUnknown = "RenderEngineUnknown";
    public const string TemplateEngineInvalid = "TemplateEngineInvalid";
    public const string TemplateParseError = "TemplateParseError";
    public const string TemplateRenderError = "TemplateRenderError";
    /// <summary>A template passed one of its <see cref="TemplateLimits"/> (loops, output, nesting).</summary>
    public const string TemplateLimitExceeded = "TemplateLimitExceeded";
    public const string TemplateSourceNotFound = "TemplateSourceNotFound";
    public const string TemplateWriteFailed = "TemplateWriteFailed";
    public const string Jinja2NotFound = "Jinja2NotFound";
}
