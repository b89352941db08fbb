namespace LxdCompose.Templating;

/// <summary>Renders a spec file's text before YAML parsing (lxd-compose's "render engine").</summary>
public interface ISpecRenderer
{
    /// <param name="file">Absolute path of the spec file, for error positions.</param>
    /// <param name="text">The file's text as read from disk.</param>
    /// <returns>The rendered text, which is then parsed as YAML.</returns>
    string Render(string file, string text);
}
