// Port of defaults.go, reflect.go and numeric.go (Masterminds/sprig v3.3.0 and v2.22.0; toInt64 and toFloat64 through github.com/spf13/cast v1.7).
using System.Collections;
using System.Globalization;
using System.Text;

namespace LxdCompose.GoTemplates.Functions;

/// <summary>Which sprig release a function table imitates.</summary>
public enum SprigVersion
{
    /// <summary>sprig v2.22.0: lxd-compose's mottainai template engine.</summary>
    V2,

    /// <summary>sprig v3.3.0: Helm's engine, lxd-compose's render engine.</summary>
    V3,
}

/// <summary>
/// The environment sprig's non-hermetic functions read (clock, local zone, process environment). Tests replace it
/// so that <c>now</c>, <c>date</c> and <c>env</c> give fixed results.
/// </summary>
public sealed class SprigEnvironment
{
    public static readonly SprigEnvironment System = new();

    public Func<DateTimeOffset> Now { get; init; } = () => DateTimeOffset.Now;

    /// <summary>Go's time.Local.</summary>
    public TimeZoneInfo LocalZone { get; init; } = TimeZoneInfo.Local;

    public Func<string, string?> GetEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;
}

/// <summary>Go reflection semantics that sprig relies on, over the template value model (long, double, List, Dictionary…).</summary>
internal static partial class SprigValues
{
    /// <summary>The panic message of Go when sprig calls reflect.TypeOf(nil).Kind().</summary>
    public const string NilDereference = "runtime error: invalid memory address or nil pointer dereference";

    public static object? Unwrap(object? v) => v is GoMissing ? null : v;

    /// <summary>fmt's %v, with sprig's strval shortcuts for strings, byte slices and errors.</summary>
    public static string Strval(object? v) => v switch
    {
        string s => s,
        byte[] b => Encoding.UTF8.GetString(b),
        Exception e => e.Message,
        _ => GoFormat.Sprintf("%v", [Unwrap(v)]),
    };

    /// <summary>reflect.Kind.String() of a value; nil is "invalid".</summary>
    public static string KindName(object? v) => Unwrap(v) switch
    {
        null => "invalid",
        bool => "bool",
        long => "int",
        int => "int32",
        short => "int16",
        sbyte => "int8",
        char => "int32",
        ulong => "uint64",
        uint => "uint32",
        ushort => "uint16",
        byte => "uint8",
        double => "float64",
        float => "float32",
        string => "string",
        IDictionary => "map",
        IList => "slice",
        GoFunction or Delegate => "func",
        DateTimeOffset or DateTime => "struct",
        var other when other.GetType().IsValueType => "struct",
        _ => "ptr",
    };

    /// <summary>The kind used in sprig's "Cannot X on type K" errors; nil panics like reflect.TypeOf(nil).Kind().</summary>
    public static string KindForError(object? v)
    {
        if (Unwrap(v) is null)
        {
            throw new GoFunctionException(NilDereference);
        }

        return KindName(v);
    }

    public static bool TryList(object? v, out IList list)
    {
        if (v is IList l)
        {
            list = l;
            return true;
        }
        list = null!;
        return false;
    }

    /// <summary>sprig's empty(): the zero value of its type, or an empty collection.</summary>
    public static bool Empty(object? v) => Unwrap(v) switch
    {
        null => true,
        string s => s.Length == 0,
        bool b => !b,
        long l => l == 0,
        int i => i == 0,
        double d => d == 0,
        ulong u => u == 0,
        float f => f == 0,
        short s => s == 0,
        sbyte s => s == 0,
        uint u => u == 0,
        ushort u => u == 0,
        byte b => b == 0,
        char c => c == 0,
        ICollection c => c.Count == 0,
        _ => false,
    };

