using LxdCompose.Specs;
using LxdCompose.Templating;
using LxdCompose.Yaml;

namespace LxdCompose.Loading;

/// <summary>Reads one spec file: text → render engine (when enabled) → YAML tree, reporting problems to a sink.</summary>
internal sealed class SpecFileReader
{
    private readonly ISpecRenderer? _renderer;

    /// <param name="renderer">Null: files are parsed as written (render engine disabled).</param>
    /// <param name="decryptor">Decrypts encrypted vars blocks; null: no key, so any encrypted block is an error.</param>
    public SpecFileReader(ISpecRenderer? renderer, VarsDecryptor? decryptor = null)
    {
        _renderer = renderer;
        Decryptor = decryptor ?? new VarsDecryptor(null, renderer);
    }

    public VarsDecryptor Decryptor { get; }

    /// <summary>
    /// The file's YAML root (null for an empty document). Returns false when the file could not be read, rendered or
    /// parsed; the reason is in <paramref name="sink"/>.
    /// </summary>
    public bool TryRead(string path, DiagnosticSink sink, out YamlNode? root)
    {
        root = null;
        string text;
        try
        {
            text = InputFiles.ReadText(path);
        }
        catch (SpecException e)
        {
            sink.Add(e.Diagnostic);
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            sink.Error(LoadCodes.FileUnreadable, $"cannot read the file: {e.Message}", SourceLocation.FileOnly(path));
            return false;
        }

        try
        {
            if (_renderer is not null)
            {
                text = _renderer.Render(path, text);
            }

            root = YamlTreeReader.Parse(text, path);
            return true;
        }
        catch (SpecException e)
        {
            sink.Add(e.Diagnostic);
            return false;
        }
        catch (InsufficientExecutionStackException)
        {
            sink.Error(LoadCodes.NestingTooDeep, LoadCodes.NestingTooDeepMessage, SourceLocation.FileOnly(path));
            return false;
        }
    }
}
