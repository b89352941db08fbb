// Port of functions.go and strings.go (Masterminds/sprig v3.3.0 and v2.22.0).
using System.Collections;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace LxdCompose.GoTemplates.Functions;

/// <summary>
/// The sprig function library (Masterminds/sprig v2.22.0 or v3.3.0 <c>TxtFuncMap</c>), with Go's argument order and
/// error texts. Go panics inside sprig become template errors, as text/template turns them into errors too.
/// </summary>
public static partial class SprigFunctions
{
    private static readonly GoType S = GoType.String;
    private static readonly GoType I = GoType.Int;
    private static readonly GoType A = GoType.Any;
    private static readonly GoType M = GoType.MapOfAny;
    private static readonly GoType F = GoType.Float64;
    private static readonly GoType B = GoType.Bool;
    private static readonly GoType ListOfAny = GoType.ListOfAny;

    public static GoFunctionTable Register(GoFunctionTable table, SprigVersion version) =>
        Register(table, version, SprigEnvironment.System);

    public static GoFunctionTable Register(GoFunctionTable table, SprigVersion version, SprigEnvironment environment)
    {
        bool v3 = version == SprigVersion.V3;
        RegisterStrings(table, version);
        RegisterLists(table, version);
        RegisterDicts(table, version);
        RegisterMath(table, version);
        RegisterDefaults(table, version);
        RegisterReflection(table);
        RegisterEncodingAndPaths(table, v3);
        RegisterRegex(table, v3);
        RegisterDates(table, version, environment);
        RegisterCrypto(table, v3, environment);
        RegisterPasswords(table, v3);
        RegisterSemver(table);
        RegisterUrls(table);
        table.Add("hello", (_, _) => "Hello!", []);
        table.Add("env", (_, a) => environment.GetEnvironmentVariable((string)a[0]!) ?? "", [S]);
        table.Add("expandenv", (_, a) => ExpandEnv((string)a[0]!, environment), [S]);
        table.Add("getHostByName", (_, _) => throw new GoFunctionException("invalid argument to Intn"), [S]);
        table.Add("fail", (_, a) => throw new GoFunctionException((string)a[0]!), [S]);
        table.Add("uuidv4", (_, _) => Guid.NewGuid().ToString(), []);
        return table;
    }

    private static string Str(object? o) => (string)o!;

    private static int IntArg(object? o) => checked((int)(long)o!);

    private static int ClampInt(long value) => value > int.MaxValue ? int.MaxValue : value < int.MinValue ? int.MinValue : (int)value;

    // ---------------------------------------------------------------- strings