    /// <summary>reflect.DeepEqual over template values: same dynamic types, element-wise.</summary>
    public static bool DeepEqual(object? a, object? b)
    {
        StackGuard.Check();
        a = Unwrap(a);
        b = Unwrap(b);
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        if (ReferenceEquals(a, b))
        {
            return true;
        }

        if (a.GetType() != b.GetType())
        {
            return false;
        }

        switch (a)
        {
            case string s:
                return s == (string)b;
            case IDictionary da:
            {
                var db = (IDictionary)b;
                if (da.Count != db.Count)
                {
                    return false;
                }

                foreach (DictionaryEntry e in da)
                {
                    if (!db.Contains(e.Key) || !DeepEqual(e.Value, db[e.Key]))
                    {
                        return false;
                    }
                }
                return true;
            }
            case IList la:
            {
                var lb = (IList)b;
                if (la.Count != lb.Count)
                {
                    return false;
                }

                for (int i = 0; i < la.Count; i++)
                {
                    if (!DeepEqual(la[i], lb[i]))
                    {
                        return false;
                    }
                }

                return true;
            }
            case double d:
                return d == (double)b; // NaN is not equal to itself, as in Go
            case GoPointer pa:
                return DeepEqual(pa.Target, ((GoPointer)b).Target);
            default:
                return a.Equals(b);
        }
    }

    /// <summary>sprig's strslice: a list's non-nil elements as strings; a scalar becomes a one-element list.</summary>
    public static List<string> StrSlice(object? v)
    {
        v = Unwrap(v);
        switch (v)
        {
            case List<string> ls:
                return ls;
            case string[] sa:
                return [.. sa];
            case IList list:
            {
                var result = new List<string>(list.Count);
                foreach (var item in list)
                {
                    if (item is not null)
                    {
                        result.Add(Strval(item));
                    }
                }

                return result;
            }
            case null:
                return [];
            default:
                return [Strval(v)];
        }
    }

    /// <summary>
    /// sprig v3's toInt64 through spf13/cast 1.10 (the version lxd-compose v0.39.1 links; sprig v3.3.0 asks for 1.7,
    /// which only dropped ".0"): strings parse with Go's base prefixes after the decimal part is cut ("3.9" is 3).
    /// sprig v2 parses decimal only ("010" is 10).
    /// </summary>
    public static long ToInt64(object? v, SprigVersion version)
    {
        switch (Unwrap(v))
        {
            case null:
                return 0;
            case long l:
                return l;
            case int i:
                return i;
            case short s:
                return s;
            case sbyte sb:
                return sb;
            case char c:
                return c;
            case byte b:
                return b;
            case ushort us:
                return us;
            case uint ui:
                return ui;
            case ulong ul:
                if (version == SprigVersion.V2 && ul > long.MaxValue)
                {
                    return long.MaxValue;
                }

                return unchecked((long)ul);
            case double d:
                return GoFloatToInt(d);
            case float f:
                return GoFloatToInt(f);
            case bool bo:
                return bo ? 1 : 0;
            case string str:
                if (version == SprigVersion.V2)
                {
                    return GoStrconv.ParseInt(str, 10, out long v2) ? v2 : 0;
                }

                return GoStrconv.ParseInt(TrimDecimal(str), 0, out long v3) ? v3 : 0;
            default:
                return 0;
        }
    }

    /// <summary>Go's float-to-int conversion on amd64: truncation, and the "integer indefinite" value when out of range.</summary>
    public static long GoFloatToInt(double d)
    {
        if (double.IsNaN(d) || d >= 9.223372036854775807E18 || d < -9.223372036854775808E18)
        {
            return long.MinValue;
        }

        return (long)Math.Truncate(d);
    }

    public static double ToFloat64(object? v, SprigVersion version)
    {
        switch (Unwrap(v))
        {
            case null:
                return 0;
            case double d:
                return d;
            case float f:
                return f;
            case long l:
                return l;
            case int i:
                return i;
            case short s:
                return s;
            case sbyte sb:
                return sb;
            case char c:
                return c;
            case byte b:
                return b;
            case ushort us:
                return us;
            case uint ui:
                return ui;
            case ulong ul:
                return ul;
            case bool bo:
                return bo ? 1 : 0;
            case string str:
                return GoStrconv.ParseFloat(str, out double r) ? r : 0;
            default:
                return 0;
        }
    }

