// Port of src/encoding/json/encode.go and decode.go (Go 1.24).
using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LxdCompose.GoTemplates.Functions;

/// <summary>Go's encoding/json for template values: Marshal (sorted keys, HTML escaping, Go float forms) and Unmarshal into interface{}.</summary>
public static class GoJson
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
        if (!indent)
        {
            return;
        }

        sb.Append('\n');
        sb.Append(' ', depth * 2);
    }

    private static void Write(StringBuilder sb, object? v, bool indent, bool html, int depth)
    {
        StackGuard.Check();
        switch (v)
        {
            case null or GoMissing:
                sb.Append("null");
                return;
            case GoPointer pointer:
                Write(sb, pointer.Target, indent, html, depth);
                return;
            case string s:
                WriteString(sb, s, html);
                return;
            case bool b:
                sb.Append(b ? "true" : "false");
                return;
            case long or int or short or sbyte or ulong or uint or ushort or byte:
                sb.Append(System.Convert.ToString(v, CultureInfo.InvariantCulture));
                return;
            case double d:
                sb.Append(FormatFloat(d, 64));
                return;
            case float f:
                sb.Append(FormatFloat(f, 32));
                return;
            case DateTimeOffset t:
                WriteString(sb, t.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", CultureInfo.InvariantCulture).Replace("+00:00", "Z", StringComparison.Ordinal), html);
                return;
            case byte[] bytes:
                WriteString(sb, System.Convert.ToBase64String(bytes), html);
                return;
            case IDictionary<object, object?> general:
                // YAML maps with non-string keys are map[interface{}]interface{}, which encoding/json refuses.
                throw new GoFunctionException("json: unsupported type: " + GoValues.TypeName(general));
            case IDictionary map:
            {
                if (map.Count == 0)
                { sb.Append("{}"); return; }
                var entries = new List<(string Key, object? Value)>(map.Count);
                foreach (DictionaryEntry e in map)
                {
                    entries.Add((System.Convert.ToString(e.Key, CultureInfo.InvariantCulture) ?? "", e.Value));
                }

                entries.Sort((x, y) => string.CompareOrdinal(x.Key, y.Key));
                sb.Append('{');
                for (int i = 0; i < entries.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

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
                if (list.Count == 0)
                { sb.Append("[]"); return; }
                sb.Append('[');
                for (int i = 0; i < list.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

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
            if (i > 0)
            {
                sb.Append(',');
            }

            NewLine(sb, indent, depth + 1);
            WriteString(sb, props[i].Name, html);
            sb.Append(indent ? ": " : ":");
            Write(sb, props[i].GetValue(v), indent, html, depth + 1);
        }
        if (props.Count > 0)
        {
            NewLine(sb, indent, depth);
        }

        sb.Append('}');
    }

    /// <summary>encoding/json float formatting: %f-like for 1e-6 &lt;= |f| &lt; 1e21, else exponent form with a short exponent.</summary>
    internal static string FormatFloat(double f, int bits)
    {
        if (double.IsNaN(f) || double.IsInfinity(f))
        {
            throw new GoFunctionException("json: unsupported value: " + GoFormat.Sprint([f]));
        }

        double abs = Math.Abs(f);
        bool exp = abs != 0 && (bits == 64 ? abs < 1e-6 || abs >= 1e21 : (float)abs < 1e-6f || (float)abs >= 1e21f);
        if (!exp)
        {
            if (f == 0)
            {
                return (1 / f) < 0 ? "-0" : "0";
            }

            return GoFloat.Format(f, 'f', -1, bits);
        }
        string s = GoFloat.Format(f, 'e', -1, bits);
        // clean up e-09 to e-9
        int n = s.Length;
        if (n >= 4 && s[n - 4] == 'e' && s[n - 3] == '-' && s[n - 2] == '0')
        {
            s = s[..(n - 2)] + s[(n - 1)..];
        }

        return s;
    }

    private static void WriteString(StringBuilder sb, string s, bool html)
    {
        sb.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"':
                    sb.Append("\\\"");
                    break;
                case '\\':
                    sb.Append("\\\\");
                    break;
                case '\n':
                    sb.Append("\\n");
                    break;
                case '\r':
                    sb.Append("\\r");
                    break;
                case '\t':
                    sb.Append("\\t");
                    break;
                case '\b':
                    sb.Append("\\b");
                    break;
                case '\f':
                    sb.Append("\\f");
                    break;
                case '<' or '>' or '&' when html:
                case '\u2028' or '\u2029':
                    sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    if (c < 0x20)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }
        sb.Append('"');
    }

    /// <summary>
    /// json.Unmarshal into interface{}: objects become maps, arrays lists, numbers float64. On a syntax error the value
    /// is null; a number float64 cannot hold is stored as nil and its error reported while decoding goes on, so the
    /// value is what Go leaves behind (map[a:&lt;nil&gt;] for {"a":1e400}).
    /// </summary>
    public static bool TryUnmarshal(string text, out object? value, out string? error)
    {
        value = null;
        // Go checks the whole text before decoding, so its syntax error (with Go's wording) comes first.
        error = GoJsonSyntax.Check(text);
        if (error != null)
        {
            return false;
        }

        using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 10000 });
        var decoder = new Decoder();
        value = decoder.Decode(doc.RootElement);
        error = decoder.FirstError;
        return error == null;
    }

    /// <summary>The JSON type name encoding/json reports for the text's top-level value ("object", "number", ...).</summary>
    public static string TopLevelKind(string text) => text.TrimStart(' ', '\t', '\n', '\r') switch
    {
        ['{', ..] => "object",
        ['[', ..] => "array",
        ['"', ..] => "string",
        ['t', ..] or ['f', ..] => "bool",
        ['n', ..] => "null",
        _ => "number",
    };

    private sealed class Decoder
    {
        public string? FirstError { get; private set; }

        public object? Decode(JsonElement e) => StackGuard.Ensure(e).ValueKind switch
        {
            JsonValueKind.Object => DecodeObject(e),
            JsonValueKind.Array => e.EnumerateArray().Select(Decode).ToList(),
            JsonValueKind.String => e.GetString(),
            JsonValueKind.Number => DecodeNumber(e.GetRawText()),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => null,
        };

        private object? DecodeNumber(string text)
        {
            var number = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
            if (!double.IsInfinity(number))
            {
                return number;
            }
            // Go's decoder refuses what float64 cannot hold instead of rounding it to infinity, and keeps going.
            FirstError ??= $"json: cannot unmarshal number {text} into Go value of type float64";
            return null;
        }

        private Dictionary<string, object?> DecodeObject(JsonElement e)
        {
            var d = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var p in e.EnumerateObject())
            {
                d[p.Name] = Decode(p.Value);
            }

            return d;
        }
    }

}

