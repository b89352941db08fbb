using LxdCompose.Templating.Scriban;

namespace LxdCompose.Templating;

/// <summary>The engines <see cref="TemplateExpander"/> can run a single template with.</summary>
public enum ExpansionEngine
{
    /// <summary>The render engine of lxd-compose: Go templates, data as <c>.Values</c>, named templates as <c>tpl/&lt;name&gt;</c>.</summary>
    Helm,
    /// <summary>lxd-compose's config-template engine: Go templates, data at the root (<c>.key</c>).</summary>
    Mottainai,
    /// <summary>Scriban: data as <c>values</c> (as the Scriban render engine) and each top-level key as a global (as config templates).</summary>
    Scriban,
}

/// <summary>One template, its data and where named templates come from.</summary>
public sealed class TemplateExpansion
{
    public ExpansionEngine Engine { get; init; } = ExpansionEngine.Helm;
    public string Text { get; init; } = string.Empty;
    /// <summary>Shown in error positions; a file path or a name such as <c>&lt;template&gt;</c>.</summary>
    public string SourceName { get; init; } = "<template>";
    /// <summary>The data, already merged from its sources (a file, then values given directly).</summary>
    public IReadOnlyDictionary<string, object?> Data { get; init; } = new Dictionary<string, object?>();
    /// <summary>Defaults the data is coalesced onto, as the render values are onto <c>render_default_file</c>.</summary>
    public IReadOnlyDictionary<string, object?>? Defaults { get; init; }
    /// <summary>Directories whose <c>*.yaml</c> files are the named templates <c>tpl/&lt;name&gt;</c>.</summary>
    public IReadOnlyList<string> TemplatesDirectories { get; init; } = Array.Empty<string>();
}

/// <summary>Renders one template outside of any spec, for trying templates out (Expand-LxdTemplate).</summary>
public static class TemplateExpander
{
    /// <summary>The rendered text. Throws <see cref="Specs.SpecException"/> with the template position on errors.</summary>
    public static string Expand(TemplateExpansion expansion)
    {
        ArgumentNullException.ThrowIfNull(expansion);
        var context = RenderContext.Create(expansion.Data, expansion.Defaults, null, expansion.TemplatesDirectories);
        switch (expansion.Engine)
        {
            case ExpansionEngine.Helm:
                return TemplateEngines.CreateSpecRenderer(TemplateEngines.Helm, context).Render(expansion.SourceName, expansion.Text);
            case ExpansionEngine.Mottainai:
                var engine = TemplateEngines.CreateConfigEngine(TemplateEngines.Mottainai, new ConfigTemplateEngineOptions { Limits = context.Limits },
                    Specs.SourceLocation.None);
                return engine.Render(expansion.Text, expansion.SourceName, context.Values);
            default:
                var template = ScribanTemplates.Parse(expansion.Text, expansion.SourceName);
                var globals = ScribanTemplates.Globals(context.Values
                    .Where(v => v.Key != ScribanSpecRenderer.ValuesName)
                    .Append(new KeyValuePair<string, object?>(ScribanSpecRenderer.ValuesName,
                        context.Values.TryGetValue(ScribanSpecRenderer.ValuesName, out var own) ? own : context.Values)));
                return ScribanTemplates.Render(template, expansion.SourceName, globals, new NamedTemplateLoader(context.NamedTemplates),
                    context.Limits);
        }
    }
}
