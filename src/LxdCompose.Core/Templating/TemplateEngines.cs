using LxdCompose.Specs;
using LxdCompose.Templating.Helm;
using LxdCompose.Templating.Jinja2;
using LxdCompose.Templating.Mottainai;
using LxdCompose.Templating.Scriban;

namespace LxdCompose.Templating;

/// <summary>An engine for <c>config_templates</c> files (environment <c>template_engine.engine</c>).</summary>
public interface IConfigTemplateEngine
{
    /// <summary>As written in <c>template_engine.engine</c>: <c>mottainai</c>, <c>jinja2</c>, <c>scriban</c>.</summary>
    string Name { get; }

    /// <param name="templateText">The template file's text.</param>
    /// <param name="sourcePath">The template file, for error positions.</param>
    /// <param name="variables">Project variables, <c>project</c>, <c>env_base_dir</c>, and while compiling a group or a
    /// node <c>group</c>, <c>node</c> and the node's labels. Spec objects are passed as the model's objects; each engine
    /// shows them its own way.</param>
    /// <returns>The rendered text. Throws <see cref="SpecException"/> with the template position on errors.</returns>
    string Render(string templateText, string sourcePath, IReadOnlyDictionary<string, object?> variables);
}

/// <summary>What an environment tells its config-template engine.</summary>
public sealed class ConfigTemplateEngineOptions
{
    /// <summary><c>template_engine.opts</c>: extra arguments (jinja2 passes them to <c>j2</c>).</summary>
    public IReadOnlyList<string> Opts { get; init; } = Array.Empty<string>();

    /// <summary>Working directory of external tools, against which relative <see cref="Opts"/> paths resolve.</summary>
    public string WorkingDirectory { get; init; } = Environment.CurrentDirectory;

    /// <summary>jinja2: a data file to use instead of the variables (lxd-compose: the first <c>include_env_files</c>
    /// entry when one of them is not YAML).</summary>
    public string? DataFile { get; init; }

    /// <summary>Loop, output and nesting bounds of the Go and Scriban engines (the config's <c>general.template_*_limit</c>).</summary>
    public TemplateLimits Limits { get; init; } = TemplateLimits.Default;

    /// <summary>jinja2: the command to run; default <c>j2</c> from PATH.</summary>
    public string Jinja2Command { get; init; } = Jinja2TemplateEngine.DefaultCommand;
}

/// <summary>
/// The engines by name. Spec-file render engines (<c>render_engine</c> in .lxd-compose.yml) and config-template engines
/// (<c>template_engine.engine</c> of an environment).
/// </summary>
public static class TemplateEngines
{
    public const string Helm = "helm";
    public const string Scriban = "scriban";
    public const string Mottainai = "mottainai";
    public const string Jinja2 = "jinja2";

    private static readonly Dictionary<string, Func<RenderContext, ISpecRenderer>> SpecRendererFactories =
        new(StringComparer.Ordinal)
        {
            [Helm] = context => new HelmSpecRenderer(context),
            [Scriban] = context => new ScribanSpecRenderer(context),
        };

    private static readonly Dictionary<string, Func<ConfigTemplateEngineOptions, IConfigTemplateEngine>> ConfigEngineFactories =
        new(StringComparer.Ordinal)
        {
            [Mottainai] = options => new MottainaiConfigTemplateEngine(options.Limits),
            [Jinja2] = options => new Jinja2TemplateEngine(options),
            [Scriban] = options => new ScribanConfigTemplateEngine(options.Limits),
        };

    public static IReadOnlyCollection<string> RenderEngineNames => SpecRendererFactories.Keys;

    public static IReadOnlyCollection<string> ConfigEngineNames => ConfigEngineFactories.Keys;

    /// <summary>
    /// The renderer for the config's spec files, or null when the render engine is off (no default or values file).
    /// Throws <see cref="SpecException"/> for an unknown <c>render_engine</c> or a missing or broken render file.
    /// </summary>
    public static ISpecRenderer? SpecRendererFor(ComposeConfig config, RenderValueOverrides? overrides)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!config.RenderEnabled)
        {
            return null;
        }

        return SpecRendererFactories[RenderEngineName(config)](RenderContext.Build(config, overrides));
    }

    /// <summary>A spec renderer by name for a context built by the caller; throws when the name is unknown.</summary>
    public static ISpecRenderer CreateSpecRenderer(string name, RenderContext context)
    {
        var key = name.ToLowerInvariant();
        if (!SpecRendererFactories.TryGetValue(key, out var factory))
        {
            throw new SpecException(TemplateCodes.RenderEngineUnknown,
                $"unknown render engine '{name}'; use one of {string.Join(", ", RenderEngineNames)}", SourceLocation.None);
        }

        return factory(context);
    }

    /// <summary>A config-template engine by name; throws when the name is unknown.</summary>
    public static IConfigTemplateEngine CreateConfigEngine(string name, ConfigTemplateEngineOptions options, SourceLocation at)
    {
        if (!ConfigEngineFactories.TryGetValue(name, out var factory))
        {
            throw new SpecException(TemplateCodes.TemplateEngineInvalid,
                $"invalid template engine '{name}': set template_engine.engine to one of " +
                string.Join(", ", ConfigEngineNames), at);
        }

        return factory(options);
    }

    public static bool IsConfigEngineName(string name) => ConfigEngineFactories.ContainsKey(name);

    internal static string RenderEngineName(ComposeConfig config)
    {
        var name = config.RenderEngine.Length == 0 ? Helm : config.RenderEngine;
        return SpecRendererFactories.ContainsKey(name)
            ? name
            : throw new SpecException(TemplateCodes.RenderEngineUnknown,
                $"render_engine '{config.RenderEngine}' is unknown; use helm (Go templates, as lxd-compose) or scriban",
                SourceLocation.FileOnly(config.File));
    }
}