    private static void RegisterStrings(GoFunctionTable t, SprigVersion version)
    {
        bool v3 = version == SprigVersion.V3;
        t.Add("abbrev", (_, a) => Abbrev((long)a[0]!, Str(a[1])), [I, S]);
        t.Add("abbrevboth", (_, a) => AbbrevBoth((long)a[0]!, (long)a[1]!, Str(a[2])), [I, I, S]);
        t.Add("trunc", (_, a) => Trunc((long)a[0]!, Str(a[1]), v3), [I, S]);
        t.Add("trim", (_, a) => Str(a[0]).Trim(GoSpace), [S]);
        t.Add("upper", (_, a) => Str(a[0]).ToUpperInvariant(), [S]);
        t.Add("lower", (_, a) => Str(a[0]).ToLowerInvariant(), [S]);
        t.Add("title", (_, a) => Title(Str(a[0])), [S]);
        t.Add("untitle", (_, a) => Untitle(Str(a[0])), [S]);
        t.Add("substr", (_, a) => Substr((long)a[0]!, (long)a[1]!, Str(a[2])), [I, I, S]);
        t.Add("repeat", (ctx, a) => Repeat(ctx, (long)a[0]!, Str(a[1])), [I, S]);
        t.Add("trimall", (_, a) => GoTrim(Str(a[1]), Str(a[0])), [S, S]);
        t.Add("trimAll", (_, a) => GoTrim(Str(a[1]), Str(a[0])), [S, S]);
        t.Add("trimSuffix", (_, a) => Str(a[1]).EndsWith(Str(a[0]), StringComparison.Ordinal) ? Str(a[1])[..^Str(a[0]).Length] : Str(a[1]), [S, S]);
        t.Add("trimPrefix", (_, a) => Str(a[1]).StartsWith(Str(a[0]), StringComparison.Ordinal) ? Str(a[1])[Str(a[0]).Length..] : Str(a[1]), [S, S]);
        t.Add("nospace", (_, a) => DeleteWhiteSpace(Str(a[0])), [S]);
        t.Add("initials", (_, a) => Initials(Str(a[0])), [S]);
        t.Add("randAlphaNum", (ctx, a) => RandomString(ctx, (long)a[0]!, AlphaNumeric), [I]);
        t.Add("randAlpha", (ctx, a) => RandomString(ctx, (long)a[0]!, Alphabetic), [I]);
        t.Add("randAscii", (ctx, a) => RandomString(ctx, (long)a[0]!, Ascii), [I]);
        t.Add("randNumeric", (ctx, a) => RandomString(ctx, (long)a[0]!, Numeric), [I]);
        t.Add("swapcase", (_, a) => SwapCase(Str(a[0])), [S]);
        t.Add("shuffle", (_, a) => Shuffle(Str(a[0])), [S]);
        t.Add("snakecase", (_, a) => CaseConversion.ToSnakeCase(Str(a[0])), [S]);
        // v3 calls xstrings.ToPascalCase; lxd-compose builds sprig v2 against xstrings 1.5, whose ToCamelCase is lower camel case.
        t.Add("camelcase", (_, a) => CaseConversion.ToCamelCase(Str(a[0]), upperFirst: v3), [S]);
        t.Add("kebabcase", (_, a) => CaseConversion.ToKebabCase(Str(a[0])), [S]);
        t.Add("wrap", (_, a) => WrapCustom(Str(a[1]), (long)a[0]!, "", false), [I, S]);
        t.Add("wrapWith", (_, a) => WrapCustom(Str(a[2]), (long)a[0]!, Str(a[1]), true), [I, S, S]);
        t.Add("contains", (_, a) => Str(a[1]).Contains(Str(a[0]), StringComparison.Ordinal), [S, S]);
        t.Add("hasPrefix", (_, a) => Str(a[1]).StartsWith(Str(a[0]), StringComparison.Ordinal), [S, S]);
        t.Add("hasSuffix", (_, a) => Str(a[1]).EndsWith(Str(a[0]), StringComparison.Ordinal), [S, S]);
        t.Add("quote", (_, a) => string.Join(" ", a.Where(x => x is not null).Select(x => GoFormat.Quote(SprigValues.Strval(x)))), [], A);
        t.Add("squote", (_, a) => string.Join(" ", a.Where(x => x is not null).Select(x => "'" + SprigValues.Strval(x) + "'")), [], A);
        t.Add("cat", (_, a) => string.Join(" ", a.Where(x => x is not null).Select(SprigValues.Strval)), [], A);
        t.Add("indent", (ctx, a) => Indent(ctx, (long)a[0]!, Str(a[1])), [I, S]);
        t.Add("nindent", (ctx, a) => "\n" + Indent(ctx, (long)a[0]!, Str(a[1])), [I, S]);
        t.Add("replace", (_, a) => Str(a[2]).Replace(Str(a[0]), Str(a[1]), StringComparison.Ordinal), [S, S, S]);
        t.Add("plural", (_, a) => (long)a[2]! == 1 ? a[0] : a[1], [S, S, I]);
        t.Add("toString", (_, a) => SprigValues.Strval(a[0]), [A]);
        t.Add("toStrings", (_, a) => SprigValues.StrSlice(a[0]), [A]);
        t.Add("split", (_, a) => SplitToMap(GoSplit(Str(a[1]), Str(a[0]), -1)), [S, S]);
        t.Add("splitList", (_, a) => GoSplit(Str(a[1]), Str(a[0]), -1), [S, S]);
        t.Add("splitn", (_, a) => SplitToMap(GoSplit(Str(a[2]), Str(a[0]), ClampInt((long)a[1]!))), [S, I, S]);
        t.Add("join", (_, a) => string.Join(Str(a[0]), SprigValues.StrSlice(a[1])), [S, A]);
        t.Add("sortAlpha", (_, a) => SortAlpha(a[0]), [A]);
    }

    private static readonly char[] GoSpace = ['\t', '\n', '\v', '\f', '\r', ' ', '\u0085', '\u00A0', '\u1680',
        '\u2000', '\u2001', '\u2002', '\u2003', '\u2004', '\u2005', '\u2006', '\u2007', '\u2008', '\u2009', '\u200A',
        '\u2028', '\u2029', '\u202F', '\u205F', '\u3000'];

