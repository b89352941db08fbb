namespace LxdCompose.Templating.Scriban;

/// <summary>
/// <c>template_engine.engine: scriban</c> for <c>config_templates</c>: every variable is a global by name (project
/// variables, <c>project</c>, <c>group</c>, <c>node</c>, node labels, <c>env_base_dir</c>), spec objects with the key
/// names of the YAML spec (<c>node.image_source</c>), plus the helper objects <c>sprig</c> (sprig v2, Scriban argument
/// order) and <c>gosprig</c>, <c>go</c>, <c>mottainai</c> (Go argument order) (docs/templates.md).
/// </summary>
public sealed class ScribanConfigTemplateEngine : IConfigTemplateEngine
{
    public const string EngineName = "scriban";

    private readonly TemplateLimits _limits;

    public ScribanConfigTemplateEngine(TemplateLimits? limits = null)
    {
        _limits = limits ?? TemplateLimits.Default;
    }

    public string Name => EngineName;

    public string Render(string templateText, string sourcePath, IReadOnlyDictionary<string, object?> variables)
    {
        var template = ScribanTemplates.Parse(templateText, sourcePath);
        var globals = ScribanTemplates.Globals(variables.Select(v =>
            new KeyValuePair<string, object?>(v.Key, SpecObjectShapes.ToData(v.Value))), ScribanHelperProfile.ConfigTemplate);
        return ScribanTemplates.Render(template, sourcePath, globals, limits: _limits);
    }
}
