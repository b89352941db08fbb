// Port of src/fmt/print.go and format.go, and src/strconv/quote.go (Go 1.24).
using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace LxdCompose.GoTemplates;

/// <summary>Go's fmt package for template values: Sprint, Sprintln, Sprintf and strconv quoting.</summary>
public static class GoFormat
{
    /// <summary>fmt.Sprint: a space between operands when neither is a string.</summary>
    public static string Sprint(IReadOnlyList<object?> args)
    {
        var p = new Printer();
        bool prevString = false;
        for (int i = 0; i < args.Count; i++)
        {
            bool isString = args[i] is string;
            if (i > 0 && !isString && !prevString)
            {
                p.Buf.Append(' ');
            }

            p.PrintArg(args[i], 'v');
            prevString = isString;
        }
        return p.Buf.ToString();
    }

    /// <summary>fmt.Sprintln: spaces between all operands and a final newline.</summary>
    public static string Sprintln(IReadOnlyList<object?> args)
    {
        var p = new Printer();
        for (int i = 0; i < args.Count; i++)
        {
            if (i > 0)
            {
                p.Buf.Append(' ');
            }

            p.PrintArg(args[i], 'v');
        }
        p.Buf.Append('\n');
        return p.Buf.ToString();
    }

    /// <summary>fmt.Sprintf with Go's verbs, flags, width, precision, argument indexes and error notations.</summary>
    public static string Sprintf(string format, IReadOnlyList<object?> args)
    {
        var p = new Printer();
        p.DoPrintf(format, args);
        return p.Buf.ToString();
    }

    /// <summary>A value as a template action prints it (pointers are followed, so objects print without "&amp;").</summary>
    public static string FormatValue(object? value)
    {
        if (value is string s)
        {
            return s;
        }

        var p = new Printer { Indirect = true };
        p.PrintArg(value, 'v');
        return p.Buf.ToString();
    }

    /// <summary>strconv.Quote.</summary>
    public static string Quote(string s) => QuoteWith(s, '"', false);

    internal static string QuoteAscii(string s) => QuoteWith(s, '"', true);

    internal static string QuoteRune(int r, bool asciiOnly)
    {
        if (r > 0x10FFFF || (r >= 0xD800 && r < 0xE000))
        {
            r = 0xFFFD;
        }

        var sb = new StringBuilder("'");
        AppendEscapedRune(sb, r, '\'', asciiOnly);
        return sb.Append('\'').ToString();
    }

