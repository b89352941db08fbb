using LxdCompose.GoTemplates;

namespace LxdCompose.Templating.Conversion;

/// <summary>Where one {{…}} action sits in the source, its trim markers, and which keyword starts it.</summary>
internal sealed class ActionSpan
{
    private ActionSpan(int start, int end, bool leftTrim, bool rightTrim, GoTokenKind keyword)
    {
        Start = start;
        End = end;
        LeftTrim = EmitLeftTrim = leftTrim;
        RightTrim = EmitRightTrim = rightTrim;
        Keyword = keyword;
    }

    /// <summary>Offset of the opening braces.</summary>
    public int Start { get; }

    /// <summary>Offset just after the closing braces.</summary>
    public int End { get; }

    public bool LeftTrim { get; }
    public bool RightTrim { get; }

    /// <summary>Whether the Scriban block gets the marker (dropped where Scriban would trim more than Go).</summary>
    public bool EmitLeftTrim { get; set; }

    public bool EmitRightTrim { get; set; }

    /// <summary>The first keyword (if, range, else, end, define, …), Comment, or Identifier for a plain pipeline.</summary>
    public GoTokenKind Keyword { get; }

    /// <summary>For else: the keyword after it (if/with for "else if"/"else with").</summary>
    public GoTokenKind SecondKeyword { get; private init; }

    /// <summary>For define: the template name.</summary>
    public string? DefineName { get; private init; }

    /// <summary>For comments: the text between /* and */.</summary>
    public string? CommentText { get; private init; }

    /// <summary>The text before this action as it must be written, when it differs from the source.</summary>
    public string? TextBefore { get; set; }

    /// <summary>For the last action: the text after it as it must be written, when it differs from the source.</summary>
    public string? TextAfter { get; set; }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n';

    /// <summary>The actions of a lexed text that parsed without error.</summary>
    public static List<ActionSpan> FromTokens(List<GoToken> tokens, string text)
    {
        var spans = new List<ActionSpan>();
        for (int i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.Kind == GoTokenKind.Comment)
            {
                int p = token.Pos;
                bool leftTrim = p >= 4 && text[p - 2] == '-' && text[p - 4] == '{' && text[p - 3] == '{' && IsSpace(text[p - 1]);
                int afterComment = p + token.Value.Length;
                bool rightTrim = afterComment + 1 < text.Length && IsSpace(text[afterComment]) && text[afterComment + 1] == '-';
                spans.Add(new ActionSpan(leftTrim ? p - 4 : p - 2, afterComment + (rightTrim ? 4 : 2), leftTrim, rightTrim,
                    GoTokenKind.Comment)
                { CommentText = token.Value[2..^2] });
                continue;
            }
            if (token.Kind != GoTokenKind.LeftDelim)
            {
                continue;
            }

            int start = token.Pos;
            bool left = start + 3 < text.Length && text[start + 2] == '-' && IsSpace(text[start + 3]);
            var words = new List<GoToken>();
            int j = i + 1;
            for (; j < tokens.Count && tokens[j].Kind != GoTokenKind.RightDelim; j++)
            {
                if (tokens[j].Kind != GoTokenKind.Space)
                {
                    words.Add(tokens[j]);
                }
            }

            if (j == tokens.Count)
            {
                throw new InvalidOperationException("unclosed action after a successful Go parse");
            }

            int close = tokens[j].Pos;
            bool right = close >= 2 && text[close - 1] == '-' && IsSpace(text[close - 2]);
            var first = words.Count > 0 ? words[0].Kind : GoTokenKind.Identifier;
            var keyword = first > GoTokenKind.Keyword && first is not (GoTokenKind.Dot or GoTokenKind.Nil)
                ? first
                : GoTokenKind.Identifier;
            spans.Add(new ActionSpan(start, close + 2, left, right, keyword)
            {
                SecondKeyword = words.Count > 1 ? words[1].Kind : GoTokenKind.EOF,
                DefineName = keyword == GoTokenKind.Define && words.Count > 1
                    ? GoSyntax.Unquote(words[1].Value, out _)
                    : null,
            });
            i = j;
        }
        return spans;
    }
}