    /// <summary>cast's trimDecimal: a number written <c>[+-]digits.digits</c> keeps its sign and integer part only.</summary>
    private static string TrimDecimal(string s)
    {
        if (!s.Contains('.', StringComparison.Ordinal))
        {
            return s;
        }

        var match = CastDecimal().Match(s);
        if (!match.Success)
        {
            return s;
        }

        var integer = match.Groups[1].Value;
        return integer switch
        {
            "" => "0",
            "-" or "+" => integer + "0",
            _ => integer,
        };
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^([-+]?[0-9]*)(\.[0-9]*)?\z", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex CastDecimal();

    /// <summary>A map's entries with Go's fmt key order (used where Go's output order is random but ours must be stable).</summary>
    public static IEnumerable<KeyValuePair<string, object?>> SortedByKey(IDictionary<string, object?> map)
    {
        var keys = map.Keys.ToList();
        keys.Sort(string.CompareOrdinal);
        foreach (var k in keys)
        {
            yield return new KeyValuePair<string, object?>(k, map[k]);
        }
    }
}

/// <summary>Go's strconv number parsing.</summary>
internal static class GoStrconv
{
    /// <summary>strconv.ParseInt(s, base, 64); base 0 means Go literal syntax (prefixes, underscores).</summary>
    public static bool ParseInt(string s, int numberBase, out long value)
    {
        value = 0;
        if (s.Length == 0)
        {
            return false;
        }

        bool negative = false;
        int i = 0;
        if (s[0] is '+' or '-')
        {
            negative = s[0] == '-';
            i = 1;
        }
        if (!ParseUint(s.AsSpan(i), numberBase, out ulong u))
        {
            return false;
        }

        if (negative)
        {
            if (u > (ulong)long.MaxValue + 1)
            {
                return false;
            }

            value = unchecked(-(long)u);
            return true;
        }
        if (u > long.MaxValue)
        {
            return false;
        }

        value = (long)u;
        return true;
    }

    /// <summary>
    /// strconv.Atoi with its error ignored, as sprig's atoi does: a syntax error gives 0, but a decimal number out of
    /// range gives the nearest bound (ParseInt returns it alongside the range error).
    /// </summary>
    public static long Atoi(string s)
    {
        if (ParseInt(s, 10, out long value))
        {
            return value;
        }

        var digits = s.Length > 0 && s[0] is '+' or '-' ? s.AsSpan(1) : s.AsSpan();
        if (digits.Length == 0 || digits.ContainsAnyExceptInRange('0', '9'))
        {
            return 0;
        }

        return s[0] == '-' ? long.MinValue : long.MaxValue;
    }

    public static bool ParseUint(ReadOnlySpan<char> s, int numberBase, out ulong value)
    {
        value = 0;
        if (s.Length == 0)
        {
            return false;
        }

        bool base0 = numberBase == 0;
        var written = s;
        if (base0)
        {
            numberBase = 10;
            if (s[0] == '0')
            {
                if (s.Length >= 3 && (s[1] | 0x20) == 'b')
                { numberBase = 2; s = s[2..]; }
                else if (s.Length >= 3 && (s[1] | 0x20) == 'o')
                { numberBase = 8; s = s[2..]; }
                else if (s.Length >= 3 && (s[1] | 0x20) == 'x')
                { numberBase = 16; s = s[2..]; }
                else
                {
                    numberBase = 8;
                    s = s[1..];
                    if (s.Length == 0)
                    {
                        return true;
                    }
                }
            }
        }
        bool sawUnderscore = false;
        foreach (char c in s)
        {
            int d;
            if (c == '_' && base0)
            { sawUnderscore = true; continue; }
            if (c is >= '0' and <= '9')
            {
                d = c - '0';
            }
            else if ((c | 0x20) is >= 'a' and <= 'z')
            {
                d = (c | 0x20) - 'a' + 10;
            }
            else
            {
                return false;
            }

            if (d >= numberBase)
            {
                return false;
            }

            ulong next = unchecked(value * (ulong)numberBase + (ulong)d);
            if (value > (ulong.MaxValue - (ulong)d) / (ulong)numberBase)
            {
                return false;
            }

            value = next;
        }
        return !sawUnderscore || UnderscoreOk(written);
    }

