// Port of encode.go and parse.go (github.com/BurntSushi/toml v1.4).
using System.Collections;
using System.Globalization;
using System.Text;

namespace LxdCompose.GoTemplates.Functions;

/// <summary>
/// TOML for Helm's <c>toToml</c>/<c>fromToml</c>. The encoder writes what BurntSushi/toml v1.4's Encoder writes for
/// template data (keys sorted, plain values before tables, tables indented two spaces per level, floats with a
/// decimal point, nil values left out); the decoder reads TOML 1.0 into maps, lists, strings, int64 (long), float64,
/// bools and dates (DateTimeOffset; local dates and times count as UTC).
/// </summary>
internal static class GoToml
{
    private enum TomlKind { Nil, Integer, Float, Datetime, String, Bool, Array, Hash, ArrayHash }

    /// <summary>Encodes; failures throw <see cref="GoFunctionException"/> with BurntSushi's texts.</summary>
    public static string Marshal(object? value)
    {
        var encoder = new Encoder();
        encoder.Encode([], value);
        return encoder.Text;
    }

    public static Dictionary<string, object?> Unmarshal(string text) => new Decoder(text).Parse();

    private static TomlKind KindOf(object? v) => v switch
    {
        null or GoMissing => TomlKind.Nil,
        bool => TomlKind.Bool,
        long or int or short or sbyte or ulong or uint or ushort or byte => TomlKind.Integer,
        double or float => TomlKind.Float,
        string => TomlKind.String,
        DateTimeOffset or DateTime => TomlKind.Datetime,
        IDictionary => TomlKind.Hash,
        IList list => IsTableArray(list) ? TomlKind.ArrayHash : TomlKind.Array,
        _ => throw new GoFunctionException("unsupported type: " + GoValues.TypeName(v)),
    };

    private static bool IsTableArray(IList list)
    {
        if (list.Count == 0)
        {
            return false;
        }

        bool tables = true;
        foreach (var item in list)
        {
            var kind = KindOf(item);
            if (kind == TomlKind.Nil)
            {
                throw new GoFunctionException("toml: cannot encode array with nil element");
            }

            if (kind != TomlKind.Hash)
            {
                tables = false;
            }
        }
        return tables;
    }

    private static bool IsBareKey(string key) =>
        key.Length > 0 && key.All(c => c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '_' or '-');

    private static string KeyPiece(string key) => IsBareKey(key) ? key : Quote(key);

    private static string KeyText(IReadOnlyList<string> key) => string.Join(".", key.Select(KeyPiece));