    internal static bool CanBackquote(string s)
    {
        foreach (char c in s)
        {
            if (c == '`' || c == '\uFEFF')
            {
                return false;
            }

            if (c < ' ' && c != '\t')
            {
                return false;
            }

            if (c == '\u007F')
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The %#U form used in Go's lexer messages: U+002F '/'.</summary>
    internal static string DescribeRune(int r)
    {
        var s = "U+" + r.ToString("X4", CultureInfo.InvariantCulture);
        return IsPrint(r) ? s + " '" + char.ConvertFromUtf32(r) + "'" : s;
    }

    private static string QuoteWith(string s, char quote, bool asciiOnly)
    {
        var sb = new StringBuilder(s.Length + 2);
        sb.Append(quote);
        for (int i = 0; i < s.Length; i++)
        {
            int r = s[i];
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                r = char.ConvertToUtf32(s[i], s[i + 1]);
                i++;
            }
            else if (char.IsSurrogate(s[i]))
            {
                sb.Append("\\ufffd");
                continue;
            }
            AppendEscapedRune(sb, r, quote, asciiOnly);
        }
        sb.Append(quote);
        return sb.ToString();
    }

    private static void AppendEscapedRune(StringBuilder sb, int r, char quote, bool asciiOnly)
    {
        if (r == quote || r == '\\')
        {
            sb.Append('\\').Append((char)r);
            return;
        }
        if (asciiOnly ? r < 0x80 && IsPrint(r) : IsPrint(r))
        {
            sb.Append(char.ConvertFromUtf32(r));
            return;
        }
        switch (r)
        {
            case '\a':
                sb.Append("\\a");
                return;
            case '\b':
                sb.Append("\\b");
                return;
            case '\f':
                sb.Append("\\f");
                return;
            case '\n':
                sb.Append("\\n");
                return;
            case '\r':
                sb.Append("\\r");
                return;
            case '\t':
                sb.Append("\\t");
                return;
            case '\v':
                sb.Append("\\v");
                return;
        }
        if (r < ' ' || r == 0x7F)
        {
            sb.Append("\\x").Append(r.ToString("x2", CultureInfo.InvariantCulture));
        }
        else if (r < 0x10000)
        {
            sb.Append("\\u").Append(r.ToString("x4", CultureInfo.InvariantCulture));
        }
        else
        {
            sb.Append("\\U").Append(r.ToString("x8", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.</summary>
    internal static bool IsPrint(int r)
    {
        if (r == ' ')
        {
            return true;
        }

        if (r > 0x10FFFF || (r >= 0xD800 && r < 0xE000))
        {
            return false;
        }

        var cat = r < 0x10000
            ? CharUnicodeInfo.GetUnicodeCategory((char)r)
            : CharUnicodeInfo.GetUnicodeCategory(char.ConvertFromUtf32(r), 0);
        return cat switch
        {
            UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
                or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned or UnicodeCategory.SpaceSeparator
                or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => false,
            _ => true,
        };
    }

    private static readonly ConcurrentDictionary<Type, bool> StringerTypes = new();

    /// <summary>Types that print through their own text (Go's Stringer/error): those overriding ToString.</summary>
    internal static bool IsStringer(Type t) => StringerTypes.GetOrAdd(t, static type =>
    {
        if (typeof(Exception).IsAssignableFrom(type))
        {
            return true;
        }

        if (type.Name.Contains("AnonymousType", StringComparison.Ordinal))
        {
            return false;
        }

        if (type.GetMethod("PrintMembers", BindingFlags.NonPublic | BindingFlags.Instance) != null)
        {
            return false;
        }

        var m = type.GetMethod("ToString", Type.EmptyTypes);
        return m != null && m.DeclaringType != typeof(object) && m.DeclaringType != typeof(ValueType);
    });

    /// <summary>
    /// time.Time.GoString(), which %#v prints: time.Date(2020, time.January, 2, 0, 0, 0, 0, time.UTC). yaml.v3 gives
    /// a timestamp with an offset an unnamed fixed zone, which Go writes as time.Location("").
    /// </summary>
    internal static string TimeGoString(DateTimeOffset t)
    {
        long nanos = t.Ticks % TimeSpan.TicksPerSecond * 100;
        string zone = t.Offset == TimeSpan.Zero ? "time.UTC" : "time.Location(\"\")";
        return string.Create(CultureInfo.InvariantCulture,
            $"time.Date({t.Year}, time.{CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(t.Month)}, {t.Day}, {t.Hour}, {t.Minute}, {t.Second}, {nanos}, {zone})");
    }

    /// <summary>time.Time.String(): 2006-01-02 15:04:05.999999999 -0700 MST.</summary>
    internal static string FormatTime(DateTimeOffset t)
    {
        var sb = new StringBuilder();
        sb.Append(t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        long ticks = t.Ticks % TimeSpan.TicksPerSecond;
        if (ticks != 0)
        {
            string frac = (ticks * 100).ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0');
            sb.Append('.').Append(frac);
        }
        var off = t.Offset;
        string offset = (off < TimeSpan.Zero ? "-" : "+") + off.Duration().ToString("hhmm", CultureInfo.InvariantCulture);
        sb.Append(' ').Append(offset).Append(' ');
        // yaml.v3 timestamps without a zone are UTC; with an offset they carry an unnamed zone printed as the offset.
        sb.Append(off == TimeSpan.Zero ? "UTC" : offset);
        return sb.ToString();
    }

    private sealed class Printer
    {
        public readonly StringBuilder Buf = new();
        public bool Indirect;
        private bool _plus, _minus, _sharp, _space, _zero, _plusV, _sharpV;
        private bool _widPresent, _precPresent;
        private int _wid, _prec;
        private object? _arg;

        private void ClearFlags()
        {
            _plus = _minus = _sharp = _space = _zero = _plusV = _sharpV = false;
            _widPresent = _precPresent = false;
            _wid = _prec = 0;
        }

        public void DoPrintf(string format, IReadOnlyList<object?> a)
        {
            int end = format.Length;
            int argNum = 0;
            bool afterIndex = false;
            bool reordered = false;
            int i = 0;
            while (i < end)
            {
                bool goodArgNum = true;
                int lasti = i;
                while (i < end && format[i] != '%')
                {
                    i++;
                }

                if (i > lasti)
                {
                    Buf.Append(format, lasti, i - lasti);
                }

                if (i >= end)
                {
                    break;
                }

                i++; // skip %
                ClearFlags();
                for (; i < end; i++)
                {
                    char c = format[i];
                    if (c == '#')
                    {
                        _sharp = true;
                    }
                    else if (c == '0')
                    {
                        _zero = !_minus;
                    }
                    else if (c == '+')
                    {
                        _plus = true;
                    }
                    else if (c == '-')
                    { _minus = true; _zero = false; }
                    else if (c == ' ')
                    {
                        _space = true;
                    }
                    else
                    {
                        break;
                    }
                }
                (argNum, i, afterIndex) = ArgNumber(argNum, format, i, a.Count, ref goodArgNum, ref reordered);
                if (i < end && format[i] == '*')
                {
                    i++;
                    (_wid, _widPresent, argNum) = IntFromArg(a, argNum);
                    if (!_widPresent)
                    {
                        Buf.Append("%!(BADWIDTH)");
                    }

                    if (_wid < 0)
                    {
                        _wid = -_wid;
                        _minus = true;
                        _zero = false;
                    }
                    afterIndex = false;
                }
                else
                {
                    (_wid, _widPresent, i) = ParseNum(format, i, end);
                    if (afterIndex && _widPresent)
                    {
                        goodArgNum = false;
                    }
                }
                if (i + 1 <= end && i < end && format[i] == '.')
                {
                    i++;
                    if (afterIndex)
                    {
                        goodArgNum = false;
                    }

                    (argNum, i, afterIndex) = ArgNumber(argNum, format, i, a.Count, ref goodArgNum, ref reordered);
                    if (i < end && format[i] == '*')
                    {
                        i++;
                        (_prec, _precPresent, argNum) = IntFromArg(a, argNum);
                        if (_prec < 0)
                        {
                            _prec = 0;
                            _precPresent = false;
                        }
                        if (!_precPresent)
                        {
                            Buf.Append("%!(BADPREC)");
                        }

                        afterIndex = false;
                    }
                    else
                    {
                        (_prec, _precPresent, i) = ParseNum(format, i, end);
                        if (!_precPresent)
                        {
                            _prec = 0;
                            _precPresent = true;
                        }
                    }
                }
                if (!afterIndex)
                {
                    (argNum, i, afterIndex) = ArgNumber(argNum, format, i, a.Count, ref goodArgNum, ref reordered);
                }

                if (i >= end)
                {
                    Buf.Append("%!(NOVERB)");
                    break;
                }
                int verb = format[i];
                int size = 1;
                if (char.IsHighSurrogate(format[i]) && i + 1 < end)
                {
                    verb = char.ConvertToUtf32(format[i], format[i + 1]);
                    size = 2;
                }
                i += size;
                if (verb == '%')
                {
                    Buf.Append('%');
                    continue;
                }
                if (!goodArgNum)
                {
                    BadArgNum(verb);
                    continue;
                }
                if (argNum >= a.Count)
                {
                    Buf.Append("%!").Append(char.ConvertFromUtf32(verb)).Append("(MISSING)");
                    continue;
                }
                if (verb == 'w')
                {
                    verb = 'v';
                }

                if (verb == 'v')
                {
                    if (_sharp)
                    {
                        _sharp = false;
                        _sharpV = true;
                    }
                    if (_plus)
                    {
                        _plus = false;
                        _plusV = true;
                    }
                }
                PrintArg(a[argNum], verb);
                argNum++;
            }
            if (!reordered && argNum < a.Count)
            {
                ClearFlags();
                Buf.Append("%!(EXTRA ");
                for (int k = argNum; k < a.Count; k++)
                {
                    if (k > argNum)
                    {
                        Buf.Append(", ");
                    }

                    var arg = a[k];
                    if (arg is null or GoMissing)
                    {
                        Buf.Append("<nil>");
                    }
                    else
                    {
                        Buf.Append(GoValues.TypeName(arg)).Append('=');
                        PrintArg(arg, 'v');
                    }
                }
                Buf.Append(')');
            }
        }

        private void BadArgNum(int verb) =>
            Buf.Append("%!").Append(char.ConvertFromUtf32(verb)).Append("(BADINDEX)");

        private static (int Num, bool Ok, int NewI) ParseNum(string s, int start, int end)
        {
            if (start >= end)
            {
                return (0, false, end);
            }

            int num = 0;
            bool ok = false;
            int i = start;
            for (; i < end && s[i] >= '0' && s[i] <= '9'; i++)
            {
                if (num > 1_000_000)
                {
                    return (0, false, end);
                }

                num = num * 10 + (s[i] - '0');
                ok = true;
            }
            return (num, ok, i);
        }

        private static (int ArgNum, int I, bool Found) ArgNumber(int argNum, string format, int i, int numArgs,
            ref bool goodArgNum, ref bool reordered)
        {
            if (format.Length <= i || format[i] != '[')
            {
                return (argNum, i, false);
            }

            reordered = true;
            for (int j = 1; i + j < format.Length; j++)
            {
                if (format[i + j] == ']')
                {
                    var (width, ok, newi) = ParseNum(format, i + 1, i + j);
                    if (!ok || newi != i + j)
                    {
                        goodArgNum = false;
                        return (argNum, i + j + 1, false);
                    }
                    int index = width - 1;
                    if (index >= 0 && index < numArgs)
                    {
                        return (index, i + j + 1, true);
                    }

                    goodArgNum = false;
                    return (argNum, i + j + 1, true);
                }
            }
            goodArgNum = false;
            return (argNum, i + 1, false);
        }

        private static (int Num, bool Ok, int NewArgNum) IntFromArg(IReadOnlyList<object?> a, int argNum)
        {
            int newArgNum = argNum;
            if (argNum < a.Count)
            {
                var arg = a[argNum];
                newArgNum++;
                if (GoValues.KindOf(arg) == GoValues.BasicKind.Int)
                {
                    long v = GoValues.ToInt64(arg!);
                    if (v >= -1_000_000 && v <= 1_000_000)
                    {
                        return ((int)v, true, newArgNum);
                    }
                }
                else if (GoValues.KindOf(arg) == GoValues.BasicKind.Uint)
                {
                    ulong v = GoValues.ToUInt64(arg!);
                    if (v <= 1_000_000)
                    {
                        return ((int)v, true, newArgNum);
                    }
                }
            }
            return (0, false, newArgNum);
        }

        public void PrintArg(object? arg, int verb)
        {
            _arg = arg;
            if (arg is null or GoMissing)
            {
                if (verb is 'T' or 'v')
                {
                    Pad("<nil>");
                }
                else
                {
                    BadVerb(verb);
                }

                return;
            }
            if (verb == 'T')
            {
                FmtS(GoValues.TypeName(arg));
                return;
            }
            PrintValue(arg, verb, 0);
        }

        private void PrintValue(object? value, int verb, int depth)
        {
            StackGuard.Check();
            // Go's printValue makes each element the argument a bad verb reports: [%!d(string=a)], not the whole list.
            if (depth > 0 && value is not null and not GoMissing)
            {
                _arg = value;
            }

            switch (value)
            {
                case null or GoMissing:
                    // A nil interface inside a list or map: %#v names its type, as Go prints interface {}(nil).
                    if (depth > 0 && _sharpV)
                    {
                        Buf.Append("interface {}(nil)");
                    }
                    else
                    {
                        Pad("<nil>");
                    }

                    return;
                case bool b:
                    FmtBool(b, verb);
                    return;
                case double d:
                    FmtFloat(d, 64, verb);
                    return;
                case float f:
                    FmtFloat(f, 32, verb);
                    return;
                case long or int or short or sbyte or char:
                    FmtInteger(unchecked((ulong)GoValues.ToInt64(value)), true, verb);
                    return;
                case ulong or uint or ushort or byte:
                    FmtInteger(GoValues.ToUInt64(value), false, verb);
                    return;
                case string s:
                    FmtString(s, verb);
                    return;
                case DateTimeOffset dto when _sharpV && verb == 'v':
                    Buf.Append(TimeGoString(dto));
                    return;
                case DateTimeOffset dto:
                    HandleStringer(FormatTime(dto), verb);
                    return;
                case DateTime dt:
                    HandleStringer(FormatTime(new DateTimeOffset(dt.Kind == DateTimeKind.Unspecified
                        ? DateTime.SpecifyKind(dt, DateTimeKind.Utc) : dt)), verb);
                    return;
                case byte[] bytes when verb is 's' or 'q' or 'x' or 'X':
                    FmtString(Encoding.UTF8.GetString(bytes), verb);
                    return;
                case GoFunction or Delegate:
                    if (verb is 'v' or 'p')
                    {
                        Pad("0x0");
                    }
                    else
                    {
                        BadVerb(verb);
                    }

                    return;
                case Exception ex when verb is 'v' or 's' or 'x' or 'X' or 'q':
                    HandleStringer(ex.Message, verb);
                    return;
                case GoPointer pointer:
                    // fmt: &value at top level. A template action prints the target itself (text/template
                    // indirects first). Nested, Go prints an address, which cannot be reproduced; the value is shown.
                    if (depth == 0 && Indirect)
                    {
                        PrintValue(pointer.Target, verb, 0);
                        return;
                    }
                    if (depth == 0)
                    {
                        Buf.Append('&');
                    }

                    PrintValue(pointer.Target, verb, depth + 1);
                    return;
                case IDictionary map:
                {
                    // %#v is Go syntax: map[string]interface {}{"a":1, "b":2}; otherwise map[a:1 b:2].
                    Buf.Append(_sharpV ? GoValues.TypeName(map) + "{" : "map[");
                    bool first = true;
                    foreach (var kv in GoValues.SortedEntries(map))
                    {
                        if (!first)
                        {
                            Buf.Append(_sharpV ? ", " : " ");
                        }

                        first = false;
                        PrintValue(kv.Key, verb, depth + 1);
                        Buf.Append(':');
                        PrintValue(kv.Value, verb, depth + 1);
                    }
                    Buf.Append(_sharpV ? '}' : ']');
                    return;
                }
                case IList list:
                {
                    Buf.Append(_sharpV ? GoValues.TypeName(list) + "{" : "[");
                    for (int i = 0; i < list.Count; i++)
                    {
                        if (i > 0)
                        {
                            Buf.Append(_sharpV ? ", " : " ");
                        }

                        PrintValue(list[i], verb, depth + 1);
                    }
                    Buf.Append(_sharpV ? '}' : ']');
                    return;
                }
            }
            var type = value.GetType();
            if (IsStringer(type) && verb is 'v' or 's' or 'x' or 'X' or 'q')
            {
                HandleStringer(value.ToString() ?? "", verb);
                return;
            }
            if (value is IEnumerable seq && value is not IDictionary)
            {
                Buf.Append('[');
                bool first = true;
                foreach (var item in seq)
                {
                    if (!first)
                    {
                        Buf.Append(' ');
                    }

                    first = false;
                    PrintValue(item, verb, depth + 1);
                }
                Buf.Append(']');
                return;
            }
            // Other objects print like Go structs; reference types are pointers, shown with & by fmt.
            if (depth == 0 && !type.IsValueType && !Indirect)
            {
                Buf.Append('&');
            }

            Buf.Append('{');
            bool firstMember = true;
            foreach (var (name, getter) in GoMemberAccess.Default.Members(type))
            {
                if (!firstMember)
                {
                    Buf.Append(' ');
                }

                firstMember = false;
                if (_plusV || _sharpV)
                {
                    Buf.Append(name).Append(':');
                }

                PrintValue(getter(value), verb, depth + 1);
            }
            Buf.Append('}');
        }

        private void HandleStringer(string s, int verb)
        {
            if (verb is 'v' or 's' or 'x' or 'X' or 'q')
            {
                FmtString(s, verb);
            }
            else
            {
                BadVerb(verb);
            }
        }

        private void BadVerb(int verb)
        {
            Buf.Append("%!").Append(char.ConvertFromUtf32(verb)).Append('(');
            if (_arg is not null and not GoMissing)
            {
                Buf.Append(GoValues.TypeName(_arg)).Append('=');
                var saved = _arg;
                PrintValue(_arg, 'v', 0);
                _arg = saved;
            }
            else
            {
                Buf.Append("<nil>");
            }

            Buf.Append(')');
        }

        private void FmtBool(bool b, int verb)
        {
            if (verb is 't' or 'v')
            {
                Pad(b ? "true" : "false");
            }
            else
            {
                BadVerb(verb);
            }
        }

        private void FmtString(string s, int verb)
        {
            switch (verb)
            {
                case 'v':
                    if (_sharpV)
                    {
                        FmtQ(s);
                    }
                    else
                    {
                        FmtS(s);
                    }

                    return;
                case 's':
                    FmtS(s);
                    return;
                case 'x':
                    FmtSbx(Encoding.UTF8.GetBytes(s), "0123456789abcdef");
                    return;
                case 'X':
                    FmtSbx(Encoding.UTF8.GetBytes(s), "0123456789ABCDEF");
                    return;
                case 'q':
                    FmtQ(s);
                    return;
                default:
                    BadVerb(verb);
                    return;
            }
        }

        private string Truncate(string s)
        {
            if (!_precPresent)
            {
                return s;
            }

            int n = 0;
            for (int i = 0; i < s.Length; i++)
            {
                if (char.IsLowSurrogate(s[i]))
                {
                    continue;
                }

                if (n == _prec)
                {
                    return s[..i];
                }

                n++;
            }
            return s;
        }

        private void FmtS(string s) => Pad(Truncate(s));

        private void FmtQ(string s)
        {
            s = Truncate(s);
            if (_sharp && CanBackquote(s))
            {
                Pad("`" + s + "`");
            }
            else
            {
                Pad(_plus ? QuoteAscii(s) : Quote(s));
            }
        }

        private void FmtSbx(byte[] b, string digits)
        {
            int length = b.Length;
            if (_precPresent && _prec < length)
            {
                length = _prec;
            }

            int width = 2 * length;
            if (width > 0)
            {
                if (_space)
                {
                    if (_sharp)
                    {
                        width *= 2;
                    }

                    width += length - 1;
                }
                else if (_sharp)
                {
                    width += 2;
                }
            }
            else
            {
                if (_widPresent)
                {
                    WritePadding(_wid);
                }

                return;
            }
            if (_widPresent && _wid > width && !_minus)
            {
                WritePadding(_wid - width);
            }

            if (_sharp && !_space)
            {
                Buf.Append('0').Append(digits[15] == 'f' ? 'x' : 'X');
            }

            for (int i = 0; i < length; i++)
            {
                if (_space)
                {
                    if (i > 0)
                    {
                        Buf.Append(' ');
                    }

                    if (_sharp)
                    {
                        Buf.Append('0').Append(digits[15] == 'f' ? 'x' : 'X');
                    }
                }
                Buf.Append(digits[b[i] >> 4]).Append(digits[b[i] & 0xF]);
            }
            if (_widPresent && _wid > width && _minus)
            {
                WritePadding(_wid - width);
            }
        }

        private void WritePadding(int n)
        {
            if (n <= 0)
            {
                return;
            }

            Buf.Append(_zero ? '0' : ' ', n);
        }

        private static int RuneCount(string s)
        {
            int n = 0;
            foreach (char c in s)
            {
                if (!char.IsLowSurrogate(c))
                {
                    n++;
                }
            }

            return n;
        }

        private void Pad(string s)
        {
            if (!_widPresent || _wid == 0)
            {
                Buf.Append(s);
                return;
            }
            int width = _wid - RuneCount(s);
            if (!_minus)
            {
                WritePadding(width);
                Buf.Append(s);
            }
            else
            {
                Buf.Append(s);
                WritePadding(width);
            }
        }

        private void PadNoZero(string s)
        {
            bool z = _zero;
            _zero = false;
            Pad(s);
            _zero = z;
        }

        private void FmtInteger(ulong u, bool isSigned, int verb)
        {
            switch (verb)
            {
                case 'v' when _sharpV && !isSigned:
                    // Go syntax for unsigned integers is hexadecimal with 0x (fmt's fmt0x64).
                    _sharp = true;
                    FmtIntegerBase(u, 16, false, verb, "0123456789abcdef");
                    _sharp = false;
                    return;
                case 'v' or 'd':
                    FmtIntegerBase(u, 10, isSigned, verb, "0123456789abcdef");
                    return;
                case 'b':
                    FmtIntegerBase(u, 2, isSigned, verb, "0123456789abcdef");
                    return;
                case 'o' or 'O':
                    FmtIntegerBase(u, 8, isSigned, verb, "0123456789abcdef");
                    return;
                case 'x':
                    FmtIntegerBase(u, 16, isSigned, verb, "0123456789abcdef");
                    return;
                case 'X':
                    FmtIntegerBase(u, 16, isSigned, verb, "0123456789ABCDEF");
                    return;
                case 'c':
                    PadNoZero(RuneString(u));
                    return;
                case 'q':
                    PadNoZero(QuoteRune(u > 0x10FFFF ? 0xFFFD : (int)u, _plus));
                    return;
                case 'U':
                    FmtUnicode(u);
                    return;
                default:
                    BadVerb(verb);
                    return;
            }
        }

        private static string RuneString(ulong u)
        {
            int r = u > 0x10FFFF || (u >= 0xD800 && u < 0xE000) ? 0xFFFD : (int)u;
            return char.ConvertFromUtf32(r);
        }

        private void FmtUnicode(ulong u)
        {
            var s = "U+" + u.ToString("X", CultureInfo.InvariantCulture).PadLeft(
                _precPresent && _prec > 4 ? _prec : 4, '0');
            if (_sharp && u <= 0x10FFFF && IsPrint((int)u))
            {
                s += " '" + char.ConvertFromUtf32((int)u) + "'";
            }

            PadNoZero(s);
        }

        private void FmtIntegerBase(ulong u, int b, bool isSigned, int verb, string digits)
        {
            bool negative = isSigned && (long)u < 0;
            if (negative)
            {
                u = unchecked((ulong)(-(long)u));
            }

            int prec = 0;
            if (_precPresent)
            {
                prec = _prec;
                if (prec == 0 && u == 0)
                {
                    bool z = _zero;
                    _zero = false;
                    WritePadding(_wid);
                    _zero = z;
                    return;
                }
            }
            else if (_zero && !_minus && _widPresent)
            {
                prec = _wid;
                if (negative || _plus || _space)
                {
                    prec--;
                }
            }
            var rev = new StringBuilder();
            do
            {
                rev.Append(digits[(int)(u % (ulong)b)]);
                u /= (ulong)b;
            } while (u > 0);
            while (rev.Length < prec)
            {
                rev.Append('0');
            }

            if (_sharp)
            {
                switch (b)
                {
                    case 2:
                        rev.Append('b').Append('0');
                        break;
                    case 8:
                        if (rev[^1] != '0')
                        {
                            rev.Append('0');
                        }

                        break;
                    case 16:
                        rev.Append(digits[15] == 'f' ? 'x' : 'X').Append('0');
                        break;
                }
            }
            if (verb == 'O')
            {
                rev.Append('o').Append('0');
            }

            if (negative)
            {
                rev.Append('-');
            }
            else if (_plus)
            {
                rev.Append('+');
            }
            else if (_space)
            {
                rev.Append(' ');
            }

            var chars = rev.ToString().ToCharArray();
            Array.Reverse(chars);
            PadNoZero(new string(chars));
        }

        private void FmtFloat(double v, int size, int verb)
        {
            switch (verb)
            {
                case 'v':
                    FmtFloatWith(v, size, 'g', -1);
                    return;
                case 'g' or 'G':
                    FmtFloatWith(v, size, (char)verb, -1);
                    return;
                case 'f' or 'F' or 'e' or 'E':
                    FmtFloatWith(v, size, (char)verb, 6);
                    return;
                default:
                    BadVerb(verb);
                    return;
            }
        }

        private void FmtFloatWith(double v, int size, char verb, int prec)
        {
            if (_precPresent)
            {
                prec = _prec;
            }

            string num = GoFloat.Format(v, verb, prec, size);
            if (num[0] != '-' && num[0] != '+')
            {
                num = "+" + num;
            }

            if (_space && num[0] == '+' && !_plus)
            {
                num = " " + num[1..];
            }

            if (num[1] == 'I' || num[1] == 'N')
            {
                if (num[1] == 'N' && !_space && !_plus)
                {
                    num = num[1..];
                }

                PadNoZero(num);
                return;
            }
            if (_sharp && verb != 'b')
            {
                num = SharpFloat(num, verb, prec);
            }
            if (_plus || num[0] != '+')
            {
                if (_zero && !_minus && _widPresent && _wid > num.Length)
                {
                    Buf.Append(num[0]);
                    WritePadding(_wid - num.Length);
                    Buf.Append(num, 1, num.Length - 1);
                    return;
                }
                Pad(num);
                return;
            }
            Pad(num[1..]);
        }

        /// <summary>The # flag: keep a decimal point, and for %g keep trailing zeros up to the precision.</summary>
        private static string SharpFloat(string num, char verb, int prec)
        {
            int digits = 0;
            if (verb is 'v' or 'g' or 'G' or 'x')
            {
                digits = prec;
                if (digits == -1)
                {
                    digits = 6;
                }
            }
            string tail = "";
            int e = num.IndexOfAny(['e', 'E']);
            if (e >= 0)
            {
                tail = num[e..];
                num = num[..e];
            }
            bool sawNonzero = false;
            bool sawDot = false;
            for (int i = 1; i < num.Length; i++)
            {
                char c = num[i];
                if (c == '.')
                {
                    sawDot = true;
                }
                else if (c is >= '1' and <= '9' || sawNonzero)
                {
                    sawNonzero = true;
                    digits--;
                }
                else if (c == '0' && !sawNonzero)
                { }
            }
            if (!sawDot)
            {
                if (num.Length == 2 && num[1] == '0')
                {
                    digits--;
                }

                num += ".";
            }
            if (verb is 'g' or 'G' or 'v')
            {
                while (digits-- > 0)
                {
                    num += "0";
                }
            }

            return num + tail;
        }
    }
}
