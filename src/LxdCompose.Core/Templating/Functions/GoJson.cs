using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using LxdCompose.Templating.GoTemplates;

namespace LxdCompose.Templating.Functions;

/// <summary>Go's encoding/json for template values: Marshal (sorted keys, HTML escaping, Go float forms) and Unmarshal into interface{}.</summary>
internal static class GoJson
{
    public static bool TryMarshal(object? value, bool indent, bool escapeHtml, out string json)
    {
        try
        {
            json = Marshal(value, indent, escapeHtml);
            return true;
        }
        catch (GoFunctionException)
        {
            json = "";
            return false;
        }
    }

    public static string Marshal(object? value, bool indent, bool escapeHtml)
    {
        var sb = new StringBuilder();
        Write(sb, SprigValues.Unwrap(value), indent, escapeHtml, 0);
        return sb.ToString();
    }

    private static void NewLine(StringBuilder sb, bool indent, int depth)
    {
        if (!indent) return;
        sb.Append('\n');
        sb.Append(' ', depth * 2);
    }

    private static void Write(StringBuilder sb, object? v, bool indent, bool html, int depth)
    {
        StackGuard.Check();
        switch (v)
        {
            case null or GoMissing: sb.Append("null"); return;
            case GoPointer pointer: Write(sb, pointer.Target, indent, html, depth); return;
            case string s: WriteString(sb, s, html); return;
            case bool b: sb.Append(b ? "true" : "false"); return;
            case long or int or short or sbyte or ulong or uint or ushort or byte:
                sb.Append(System.Convert.ToString(v, CultureInfo.InvariantCulture)); return;
            case double d: sb.Append(FormatFloat(d, 64)); return;
            case float f: sb.Append(FormatFloat(f, 32)); return;
            case DateTimeOffset t: WriteString(sb, t.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", CultureInfo.InvariantCulture).Replace("+00:00", "Z", StringComparison.Ordinal), html); return;
            case byte[] bytes: WriteString(sb, System.Convert.ToBase64String(bytes), html); return;
            case IDictionary<object, object?> general:
                // YAML maps with non-string keys are map[interface{}]interface{}, which encoding/json refuses.
                throw new GoFunctionException("json: unsupported type: " + GoValues.TypeName(general));
            case IDictionary map:
            {
                if (map.Count == 0) { sb.Append("{}"); return; }
                var entries = new List<(string Key, object? Value)>(map.Count);
                foreach (DictionaryEntry e in map) entries.Add((System.Convert.ToString(e.Key, CultureInfo.InvariantCulture) ?? "", e.Value));
                entries.Sort((x, y) => string.CompareOrdinal(x.Key, y.Key));
                sb.Append('{');
                for (int i = 0; i < entries.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    NewLine(sb, indent, depth + 1);
                    WriteString(sb, entries[i].Key, html);
                    sb.Append(indent ? ": " : ":");
                    Write(sb, entries[i].Value, indent, html, depth + 1);
                }
                NewLine(sb, indent, depth);
                sb.Append('}');
                return;
            }
            case IList list:
            {
                if (list.Count == 0) { sb.Append("[]"); return; }
                sb.Append('[');
                for (int i = 0; i < list.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    NewLine(sb, indent, depth + 1);
                    Write(sb, list[i], indent, html, depth + 1);
                }
                NewLine(sb, indent, depth);
                sb.Append(']');
                return;
            }
            case GoFunction or Delegate:
                throw new GoFunctionException("json: unsupported type: func");
        }
        // Structs: exported fields in declaration order.
        var props = v.GetType().GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0).ToList();
        sb.Append('{');
        for (int i = 0; i < props.Count; i++)
        {
            if (i > 0) sb.Append(',');
            NewLine(sb, indent, depth + 1);
            WriteString(sb, props[i].Name, html);
            sb.Append(indent ? ": " : ":");
            Write(sb, props[i].GetValue(v), indent, html, depth + 1);
        }
        if (props.Count > 0) NewLine(sb, indent, depth);
        sb.Append('}');
    }

    /// <summary>encoding/json float formatting: %f-like for 1e-6 &lt;= |f| &lt; 1e21, else exponent form with a short exponent.</summary>
    public static string FormatFloat(double f, int bits)
    {
        if (double.IsNaN(f) || double.IsInfinity(f))
            throw new GoFunctionException("json: unsupported value: " + GoFormat.Sprint([f]));
        double abs = Math.Abs(f);
        bool exp = abs != 0 && (bits == 64 ? abs < 1e-6 || abs >= 1e21 : (float)abs < 1e-6f || (float)abs >= 1e21f);
        if (!exp)
        {
            if (f == 0) return (1 / f) < 0 ? "-0" : "0";
            return GoFloat.Format(f, 'f', -1, bits);
        }
        string s = GoFloat.Format(f, 'e', -1, bits);
        // clean up e-09 to e-9
        int n = s.Length;
        if (n >= 4 && s[n - 4] == 'e' && s[n - 3] == '-' && s[n - 2] == '0') s = s[..(n - 2)] + s[(n - 1)..];
        return s;
    }

    private static void WriteString(StringBuilder sb, string s, bool html)
    {
        sb.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '<' or '>' or '&' when html:
                case '\u2028' or '\u2029':
                    sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default:
                    if (c < 0x20) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }

    /// <summary>json.Unmarshal into interface{}: objects become maps, arrays lists, numbers float64.</summary>
    public static bool TryUnmarshal(string text, out object? value, out string? error)
    {
        value = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "unexpected end of JSON input";
            return false;
        }
        try
        {
            using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 10000 });
            value = FromElement(doc.RootElement);
            return true;
        }
        catch (JsonException e)
        {
            error = DescribeJsonError(text, e);
            return false;
        }
    }

    private static string DescribeJsonError(string text, JsonException e)
    {
        long pos = e.BytePositionInLine ?? 0;
        var lines = text.Split('\n');
        int line = (int)Math.Min(e.LineNumber ?? 0, lines.Length - 1);
        var lineText = lines[line];
        if (pos >= Encoding.UTF8.GetByteCount(lineText) && line == lines.Length - 1) return "unexpected end of JSON input";
        var bytes = Encoding.UTF8.GetBytes(lineText);
        char c = pos < bytes.Length ? (char)bytes[pos] : ' ';
        return $"invalid character '{c}' looking for beginning of value";
    }

    private static object? FromElement(JsonElement e) => StackGuard.Ensure(e).ValueKind switch
    {
        JsonValueKind.Object => ConvertObject(e),
        JsonValueKind.Array => e.EnumerateArray().Select(FromElement).ToList(),
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => double.Parse(e.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static Dictionary<string, object?> ConvertObject(JsonElement e)
    {
        var d = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var p in e.EnumerateObject()) d[p.Name] = FromElement(p.Value);
        return d;
    }
}
