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
        var merged = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var block in project.Vars.Concat(extra ?? Enumerable.Empty<VarsBlock>()))
        {
            // Top-level keys replace whole values, as lxd-compose's map assignment does (no deep merge).
            foreach (var (key, value) in block.Envs)
            {
                merged[key] = value;
            }
        }

        return merged;
    }

    /// <summary>Loads a vars file (<c>envs: ...</c>, or the encrypted form), rendered first when a renderer is given.</summary>
    public static VarsBlock LoadVarsFile(string path, ISpecRenderer? renderer) => throw new NotImplementedException("in progress");
}
