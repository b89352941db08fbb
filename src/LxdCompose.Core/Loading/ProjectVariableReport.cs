using System.Text.Json;
using LxdCompose.Specs;
using LxdCompose.Templating;
using YamlDotNet.Serialization;

namespace LxdCompose.Loading;

/// <summary>One variable of a project as hooks and templates get it, with the block that set it last.</summary>
public sealed class ProjectVariable
{
    public string Project { get; init; } = string.Empty;
    public string Name { get; init; } = string.Empty;
    /// <summary>The value as YAML typed it: string, long, double, bool, lists, maps.</summary>
    public object? Value { get; init; }
    /// <summary>The vars block that set it last: its file and line, or <c>-Env</c>.</summary>
    public SourceLocation Source { get; init; }

    public override string ToString() => $"{Name}={Value}";
}

/// <summary>
/// lxd-compose's <c>diagnose vars</c>: a project's variables after its blocks, the --vars-file files and the --env
/// block (§3.10), as objects or as the template engine's variable map in YAML or JSON.
/// </summary>
public static class ProjectVariableReport
{
    /// <summary>The merged variables in name order, each with the block that set it last.</summary>
    public static IReadOnlyList<ProjectVariable> List(LxdProject project, IEnumerable<VarsBlock>? extra = null)
    {
        ArgumentNullException.ThrowIfNull(project);
        var sources = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        var blocks = project.Vars.Concat(extra ?? Enumerable.Empty<VarsBlock>()).ToList();
        foreach (var block in blocks)
        {
            foreach (var key in block.Envs.Keys)
            {
                sources[key] = block.Location;
            }
        }

        return ProjectVariables.Merge(project, blocks.Skip(project.Vars.Count))
            .OrderBy(v => v.Key, StringComparer.Ordinal)
            .Select(v => new ProjectVariable { Project = project.Name, Name = v.Key, Value = v.Value, Source = sources[v.Key] })
            .ToList();
    }

    /// <summary>
    /// What lxd-compose's diagnose vars dumps: the variables, <c>project</c> (the project's shape) and
    /// <c>env_base_dir</c> (its environment file's folder), keys sorted as Go sorts map keys.
    /// </summary>
    public static SortedDictionary<string, object?> TemplateMap(LxdProject project, string environmentDirectory, IEnumerable<VarsBlock>? extra = null)
    {
        var map = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in ProjectVariables.Merge(project, extra))
        {
            map[name] = value;
        }

        map["project"] = SpecObjectShapes.Project(project);
        map["env_base_dir"] = environmentDirectory;
        return map;
    }

    public static string ToYaml(object? value) =>
        new SerializerBuilder().DisableAliases().Build().Serialize(Sorted(value));

    public static string ToJson(object? value) =>
        JsonSerializer.Serialize(Sorted(value), new JsonSerializerOptions { WriteIndented = true }).ReplaceLineEndings("\n");

    /// <summary>Maps with their keys sorted at every level, as Go's encoders write them.</summary>
    private static object? Sorted(object? value) => value switch
    {
        IEnumerable<KeyValuePair<string, object?>> map => new SortedDictionary<string, object?>(
            map.ToDictionary(e => e.Key, e => Sorted(e.Value), StringComparer.Ordinal), StringComparer.Ordinal),
        IEnumerable<object?> list when value is not string => list.Select(Sorted).ToList(),
        _ => value,
    };
}
