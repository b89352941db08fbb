// Port of convert.go (github.com/huandu/xstrings v1.5.0).
using System.Globalization;
using System.Text;

namespace LxdCompose.GoTemplates.Functions;

/// <summary>huandu/xstrings 1.5 case conversions (snakecase, kebabcase, camelcase/pascal case) over runes.</summary>
internal static class CaseConversion
{
    private enum WordType { Invalid, Number, UpperCase, Alphabet, Connector, Punct, Other }

    private static bool IsConnector(Rune r) => r.Value is '-' or '_' || SprigFunctions.IsGoSpace(r.Value);

    private static bool IsUpper(Rune r) => Rune.GetUnicodeCategory(r) == UnicodeCategory.UppercaseLetter;

    private static bool IsAlphabet(Rune r)
    {
        if (!Rune.IsLetter(r))
        {
            return false;
        }
        // CJK ideographs are letters but not "alphabet" for xstrings.
        return r.Value < 0x2E80 || !(r.Value is >= 0x2E80 and <= 0x9FFF or >= 0xF900 and <= 0xFAFF or >= 0x20000 and <= 0x2FA1F);
    }

    private static bool IsPunct(Rune r) => Rune.GetUnicodeCategory(r) is UnicodeCategory.ConnectorPunctuation
        or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation
        or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;

    private static bool IsNumber(Rune r) => Rune.GetUnicodeCategory(r) is UnicodeCategory.DecimalDigitNumber
        or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber;

    /// <summary>xstrings.ToCamelCase (lower first) or ToPascalCase (upper first).</summary>
    public static string ToCamelCase(string s, bool upperFirst)
    {
        if (s.Length == 0)
        {
            return "";
        }

        var runes = s.EnumerateRunes().ToArray();
        var sb = new StringBuilder(s.Length);
        int i = 0;
        Rune r0 = default, r1;
        bool isFirstRuneUpper = false;
        bool consumedAny = false;
        while (i < runes.Length)
        {
            r0 = runes[i++];
            consumedAny = true;
            if (!IsConnector(r0))
            {
                isFirstRuneUpper = IsUpper(r0);
                r0 = upperFirst ? Rune.ToUpperInvariant(r0) : Rune.ToLowerInvariant(r0);
                break;
            }
            sb.Append(r0.ToString());
        }
        if (i >= runes.Length)
        {
            if (consumedAny)
            {
                sb.Append(r0.ToString()); // xstrings repeats a lone trailing connector too
            }

            return sb.ToString();
        }
        while (i < runes.Length)
        {
            r1 = r0;
            r0 = runes[i++];
            if (IsConnector(r0) && IsConnector(r1))
            {
                sb.Append(r1.ToString());
                continue;
            }
            if (IsConnector(r1))
            {
                isFirstRuneUpper = IsUpper(r0);
                r0 = Rune.ToUpperInvariant(r0);
            }
            else
            {
                if (isFirstRuneUpper)
                {
                    if (IsUpper(r0))
                    {
                        r0 = Rune.ToLowerInvariant(r0);
                    }
                    else
                    {
                        isFirstRuneUpper = false;
                    }
                }
                sb.Append(r1.ToString());
            }
        }
        sb.Append(r0.ToString());
        return sb.ToString();
    }

    public static string ToSnakeCase(string s) => CamelCaseToLowerCase(s, '_');

    public static string ToKebabCase(string s) => CamelCaseToLowerCase(s, '-');

