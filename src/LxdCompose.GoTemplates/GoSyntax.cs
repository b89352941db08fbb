namespace LxdCompose.GoTemplates;

/// <summary>
/// The parse layer on its own, as Go's text/template/parse package offers it: for tools that read templates without
/// running them (a converter to another template language, a linter).
/// </summary>
public static class GoSyntax
{
    /// <summary>Tokens of <paramref name="text"/> as Go's lexer splits them (break and continue allowed); the list ends with an EOF or an Error token.</summary>
    public static List<GoToken> Lex(string text) => GoLexer.Lex(text, breakOk: true, continueOk: true);

    /// <summary>
    /// Parses <paramref name="text"/> as template <paramref name="name"/>: its tree and those of its define/block
    /// actions, by name. Functions are resolved against <paramref name="functions"/>, as Go's parser does.
    /// </summary>
    public static Dictionary<string, GoTemplateTree> Parse(string name, string text, GoFunctionTable functions) =>
        GoParser.Parse(name, text, functions);

    /// <summary>A tree without nodes over <paramref name="text"/>: for turning positions into lines and columns.</summary>
    public static GoTemplateTree EmptyTree(string name, string text) => new(name, name, text);

    /// <summary>The value of a Go string literal (interpreted or raw), or null with <paramref name="error"/> set.</summary>
    public static string? Unquote(string literal, out string? error) => GoLiterals.Unquote(literal, out error);
}
