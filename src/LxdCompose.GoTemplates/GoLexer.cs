// Port of src/text/template/parse/lex.go, and the literal parsing of src/strconv/quote.go, atoi.go and atof.go (Go 1.24).
using System.Globalization;

namespace LxdCompose.GoTemplates;

public enum GoTokenKind
{
    Error, Bool, Char, CharConstant, Complex, Assign, Declare, EOF, Field, Identifier, LeftDelim, LeftParen,
    Number, Pipe, RawString, RightDelim, RightParen, Space, String, Text, Variable, Comment,
    // Keywords follow; Keyword itself is only a marker.
    Keyword, Block, Break, Continue, Dot, Define, Else, End, If, Nil, Range, Template, With,
}

public readonly record struct GoToken(GoTokenKind Kind, int Pos, string Value)
{
    /// <summary>How Go's parser names a token in "unexpected X" messages.</summary>
    public string Describe()
    {
        if (Kind == GoTokenKind.EOF)
        {
            return "EOF";
        }

        if (Kind == GoTokenKind.Error)
        {
            return Value;
        }

        if (Kind > GoTokenKind.Keyword)
        {
            return "<" + Value + ">";
        }

        if (Value.Length > 10)
        {
            return GoFormat.Quote(Value[..10]) + "...";
        }

        return GoFormat.Quote(Value);
    }
}

/// <summary>Splits template text into tokens exactly as Go's text/template lexer does (delimiters {{ }}).</summary>
internal sealed class GoLexer
{
    private const string LeftDelim = "{{";
    private const string RightDelim = "}}";

    private readonly string _input;
    private readonly bool _breakOk;
    private readonly bool _continueOk;
    private readonly List<GoToken> _tokens = new();
    private int _pos;
    private int _start;
    private int _parenDepth;

    private GoLexer(string input, bool breakOk, bool continueOk)
    {
        _input = input;
        _breakOk = breakOk;
        _continueOk = continueOk;
    }

    /// <summary>Lexes the whole input; the list ends with an EOF or an Error token.</summary>
    public static List<GoToken> Lex(string input, bool breakOk, bool continueOk)
    {
        var lexer = new GoLexer(input, breakOk, continueOk);
        lexer.Run();
        return lexer._tokens;
    }

