using LxdCompose.Specs;
using LxdCompose.Templating;

namespace LxdCompose.Loading;

/// <summary>Project variables and their precedence (reference §3.10).</summary>
public static class ProjectVariables
{
    /// <summary>
    /// Merges project.Vars (inline blocks, then include_env_files blocks), then <paramref name="extra"/> blocks
    /// (--vars-file files, then the --env pairs block); later wins.
    /// </summary>
    public static IReadOnlyDictionary<string, object?> Merge(LxdProject project, IEnumerable<VarsBlock>? extra = null)
    {
        ArgumentNullException.ThrowIfNull(project);
        var merged = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var block in project.Vars.Concat(extra ?? Enumerable.Empty<VarsBlock>()))
        {
            // A later block replaces whole top-level values, as lxd-compose assigns map keys (no deep merge).
            foreach (var (key, value) in block.Envs)
            {
                merged[key] = value;
            }
        }

        return merged;
    }

    /// <summary>
    /// Loads a vars file (<c>envs: ...</c>, or the encrypted form, decrypted with <paramref name="config"/>'s key),
    /// rendered first when a renderer is given. Throws <see cref="SpecException"/> when the file is missing or broken,
    /// or encrypted and the key (none when <paramref name="config"/> is null) does not decrypt it.
    /// </summary>
    public static VarsBlock LoadVarsFile(string path, ISpecRenderer? renderer, ComposeConfig? config)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new SpecException(LoadCodes.IncludeNotFound, $"vars file '{full}' does not exist; check the path",
                SourceLocation.None);
        }

        var sink = new DiagnosticSink();
        VarsBlock block = new() { File = full, Location = SourceLocation.FileOnly(full) };
        if (new SpecFileReader(renderer).TryRead(full, sink, out var root)
            && ObjectReader.For(root, "variables file", sink) is { } reader)
        {
            block = EnvironmentLoader.ReadVarsBlock(reader, full);
        }

        if (sink.Items.FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error) is { } error)
        {
            throw new SpecException(error);
        }

        return new VarsDecryptor(config, renderer).Decrypt(block);
    }
}
