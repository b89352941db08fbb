using System.Globalization;
using System.Text.RegularExpressions;

namespace LxdCompose.Yaml;

/// <summary>
/// Implicit typing of YAML scalars exactly as gopkg.in/yaml.v3 resolves them when decoding into interface{}
/// (what lxd-compose does for variables): YAML 1.2 core schema plus yaml.v3's extras — base prefixes via Go's
/// ParseInt(s, 0, 64) (so <c>017</c> is 15), underscores ignored, huge ints unsigned, unquoted dates as timestamps;
/// <c>yes</c>/<c>on</c>/<c>no</c> stay strings.
/// </summary>
public static partial class YamlScalarTyping
{
    private const string TagPrefix = "tag:yaml.org,2002:";

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex YamlStyleFloat();

    private static readonly string[] NullWords = { "", "~", "null", "Null", "NULL" };
    private static readonly string[] TrueWords = { "true", "True", "TRUE" };
    private static readonly string[] FalseWords = { "false", "False", "FALSE" };
    // YAML 1.1 booleans that yaml.v3 accepts only when the target field is a bool.
    private static readonly string[] LegacyTrue = { "y", "Y", "yes", "Yes", "YES", "on", "On", "ON" };
    private static readonly string[] LegacyFalse = { "n", "N", "no", "No", "NO", "off", "Off", "OFF" };

    public static bool IsNull(YamlScalar s) =>
        s.Tag == TagPrefix + "null" || (s.IsPlain && NullWords.Contains(s.Value, StringComparer.Ordinal));

    /// <summary>The typed value of a scalar: null, string, bool, long, ulong, double or DateTimeOffset.</summary>
    public static object? Resolve(YamlScalar s)
    {
        switch (s.Tag)
        {
            case TagPrefix + "str":
                return s.Value;
            case TagPrefix + "null":
                return null;
            case TagPrefix + "bool":
                return ParseBool(s.Value, legacy: false) ?? (object)s.Value;
            case TagPrefix + "int":
                return ParseInteger(s.Value) ?? (object)s.Value;
            case TagPrefix + "float":
                return ParseInteger(s.Value) is { } i ? Convert.ToDouble(i, CultureInfo.InvariantCulture)
                    : ParseFloat(s.Value) ?? (object)s.Value;
            case TagPrefix + "timestamp":
                return ParseTimestamp(s.Value) ?? (object)s.Value;
        }

        if (!s.IsPlain || s.Tag.Length > 0)
        {
            return s.Value;
        }

        var v = s.Value;
        if (NullWords.Contains(v, StringComparer.Ordinal))
        {
            return null;
        }

        if (ParseBool(v, legacy: false) is { } b)
        {
            return b;
        }

        switch (SpecialFloat(v))
        {
            case { } special:
                return special;
        }

        var c = v[0];
        if (c is (>= '0' and <= '9') or '-' or '+' or '.')
        {
            if (c != '.' && ParseTimestamp(v) is { } ts)
            {
                return ts;
            }

            if (ParseInteger(v) is { } integer)
            {
                return integer;
            }

            if (ParseFloat(v) is { } f)
            {
                return f;
            }
        }

        return v;
    }

    /// <summary>Bool for a bool-typed field: YAML 1.2 words, plus the YAML 1.1 words when <paramref name="legacy"/>.</summary>
    public static bool? ParseBool(string v, bool legacy)
    {
        if (TrueWords.Contains(v, StringComparer.Ordinal) || (legacy && LegacyTrue.Contains(v, StringComparer.Ordinal)))
        {
            return true;
        }

        if (FalseWords.Contains(v, StringComparer.Ordinal) || (legacy && LegacyFalse.Contains(v, StringComparer.Ordinal)))
        {
            return false;
        }

        return null;
    }

    /// <summary>Go's strconv.ParseInt(s, 0, 64) then ParseUint, after removing underscores: long or ulong.</summary>
    public static object? ParseInteger(string text)
    {
        var plain = text.Replace("_", string.Empty, StringComparison.Ordinal);
        var negative = false;
        var body = plain;
        if (body.StartsWith('-') || body.StartsWith('+'))
        {
            negative = body[0] == '-';
            body = body[1..];
        }