    private void Run()
    {
        bool insideAction = false;
        while (true)
        {
            bool ok = insideAction ? LexInsideAction(out insideAction) : LexText(out insideAction);
            if (!ok)
            {
                return;
            }
        }
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n';

    private static bool IsAlphaNumeric(char c) => c == '_' || char.IsLetter(c) || char.IsDigit(c);

    private char Peek() => _pos < _input.Length ? _input[_pos] : '\0';

    private bool AtEnd => _pos >= _input.Length;

    private void Emit(GoTokenKind kind)
    {
        _tokens.Add(new GoToken(kind, _start, _input[_start.._pos]));
        _start = _pos;
    }

    private bool Error(string message)
    {
        _tokens.Add(new GoToken(GoTokenKind.Error, _start, message));
        return false;
    }

    private bool HasLeftTrimMarker(int at) =>
        at + 1 < _input.Length && _input[at] == '-' && IsSpace(_input[at + 1]);

    private bool HasRightTrimMarker(int at) =>
        at + 1 < _input.Length && IsSpace(_input[at]) && _input[at + 1] == '-';

    private (bool Delim, bool Trim) AtRightDelim()
    {
        if (HasRightTrimMarker(_pos) && string.CompareOrdinal(_input, _pos + 2, RightDelim, 0, 2) == 0)
        {
            return (true, true);
        }

        if (string.CompareOrdinal(_input, _pos, RightDelim, 0, 2) == 0 && _pos + 2 <= _input.Length)
        {
            return (true, false);
        }

        return (false, false);
    }

    private int SkipSpaces(int at)
    {
        while (at < _input.Length && IsSpace(_input[at]))
        {
            at++;
        }

        return at;
    }

    private bool LexText(out bool insideAction)
    {
        insideAction = false;
        int x = _input.IndexOf(LeftDelim, _pos, StringComparison.Ordinal);
        if (x < 0)
        {
            _pos = _input.Length;
            if (_pos > _start)
            {
                Emit(GoTokenKind.Text);
            }

            _tokens.Add(new GoToken(GoTokenKind.EOF, _pos, ""));
            return false;
        }
        bool trim = HasLeftTrimMarker(x + LeftDelim.Length);
        int textEnd = x;
        if (trim)
        {
            while (textEnd > _start && IsSpace(_input[textEnd - 1]))
            {
                textEnd--;
            }
        }

        if (textEnd > _start)
        {
            _tokens.Add(new GoToken(GoTokenKind.Text, _start, _input[_start..textEnd]));
        }
        _pos = x;
        _start = x;
        return LexLeftDelim(trim, out insideAction);
    }

    private bool LexLeftDelim(bool trim, out bool insideAction)
    {
        insideAction = false;
        _pos += LeftDelim.Length;
        int afterMarker = _pos + (trim ? 2 : 0);
        if (string.CompareOrdinal(_input, afterMarker, "/*", 0, 2) == 0 && afterMarker + 2 <= _input.Length)
        {
            _pos = afterMarker;
            _start = afterMarker;
            return LexComment();
        }
        Emit(GoTokenKind.LeftDelim);
        _pos = afterMarker;
        _start = _pos;
        _parenDepth = 0;
        insideAction = true;
        return true;
    }

    private bool LexComment()
    {
        int end = _input.IndexOf("*/", _pos + 2, StringComparison.Ordinal);
        if (end < 0)
        {
            return Error("unclosed comment");
        }

        _pos = end + 2;
        var (delim, trim) = AtRightDelim();
        if (!delim)
        {
            return Error("comment ends before closing delimiter");
        }

        Emit(GoTokenKind.Comment);
        if (trim)
        {
            _pos += 2;
        }

        _pos += RightDelim.Length;
        if (trim)
        {
            _pos = SkipSpaces(_pos);
        }

        _start = _pos;
        return true;
    }

    private bool LexInsideAction(out bool insideAction)
    {
        insideAction = true;
        var (delim, trim) = AtRightDelim();
        if (delim)
        {
            if (_parenDepth != 0)
            {
                return Error("unclosed left paren");
            }

            if (trim)
            {
                _pos += 2;
                _start = _pos;
            }
            _pos += RightDelim.Length;
            Emit(GoTokenKind.RightDelim);
            if (trim)
            {
                _pos = SkipSpaces(_pos);
            }

            _start = _pos;
            insideAction = false;
            return true;
        }
        if (AtEnd)
        {
            return Error("unclosed action");
        }

        char r = _input[_pos++];
        switch (r)
        {
            case ' ' or '\t' or '\r' or '\n':
                _pos--;
                return LexSpace();
            case '=':
                Emit(GoTokenKind.Assign);
                return true;
            case ':':
                if (Peek() != '=')
                {
                    return Error("expected :=");
                }

                _pos++;
                Emit(GoTokenKind.Declare);
                return true;
            case '|':
                Emit(GoTokenKind.Pipe);
                return true;
            case '"':
                return LexQuote();
            case '`':
                return LexRawQuote();
            case '$':
                return LexFieldOrVariable(GoTokenKind.Variable);
            case '\'':
                return LexChar();
            case '.':
                if (!AtEnd && (_input[_pos] < '0' || _input[_pos] > '9'))
                {
                    return LexFieldOrVariable(GoTokenKind.Field);
                }

                _pos--;
                return LexNumber();
            case '+' or '-' or (>= '0' and <= '9'):
                _pos--;
                return LexNumber();
            case '(':
                Emit(GoTokenKind.LeftParen);
                _parenDepth++;
                return true;
            case ')':
                _parenDepth--;
                if (_parenDepth < 0)
                {
                    return Error("unexpected right paren");
                }

                Emit(GoTokenKind.RightParen);
                return true;
        }
        if (IsAlphaNumeric(r))
        {
            _pos--;
            return LexIdentifier();
        }
        if (r <= 0x7f && !char.IsControl(r))
        {
            Emit(GoTokenKind.Char);
            return true;
        }
        return Error("unrecognized character in action: " + GoFormat.DescribeRune(r));
    }

    private bool LexSpace()
    {
        int numSpaces = 0;
        while (!AtEnd && IsSpace(_input[_pos]))
        {
            _pos++;
            numSpaces++;
        }
        // A space directly before "-}}" belongs to the trim marker.
        if (HasRightTrimMarker(_pos - 1) && string.CompareOrdinal(_input, _pos + 1, RightDelim, 0, 2) == 0)
        {
            _pos--;
            if (numSpaces == 1)
            {
                return true;
            }
        }
        Emit(GoTokenKind.Space);
        return true;
    }

    private bool AtTerminator()
    {
        if (AtEnd)
        {
            return true;
        }

        char r = _input[_pos];
        if (IsSpace(r))
        {
            return true;
        }

        if (r is '.' or ',' or '|' or ':' or ')' or '(')
        {
            return true;
        }

        return string.CompareOrdinal(_input, _pos, RightDelim, 0, 2) == 0;
    }

    private bool LexFieldOrVariable(GoTokenKind kind)
    {
        if (AtTerminator())
        {
            Emit(kind == GoTokenKind.Variable ? GoTokenKind.Variable : GoTokenKind.Dot);
            return true;
        }
        while (!AtEnd && IsAlphaNumeric(_input[_pos]))
        {
            _pos++;
        }

        if (!AtTerminator())
        {
            return Error("bad character " + GoFormat.DescribeRune(_input[_pos]));
        }

        Emit(kind);
        return true;
    }

    private static GoTokenKind KeywordKind(string word) => word switch
    {
        "." => GoTokenKind.Dot,
        "block" => GoTokenKind.Block,
        "break" => GoTokenKind.Break,
        "continue" => GoTokenKind.Continue,
        "define" => GoTokenKind.Define,
        "else" => GoTokenKind.Else,
        "end" => GoTokenKind.End,
        "if" => GoTokenKind.If,
        "range" => GoTokenKind.Range,
        "nil" => GoTokenKind.Nil,
        "template" => GoTokenKind.Template,
        "with" => GoTokenKind.With,
        _ => GoTokenKind.Error,
    };

    private bool LexIdentifier()
    {
        while (!AtEnd && IsAlphaNumeric(_input[_pos]))
        {
            _pos++;
        }

        string word = _input[_start.._pos];
        if (!AtTerminator())
        {
            return Error("bad character " + GoFormat.DescribeRune(_input[_pos]));
        }

        var keyword = KeywordKind(word);
        if (keyword != GoTokenKind.Error)
        {
            if ((keyword == GoTokenKind.Break && !_breakOk) || (keyword == GoTokenKind.Continue && !_continueOk))
            {
                Emit(GoTokenKind.Identifier);
            }
            else
            {
                Emit(keyword);
            }
        }
        else if (word is "true" or "false")
        {
            Emit(GoTokenKind.Bool);
        }
        else
        {
            Emit(GoTokenKind.Identifier);
        }

        return true;
    }

    private bool Accept(string valid)
    {
        if (!AtEnd && valid.Contains(_input[_pos]))
        {
            _pos++;
            return true;
        }
        return false;
    }

    private void AcceptRun(string valid)
    {
        while (!AtEnd && valid.Contains(_input[_pos]))
        {
            _pos++;
        }
    }

    private bool ScanNumber()
    {
        Accept("+-");
        string digits = "0123456789_";
        if (Accept("0"))
        {
            if (Accept("xX"))
            {
                digits = "0123456789abcdefABCDEF_";
            }
            else if (Accept("oO"))
            {
                digits = "01234567_";
            }
            else if (Accept("bB"))
            {
                digits = "01_";
            }
        }
        AcceptRun(digits);
        if (Accept("."))
        {
            AcceptRun(digits);
        }

        if (digits.Length == 11 && Accept("eE"))
        {
            Accept("+-");
            AcceptRun("0123456789_");
        }
        if (digits.Length == 23 && Accept("pP"))
        {
            Accept("+-");
            AcceptRun("0123456789_");
        }
        Accept("i");
        if (!AtEnd && IsAlphaNumeric(_input[_pos]))
        {
            _pos++;
            return false;
        }
        return true;
    }

    private bool LexNumber()
    {
        if (!ScanNumber())
        {
            return Error("bad number syntax: " + GoFormat.Quote(_input[_start.._pos]));
        }

        if (Peek() is '+' or '-')
        {
            if (!ScanNumber() || _input[_pos - 1] != 'i')
            {
                return Error("bad number syntax: " + GoFormat.Quote(_input[_start.._pos]));
            }

            Emit(GoTokenKind.Complex);
            return true;
        }
        Emit(GoTokenKind.Number);
        return true;
    }

    private bool LexQuote()
    {
        while (true)
        {
            if (AtEnd)
            {
                return Error("unterminated quoted string");
            }

            char c = _input[_pos++];
            if (c == '\\')
            {
                if (AtEnd || _input[_pos] == '\n')
                {
                    return Error("unterminated quoted string");
                }

                _pos++;
                continue;
            }
            if (c == '\n')
            {
                return Error("unterminated quoted string");
            }

            if (c == '"')
            {
                break;
            }
        }
        Emit(GoTokenKind.String);
        return true;
    }

    private bool LexRawQuote()
    {
        int end = _input.IndexOf('`', _pos);
        if (end < 0)
        {
            return Error("unterminated raw quoted string");
        }

        _pos = end + 1;
        Emit(GoTokenKind.RawString);
        return true;
    }

    private bool LexChar()
    {
        while (true)
        {
            if (AtEnd)
            {
                return Error("unterminated character constant");
            }

            char c = _input[_pos++];
            if (c == '\\')
            {
                if (AtEnd || _input[_pos] == '\n')
                {
                    return Error("unterminated character constant");
                }

                _pos++;
                continue;
            }
            if (c == '\n')
            {
                return Error("unterminated character constant");
            }

            if (c == '\'')
            {
                break;
            }
        }
        Emit(GoTokenKind.CharConstant);
        return true;
    }
}

/// <summary>Go literal syntax: string/char unquoting and number parsing (strconv semantics).</summary>
internal static class GoLiterals
{
    /// <summary>strconv.Unquote for "…", `…` and '…'; returns null with a reason when invalid.</summary>
    public static string? Unquote(string s, out string? error)
    {
        error = null;
        if (s.Length < 2 || s[0] != s[^1])
        {
            error = "invalid syntax";
            return null;
        }
        char quote = s[0];
        string body = s[1..^1];
        if (quote == '`')
        {
            return body.Contains('\r') ? body.Replace("\r", "") : body;
        }

        if (quote != '"' && quote != '\'')
        {
            error = "invalid syntax";
            return null;
        }
        if (!body.Contains('\\'))
        {
            if (quote == '\'' && CountRunes(body) != 1)
            {
                error = "invalid syntax";
                return null;
            }
            return body;
        }
        var sb = new System.Text.StringBuilder(body.Length);
        var bytes = new List<byte>();
        int i = 0;
        int runes = 0;
        while (i < body.Length)
        {
            char c = body[i];
            if (c != '\\')
            {
                FlushBytes(bytes, sb);
                sb.Append(c);
                if (!char.IsHighSurrogate(c))
                {
                    runes++;
                }

                i++;
                continue;
            }
            if (i + 1 >= body.Length)
            {
                error = "invalid syntax";
                return null;
            }
            char e = body[i + 1];
            i += 2;
            runes++;
            switch (e)
            {
                case 'a':
                    FlushBytes(bytes, sb);
                    sb.Append('\a');
                    break;
                case 'b':
                    FlushBytes(bytes, sb);
                    sb.Append('\b');
                    break;
                case 'f':
                    FlushBytes(bytes, sb);
                    sb.Append('\f');
                    break;
                case 'n':
                    FlushBytes(bytes, sb);
                    sb.Append('\n');
                    break;
                case 'r':
                    FlushBytes(bytes, sb);
                    sb.Append('\r');
                    break;
                case 't':
                    FlushBytes(bytes, sb);
                    sb.Append('\t');
                    break;
                case 'v':
                    FlushBytes(bytes, sb);
                    sb.Append('\v');
                    break;
                case '\\':
                    FlushBytes(bytes, sb);
                    sb.Append('\\');
                    break;
                case '\'' or '"':
                    if (e != quote)
                    {
                        error = "invalid syntax";
                        return null;
                    }
                    FlushBytes(bytes, sb);
                    sb.Append(e);
                    break;
                case 'x' or 'u' or 'U':
                {
                    int n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                    if (i + n > body.Length || !int.TryParse(body.AsSpan(i, n), NumberStyles.AllowHexSpecifier,
                            CultureInfo.InvariantCulture, out int v) || v < 0)
                    {
                        error = "invalid syntax";
                        return null;
                    }
                    i += n;
                    if (e == 'x' && quote == '"')
                    {
                        bytes.Add((byte)v);
                        break;
                    }
                    if (v > 0x10FFFF || (v >= 0xD800 && v < 0xE000))
                    {
                        error = "invalid syntax";
                        return null;
                    }
                    FlushBytes(bytes, sb);
                    sb.Append(char.ConvertFromUtf32(v));
                    break;
                }
                case >= '0' and <= '7':
                {
                    if (i + 2 > body.Length)
                    {
                        error = "invalid syntax";
                        return null;
                    }
                    int v = e - '0';
                    for (int k = 0; k < 2; k++)
                    {
                        char d = body[i + k];
                        if (d < '0' || d > '7')
                        {
                            error = "invalid syntax";
                            return null;
                        }
                        v = v * 8 + (d - '0');
                    }
                    i += 2;
                    if (v > 255)
                    {
                        error = "invalid syntax";
                        return null;
                    }
                    if (quote == '"')
                    {
                        bytes.Add((byte)v);
                    }
                    else
                    {
                        FlushBytes(bytes, sb);
                        sb.Append((char)v);
                    }
                    break;
                }
                default:
                    error = "invalid syntax";
                    return null;
            }
        }
        FlushBytes(bytes, sb);
        if (quote == '\'' && runes != 1)
        {
            error = "invalid syntax";
            return null;
        }
        return sb.ToString();
    }

