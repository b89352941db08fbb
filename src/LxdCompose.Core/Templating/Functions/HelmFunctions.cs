using System.Collections;
using LxdCompose.Templating.GoTemplates;

namespace LxdCompose.Templating.Functions;

/// <summary>
/// Helm v3's template functions (pkg/engine/funcs.go): sprig v3 without <c>env</c>/<c>expandenv</c>, plus toYaml,
/// fromYaml, toJson, fromJson, include, tpl, required, fail and lookup (always an empty map, as in a client-less render).
/// </summary>
public static class HelmFunctions
{
    /// <summary>Registers the whole Helm function set (sprig v3 included) into <paramref name="table"/>.</summary>
    public static GoFunctionTable Register(GoFunctionTable table) => Register(table, SprigEnvironment.System);

    public static GoFunctionTable Register(GoFunctionTable table, SprigEnvironment environment)
    {
        // Helm deletes env/expandenv from sprig's map; registering sprig into a scratch table lets us copy all but those.
        var sprig = SprigFunctions.Register(GoFunctionTable.CreateWithBuiltins(), SprigVersion.V3, environment);
        var builtins = GoFunctionTable.CreateWithBuiltins();
        foreach (var name in sprig.Names.ToList())
        {
            if (name is "env" or "expandenv") continue;
            if (builtins.Contains(name) && name != "slice") continue;
            sprig.TryGet(name, out var f);
            table.Add(f);
        }
        var s = GoType.String;
        var any = GoType.Any;
        table.Add("toYaml", (_, a) => TryYaml(a[0], false), [any]);
        table.Add("toYamlPretty", (_, a) => TryYaml(a[0], true), [any]);
        table.Add("fromYaml", (_, a) => FromYaml((string)a[0]!, array: false), [s]);
        table.Add("fromYamlArray", (_, a) => FromYaml((string)a[0]!, array: true), [s]);
        table.Add("toJson", (_, a) => GoJson.TryMarshal(a[0], false, true, out var json) ? json : "", [any]);
        table.Add("fromJson", (_, a) => FromJson((string)a[0]!, array: false), [s]);
        table.Add("fromJsonArray", (_, a) => FromJson((string)a[0]!, array: true), [s]);
        table.Add("include", (ctx, a) => ctx.ExecuteTemplate((string)a[0]!, a[1]), [s, any]);
        table.Add("tpl", (ctx, a) => Tpl(ctx, (string)a[0]!, a[1]), [s, any]);
        table.Add("required", (_, a) => a[1] is null || a[1] is string { Length: 0 } ? throw new GoFunctionException((string)a[0]!) : a[1], [s, any]);
        table.Add("fail", (_, a) => throw new GoFunctionException((string)a[0]!), [s]);
        table.Add("lookup", (_, _) => new Dictionary<string, object?>(StringComparer.Ordinal), [s, s, s, s]);
        table.Add("getHostByName", (_, _) => "", [s]);
        return table;
    }

    private static string TryYaml(object? value, bool pretty)
    {
        try
        {
            return GoYaml.Marshal(value, pretty).TrimEnd('\n');
        }
        catch (GoFunctionException)
        {
            return "";
        }
    }

    private static object FromYaml(string text, bool array)
    {
        object? value;
        try
        {
            value = GoYaml.Unmarshal(text);
        }
        catch (Exception e) when (e is not GoFunctionException)
        {
            return ErrorResult(array, "error converting YAML to JSON: " + e.Message);
        }
        return Shape(value, array);
    }

    private static object FromJson(string text, bool array)
    {
        if (!GoJson.TryUnmarshal(text, out var value, out var error)) return ErrorResult(array, error!);
        return Shape(value, array);
    }

    private static object Shape(object? value, bool array)
    {
        if (array)
        {
            if (value is null) return new List<object?>();
            return value as List<object?> ?? ErrorResult(true, $"json: cannot unmarshal {JsonKind(value)} into Go value of type []interface {{}}");
        }
        if (value is null) return new Dictionary<string, object?>(StringComparer.Ordinal);
        return value as Dictionary<string, object?> ?? ErrorResult(false, $"json: cannot unmarshal {JsonKind(value)} into Go value of type map[string]interface {{}}");
    }

    private static string JsonKind(object value) => value switch
    {
        string => "string",
        bool => "bool",
        double => "number",
        IList => "array",
        _ => "object",
    };

    private static object ErrorResult(bool array, string message) => array
        ? new List<object?> { message }
        : new Dictionary<string, object?>(StringComparer.Ordinal) { ["Error"] = message };

    /// <summary>Helm's tpl: the text is parsed into a copy of the current template set and run with the given data.</summary>
    private static string Tpl(GoCallContext ctx, string text, object? data)
    {
        var set = new GoTemplate(ctx.Template.Name, ctx.Template.Functions);
        foreach (var name in ctx.Template.TemplateNames)
            if (ctx.Template.Lookup(name) is { } tree) set.AddTree(name, tree);
        const string tplName = "tpl";
        set.Parse(tplName, text);
        return set.Execute(tplName, data, ctx.Options).Replace("<no value>", "", StringComparison.Ordinal);
    }
}
