// Port of yaml.go (sigs.k8s.io/yaml) and the emitter of gopkg.in/yaml.v2 (the versions Helm v3.19.5 builds with; not pinned down).
using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace LxdCompose.GoTemplates.Functions;

/// <summary>
/// sigs.k8s.io/yaml's Marshal as Helm's toYaml uses it: the value goes through encoding/json, then yaml.v2 emits it
/// (natural key order, 2-space indent, unindented sequences under keys, quoting of strings that would resolve to
/// another type, 80-column folding of plain and quoted scalars, literal blocks for multi-line strings).
/// </summary>
internal static partial class GoYaml
{
    private const int BestWidth = 80;

    public static string Marshal(object? value, bool indentSequences = false)
    {
        var json = GoJson.Marshal(value, false, false);
        using var doc = JsonDocument.Parse(json);
        var sb = new StringBuilder();
        var node = FromJson(doc.RootElement);
        if (node is IDictionary<string, object?> { Count: > 0 } or List<object?> { Count: > 0 })
        {
            WriteBlock(sb, node, 0, indentSequences);
        }
        else
        {
            WriteFlowOrScalar(sb, node, 0);
            sb.Append('\n');
        }
        return sb.ToString();
    }

    private static object? FromJson(JsonElement e) => StackGuard.Ensure(e).ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().GroupBy(p => p.Name).ToDictionary(g => g.Key, g => FromJson(g.Last().Value), StringComparer.Ordinal),
        JsonValueKind.Array => e.EnumerateArray().Select(FromJson).ToList(),
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => long.TryParse(e.GetRawText(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)
            ? (object)l : double.Parse(e.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static void WriteBlock(StringBuilder sb, object? node, int indent, bool indentSequences)
    {
        switch (node)
        {
            case IDictionary<string, object?> map:
                foreach (var key in map.Keys.OrderBy(k => k, NaturalKeyComparer.Instance))
                {
                    sb.Append(' ', indent);
                    WriteScalarString(sb, key, indent, isKey: true);
                    sb.Append(':');
                    WriteValue(sb, map[key], indent, indentSequences, inSequence: false);
                }
                break;
            case List<object?> list:
                foreach (var item in list)
                {
                    sb.Append(' ', indent);
                    sb.Append('-');
                    WriteValue(sb, item, indent, indentSequences, inSequence: true);
                }
                break;
        }
    }

    private static void WriteValue(StringBuilder sb, object? value, int indent, bool indentSequences, bool inSequence)
    {
        switch (value)
        {
            case IDictionary<string, object?> { Count: > 0 } m:
                if (inSequence)
                {
                    // "- key: value" with following keys aligned after the dash
                    sb.Append(' ');
                    var inner = new StringBuilder();
                    WriteBlock(inner, m, indent + 2, indentSequences);
                    sb.Append(inner.ToString(indent + 2, inner.Length - indent - 2));
                }
                else
                {
                    sb.Append('\n');
                    WriteBlock(sb, m, indent + 2, indentSequences);
                }
                return;
            case List<object?> { Count: > 0 } l:
                if (inSequence)
                {
                    sb.Append(' ');
                    var inner = new StringBuilder();
                    WriteBlock(inner, l, indent + 2, indentSequences);
                    sb.Append(inner.ToString(indent + 2, inner.Length - indent - 2));
                }
                else
                {
                    sb.Append('\n');
                    WriteBlock(sb, l, indentSequences ? indent + 2 : indent, indentSequences);
                }
                return;
            default:
                sb.Append(' ');
                WriteFlowOrScalar(sb, value, indent + 2);
                sb.Append('\n');
                return;
        }
    }

    private static void WriteFlowOrScalar(StringBuilder sb, object? value, int indent)
    {
        switch (value)
        {
            case null:
                sb.Append("null");
                break;
            case bool b:
                sb.Append(b ? "true" : "false");
                break;
            case long l:
                sb.Append(l.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                sb.Append(double.IsPositiveInfinity(d) ? ".inf" : double.IsNegativeInfinity(d) ? "-.inf" : double.IsNaN(d) ? ".nan" : GoFloat.Format(d, 'g', -1, 64));
                break;
            case string s:
                WriteScalarString(sb, s, indent, isKey: false);
                break;
            case IDictionary:
                sb.Append("{}");
                break;
            case IList:
                sb.Append("[]");
                break;
        }
    }

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex YamlFloat();

    [GeneratedRegex(@"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")]
    private static partial Regex Base60Float();

    [GeneratedRegex(@"^[-+]?(0b[01_]+|0x[0-9a-fA-F_]+|0[0-7_]*|[1-9][0-9_]*|0)$")]
    private static partial Regex YamlInt();

    [GeneratedRegex(@"^\d{4}-\d{1,2}-\d{1,2}([Tt ]|$)")]
    private static partial Regex YamlTimestamp();

    private static readonly HashSet<string> NonStringWords = new(StringComparer.Ordinal)
    {
        "", "~", "null", "Null", "NULL", "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE",
        "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF",
        "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN", "<<",
    };

    /// <summary>Whether yaml.v2 would read the plain text as something other than a string.</summary>
    private static bool ResolvesToNonString(string s)
    {
        if (NonStringWords.Contains(s))
        {
            return true;
        }

        if (YamlInt().IsMatch(s) || YamlFloat().IsMatch(s) || Base60Float().IsMatch(s))
        {
            return true;
        }

        return YamlTimestamp().IsMatch(s) && GoTime.TryParse("2006-1-2", s.Length >= 10 ? s[..10] : s, TimeZoneInfo.Utc, out _, out _);
    }

    private static bool PlainAllowed(string s)
    {
        if (s.Length == 0)
        {
            return false;
        }

        if (s[0] is ' ' or '\t' || s[^1] is ' ' or '\t')
        {
            return false;
        }

        if ("#,[]{}&*!|>'\"%@`".Contains(s[0]))
        {
            return false;
        }

        if (s[0] is '?' or ':' or '-' && (s.Length == 1 || s[1] is ' ' or '\t'))
        {
            return false;
        }

        if (s[0] is '?' or ':')
        {
            return false;
        }

        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c == ':' && (i + 1 == s.Length || s[i + 1] is ' ' or '\t'))
            {
                return false;
            }

            if (c == '#' && i > 0 && s[i - 1] is ' ' or '\t')
            {
                return false;
            }

            if (c < 0x20 && c != '\t' || c is '\u007f' or '\ufeff' || (c >= 0x80 && c < 0xA0))
            {
                return false;
            }

            if (c == '\t')
            {
                return false;
            }
        }
        return true;
    }

    private static void WriteScalarString(StringBuilder sb, string s, int indent, bool isKey)
    {
        if (s.Contains('\n') && !isKey && !s.Any(c => c < 0x20 && c is not '\n' and not '\t') && !HasSpaceBreak(s))
        {
            WriteLiteral(sb, s, indent);
            return;
        }
        bool canPlain = !ResolvesToNonString(s) && !s.Contains('\n');
        if (canPlain && PlainAllowed(s))
        {
            WriteFolded(sb, s, indent, "", "");
            return;
        }
        if (canPlain && !s.Any(c => c < 0x20 || c is '\u007f' or '\ufeff'))
        {
            WriteFolded(sb, s.Replace("'", "''", StringComparison.Ordinal), indent, "'", "'");
            return;
        }
        WriteDoubleQuoted(sb, s);
    }

    private static bool HasSpaceBreak(string s) =>
        s.Contains(" \n", StringComparison.Ordinal) || s.StartsWith(' ') && false || s.EndsWith(' ');

    /// <summary>Plain and single-quoted scalars fold at a single space once the line passes 80 columns.</summary>
    private static void WriteFolded(StringBuilder sb, string s, int indent, string open, string close)
    {
        int lineStart = sb.ToString().LastIndexOf('\n') + 1;
        int column = sb.Length - lineStart;
        sb.Append(open);
        column += open.Length;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c == ' ' && column > BestWidth && i + 1 < s.Length && s[i + 1] != ' ' && i > 0 && s[i - 1] != ' ')
            {
                sb.Append('\n').Append(' ', indent);
                column = indent;
                continue;
            }
            sb.Append(c);
            column++;
        }
        sb.Append(close);
    }

    private static void WriteDoubleQuoted(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var rune in s.EnumerateRunes())
        {
            int c = rune.Value;
            switch (c)
            {
                case '"':
                    sb.Append("\\\"");
                    break;
                case '\\':
                    sb.Append("\\\\");
                    break;
                case 0:
                    sb.Append("\\0");
                    break;
                case 7:
                    sb.Append("\\a");
                    break;
                case 8:
                    sb.Append("\\b");
                    break;
                case 9:
                    sb.Append("\\t");
                    break;
                case 10:
                    sb.Append("\\n");
                    break;
                case 11:
                    sb.Append("\\v");
                    break;
                case 12:
                    sb.Append("\\f");
                    break;
                case 13:
                    sb.Append("\\r");
                    break;
                case 0x1b:
                    sb.Append("\\e");
                    break;
                case 0x85:
                    sb.Append("\\N");
                    break;
                case 0xA0:
                    sb.Append("\\_");
                    break;
                case 0x2028:
                    sb.Append("\\L");
                    break;
                case 0x2029:
                    sb.Append("\\P");
                    break;
                default:
                    if (c < 0x20 || c is 0x7f or 0xfeff || c is >= 0x80 and < 0xA0)
                    {
                        sb.Append("\\x").Append(c.ToString("X2", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(rune.ToString());
                    }

                    break;
            }
        }
        sb.Append('"');
    }

    private static void WriteLiteral(StringBuilder sb, string s, int indent)
    {
        sb.Append('|');
        if (s[0] is ' ' or '\n')
        {
            sb.Append('2');
        }

        if (!s.EndsWith('\n'))
        {
            sb.Append('-');
        }
        else if (s.Length >= 2 && s[^2] == '\n')
        {
            sb.Append('+');
        }

        var body = s.EndsWith('\n') ? s[..^1] : s;
        foreach (var line in body.Split('\n'))
        {
            sb.Append('\n');
            if (line.Length > 0)
            {
                sb.Append(' ', indent).Append(line);
            }
        }
    }

    /// <summary>yaml.v2's keyList ordering: letters before digits, digit runs compared as numbers.</summary>
    private sealed class NaturalKeyComparer : IComparer<string>
    {
        public static readonly NaturalKeyComparer Instance = new();

        public int Compare(string? x, string? y)
        {
            if (Less(x!, y!))
            {
                return -1;
            }

            if (Less(y!, x!))
            {
                return 1;
            }

            return 0;
        }

        private static bool Less(string a, string b)
        {
            var ar = a.EnumerateRunes().Select(r => r.Value).ToArray();
            var br = b.EnumerateRunes().Select(r => r.Value).ToArray();
            for (int i = 0; i < ar.Length && i < br.Length; i++)
            {
                if (ar[i] == br[i])
                {
                    continue;
                }

                bool al = Rune.IsLetter(new Rune(ar[i])), bl = Rune.IsLetter(new Rune(br[i]));
                if (al && bl)
                {
                    return ar[i] < br[i];
                }

                if (al || bl)
                {
                    return bl;
                }

                long an = 0, bn = 0;
                int ai, bi;
                if (ar[i] == '0' || br[i] == '0')
                {
                    for (int j = i - 1; j >= 0 && ar[j] is >= '0' and <= '9'; j--)
                    {
                        if (ar[j] != '0')
                        {
                            an = 1;
                            bn = 1;
                            break;
                        }
                    }
                }
                for (ai = i; ai < ar.Length && ar[ai] is >= '0' and <= '9'; ai++)
                {
                    an = an * 10 + (ar[ai] - '0');
                }

                for (bi = i; bi < br.Length && br[bi] is >= '0' and <= '9'; bi++)
                {
                    bn = bn * 10 + (br[bi] - '0');
                }

                if (an != bn)
                {
                    return an < bn;
                }

                if (ai != bi)
                {
                    return ai < bi;
                }

                return ar[i] < br[i];
            }
            return ar.Length < br.Length;
        }
    }

    /// <summary>
    /// sigs.k8s.io/yaml Unmarshal into interface{}: YAML read by <paramref name="decode"/>, then passed through JSON
    /// (numbers become float64).
    /// </summary>
    public static object? Unmarshal(string text, GoYamlDecoder decode) => ThroughJson(decode(text));

    private static object? ThroughJson(object? v) => StackGuard.Ensure(v) switch
    {
        IDictionary<string, object?> d => d.ToDictionary(kv => kv.Key, kv => ThroughJson(kv.Value), StringComparer.Ordinal),
        // JSON objects have string keys: sigs.k8s.io/yaml writes other YAML keys (10, true) as their text.
        IDictionary<object, object?> general => general.ToDictionary(kv => GoFormat.Sprint([kv.Key]), kv => ThroughJson(kv.Value), StringComparer.Ordinal),
        IList l => l.Cast<object?>().Select(ThroughJson).ToList(),
        long l => (double)l,
        ulong u => (double)u,
        DateTimeOffset t => GoJson.Marshal(t, false, false).Trim('"'),
        _ => v,
    };
}
