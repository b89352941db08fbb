namespace LxdCompose.Templating.Scriban;

/// <summary>
/// <c>render_engine: scriban</c>: spec files are Scriban templates. The render values are the global <c>values</c>,
/// the helper objects are <c>sprig</c> (v3, Scriban argument order) and <c>gosprig</c>, <c>go</c>, <c>helm</c> (Go argument
/// order), and <c>include "tpl/&lt;name&gt;"</c> renders a named template of
/// <c>render_templates_dirs</c> with the same globals.
/// </summary>
public sealed class ScribanSpecRenderer : ISpecRenderer
{
    public const string ValuesName = "values";

    private readonly RenderContext _context;

    public ScribanSpecRenderer(RenderContext context)
    {
        _context = context ?? throw new ArgumentNullException(nameof(context));
    }

    public string Render(string file, string text)
    {
        var template = ScribanTemplates.Parse(text, file);
        var globals = ScribanTemplates.Globals(new[] { new KeyValuePair<string, object?>(ValuesName, _context.Values) });
        return ScribanTemplates.Render(template, file, globals, new NamedTemplateLoader(_context.NamedTemplates),
            _context.Limits);
    }
}