    private static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2).Append('"');
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
                case '\b':
                    sb.Append("\\b");
                    break;
                case '\t':
                    sb.Append("\\t");
                    break;
                case '\n':
                    sb.Append("\\n");
                    break;
                case '\f':
                    sb.Append("\\f");
                    break;
                case '\r':
                    sb.Append("\\r");
                    break;
                case < ' ' or '\x7f':
                    sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }

    private sealed class Encoder
    {
        private readonly StringBuilder _out = new();
        private bool _hasWritten;

        public string Text => _out.ToString();

        private void Write(string s)
        {
            _out.Append(s);
            _hasWritten = true;
        }

        private void NewLine()
        {
            if (_hasWritten)
            {
                Write("\n");
            }
        }

        private static string Indent(IReadOnlyList<string> key) => new(' ', 2 * Math.Max(0, key.Count - 1));

        public void Encode(List<string> key, object? value)
        {
            StackGuard.Check();
            switch (KindOf(value))
            {
                case TomlKind.Nil:
                    return;
                case TomlKind.Hash:
                    EncodeTable(key, (IDictionary)value!);
                    return;
                case TomlKind.ArrayHash:
                    if (key.Count == 0)
                    {
                        throw new GoFunctionException("toml: top-level values must be Go maps or structs");
                    }

                    foreach (var item in (IList)value!)
                    {
                        NewLine();
                        Write($"{Indent(key)}[[{KeyText(key)}]]");
                        NewLine();
                        EncodeMap(key, (IDictionary)item!, inline: false);
                    }
                    return;
                default:
                    WriteKeyValue(key, value, inline: false);
                    return;
            }
        }

        private void EncodeTable(List<string> key, IDictionary map)
        {
            if (key.Count == 1)
            {
                NewLine();
            }

            if (key.Count > 0)
            {
                Write($"{Indent(key)}[{KeyText(key)}]");
                NewLine();
            }
            EncodeMap(key, map, inline: false);
        }

        private void EncodeMap(List<string> key, IDictionary map, bool inline)
        {
            var direct = new List<string>();
            var tables = new List<string>();
            foreach (DictionaryEntry entry in map)
            {
                if (entry.Key is not string name)
                {
                    throw new GoFunctionException("toml: cannot encode a map with non-string key type");
                }

                (KindOf(entry.Value) is TomlKind.Hash or TomlKind.ArrayHash ? tables : direct).Add(name);
            }
            if (inline)
            {
                Write("{");
            }

            WriteKeys(direct, tables.Count > 0);
            WriteKeys(tables, false);
            if (inline)
            {
                Write("}");
            }

            void WriteKeys(List<string> names, bool trailingComma)
            {
                names.Sort(string.CompareOrdinal);
                for (int i = 0; i < names.Count; i++)
                {
                    var value = map[names[i]];
                    if (value is null or GoMissing)
                    {
                        continue;
                    }

                    if (inline)
                    {
                        WriteKeyValue([names[i]], value, inline: true);
                        if (trailingComma || i != names.Count - 1)
                        {
                            Write(", ");
                        }
                    }
                    else
                    {
                        Encode([.. key, names[i]], value);
                    }
                }
            }
        }

        private void WriteKeyValue(List<string> key, object? value, bool inline)
        {
            if (key.Count == 0)
            {
                WriteElement(value);
                return;
            }
            Write($"{Indent(key)}{KeyPiece(key[^1])} = ");
            WriteElement(value);
            if (!inline)
            {
                NewLine();
            }
        }

        private void WriteElement(object? value)
        {
            StackGuard.Check();
            switch (value)
            {
                case string s:
                    Write(Quote(s));
                    break;
                case bool b:
                    Write(b ? "true" : "false");
                    break;
                case double d:
                    Write(FormatFloat(d, 64));
                    break;
                case float f:
                    Write(FormatFloat(f, 32));
                    break;
                case DateTimeOffset t:
                    Write(FormatTime(t));
                    break;
                case DateTime t:
                    Write(FormatTime(new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc))));
                    break;
                case IDictionary map:
                    EncodeMap([], map, inline: true);
                    break;
                case IList list:
                    Write("[");
                    for (int i = 0; i < list.Count; i++)
                    {
                        WriteElement(list[i]);
                        if (i != list.Count - 1)
                        {
                            Write(", ");
                        }
                    }
                    Write("]");
                    break;
                case IFormattable n when KindOf(value) == TomlKind.Integer:
                    Write(n.ToString(null, CultureInfo.InvariantCulture));
                    break;
                default:
                    throw new GoFunctionException("unexpected type: " + (value is null ? "<nil>" : GoValues.TypeName(value)));
            }
        }

        private static string FormatFloat(double f, int bits)
        {
            if (double.IsNaN(f))
            {
                return double.IsNegative(f) ? "-nan" : "nan";
            }

            if (double.IsInfinity(f))
            {
                return f < 0 ? "-inf" : "inf";
            }

            var s = GoFloat.Format(f, 'f', -1, bits);
            return s.Contains('.', StringComparison.Ordinal) ? s : s + ".0";
        }

        /// <summary>RFC 3339 with nanoseconds as needed (time.RFC3339Nano).</summary>
        private static string FormatTime(DateTimeOffset t)
        {
            var sb = new StringBuilder(t.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
            long ticks = t.Ticks % TimeSpan.TicksPerSecond;
            if (ticks != 0)
            {
                sb.Append('.').Append((ticks * 100).ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0'));
            }

            if (t.Offset == TimeSpan.Zero)
            {
                sb.Append('Z');
            }
            else
            {
                sb.Append(t.ToString("zzz", CultureInfo.InvariantCulture));
            }

            return sb.ToString();
        }
    }

    /// <summary>A recursive-descent TOML 1.0 reader; errors read "toml: line N: …" like BurntSushi's ParseError.</summary>
    private sealed class Decoder
    {
        private readonly string _s;
        private int _pos;
        private readonly Dictionary<string, object?> _root = new(StringComparer.Ordinal);

        // Tables created by a header or as a dotted-key parent, and inline tables/arrays that may not be extended.
        private readonly HashSet<object> _explicitTables = new(ReferenceEqualityComparer.Instance);
        private readonly HashSet<object> _frozen = new(ReferenceEqualityComparer.Instance);
        private readonly HashSet<object> _tableArrays = new(ReferenceEqualityComparer.Instance);

        public Decoder(string text) => _s = text.Replace("\r\n", "\n", StringComparison.Ordinal);

        private int Line => 1 + _s.AsSpan(0, Math.Min(_pos, _s.Length)).Count('\n');

        private GoFunctionException Fail(string message) => new($"toml: line {Line}: {message}");

        private char Peek(int ahead = 0) => _pos + ahead < _s.Length ? _s[_pos + ahead] : '\0';

        private bool AtEnd => _pos >= _s.Length;

        private static string Q(char c) => c == '\0' ? "EOF" : "'" + c + "'";

        public Dictionary<string, object?> Parse()
        {
            var current = _root;
            while (true)
            {
                SkipSpaceAndComments(newlines: true);
                if (AtEnd)
                {
                    return _root;
                }

                if (Peek() == '[')
                {
                    bool array = Peek(1) == '[';
                    _pos += array ? 2 : 1;
                    SkipSpace();
                    var key = ReadKey();
                    SkipSpace();
                    if (Peek() != ']' || (array && Peek(1) != ']'))
                    {
                        throw Fail(array
                            ? $"expected end of table array name delimiter ']', but got {Q(Peek(Peek() == ']' ? 1 : 0))} instead"
                            : $"expected '.' or ']' to end table name, but got {Q(Peek())} instead");
                    }

                    _pos += array ? 2 : 1;
                    current = array ? OpenTableArray(key) : OpenTable(key);
                }
                else
                {
                    ReadKeyValue(current);
                }
                SkipSpace();
                if (Peek() == '#')
                {
                    SkipComment();
                }

                if (!AtEnd && Peek() != '\n')
                {
                    throw Fail($"expected a top-level item to end with a newline, comment, or EOF, but got {Q(Peek())} instead");
                }
            }
        }

        private Dictionary<string, object?> OpenTable(List<string> key)
        {
            var table = Descend(_root, key.Take(key.Count - 1), key);
            var last = key[^1];
            if (table.TryGetValue(last, out var existing))
            {
                if (existing is Dictionary<string, object?> d && !_explicitTables.Contains(d) && !_frozen.Contains(d))
                {
                    _explicitTables.Add(d);
                    return d;
                }
                throw Fail($"Key '{string.Join(".", key)}' has already been defined.");
            }
            var created = new Dictionary<string, object?>(StringComparer.Ordinal);
            _explicitTables.Add(created);
            table[last] = created;
            return created;
        }

        private Dictionary<string, object?> OpenTableArray(List<string> key)
        {
            var table = Descend(_root, key.Take(key.Count - 1), key);
            var last = key[^1];
            if (!table.TryGetValue(last, out var existing))
            {
                existing = new List<object?>();
                _tableArrays.Add(existing);
                table[last] = existing;
            }
            if (existing is not List<object?> list || !_tableArrays.Contains(list))
            {
                throw Fail($"Key '{string.Join(".", key)}' was already created and cannot be used as an array.");
            }

            var item = new Dictionary<string, object?>(StringComparer.Ordinal);
            list.Add(item);
            return item;
        }

        /// <summary>Walks to the table named by <paramref name="path"/>, creating implicit tables; the last element of a table array counts.</summary>
        private Dictionary<string, object?> Descend(Dictionary<string, object?> table, IEnumerable<string> path, List<string> fullKey)
        {
            foreach (var part in path)
            {
                if (!table.TryGetValue(part, out var next))
                {
                    var created = new Dictionary<string, object?>(StringComparer.Ordinal);
                    table[part] = created;
                    table = created;
                    continue;
                }
                if (next is List<object?> list && _tableArrays.Contains(list) && list.Count > 0)
                {
                    next = list[^1];
                }

                if (next is not Dictionary<string, object?> d || _frozen.Contains(d))
                {
                    throw Fail($"Key '{string.Join(".", fullKey)}' has already been defined.");
                }

                table = d;
            }
            return table;
        }

        private void ReadKeyValue(Dictionary<string, object?> table)
        {
            var key = ReadKey();
            SkipSpace();
            if (Peek() != '=')
            {
                throw AtEnd ? Fail("unexpected EOF; expected key separator '='") : Fail($"expected '.' or '=', but got {Q(Peek())} instead");
            }

            _pos++;
            SkipSpace();
            var target = key.Count == 1 ? table : DottedParent(table, key);
            var value = ReadValue();
            if (target.ContainsKey(key[^1]))
            {
                throw Fail($"Key '{string.Join(".", key)}' has already been defined.");
            }

            target[key[^1]] = value;
        }

        private Dictionary<string, object?> DottedParent(Dictionary<string, object?> table, List<string> key)
        {
            foreach (var part in key.Take(key.Count - 1))
            {
                if (!table.TryGetValue(part, out var next))
                {
                    var created = new Dictionary<string, object?>(StringComparer.Ordinal);
                    table[part] = created;
                    table = created;
                    continue;
                }
                if (next is not Dictionary<string, object?> d || _frozen.Contains(d) || _explicitTables.Contains(d))
                {
                    throw Fail($"Key '{string.Join(".", key)}' has already been defined.");
                }

                table = d;
            }
            return table;
        }

        private List<string> ReadKey()
        {
            var parts = new List<string>();
            while (true)
            {
                SkipSpace();
                char c = Peek();
                if (c == '"')
                {
                    parts.Add(ReadBasicString());
                }
                else if (c == '\'')
                {
                    parts.Add(ReadLiteralString());
                }
                else
                {
                    int start = _pos;
                    while (!AtEnd && Peek() is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '_' or '-')
                    {
                        _pos++;
                    }

                    if (start == _pos)
                    {
                        if (c == '=')
                        {
                            throw Fail("unexpected '=': key name appears blank");
                        }

                        if (c == '.')
                        {
                            throw Fail("unexpected '.': keys cannot start with a '.'");
                        }

                        if (c is '\n' or '\0')
                        {
                            throw Fail("unexpected EOF; expected key separator '='");
                        }

                        throw Fail($"expected '.' or '=', but got {Q(c)} instead");
                    }
                    parts.Add(_s[start.._pos]);
                }
                SkipSpace();
                if (Peek() != '.')
                {
                    return parts;
                }

                _pos++;
            }
        }

        private object? ReadValue()
        {
            char c = Peek();
            switch (c)
            {
                case '"':
                    return Peek(1) == '"' && Peek(2) == '"' ? ReadMultilineBasic() : ReadBasicString();
                case '\'':
                    return Peek(1) == '\'' && Peek(2) == '\'' ? ReadMultilineLiteral() : ReadLiteralString();
                case '[':
                    return ReadArray();
                case '{':
                    return ReadInlineTable();
                case '\0' or '\n':
                    throw Fail("unexpected EOF; expected value");
            }
            int start = _pos;
            while (!AtEnd && Peek() is not (',' or ']' or '}' or '\n' or '#') &&
                   !(Peek() == ' ' && !(IsDateAt(start) && char.IsAsciiDigit(Peek(1)))))
            {
                _pos++;
            }

            var token = _s[start.._pos].TrimEnd(' ', '\t');
            _pos = start + token.Length;
            return Scalar(token);
        }

        private bool IsDateAt(int start) => _s.Length - start >= 10 && _s[start + 4] == '-' && _s[start + 7] == '-';

        private object Scalar(string t)
        {
            switch (t)
            {
                case "true":
                    return true;
                case "false":
                    return false;
                case "inf" or "+inf":
                    return double.PositiveInfinity;
                case "-inf":
                    return double.NegativeInfinity;
                case "nan" or "+nan" or "-nan":
                    return double.NaN;
            }
            if (t.Length == 0)
            {
                throw Fail($"expected value but found {Q(Peek())} instead");
            }

            if (t.Length >= 8 && (t.Length > 2 && t[2] == ':' || IsDateAt(_pos - t.Length)))
            {
                return Date(t);
            }

            if (t.StartsWith("0x", StringComparison.Ordinal))
            {
                return Radix(t, 16, "not a hexidecimal number");
            }

            if (t.StartsWith("0o", StringComparison.Ordinal))
            {
                return Radix(t, 8, "not an octal number");
            }

            if (t.StartsWith("0b", StringComparison.Ordinal))
            {
                return Radix(t, 2, "not a binary number");
            }

            if (!ValidNumber(t))
            {
                throw Fail($"expected value but found {Q(t[0])} instead");
            }

            var plain = t.Replace("_", "", StringComparison.Ordinal);
            bool isFloat = plain.IndexOfAny(['.', 'e', 'E']) >= 0;
            if (!isFloat)
            {
                if (long.TryParse(plain, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
                {
                    return l;
                }

                throw Fail($"Integer '{t}' is out of the range of 64-bit signed integers.");
            }
            if (double.TryParse(plain, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
            {
                return d;
            }

            throw Fail($"invalid float: '{t}'");
        }

        /// <summary>Decimal numbers: optional sign, no leading zeros, underscores only between digits.</summary>
        private static bool ValidNumber(string t)
        {
            int i = t.Length > 0 && t[0] is '+' or '-' ? 1 : 0;
            if (i >= t.Length || !char.IsAsciiDigit(t[i]))
            {
                return false;
            }

            var intEnd = i;
            while (intEnd < t.Length && (char.IsAsciiDigit(t[intEnd]) || t[intEnd] == '_'))
            {
                intEnd++;
            }

            if (intEnd - i > 1 && t[i] == '0')
            {
                return false;
            }

            for (int k = i; k < t.Length; k++)
            {
                char c = t[k];
                if (c == '_' && (k == i || !char.IsAsciiDigit(t[k - 1]) || k + 1 >= t.Length || !char.IsAsciiDigit(t[k + 1])))
                {
                    return false;
                }

                if (!(char.IsAsciiDigit(c) || c is '_' or '.' or 'e' or 'E' or '+' or '-'))
                {
                    return false;
                }

                if (c == '.' && (k + 1 >= t.Length || !char.IsAsciiDigit(t[k + 1])))
                {
                    return false;
                }
            }
            return true;
        }

        private long Radix(string t, int radix, string what)
        {
            var digits = t[2..].Replace("_", "", StringComparison.Ordinal);
            try
            {
                if (digits.Length == 0)
                {
                    throw new FormatException();
                }

                return Convert.ToInt64(digits, radix);
            }
            catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
            {
                throw Fail($"{what}: '{t}'");
            }
        }

        private object Date(string t)
        {
            var styles = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;
            var normalized = t.Replace(' ', 'T').Replace('t', 'T').Replace('z', 'Z');
            string[] offsetFormats = ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK"];
            if (normalized.Length > 19 && (normalized.EndsWith('Z') || normalized[^6] is '+' or '-'))
            {
                var trimmed = TrimFraction(normalized);
                if (DateTimeOffset.TryParseExact(trimmed, offsetFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var withOffset))
                {
                    return withOffset;
                }
            }
            string[] localFormats = ["yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd", "HH:mm:ss", "HH:mm:ss.FFFFFFF"];
            if (DateTime.TryParseExact(TrimFraction(normalized), localFormats, CultureInfo.InvariantCulture, styles, out var local))
            {
                return new DateTimeOffset(local, TimeSpan.Zero);
            }

            throw Fail($"invalid datetime: \"{t}\"");
        }

        /// <summary>.NET reads at most 7 fraction digits; TOML allows more (precision beyond 100 ns is dropped).</summary>
        private static string TrimFraction(string t)
        {
            int dot = t.IndexOf('.', StringComparison.Ordinal);
            if (dot < 0)
            {
                return t;
            }

            int end = dot + 1;
            while (end < t.Length && char.IsAsciiDigit(t[end]))
            {
                end++;
            }

            return end - dot - 1 > 7 ? t[..(dot + 8)] + t[end..] : t;
        }

        private List<object?> ReadArray()
        {
            _pos++;
            var list = new List<object?>();
            while (true)
            {
                SkipSpaceAndComments(newlines: true);
                if (Peek() == ']')
                {
                    _pos++;
                    _frozen.Add(list);
                    return list;
                }
                if (Peek() == ',')
                {
                    throw Fail("unexpected comma");
                }

                list.Add(ReadValue());
                SkipSpaceAndComments(newlines: true);
                if (Peek() == ',')
                {
                    _pos++;
                    continue;
                }
                if (Peek() != ']')
                {
                    throw Fail($"expected a comma (',') or array terminator (']'), but got {(AtEnd ? "EOF" : Q(Peek()))}");
                }
            }
        }

        private Dictionary<string, object?> ReadInlineTable()
        {
            _pos++;
            var table = new Dictionary<string, object?>(StringComparer.Ordinal);
            SkipSpace();
            if (Peek() == '}')
            {
                _pos++;
                _frozen.Add(table);
                return table;
            }
            while (true)
            {
                SkipSpace();
                ReadKeyValue(table);
                SkipSpace();
                if (Peek() == ',')
                {
                    _pos++;
                    SkipSpace();
                    if (Peek() == '}')
                    {
                        throw Fail("trailing comma not allowed in inline tables");
                    }

                    continue;
                }
                if (Peek() == '}')
                {
                    _pos++;
                    Freeze(table);
                    return table;
                }
                throw Fail($"expected a comma or an inline table terminator '}}', but got {(AtEnd ? "EOF" : Q(Peek()))} instead");
            }
        }

        private void Freeze(Dictionary<string, object?> table)
        {
            StackGuard.Check();
            _frozen.Add(table);
            foreach (var v in table.Values)
            {
                if (v is Dictionary<string, object?> d)
                {
                    Freeze(d);
                }
            }
        }

        private string ReadBasicString()
        {
            _pos++;
            var sb = new StringBuilder();
            while (true)
            {
                if (AtEnd || Peek() == '\n')
                {
                    throw Fail("unexpected EOF; expected '\"'");
                }

                char c = _s[_pos++];
                if (c == '"')
                {
                    return sb.ToString();
                }

                if (c == '\\')
                {
                    ReadEscape(sb);
                }
                else if (c < ' ' && c != '\t' || c == '\x7f')
                {
                    throw Fail($"control characters are not allowed in strings: '\\x{(int)c:x2}'");
                }
                else
                {
                    sb.Append(c);
                }
            }
        }

        private string ReadMultilineBasic()
        {
            _pos += 3;
            if (Peek() == '\n')
            {
                _pos++;
            }

            var sb = new StringBuilder();
            while (true)
            {
                if (AtEnd)
                {
                    throw Fail("unexpected EOF; expected '\"\"\"'");
                }

                if (Peek() == '"' && Peek(1) == '"' && Peek(2) == '"')
                {
                    int quotes = 3;
                    while (Peek(quotes) == '"' && quotes < 5)
                    {
                        quotes++;
                    }

                    sb.Append('"', quotes - 3);
                    _pos += quotes;
                    return sb.ToString();
                }
                char c = _s[_pos++];
                if (c != '\\')
                {
                    sb.Append(c);
                    continue;
                }
                // A backslash at the end of a line trims the newline and the whitespace after it.
                int look = _pos;
                while (look < _s.Length && _s[look] is ' ' or '\t')
                {
                    look++;
                }

                if (look < _s.Length && _s[look] == '\n')
                {
                    _pos = look;
                    while (!AtEnd && Peek() is ' ' or '\t' or '\n')
                    {
                        _pos++;
                    }

                    continue;
                }
                ReadEscape(sb);
            }
        }

        private void ReadEscape(StringBuilder sb)
        {
            char e = Peek();
            _pos++;
            switch (e)
            {
                case 'b':
                    sb.Append('\b');
                    break;
                case 't':
                    sb.Append('\t');
                    break;
                case 'n':
                    sb.Append('\n');
                    break;
                case 'f':
                    sb.Append('\f');
                    break;
                case 'r':
                    sb.Append('\r');
                    break;
                case '"':
                    sb.Append('"');
                    break;
                case '\\':
                    sb.Append('\\');
                    break;
                case 'u' or 'U':
                {
                    int n = e == 'u' ? 4 : 8;
                    var hex = _pos + n <= _s.Length ? _s.Substring(_pos, n) : _s[_pos..];
                    if (hex.Length != n || !int.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code) ||
                        code > 0x10FFFF || code is >= 0xD800 and <= 0xDFFF)
                    {
                        throw Fail(e == 'u'
                            ? $"expected four hexadecimal digits after '\\u', but got \"{hex}\" instead"
                            : $"expected eight hexadecimal digits after '\\U', but got \"{hex}\" instead");
                    }

                    sb.Append(char.ConvertFromUtf32(code));
                    _pos += n;
                    break;
                }
                default:
                    throw Fail($"invalid escape character {Q(e)}; only the following escape characters are allowed: \\b, \\t, \\n, \\f, \\r, \\\", \\\\, \\uXXXX, and \\UXXXXXXXX");
            }
        }

        private string ReadLiteralString()
        {
            _pos++;
            int start = _pos;
            while (!AtEnd && Peek() != '\'' && Peek() != '\n')
            {
                _pos++;
            }

            if (Peek() != '\'')
            {
                throw Fail("unexpected EOF; expected \"'\"");
            }

            return _s[start.._pos++];
        }

        private string ReadMultilineLiteral()
        {
            _pos += 3;
            if (Peek() == '\n')
            {
                _pos++;
            }

            int end = _s.IndexOf("'''", _pos, StringComparison.Ordinal);
            if (end < 0)
            {
                _pos = _s.Length;
                throw Fail("unexpected EOF; expected \"'''\"");
            }
            int quotes = 3;
            while (end + quotes < _s.Length && _s[end + quotes] == '\'' && quotes < 5)
            {
                quotes++;
            }

            var text = _s[_pos..end] + new string('\'', quotes - 3);
            _pos = end + quotes;
            return text;
        }

        private void SkipSpace()
        {
            while (!AtEnd && Peek() is ' ' or '\t')
            {
                _pos++;
            }
        }

        private void SkipComment()
        {
            while (!AtEnd && Peek() != '\n')
            {
                _pos++;
            }
        }

        private void SkipSpaceAndComments(bool newlines)
        {
            while (!AtEnd)
            {
                char c = Peek();
                if (c is ' ' or '\t' || (newlines && c == '\n'))
                {
                    _pos++;
                }
                else if (c == '#')
                {
                    SkipComment();
                }
                else
                {
                    return;
                }
            }
        }
    }
}