/// <summary>
/// encoding/json's checkValid: walks the text as Go's scanner does and returns Go's syntax error text
/// ("invalid character 'b' looking for beginning of object key string", "unexpected end of JSON input"), or null.
/// </summary>
internal static class GoJsonSyntax
{
    private const string EndOfInput = "unexpected end of JSON input";

    private sealed class EndOfInputException : Exception;

    private sealed class InvalidCharacterException(byte c, string context) : Exception
    {
        public string Text { get; } = "invalid character " + QuoteChar(c) + " " + context;
    }

    public static string? Check(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        int i = 0;
        try
        {
            Value(bytes, ref i);
            SkipSpace(bytes, ref i);
            if (i < bytes.Length)
            {
                throw new InvalidCharacterException(bytes[i], "after top-level value");
            }

            return null;
        }
        catch (EndOfInputException)
        {
            return EndOfInput;
        }
        catch (InvalidCharacterException e)
        {
            return e.Text;
        }
    }

    private static void SkipSpace(byte[] b, ref int i)
    {
        while (i < b.Length && b[i] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
        {
            i++;
        }
    }

    private static byte Next(byte[] b, ref int i)
    {
        SkipSpace(b, ref i);
        return i < b.Length ? b[i] : throw new EndOfInputException();
    }

    private static void Value(byte[] b, ref int i)
    {
        StackGuard.Check();
        byte c = Next(b, ref i);
        switch (c)
        {
            case (byte)'{':
                Object(b, ref i);
                return;
            case (byte)'[':
                Array(b, ref i);
                return;
            case (byte)'"':
                String(b, ref i);
                return;
            case (byte)'-' or (>= (byte)'0' and <= (byte)'9'):
                Number(b, ref i);
                return;
            case (byte)'t':
                Literal(b, ref i, "true");
                return;
            case (byte)'f':
                Literal(b, ref i, "false");
                return;
            case (byte)'n':
                Literal(b, ref i, "null");
                return;
            default:
                throw new InvalidCharacterException(c, "looking for beginning of value");
        }
    }

    private static void Object(byte[] b, ref int i)
    {
        i++;
        if (Next(b, ref i) == '}')
        {
            i++;
            return;
        }
        while (true)
        {
            byte c = Next(b, ref i);
            if (c != '"')
            {
                throw new InvalidCharacterException(c, "looking for beginning of object key string");
            }

            String(b, ref i);
            c = Next(b, ref i);
            if (c != ':')
            {
                throw new InvalidCharacterException(c, "after object key");
            }

            i++;
            Value(b, ref i);
            c = Next(b, ref i);
            i++;
            if (c == '}')
            {
                return;
            }

            if (c != ',')
            {
                throw new InvalidCharacterException(c, "after object key:value pair");
            }
        }
    }

    private static void Array(byte[] b, ref int i)
    {
        i++;
        if (Next(b, ref i) == ']')
        {
            i++;
            return;
        }
        while (true)
        {
            Value(b, ref i);
            byte c = Next(b, ref i);
            i++;
            if (c == ']')
            {
                return;
            }

            if (c != ',')
            {
                throw new InvalidCharacterException(c, "after array element");
            }
        }
    }

    private static void String(byte[] b, ref int i)
    {
        i++;
        while (true)
        {
            byte c = At(b, i++);
            if (c == '"')
            {
                return;
            }

            if (c < 0x20)
            {
                throw new InvalidCharacterException(c, "in string literal");
            }

            if (c != '\\')
            {
                continue;
            }

            c = AtOrSpace(b, i++);
            if (c is (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t')
            {
                continue;
            }

            if (c != 'u')
            {
                throw new InvalidCharacterException(c, "in string escape code");
            }

            for (int k = 0; k < 4; k++)
            {
                c = AtOrSpace(b, i++);
                if (!char.IsAsciiHexDigit((char)c))
                {
                    throw new InvalidCharacterException(c, "in \\u hexadecimal character escape");
                }
            }
        }
    }

    private static void Number(byte[] b, ref int i)
    {
        if (b[i] == '-')
        {
            i++;
            byte first = AtOrSpace(b, i);
            if (first is < (byte)'0' or > (byte)'9')
            {
                throw new InvalidCharacterException(first, "in numeric literal");
            }
        }
        // A leading 0 stands alone: what follows it is judged by the enclosing value ("01" ends after 0).
        if (b[i] == '0')
        {
            i++;
        }
        else
        {
            Digits(b, ref i);
        }

        if (i < b.Length && b[i] == '.')
        {
            i++;
            byte c = AtOrSpace(b, i);
            if (c is < (byte)'0' or > (byte)'9')
            {
                throw new InvalidCharacterException(c, "after decimal point in numeric literal");
            }

            Digits(b, ref i);
        }
        if (i < b.Length && b[i] is (byte)'e' or (byte)'E')
        {
            i++;
            byte c = AtOrSpace(b, i);
            if (c is (byte)'+' or (byte)'-')
            {
                i++;
                c = AtOrSpace(b, i);
            }
            if (c is < (byte)'0' or > (byte)'9')
            {
                throw new InvalidCharacterException(c, "in exponent of numeric literal");
            }

            Digits(b, ref i);
        }
    }

    private static void Digits(byte[] b, ref int i)
    {
        while (i < b.Length && b[i] is >= (byte)'0' and <= (byte)'9')
        {
            i++;
        }
    }

    private static void Literal(byte[] b, ref int i, string word)
    {
        i++;
        for (int k = 1; k < word.Length; k++, i++)
        {
            byte c = AtOrSpace(b, i);
            if (c != word[k])
            {
                throw new InvalidCharacterException(c, $"in literal {word} (expecting {QuoteChar((byte)word[k])})");
            }
        }
    }

    private static byte At(byte[] b, int i) => i < b.Length ? b[i] : throw new EndOfInputException();

    // Go ends a scan by stepping a space: inside a number, literal or escape that space is the invalid character.
    private static byte AtOrSpace(byte[] b, int i) => i < b.Length ? b[i] : (byte)' ';

    /// <summary>encoding/json's quoteChar: the byte as a Go rune literal.</summary>
    private static string QuoteChar(byte c)
    {
        if (c == '\'')
        {
            return @"'\''";
        }

        if (c == '"')
        {
            return "'\"'";
        }

        var quoted = GoFormat.Quote(((char)c).ToString());
        return "'" + quoted[1..^1] + "'";
    }
}
