using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using LxdCompose.Yaml;
using Scriban.Runtime;

namespace LxdCompose.Templating.Scriban;

/// <summary>
/// A useful subset of sprig for Scriban templates, as the global <c>sprig</c>. Scriban passes a piped value as the
/// FIRST argument, so each function takes the value it works on first: <c>x | sprig.default "d"</c> reads as the sprig
/// pipe <c>x | default "d"</c> does, and so do <c>indent</c>, <c>nindent</c>, <c>join</c>, <c>trimPrefix</c>, ...
/// "Empty" follows sprig: null, false, 0, "" and empty lists or maps.
/// </summary>
internal static class SprigFunctions
{
    public static ScriptObject Create()
    {
        var helpers = new ScriptObject(StringComparer.Ordinal);
        helpers.Import("default", new Func<object?, object?, object?>((value, fallback) => IsEmpty(value) ? fallback : value));
        helpers.Import("empty", new Func<object?, bool>(IsEmpty));
        helpers.Import("ternary", new Func<object?, object?, object?, object?>((test, whenTrue, whenFalse) =>
            IsEmpty(test) ? whenFalse : whenTrue));
        helpers.Import("required", new Func<object?, string, object?>((value, message) =>
            value is null || value is string { Length: 0 } ? throw new InvalidOperationException(message) : value));
        helpers.Import("quote", new Func<object?, string>(value => value is null ? string.Empty : TemplateDataYaml.Quote(Text(value))));
        helpers.Import("squote", new Func<object?, string>(value => value is null ? string.Empty : "'" + Text(value) + "'"));
        helpers.Import("indent", new Func<object?, int, string>((value, width) => Indent(Text(value), width)));
        helpers.Import("nindent", new Func<object?, int, string>((value, width) => "\n" + Indent(Text(value), width)));
        helpers.Import("upper", new Func<object?, string>(value => Text(value).ToUpperInvariant()));
        helpers.Import("lower", new Func<object?, string>(value => Text(value).ToLowerInvariant()));
        helpers.Import("trim", new Func<object?, string>(value => Text(value).Trim()));
        helpers.Import("trimPrefix", new Func<object?, string, string>((value, prefix) =>
            Text(value) is var s && prefix.Length > 0 && s.StartsWith(prefix, StringComparison.Ordinal) ? s[prefix.Length..] : Text(value)));
        helpers.Import("trimSuffix", new Func<object?, string, string>((value, suffix) =>
            Text(value) is var s && suffix.Length > 0 && s.EndsWith(suffix, StringComparison.Ordinal) ? s[..^suffix.Length] : Text(value)));
        helpers.Import("replace", new Func<object?, string, string, string>((value, old, replacement) =>
            old.Length == 0 ? Text(value) : Text(value).Replace(old, replacement, StringComparison.Ordinal)));
        helpers.Import("contains", new Func<object?, string, bool>((value, part) => Text(value).Contains(part, StringComparison.Ordinal)));
        helpers.Import("hasPrefix", new Func<object?, string, bool>((value, prefix) => Text(value).StartsWith(prefix, StringComparison.Ordinal)));
        helpers.Import("hasSuffix", new Func<object?, string, bool>((value, suffix) => Text(value).EndsWith(suffix, StringComparison.Ordinal)));
        helpers.Import("join", new Func<object?, string, string>((list, separator) => string.Join(separator, Items(list).Select(Text))));
        helpers.Import("split", new Func<object?, string, ScriptArray>((value, separator) =>
            new ScriptArray(Text(value).Split(separator))));
        helpers.Import("toString", new Func<object?, string>(Text));
        helpers.Import("toJson", new Func<object?, string>(value => Json(value, indented: false)));
        helpers.Import("toPrettyJson", new Func<object?, string>(value => Json(value, indented: true)));
        helpers.Import("toYaml", new Func<object?, string>(value => TemplateDataYaml.Write(value).TrimEnd('\n')));
        helpers.Import("fromYaml", new Func<string, object?>(FromYaml));
        helpers.Import("fromJson", new Func<string, object?>(FromYaml));
        helpers.Import("b64enc", new Func<object?, string>(value => Convert.ToBase64String(Encoding.UTF8.GetBytes(Text(value)))));
        helpers.Import("b64dec", new Func<object?, string>(value => Encoding.UTF8.GetString(Convert.FromBase64String(Text(value)))));
        helpers.Import("until", new Func<int, ScriptArray>(count => new ScriptArray(Enumerable.Range(0, Math.Max(0, count)).Cast<object>())));
        helpers.Import("hasKey", new Func<object?, string, bool>((map, key) => map is IDictionary d && d.Contains(key)));
        helpers.Import("keys", new Func<object?, ScriptArray>(map =>
            new ScriptArray(map is IDictionary d ? d.Keys.Cast<object>().Select(k => Text(k)).Order(StringComparer.Ordinal) : Enumerable.Empty<string>())));
        helpers.Import("sortAlpha", new Func<object?, ScriptArray>(list =>
            new ScriptArray(Items(list).Select(Text).Order(StringComparer.Ordinal))));
        return helpers;
    }

    public static bool IsEmpty(object? value) => value switch
    {
        null => true,
        bool b => !b,
        string s => s.Length == 0,
        int or long or short or sbyte or byte or uint or ulong or ushort => Convert.ToDecimal(value, CultureInfo.InvariantCulture) == 0,
        double d => d == 0,
        float f => f == 0,
        decimal m => m == 0,
        ICollection c => c.Count == 0,
        _ => false,
    };

    /// <summary>A value as text; lists and maps as JSON (sprig prints Go syntax, which nobody wants in a file).</summary>
    private static string Text(object? value) => value switch
    {
        null => string.Empty,
        string s => s,
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IDictionary or IList => Json(value, indented: false),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static IEnumerable<object?> Items(object? list) => list switch
    {
        null => Enumerable.Empty<object?>(),
        string s => new object?[] { s },
        IEnumerable e => e.Cast<object?>(),
        _ => new[] { list },
    };

    /// <summary>sprig's indent: every line, empty ones included, gets the padding.</summary>
    private static string Indent(string text, int width)
    {
        var pad = new string(' ', Math.Max(0, width));
        return pad + text.Replace("\n", "\n" + pad, StringComparison.Ordinal);
    }

    private static string Json(object? value, bool indented)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented }))
        {
            WriteJson(writer, RenderValueTree.Normalize(value));
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteJson(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case long l: writer.WriteNumberValue(l); break;
            case ulong u: writer.WriteNumberValue(u); break;
            case double d: writer.WriteNumberValue(d); break;
            case string s: writer.WriteStringValue(s); break;
            case DateTimeOffset t: writer.WriteStringValue(t); break;
            case IReadOnlyDictionary<string, object?> map:
                writer.WriteStartObject();
                foreach (var (key, item) in map)
                {
                    writer.WritePropertyName(key);
                    WriteJson(writer, item);
                }

                writer.WriteEndObject();
                break;
            case IList<object?> list:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    WriteJson(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteStringValue(Text(value));
                break;
        }
    }

    /// <summary>YAML (JSON is YAML) to values with yaml.v3 typing.</summary>
    private static object? FromYaml(string text)
    {
        var root = YamlTreeReader.Parse(text, "<fromYaml>");
        return root is null ? null : ScribanTemplates.ToScript(YamlScalarTyping.ToValue(root));
    }
}
