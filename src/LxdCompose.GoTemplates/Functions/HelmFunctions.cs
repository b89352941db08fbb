// Port of pkg/engine/funcs.go and engine.go (helm.sh/helm/v3 v3.19.5).
using System.Collections;

namespace LxdCompose.GoTemplates.Functions;

/// <summary>
/// Reads YAML text into template values as gopkg.in/yaml.v3 types them: <c>IDictionary&lt;string, object?&gt;</c>
/// maps, <c>List&lt;object?&gt;</c> lists, and long, ulong, double, bool, string, DateTimeOffset or null scalars; null
/// for an empty document. Throws on invalid YAML (the message becomes fromYaml's <c>Error</c> entry). The library has
/// no YAML reader of its own: the host supplies one to <see cref="HelmFunctions.Register(GoFunctionTable, GoYamlDecoder?)"/>.
/// </summary>
public delegate object? GoYamlDecoder(string text);

/// <summary>
/// Helm v3's template functions (pkg/engine/funcs.go): sprig v3 without <c>env</c>/<c>expandenv</c>, plus toToml,
/// fromToml, toYaml, fromYaml, toJson, fromJson, include, tpl, required, fail and lookup (always an empty map, as in a client-less render).
/// </summary>
public static class HelmFunctions
{
    /// <summary>
    /// Registers the whole Helm function set (sprig v3 included) into <paramref name="table"/>. Without
    /// <paramref name="decodeYaml"/>, fromYaml and fromYamlArray fail: this library reads no YAML itself.
    /// </summary>
    public static GoFunctionTable Register(GoFunctionTable table, GoYamlDecoder? decodeYaml = null) =>
        Register(table, SprigEnvironment.System, decodeYaml);

    public static GoFunctionTable Register(GoFunctionTable table, SprigEnvironment environment, GoYamlDecoder? decodeYaml = null)
    {
        SprigFunctions.Register(table, SprigVersion.V3, environment);
        table.Remove("env");
        table.Remove("expandenv");
        var s = GoType.String;
        var any = GoType.Any;
        table.Add("toYaml", (_, a) => TryYaml(a[0], false), [any]);
        table.Add("toYamlPretty", (_, a) => TryYaml(a[0], true), [any]);
        table.Add("fromYaml", (_, a) => FromYaml((string)a[0]!, array: false, decodeYaml), [s]);
        table.Add("fromYamlArray", (_, a) => FromYaml((string)a[0]!, array: true, decodeYaml), [s]);
        table.Add("toToml", (_, a) => ToToml(a[0]), [any]);
        table.Add("fromToml", (_, a) => FromToml((string)a[0]!), [s]);
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

    private static object FromYaml(string text, bool array, GoYamlDecoder? decode)
    {
        if (decode is null)
        {
            throw new GoFunctionException("no YAML decoder was given to HelmFunctions.Register");
        }

        object? value;
        try
        {
            value = GoYaml.Unmarshal(text, decode);
        }
        catch (Exception e) when (e is not GoFunctionException)
        {
            return ErrorResult(array, "error converting YAML to JSON: " + e.Message);
        }
        // sigs.k8s.io/yaml decodes the converted JSON with its own wrapping of the decoder's error.
        return Shape(value, array, "error unmarshaling JSON: while decoding JSON: ");
    }

    private static object FromJson(string text, bool array)
    {
        // Go's decoder checks the top-level type before it decodes anything inside.
        var kind = GoJson.TopLevelKind(text);
        if (GoJsonSyntax.Check(text) is null && kind != "null" && kind != (array ? "array" : "object"))
        {
            return TypeMismatch(kind, array, "");
        }

        if (GoJson.TryUnmarshal(text, out var value, out var error))
        {
            return Shape(value, array, "");
        }
        // Helm adds the error to what was decoded into its map; its list is replaced.
        if (!array && value is Dictionary<string, object?> partial)
        {
            partial["Error"] = error;
            return partial;
        }
        return ErrorResult(array, error!);
    }

    private static object Shape(object? value, bool array, string errorPrefix)
    {
        if (array)
        {
            if (value is null)
            {
                return new List<object?>();
            }

            return value as List<object?> ?? TypeMismatch(JsonKind(value), true, errorPrefix);
        }
        if (value is null)
        {
            return new Dictionary<string, object?>(StringComparer.Ordinal);
        }

        return value as Dictionary<string, object?> ?? TypeMismatch(JsonKind(value), false, errorPrefix);
    }

    private static object TypeMismatch(string jsonKind, bool array, string errorPrefix) => ErrorResult(array,
        $"{errorPrefix}json: cannot unmarshal {jsonKind} into Go value of type {(array ? "[]interface {}" : "map[string]interface {}")}");

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
        var set = ctx.Template.Clone();
        const string tplName = "tpl";
        set.Parse(tplName, text);
        return ctx.ExecuteTemplateIn(set, tplName, data).Replace("<no value>", "", StringComparison.Ordinal);
    }

    /// <summary>Helm returns the encoder's error text as the result.</summary>
    private static string ToToml(object? value)
    {
        try
        {
            return GoToml.Marshal(value);
        }
        catch (GoFunctionException e)
        {
            return e.Message;
        }
    }

    private static Dictionary<string, object?> FromToml(string text)
    {
        try
        {
            return GoToml.Unmarshal(text);
        }
        catch (GoFunctionException e)
        {
            return new Dictionary<string, object?>(StringComparer.Ordinal) { ["Error"] = e.Message };
        }
    }
}