    internal static bool IsGoSpace(int r) => r < 0x10000 && Array.IndexOf(GoSpace, (char)r) >= 0;

    private static string GoTrim(string s, string cutset) => cutset.Length == 0 ? s : s.Trim(cutset.ToCharArray());

    private static string Indent(GoCallContext ctx, long spaces, string v)
    {
        GoLimits.CheckLength(ctx, (double)Math.Max(0, spaces) * (1 + v.Count(c => c == '\n')) + v.Length);
        var pad = new string(' ', (int)Math.Max(0, spaces));
        return pad + v.Replace("\n", "\n" + pad, StringComparison.Ordinal);
    }

    private static string Repeat(GoCallContext ctx, long count, string s)
    {
        if (count < 0)
        {
            throw new GoFunctionException("strings: negative Repeat count");
        }

        GoLimits.CheckLength(ctx, (double)count * s.Length);
        var sb = new StringBuilder(s.Length * (int)count);
        for (long i = 0; i < count; i++)
        {
            sb.Append(s);
        }

        return sb.ToString();
    }

    /// <summary>Go slices by byte offsets; non-ASCII strings are sliced on their UTF-8 bytes like Go.</summary>
    private static string ByteSlice(string s, long start, long end)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        if (start < 0 || end > bytes.Length || start > end)
        {
            throw new GoFunctionException($"runtime error: slice bounds out of range [{(start < 0 ? start.ToString(CultureInfo.InvariantCulture) + ":" : end > bytes.Length ? ":" + end : start + ":" + end)}]");
        }