    private static void FlushBytes(List<byte> bytes, System.Text.StringBuilder sb)
    {
        if (bytes.Count == 0)
        {
            return;
        }
        // \x escapes build UTF-8 byte sequences; invalid sequences become U+FFFD as Go prints them.
        sb.Append(System.Text.Encoding.UTF8.GetString(bytes.ToArray()));
        bytes.Clear();
    }

    private static int CountRunes(string s)
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

    /// <summary>Go's underscoreOK: underscores only between digits or after a base prefix.</summary>
    private static bool UnderscoreOk(string s)
    {
        char saw = '^';
        int i = 0;
        if (s.Length >= 1 && (s[0] == '-' || s[0] == '+'))
        {
            s = s[1..];
        }

        bool hex = false;
        if (s.Length >= 2 && s[0] == '0' && char.ToLowerInvariant(s[1]) is 'b' or 'o' or 'x')
        {
            i = 2;
            saw = '0';
            hex = char.ToLowerInvariant(s[1]) == 'x';
        }
        for (; i < s.Length; i++)
        {
            char c = s[i];
            if (c is >= '0' and <= '9' || (hex && char.ToLowerInvariant(c) is >= 'a' and <= 'f'))
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

    /// <summary>strconv.ParseUint(s, 0, 64).</summary>
    public static bool TryParseUint(string s, out ulong value)
    {
        value = 0;
        if (s.Length == 0 || s[0] == '-' || s[0] == '+')
        {
            return false;
        }

        int baseN = 10;
        int i = 0;
        if (s[0] == '0')
        {
            if (s.Length >= 2 && (s[1] is 'x' or 'X'))
            { baseN = 16; i = 2; }
            else if (s.Length >= 2 && (s[1] is 'o' or 'O'))
            { baseN = 8; i = 2; }
            else if (s.Length >= 2 && (s[1] is 'b' or 'B'))
            { baseN = 2; i = 2; }
            else
            { baseN = 8; i = 1; }
        }
        bool underscores = false;
        bool any = baseN == 8 && i == 1;
        ulong v = 0;
        for (; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '_')
            {
                underscores = true;
                continue;
            }
            int d = c is >= '0' and <= '9' ? c - '0' : char.ToLowerInvariant(c) is >= 'a' and <= 'z' ? char.ToLowerInvariant(c) - 'a' + 10 : 99;
            if (d >= baseN)
            {
                return false;
            }

            any = true;
            ulong next = unchecked(v * (ulong)baseN + (ulong)d);
            if (v > (ulong.MaxValue - (ulong)d) / (ulong)baseN)
            {
                return false;
            }

            v = next;
        }
        if (!any)
        {
            return false;
        }

        if (underscores && !UnderscoreOk(s))
        {
            return false;
        }

        value = v;
        return true;
    }

    /// <summary>strconv.ParseInt(s, 0, 64).</summary>
    public static bool TryParseInt(string s, out long value)
    {
        value = 0;
        if (s.Length == 0)
        {
            return false;
        }

        bool neg = false;
        string body = s;
        if (s[0] is '+' or '-')
        {
            neg = s[0] == '-';
            body = s[1..];
        }
        if (!TryParseUint(body, out ulong u))
        {
            return false;
        }

        if (!neg && u > long.MaxValue)
        {
            return false;
        }

        if (neg && u > (ulong)long.MaxValue + 1)
        {
            return false;
        }

        value = neg ? unchecked(-(long)u) : (long)u;
        return true;
    }

    /// <summary>strconv.ParseFloat(s, 64), including hex floats and underscores.</summary>
    public static bool TryParseFloat(string s, out double value)
    {
        value = 0;
        if (s.Length == 0)
        {
            return false;
        }

        if (s.Contains('_'))
        {
            if (!UnderscoreOk(s))
            {
                return false;
            }

            s = s.Replace("_", "");
        }
        bool neg = false;
        string body = s;
        if (body[0] is '+' or '-')
        {
            neg = body[0] == '-';
            body = body[1..];
        }
        if (body.Length > 2 && body[0] == '0' && (body[1] is 'x' or 'X'))
        {
            if (!TryParseHexFloat(body[2..], out value))
            {
                return false;
            }

            if (neg)
            {
                value = -value;
            }

            return true;
        }
        foreach (char c in body)
        {
            if (!(c is >= '0' and <= '9' or '.' or 'e' or 'E' or '+' or '-'))
            {
                return false;
            }
        }

        if (body.Length == 0 || body == ".")
        {
            return false;
        }

        if (!double.TryParse(body, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
                CultureInfo.InvariantCulture, out value))
        {
            return false;
        }

        if (double.IsInfinity(value))
        {
            return false;
        }

        if (neg)
        {
            value = -value;
        }

        return true;
    }

    private static bool TryParseHexFloat(string s, out double value)
    {
        value = 0;
        int p = s.IndexOfAny(['p', 'P']);
        if (p < 0)
        {
            return false;
        }

        string mant = s[..p];
        string exp = s[(p + 1)..];
        if (!int.TryParse(exp, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int e))
        {
            return false;
        }

        System.Numerics.BigInteger m = 0;
        int fracDigits = 0;
        bool seenDot = false;
        bool any = false;
        foreach (char c in mant)
        {
            if (c == '.')
            {
                if (seenDot)
                {
                    return false;
                }

                seenDot = true;
                continue;
            }
            int d = Uri.IsHexDigit(c) ? Convert.ToInt32(c.ToString(), 16) : -1;
            if (d < 0)
            {
                return false;
            }

            any = true;
            m = m * 16 + d;
            if (seenDot)
            {
                fracDigits++;
            }
        }
        if (!any)
        {
            return false;
        }

        value = Math.ScaleB((double)m, e - 4 * fracDigits);
        return !double.IsInfinity(value);
    }
}