        if (body.Length == 0)
        {
            return null;
        }

        int radix = 10;
        if (body.Length > 1 && body[0] == '0')
        {
            switch (body[1])
            {
                case 'x' or 'X':
                    radix = 16;
                    body = body[2..];
                    break;
                case 'o' or 'O':
                    radix = 8;
                    body = body[2..];
                    break;
                case 'b' or 'B':
                    radix = 2;
                    body = body[2..];
                    break;
                default:
                    radix = 8;
                    body = body[1..];
                    break;
            }
        }

        if (body.Length == 0)
        {
            return null;
        }

        System.Numerics.BigInteger value = 0;
        foreach (var ch in body)
        {
            var digit = ch switch
            {
                >= '0' and <= '9' => ch - '0',
                >= 'a' and <= 'f' => ch - 'a' + 10,
                >= 'A' and <= 'F' => ch - 'A' + 10,
                _ => 99,
            };
            if (digit >= radix)
            {
                return null;
            }

            value = value * radix + digit;
        }

        if (negative)
        {
            value = -value;
        }

        if (value >= long.MinValue && value <= long.MaxValue)
        {
            return (long)value;
        }

        if (!negative && value <= ulong.MaxValue)
        {
            return (ulong)value;
        }

        return null;
    }

    private static object? SpecialFloat(string v) => v switch
    {
        ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF" => double.PositiveInfinity,
        "-.inf" or "-.Inf" or "-.INF" => double.NegativeInfinity,
        ".nan" or ".NaN" or ".NAN" => double.NaN,
        _ => null,
    };

    private static double? ParseFloat(string text)
    {
        if (SpecialFloat(text) is double special)
        {
            return special;
        }

        var plain = text.Replace("_", string.Empty, StringComparison.Ordinal);
        if (!YamlStyleFloat().IsMatch(plain))
        {
            return null;
        }

        return double.TryParse(plain, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;
    }

    private static readonly string[] TimestampFormats =
    {
        "yyyy-M-d'T'H:m:s.FFFFFFFK", "yyyy-M-d't'H:m:s.FFFFFFFK", "yyyy-M-d H:m:s.FFFFFFF", "yyyy-M-d",
        "yyyy-M-d H:m:s.FFFFFFFK",
    };

    /// <summary>yaml.v3 timestamps: only strings that start with four digits and a dash are tried.</summary>
    public static DateTimeOffset? ParseTimestamp(string s)
    {
        if (s.Length < 5 || s[4] != '-' || !s.AsSpan(0, 4).ToString().All(char.IsAsciiDigit))
        {
            return null;
        }

        return DateTimeOffset.TryParseExact(s, TimestampFormats, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : null;
    }

    /// <summary>
    /// Converts a node to plain .NET values: scalars typed, lists as List, maps as ordered Dictionary. A map whose keys
    /// are all strings is string-keyed; one with any other key (<c>{10: ten, 9: nine}</c>) keeps its typed keys in a
    /// <c>Dictionary&lt;object, object?&gt;</c>, as yaml.v3 decodes it into <c>map[interface{}]interface{}</c>. A null
    /// key (which .NET maps cannot hold) is kept as its text.
    /// </summary>
    public static object? ToValue(YamlNode node) => StackGuard.Ensure(node) switch
    {
        YamlScalar s => Resolve(s),
        YamlSequence seq => seq.Items.Select(ToValue).ToList(),
        YamlMapping map when map.Entries.All(e => Resolve(e.Key) is string or null) => ToMap(map),
        YamlMapping map => ToGeneralMap(map),
        _ => null,
    };

    private static Dictionary<object, object?> ToGeneralMap(YamlMapping map)
    {
        var result = new Dictionary<object, object?>();
        foreach (var (key, value) in map.Entries)
        {
            result[Resolve(key) ?? key.Value] = ToValue(value);
        }

        return result;
    }

    public static Dictionary<string, object?> ToMap(YamlMapping map)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in map.Entries)
        {
            result[key.Value] = ToValue(value);
        }

        return result;
    }
}