        return Encoding.UTF8.GetString(bytes, (int)start, (int)(end - start));
    }

    private static int ByteLength(string s) => Encoding.UTF8.GetByteCount(s);

    private static string Trunc(long c, string s, bool v3)
    {
        int len = ByteLength(s);
        if (v3)
        {
            if (c < 0 && len + c > 0)
            {
                return ByteSlice(s, len + c, len);
            }

            if (c >= 0 && len > c)
            {
                return ByteSlice(s, 0, c);
            }

            return s;
        }
        if (len <= c)
        {
            return s;
        }

        if (c < 0)
        {
            throw new GoFunctionException($"runtime error: slice bounds out of range [:{c}]");
        }

        return ByteSlice(s, 0, c);
    }

    private static string Substr(long start, long end, string s)
    {
        int len = ByteLength(s);
        if (start < 0)
        {
            if (end < 0 || end > len)
            {
                throw new GoFunctionException($"runtime error: slice bounds out of range [:{end}] with length {len}");
            }

            return ByteSlice(s, 0, end);
        }
        if (end < 0 || end > len)
        {
            if (start > len)
            {
                throw new GoFunctionException($"runtime error: slice bounds out of range [{start}:{len}]");
            }

            return ByteSlice(s, start, len);
        }
        if (start > end)
        {
            throw new GoFunctionException($"runtime error: slice bounds out of range [{start}:{end}]");
        }

        return ByteSlice(s, start, end);
    }

    private static string Abbrev(long width, string s)
    {
        if (width < 4)
        {
            return s;
        }

        return AbbreviateFull(s, 0, (int)Math.Min(width, int.MaxValue)) ?? "";
    }

    private static string AbbrevBoth(long left, long right, string s)
    {
        if (right < 4 || (left > 0 && right < 7))
        {
            return s;
        }

        return AbbreviateFull(s, (int)Math.Min(left, int.MaxValue), (int)Math.Min(right, int.MaxValue)) ?? "";
    }

    // goutils.AbbreviateFull; null stands for its error result (sprig then returns "").
    private static string? AbbreviateFull(string str, int offset, int maxWidth)
    {
        if (str.Length == 0)
        {
            return "";
        }

        if (maxWidth < 4)
        {
            return null;
        }

        int len = ByteLength(str);
        if (len <= maxWidth)
        {
            return str;
        }

        if (offset > len)
        {
            offset = len;
        }

        if (len - offset < maxWidth - 3)
        {
            offset = len - (maxWidth - 3);
        }

        const string marker = "...";
        if (offset <= 4)
        {
            return ByteSlice(str, 0, maxWidth - 3) + marker;
        }

        if (maxWidth < 7)
        {
            return null;
        }

        if (offset + maxWidth - 3 < len)
        {
            return marker + (AbbreviateFull(ByteSlice(str, offset, len), 0, maxWidth - 3) ?? "");
        }

        return marker + ByteSlice(str, len - (maxWidth - 3), len);
    }

    /// <summary>strings.Title: the first letter of each word upper-cased (title case); words split at non-letters/digits.</summary>
    private static string Title(string s)
    {
        var sb = new StringBuilder(s.Length);
        int prev = ' ';
        foreach (var rune in s.EnumerateRunes())
        {
            if (IsTitleSeparator(prev))
            {
                sb.Append(Rune.ToUpperInvariant(rune).ToString());
            }
            else
            {
                sb.Append(rune.ToString());
            }

            prev = rune.Value;
        }
        return sb.ToString();
    }

    private static bool IsTitleSeparator(int r)
    {
        if (r <= 0x7F)
        {
            if (r is >= '0' and <= '9' or >= 'a' and <= 'z' or >= 'A' and <= 'Z' or '_')
            {
                return false;
            }

            return true;
        }
        var rune = new Rune(r);
        if (Rune.IsLetterOrDigit(rune))
        {
            return false;
        }

        return IsGoSpace(r);
    }

    private static string Untitle(string s)
    {
        var sb = new StringBuilder(s.Length);
        bool next = true;
        foreach (var rune in s.EnumerateRunes())
        {
            if (IsGoSpace(rune.Value))
            {
                next = true;
                sb.Append(rune.ToString());
            }
            else if (next)
            {
                sb.Append(Rune.ToLowerInvariant(rune).ToString());
                next = false;
            }
            else
            {
                sb.Append(rune.ToString());
            }
        }
        return sb.ToString();
    }

    // goutils works on bytes widened to runes: only ASCII whitespace bytes count.
    private static string DeleteWhiteSpace(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (char c in s)
        {
            if (!(c < 0x80 && IsGoSpace(c)))
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private static string Initials(string s)
    {
        var sb = new StringBuilder();
        bool gap = true;
        foreach (byte b in Encoding.UTF8.GetBytes(s))
        {
            int ch = b;
            if (IsGoSpace(ch))
            {
                gap = true;
            }
            else if (gap)
            {
                // goutils writes the byte as a rune (Latin-1 widening), as Go does with rune(str[i]).
                sb.Append((char)ch);
                gap = false;
            }
        }
        return sb.ToString();
    }

    private static string SwapCase(string s)
    {
        var sb = new StringBuilder(s.Length);
        bool whitespace = true;
        foreach (var rune in s.EnumerateRunes())
        {
            var cat = Rune.GetUnicodeCategory(rune);
            if (cat == UnicodeCategory.UppercaseLetter || cat == UnicodeCategory.TitlecaseLetter)
            {
                sb.Append(Rune.ToLowerInvariant(rune).ToString());
                whitespace = false;
            }
            else if (cat == UnicodeCategory.LowercaseLetter)
            {
                sb.Append(Rune.ToUpperInvariant(rune).ToString());
                whitespace = false;
            }
            else
            {
                sb.Append(rune.ToString());
                whitespace = IsGoSpace(rune.Value);
            }
        }
        _ = whitespace;
        return sb.ToString();
    }

    private static string Shuffle(string s)
    {
        var runes = s.EnumerateRunes().ToArray();
        for (int i = runes.Length - 1; i > 0; i--)
        {
            int j = RandomNumberGenerator.GetInt32(i + 1);
            (runes[i], runes[j]) = (runes[j], runes[i]);
        }
        var sb = new StringBuilder(s.Length);
        foreach (var r in runes)
        {
            sb.Append(r.ToString());
        }

        return sb.ToString();
    }

    private const string AlphaNumeric = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private const string Alphabetic = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string Numeric = "0123456789";
    private static readonly string Ascii = new(Enumerable.Range(32, 95).Select(c => (char)c).ToArray());

    private static string RandomString(GoCallContext ctx, long count, string chars)
    {
        if (count <= 0)
        {
            return "";
        }

        GoLimits.CheckLength(ctx, count);
        return RandomNumberGenerator.GetString(chars, (int)count);
    }

    private static string WrapCustom(string str, long wrapLengthArg, string newLine, bool wrapLongWords)
    {
        if (str.Length == 0)
        {
            return "";
        }

        if (newLine.Length == 0)
        {
            newLine = "\n";
        }

        int wrapLength = (int)Math.Clamp(wrapLengthArg, 1, int.MaxValue - 2);
        // goutils indexes bytes; work on UTF-8 and decode at the end.
        var bytes = Encoding.UTF8.GetBytes(str);
        var nl = Encoding.UTF8.GetBytes(newLine);
        int len = bytes.Length;
        int offset = 0;
        var output = new List<byte>(len + 16);
        while (len - offset > wrapLength)
        {
            if (bytes[offset] == ' ')
            {
                offset++;
                continue;
            }
            int end = Math.Min(wrapLength + offset + 1, len);
            int spaceToWrapAt = Array.LastIndexOf(bytes, (byte)' ', end - 1, end - offset);
            if (spaceToWrapAt >= offset)
            {
                output.AddRange(bytes.AsSpan(offset, spaceToWrapAt - offset).ToArray());
                output.AddRange(nl);
                offset = spaceToWrapAt + 1;
            }
            else if (wrapLongWords)
            {
                output.AddRange(bytes.AsSpan(offset, wrapLength).ToArray());
                output.AddRange(nl);
                offset += wrapLength;
            }
            else
            {
                int e = wrapLength + offset;
                int index = Array.IndexOf(bytes, (byte)' ', e);
                if (index == -1)
                {
                    output.AddRange(bytes.AsSpan(offset).ToArray());
                    offset = len;
                }
                else
                {
                    output.AddRange(bytes.AsSpan(offset, index - offset).ToArray());
                    output.AddRange(nl);
                    offset = index + 1;
                }
            }
        }
        output.AddRange(bytes.AsSpan(offset).ToArray());
        return Encoding.UTF8.GetString(output.ToArray());
    }

    /// <summary>strings.SplitN (n &lt; 0: all), including Go's split of an empty separator into UTF-8 sequences.</summary>
    internal static List<string> GoSplit(string s, string sep, int n)
    {
        if (n == 0)
        {
            return [];
        }

        if (sep.Length == 0)
        {
            var runes = s.EnumerateRunes().Select(r => r.ToString()).ToList();
            if (n > 0 && runes.Count > n)
            {
                var head = runes.Take(n - 1).ToList();
                head.Add(string.Concat(runes.Skip(n - 1)));
                return head;
            }
            return runes;
        }
        var result = new List<string>();
        int start = 0;
        while (n < 0 || result.Count < n - 1)
        {
            int idx = s.IndexOf(sep, start, StringComparison.Ordinal);
            if (idx < 0)
            {
                break;
            }

            result.Add(s[start..idx]);
            start = idx + sep.Length;
        }
        result.Add(s[start..]);
        return result;
    }

    private static Dictionary<string, string> SplitToMap(List<string> parts)
    {
        var map = new Dictionary<string, string>(parts.Count, StringComparer.Ordinal);
        for (int i = 0; i < parts.Count; i++)
        {
            map["_" + i.ToString(CultureInfo.InvariantCulture)] = parts[i];
        }

        return map;
    }

    private static List<string> SortAlpha(object? list)
    {
        if (SprigValues.TryList(SprigValues.Unwrap(list), out _))
        {
            var copy = new List<string>(SprigValues.StrSlice(list));
            copy.Sort(string.CompareOrdinal);
            return copy;
        }
        return [SprigValues.Strval(list)];
    }

    private static string ExpandEnv(string s, SprigEnvironment env)
    {
        // os.Expand: $var, ${var}; a lone $ or an invalid name is dropped the way Go drops it.
        var sb = new StringBuilder(s.Length);
        int i = 0;
        while (i < s.Length)
        {
            if (s[i] != '$' || i + 1 >= s.Length)
            {
                sb.Append(s[i++]);
                continue;
            }
            int j = i + 1;
            string name;
            int w;
            if (s[j] == '{')
            {
                if (j + 1 < s.Length && s[j + 1] == '}')
                { i = j + 2; continue; }
                int close = s.IndexOf('}', j + 1);
                if (close < 0)
                { i = s.Length; continue; }
                name = s[(j + 1)..close];
                w = close - i + 1;
            }
            else if (IsShellSpecial(s[j]))
            {
                name = s[j].ToString();
                w = 2;
            }
            else
            {
                int k = j;
                while (k < s.Length && (s[k] == '_' || char.IsAsciiLetterOrDigit(s[k])))
                {
                    k++;
                }

                name = s[j..k];
                w = k - i;
                if (name.Length == 0)
                { sb.Append('$'); i = j; continue; }
            }
            sb.Append(env.GetEnvironmentVariable(name) ?? "");
            i += w;
        }
        return sb.ToString();
    }

    private static bool IsShellSpecial(char c) => c is '*' or '#' or '$' or '@' or '!' or '?' or '-' || char.IsAsciiDigit(c);
}
