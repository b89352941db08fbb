using System.Globalization;
using LxdCompose.GoTemplates;
using LxdCompose.GoTemplates.Functions;
using LxdCompose.Specs;
using LxdCompose.Templating;

namespace LxdCompose.Deploy;

/// <summary>
/// The environment of a hook command (lxd-compose §3.2, §3.10): <c>project</c> as JSON, every project variable not in
/// <c>shell_envs_filter</c> (<c>-</c> in names becomes <c>_</c>; integers in decimal, strings as they are, everything
/// else as Go's JSON), <c>HOME=/</c> unless set; for a node, <c>node</c> as JSON and its labels under their own names.
/// </summary>
public static class HookEnvironment
{
    public static Dictionary<string, string> Build(LxdProject project, IReadOnlyDictionary<string, object?> variables, LxdNode? node)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["project"] = GoJson.Marshal(SanitizedProject(project), indent: false, escapeHtml: true),
        };
        var filtered = new HashSet<string>(project.ShellEnvsFilter, StringComparer.Ordinal);
        foreach (var (name, value) in variables)
        {
            if (!filtered.Contains(name))
            {
                env[name.Replace('-', '_')] = ToText(value);
            }
        }

        env.TryAdd("HOME", "/");
        if (node is not null)
        {
            env["node"] = GoJson.Marshal(SpecObjectShapes.Node(node), indent: false, escapeHtml: true);
            foreach (var (label, value) in node.Labels)
            {
                env[label] = value;
            }
        }

        return env;
    }

    /// <summary>A variable's value as lxd-compose exports it.</summary>
    public static string ToText(object? value) => value switch
    {
        string s => s,
        int or long or ulong or uint or short => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        _ => GoJson.Marshal(StringKeyed(value), indent: false, escapeHtml: true),
    };

    /// <summary>
    /// dyno.ConvertMapI2MapS, which lxd-compose applies before encoding: maps with non-string keys (YAML
    /// <c>{10: ten}</c>) get their keys as text, at any depth, so JSON can hold them.
    /// </summary>
    private static object? StringKeyed(object? value) => StackGuard.Ensure(value) switch
    {
        IDictionary<object, object?> general => general.ToDictionary(
            e => GoFormat.Sprint([e.Key]), e => StringKeyed(e.Value),
            StringComparer.Ordinal),
        IReadOnlyDictionary<string, object?> map => map.ToDictionary(e => e.Key, e => StringKeyed(e.Value), StringComparer.Ordinal),
        IList<object?> list => list.Select(StringKeyed).ToList(),
        _ => value,
    };

    /// <summary>The project without its variables (lxd-compose exports a copy without vars and shell_envs_filter).</summary>
    internal static Dictionary<string, object?> SanitizedProject(LxdProject project)
    {
        var shape = SpecObjectShapes.Project(project);
        shape.Remove("vars");
        shape.Remove("shell_envs_filter");
        return shape;
    }
}
