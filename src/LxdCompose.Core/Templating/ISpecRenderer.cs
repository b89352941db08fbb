using LxdCompose.Specs;

namespace LxdCompose.Templating;

/// <summary>Renders a spec file's text before YAML parsing (lxd-compose's "render engine").</summary>
public interface ISpecRenderer
{
    /// <param name="file">Absolute path of the spec file, for error positions.</param>
    /// <param name="text">The file's text as read from disk.</param>
    /// <returns>The rendered text, which is then parsed as YAML.</returns>
    string Render(string file, string text);
}

/// <summary>
/// Stands in until the Go-template engine lands: text without <c>{{</c> passes through unchanged; text with template
/// actions fails at the first <c>{{</c>, because parsing it raw would load something other than what lxd-compose loads.
/// </summary>
public sealed class PendingGoTemplateRenderer : ISpecRenderer
{
    public const string ErrorCode = "TemplateEngineUnavailable";

    public string Render(string file, string text)
    {
        var index = text.IndexOf("{{", StringComparison.Ordinal);
        if (index < 0)
        {
            return text;
        }

        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < index; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        throw new SpecException(ErrorCode,
            "this file uses Go template actions ({{ ... }}) and this build cannot render Go templates yet; " +
            "the file was not parsed raw. Remove the template actions or disable the render engine " +
            "(render_default_file/render_values_file) to load it",
            new SourceLocation(file, line, index - lineStart + 1));
    }
}