    private static (WordType type, int start, int end) NextWord(Rune[] str, int pos)
    {
        if (pos >= str.Length)
        {
            return (WordType.Invalid, pos, pos);
        }

        int offset = pos;
        var r = str[offset++];
        WordType wt;
        if (IsConnector(r))
        {
            wt = WordType.Connector;
            while (offset < str.Length && IsConnector(str[offset]))
            {
                offset++;
            }
        }
        else if (IsPunct(r))
        {
            wt = WordType.Punct;
            while (offset < str.Length && IsPunct(str[offset]))
            {
                offset++;
            }
        }
        else if (IsUpper(r))
        {
            wt = WordType.UpperCase;
            if (offset < str.Length)
            {
                r = str[offset];
                if (IsUpper(r))
                {
                    offset++;
                    while (offset < str.Length && IsUpper(str[offset]))
                    {
                        offset++;
                    }
                    // "HTTPStatus" splits into "HTTP" and "Status".
                    if (offset < str.Length && IsAlphabet(str[offset]))
                    {
                        offset--;
                    }
                }
                else if (IsAlphabet(r))
                {
                    offset++;
                    while (offset < str.Length && IsAlphabet(str[offset]) && !IsUpper(str[offset]))
                    {
                        offset++;
                    }
                }
            }
        }
        else if (IsAlphabet(r))
        {
            wt = WordType.Alphabet;
            while (offset < str.Length && IsAlphabet(str[offset]) && !IsUpper(str[offset]))
            {
                offset++;
            }
        }
        else if (IsNumber(r))
        {
            wt = WordType.Number;
            while (offset < str.Length && IsNumber(str[offset]))
            {
                offset++;
            }
        }
        else
        {
            wt = WordType.Other;
            while (offset < str.Length)
            {
                var n = str[offset];
                if (IsConnector(n) || IsAlphabet(n) || IsNumber(n) || IsPunct(n))
                {
                    break;
                }

                offset++;
            }
        }
        return (wt, pos, offset);
    }

    private static void ToLower(StringBuilder sb, WordType wt, Rune[] str, int start, int end, char connector)
    {
        for (int i = start; i < end; i++)
        {
            var r = str[i];
            if (wt != WordType.UpperCase && wt != WordType.Connector)
            {
                sb.Append(r.ToString());
            }
            else if (IsConnector(r))
            {
                sb.Append(connector);
            }
            else if (IsUpper(r))
            {
                sb.Append(Rune.ToLowerInvariant(r).ToString());
            }
            else
            {
                sb.Append(r.ToString());
            }
        }
    }

    private static string CamelCaseToLowerCase(string s, char connector)
    {
        if (s.Length == 0)
        {
            return "";
        }

        var str = s.EnumerateRunes().ToArray();
        var sb = new StringBuilder(s.Length + 4);
        var (wt, ws, we) = NextWord(str, 0);
        int remaining = we;
        while (remaining < str.Length)
        {
            if (wt != WordType.Connector)
            {
                ToLower(sb, wt, str, ws, we, connector);
            }

            var prev = wt;
            int lastStart = ws, lastEnd = we;
            (wt, ws, we) = NextWord(str, remaining);
            remaining = we;
            switch (prev)
            {
                case WordType.Number:
                    while (wt is WordType.Alphabet or WordType.Number)
                    {
                        ToLower(sb, wt, str, ws, we, connector);
                        (wt, ws, we) = NextWord(str, remaining);
                        remaining = we;
                    }
                    if (wt != WordType.Invalid && wt != WordType.Punct && wt != WordType.Connector)
                    {
                        sb.Append(connector);
                    }

                    break;
                case WordType.Connector:
                    ToLower(sb, prev, str, lastStart, lastEnd, connector);
                    break;
                case WordType.Punct:
                    break;
                default:
                    if (wt != WordType.Number)
                    {
                        if (wt != WordType.Connector && wt != WordType.Punct)
                        {
                            sb.Append(connector);
                        }

                        break;
                    }
                    if (remaining >= str.Length)
                    {
                        break;
                    }

                    int numStart = ws, numEnd = we;
                    (wt, ws, we) = NextWord(str, remaining);
                    remaining = we;
                    // a number is part of the previous word ("Bld4Floor" => "bld4_floor")
                    if (wt != WordType.Alphabet)
                    {
                        ToLower(sb, WordType.Number, str, numStart, numEnd, connector);
                        if (wt != WordType.Connector && wt != WordType.Punct)
                        {
                            sb.Append(connector);
                        }

                        break;
                    }
                    // lower case letters after a number: connector before the number ("HTTP2xx" => "http_2xx")
                    sb.Append(connector);
                    ToLower(sb, WordType.Number, str, numStart, numEnd, connector);
                    while (wt is WordType.Alphabet or WordType.Number)
                    {
                        ToLower(sb, wt, str, ws, we, connector);
                        (wt, ws, we) = NextWord(str, remaining);
                        remaining = we;
                    }
                    if (wt != WordType.Invalid && wt != WordType.Connector && wt != WordType.Punct)
                    {
                        sb.Append(connector);
                    }

                    break;
            }
        }
        ToLower(sb, wt, str, ws, we, connector);
        return sb.ToString();
    }
}