    /// <summary>
    /// Go's underscoreOK: an underscore only between digits, or between a base prefix (0b, 0o, 0x) and a digit;
    /// a leading 0 counts as a digit, so <c>0_17</c> is octal 15.
    /// </summary>
    internal static bool UnderscoreOk(ReadOnlySpan<char> s)
    {
        char saw = '^';
        int i = 0;
        if (s.Length >= 1 && s[0] is '-' or '+')
        {
            s = s[1..];
        }

        bool hex = false;
        if (s.Length >= 2 && s[0] == '0' && (s[1] | 0x20) is 'b' or 'o' or 'x')
        {
            i = 2;
            saw = '0';
            hex = (s[1] | 0x20) == 'x';
        }
        for (; i < s.Length; i++)
        {
            char c = s[i];
            if (char.IsAsciiDigit(c) || (hex && char.IsAsciiHexDigit(c)))
            {
                saw = '0';
                continue;
            }
            if (c == '_')
            {
                if (saw != '0')
                {
                    return false;
                }

                saw = '_';
                continue;
            }
            if (saw == '_')
            {
                return false;
            }

            saw = '!';
        }
        return saw != '_';
    }

    /// <summary>strconv.ParseFloat(s, 64) for decimal forms, inf and nan.</summary>
    public static bool ParseFloat(string s, out double value)
    {
        value = 0;
        if (s.Length == 0)
        {
            return false;
        }

        var t = s.TrimStart('+', '-');
        if (t.Length < s.Length - 1)
        {
            return false;
        }

        string lower = t.ToLowerInvariant();
        bool neg = s[0] == '-';
        if (lower is "inf" or "infinity")
        {
            value = neg ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }
        if (lower == "nan" && t.Length == s.Length)
        {
            value = double.NaN;
            return true;
        }
        if (t.Contains('_'))
        {
            // Go allows digit-separating underscores in every float form ("1_23.5e+1_2").
            if (!UnderscoreOk(s))
            {
                return false;
            }

            s = s.Replace("_", "", StringComparison.Ordinal);
            t = t.Replace("_", "", StringComparison.Ordinal);
        }
        if (t.Length > 2 && t[0] == '0' && (t[1] | 0x20) == 'x')
        {
            return ParseHexFloat(t.AsSpan(2), neg, out value);
        }

        foreach (char c in t)
        {
            if (!(char.IsAsciiDigit(c) || c is '.' or 'e' or 'E' or '+' or '-'))
            {
                return false;
            }
        }

        return double.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
            CultureInfo.InvariantCulture, out value) && !double.IsInfinity(value);
    }

    /// <summary>Go's hexadecimal float (after 0x): hex mantissa with an optional point, then a mandatory p exponent.</summary>
    private static bool ParseHexFloat(ReadOnlySpan<char> s, bool negative, out double value)
    {
        value = 0;
        int p = s.IndexOfAny('p', 'P');
        if (p < 0)
        {
            return false;
        }

        var mantissa = s[..p];
        if (!int.TryParse(s[(p + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int exponent))
        {
            return false;
        }

        int point = mantissa.IndexOf('.');
        var digits = point < 0 ? mantissa.ToString() : string.Concat(mantissa[..point], mantissa[(point + 1)..]);
        if (digits.Length == 0 || (point >= 0 && mantissa[(point + 1)..].Contains('.')))
        {
            return false;
        }

        double m = 0;
        foreach (char c in digits)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }

            m = m * 16 + Convert.ToInt32(c.ToString(), 16);
        }
        if (point >= 0)
        {
            exponent -= 4 * (mantissa.Length - point - 1);
        }

        value = Math.ScaleB(m, exponent);
        if (negative)
        {
            value = -value;
        }

        return !double.IsInfinity(value);
    }
}
