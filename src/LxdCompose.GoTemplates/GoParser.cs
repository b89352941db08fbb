// Port of src/text/template/parse/parse.go (Go 1.24).
namespace LxdCompose.GoTemplates;

/// <summary>Builds parse trees from tokens with Go's grammar, scoping rules and error messages.</summary>
internal sealed class GoParser
{
    /// <summary>Parenthesis nesting limit; Go allows 10000 but our recursion runs on a smaller stack.</summary>
    internal const int MaxStackDepth = 1000;

    private readonly string _parseName;
    private readonly string _text;
    private readonly GoFunctionTable _functions;
    private readonly List<GoToken> _tokens;
    private readonly Dictionary<string, GoTemplateTree> _treeSet;
    private int _index;
    private GoToken _current;
    private GoTemplateTree _tree = null!;
    private List<string> _vars = new();
    private int _rangeDepth;
    private int _stackDepth;
    private int _actionPos = -1;

    private GoParser(string parseName, string text, GoFunctionTable functions, Dictionary<string, GoTemplateTree> treeSet)
    {
        _parseName = parseName;
        _text = text;
        _functions = functions;
        _treeSet = treeSet;
        var tokens = GoLexer.Lex(text, !functions.Contains("break"), !functions.Contains("continue"));
        tokens.RemoveAll(t => t.Kind == GoTokenKind.Comment);
        _tokens = tokens;
    }

    /// <summary>Parses <paramref name="text"/>; returns the main tree and every define/block tree, keyed by name.</summary>
    public static Dictionary<string, GoTemplateTree> Parse(string name, string text, GoFunctionTable functions)
    {
        var treeSet = new Dictionary<string, GoTemplateTree>(StringComparer.Ordinal);
        var parser = new GoParser(name, text, functions, treeSet);
        parser.ParseMain(name);
        return treeSet;
    }

    private GoParseFailure Fail(string message) => Fail(_current.Pos, message);

    private GoParseFailure Fail(int pos, string message, GoLimit? limit = null)
    {
        var probe = _tree ?? new GoTemplateTree(_parseName, _parseName, _text);
        var (line, col) = probe.LineColumn(Math.Min(pos, _text.Length));
        return new GoParseFailure(new GoTemplateParseException(_parseName, line, col, message, limit));
    }

    private GoToken Next()
    {
        _current = _tokens[Math.Min(_index, _tokens.Count - 1)];
        _index++;
        return _current;
    }

    private void Backup() => _index--;

    private GoToken Peek() => _tokens[Math.Min(_index, _tokens.Count - 1)];

    private GoToken NextNonSpace()
    {
        GoToken t;
        do
        {
            t = Next();
        }
        while (t.Kind == GoTokenKind.Space);
        return t;
    }

    private GoToken PeekNonSpace()
    {
        var t = NextNonSpace();
        Backup();
        return t;
    }

    private GoToken Expect(GoTokenKind kind, string context)
    {
        var t = NextNonSpace();
        if (t.Kind != kind)
        {
            throw Unexpected(t, context);
        }

        return t;
    }

    private GoParseFailure Unexpected(GoToken token, string context)
    {
        if (token.Kind == GoTokenKind.Error)
        {
            string extra = "";
            if (_actionPos >= 0)
            {
                var probe = new GoTemplateTree(_parseName, _parseName, _text);
                int actionLine = probe.LineColumn(_actionPos).Line;
                if (actionLine != probe.LineColumn(Math.Min(token.Pos, _text.Length)).Line)
                {
                    extra = $" in action started at {_parseName}:{actionLine}";
                    if (token.Value.EndsWith(" action", StringComparison.Ordinal))
                    {
                        extra = extra[" in action".Length..];
                    }
                }
            }
            return Fail(token.Pos, token.Value + extra);
        }
        return Fail(token.Pos, $"unexpected {token.Describe()} in {context}");
    }

    private void StartTree(string name)
    {
        _tree = new GoTemplateTree(name, _parseName, _text);
        _vars = new List<string> { "$" };
    }

    private void AddTree()
    {
        if (!_treeSet.TryGetValue(_tree.Name, out var existing) || existing.IsEmpty)
        {
            _treeSet[_tree.Name] = _tree;
            return;
        }
        if (!_tree.IsEmpty)
        {
            throw Fail($"template: multiple definition of template {GoFormat.Quote(_tree.Name)}");
        }
    }

    private void ParseMain(string name)
    {
        var tooDeep = false;
        try
        {
            StartTree(name);
            var mainTree = _tree;
            var mainVars = _vars;
            mainTree.Root = new GoListNode(mainTree, Peek().Pos);
            while (Peek().Kind != GoTokenKind.EOF)
            {
                if (Peek().Kind == GoTokenKind.LeftDelim)
                {
                    int before = _index;
                    var delim = Next();
                    if (NextNonSpace().Kind == GoTokenKind.Define)
                    {
                        _actionPos = delim.Pos;
                        ParseDefinition();
                        _actionPos = -1;
                        _tree = mainTree;
                        _vars = mainVars;
                        continue;
                    }
                    _index = before;
                }
                var n = TextOrAction();
                if (n is GoEndNode or GoElseNode)
                {
                    throw Fail(n.Pos, $"unexpected {n}");
                }

                mainTree.Root.Nodes.Add(n);
            }
            _current = Peek();
            _tree = mainTree;
            AddTree();
        }
        catch (GoParseFailure f)
        {
            throw f.Exception;
        }
        catch (InsufficientExecutionStackException)
        {
            tooDeep = true;
        }

        if (tooDeep)
        {
            throw Fail(_current.Pos, "the template nests actions too deep for this thread's stack",
                GoLimit.Depth).Exception;
        }
    }

    private void ParseDefinition()
    {
        const string context = "define clause";
        var nameToken = NextNonSpace();
        string name = ParseTemplateName(nameToken, context);
        StartTree(name);
        Expect(GoTokenKind.RightDelim, context);
        var (list, end) = ItemList();
        if (end is not GoEndNode)
        {
            throw Fail(end.Pos, $"unexpected {end} in {context}");
        }

        _tree.Root = list;
        AddTree();
    }

    private (GoListNode List, GoNode Next) ItemList()
    {
        StackGuard.Check();
        var list = new GoListNode(_tree, PeekNonSpace().Pos);
        while (PeekNonSpace().Kind != GoTokenKind.EOF)
        {
            var n = TextOrAction();
            if (n is GoEndNode or GoElseNode)
            {
                return (list, n);
            }

            list.Nodes.Add(n);
        }
        _current = PeekNonSpace();
        throw Fail("unexpected EOF");
    }

    private GoNode TextOrAction()
    {
        var token = NextNonSpace();
        switch (token.Kind)
        {
            case GoTokenKind.Text:
                return new GoTextNode(_tree, token.Pos, token.Value);
            case GoTokenKind.LeftDelim:
                int saved = _actionPos;
                _actionPos = token.Pos;
                try
                {
                    return Action();
                }
                finally
                {
                    _actionPos = saved;
                }
            default:
                throw Unexpected(token, "input");
        }
    }

    private GoNode Action()
    {
        var token = NextNonSpace();
        switch (token.Kind)
        {
            case GoTokenKind.Block:
                return BlockControl();
            case GoTokenKind.Break:
                return BreakOrContinue(token, true);
            case GoTokenKind.Continue:
                return BreakOrContinue(token, false);
            case GoTokenKind.Else:
                return ElseControl();
            case GoTokenKind.End:
                return new GoEndNode(_tree, Expect(GoTokenKind.RightDelim, "end").Pos);
            case GoTokenKind.If:
                return Control(GoBranchKind.If);
            case GoTokenKind.Range:
                return Control(GoBranchKind.Range);
            case GoTokenKind.Template:
                return TemplateControl();
            case GoTokenKind.With:
                return Control(GoBranchKind.With);
        }
        Backup();
        var pos = Peek().Pos;
        // Variables declared here persist until the enclosing "end".
        return new GoActionNode(_tree, pos, Pipeline("command", GoTokenKind.RightDelim));
    }

    private GoNode BreakOrContinue(GoToken keyword, bool isBreak)
    {
        var token = NextNonSpace();
        string name = isBreak ? "{{break}}" : "{{continue}}";
        if (token.Kind != GoTokenKind.RightDelim)
        {
            throw Unexpected(token, name);
        }

        if (_rangeDepth == 0)
        {
            throw Fail(keyword.Pos, $"{name} outside {{{{range}}}}");
        }

        return isBreak ? new GoBreakNode(_tree, keyword.Pos) : new GoContinueNode(_tree, keyword.Pos);
    }

    private GoNode ElseControl()
    {
        var peek = PeekNonSpace();
        // "else if" and "else with" are parsed as "else" followed by a nested if/with.
        if (peek.Kind is GoTokenKind.If or GoTokenKind.With)
        {
            return new GoElseNode(_tree, peek.Pos);
        }

        var token = Expect(GoTokenKind.RightDelim, "else");
        return new GoElseNode(_tree, token.Pos);
    }

    private GoNode Control(GoBranchKind kind)
    {
        string context = kind switch { GoBranchKind.If => "if", GoBranchKind.Range => "range", _ => "with" };
        int varMark = _vars.Count;
        try
        {
            var pipe = Pipeline(context, GoTokenKind.RightDelim);
            if (kind == GoBranchKind.Range)
            {
                _rangeDepth++;
            }

            var (list, next) = ItemList();
            if (kind == GoBranchKind.Range)
            {
                _rangeDepth--;
            }

            GoListNode? elseList = null;
            if (next is GoElseNode)
            {
                if (kind == GoBranchKind.If && Peek().Kind == GoTokenKind.If)
                {
                    Next();
                    elseList = new GoListNode(_tree, next.Pos);
                    elseList.Nodes.Add(Control(GoBranchKind.If));
                }
                else if (kind == GoBranchKind.With && Peek().Kind == GoTokenKind.With)
                {
                    Next();
                    elseList = new GoListNode(_tree, next.Pos);
                    elseList.Nodes.Add(Control(GoBranchKind.With));
                }
                else
                {
                    (elseList, next) = ItemList();
                    if (next is not GoEndNode)
                    {
                        throw Fail(next.Pos, $"expected end; found {next}");
                    }
                }
            }
            return new GoBranchNode(_tree, pipe.Pos, kind, pipe, list, elseList);
        }
        finally
        {
            _vars.RemoveRange(varMark, _vars.Count - varMark);
        }
    }

    private GoNode BlockControl()
    {
        const string context = "block clause";
        var token = NextNonSpace();
        string name = ParseTemplateName(token, context);
        var pipe = Pipeline(context, GoTokenKind.RightDelim);

        var outerTree = _tree;
        var outerVars = _vars;
        int outerRange = _rangeDepth;
        StartTree(name);
        _rangeDepth = 0;
        try
        {
            var (list, end) = ItemList();
            if (end is not GoEndNode)
            {
                throw Fail(end.Pos, $"unexpected {end} in {context}");
            }

            _tree.Root = list;
            AddTree();
        }
        finally
        {
            // Also on a parse error: an enclosing if/range/with trims these variables on its way out (found by fuzzing).
            _tree = outerTree;
            _vars = outerVars;
            _rangeDepth = outerRange;
        }

        return new GoTemplateNode(_tree, token.Pos, name, pipe);
    }

    private GoNode TemplateControl()
    {
        const string context = "template clause";
        var token = NextNonSpace();
        string name = ParseTemplateName(token, context);
        GoPipeNode? pipe = null;
        if (NextNonSpace().Kind != GoTokenKind.RightDelim)
        {
            Backup();
            pipe = Pipeline(context, GoTokenKind.RightDelim);
        }
        return new GoTemplateNode(_tree, token.Pos, name, pipe);
    }

    private string ParseTemplateName(GoToken token, string context)
    {
        if (token.Kind is GoTokenKind.String or GoTokenKind.RawString)
        {
            var s = GoLiterals.Unquote(token.Value, out var error);
            if (s == null)
            {
                throw Fail(token.Pos, error!);
            }

            return s;
        }
        throw Unexpected(token, context);
    }

    private GoPipeNode Pipeline(string context, GoTokenKind end)
    {
        StackGuard.Check();
        var first = PeekNonSpace();
        var pipe = new GoPipeNode(_tree, first.Pos);
        while (true)
        {
            var v = PeekNonSpace();
            if (v.Kind != GoTokenKind.Variable)
            {
                break;
            }

            int indexBefore = _index;
            NextNonSpace();
            var tokenAfterVariable = Peek();
            var next = PeekNonSpace();
            if (next.Kind is GoTokenKind.Assign or GoTokenKind.Declare)
            {
                pipe.IsAssign = next.Kind == GoTokenKind.Assign;
                NextNonSpace();
                pipe.Decl.Add(new GoVariableNode(_tree, v.Pos, v.Value));
                _vars.Add(v.Value);
                break;
            }
            if (next.Kind == GoTokenKind.Char && next.Value == ",")
            {
                NextNonSpace();
                pipe.Decl.Add(new GoVariableNode(_tree, v.Pos, v.Value));
                _vars.Add(v.Value);
                if (context == "range" && pipe.Decl.Count < 2)
                {
                    var afterComma = PeekNonSpace();
                    if (afterComma.Kind is GoTokenKind.Variable or GoTokenKind.RightDelim or GoTokenKind.RightParen)
                    {
                        continue; // second variable of a range
                    }

                    _current = afterComma;
                    throw Fail("range can only initialize variables");
                }
                throw Fail($"too many declarations in {context}");
            }
            _ = tokenAfterVariable;
            _index = indexBefore;
            break;
        }
        while (true)
        {
            var token = NextNonSpace();
            if (token.Kind == end)
            {
                CheckPipeline(pipe, context);
                return pipe;
            }
            switch (token.Kind)
            {
                case GoTokenKind.Bool or GoTokenKind.CharConstant or GoTokenKind.Complex or GoTokenKind.Dot
                    or GoTokenKind.Field or GoTokenKind.Identifier or GoTokenKind.Number or GoTokenKind.Nil
                    or GoTokenKind.RawString or GoTokenKind.String or GoTokenKind.Variable or GoTokenKind.LeftParen:
                    Backup();
                    pipe.Cmds.Add(Command());
                    break;
                default:
                    throw Unexpected(token, context);
            }
        }
    }

    private void CheckPipeline(GoPipeNode pipe, string context)
    {
        if (pipe.Cmds.Count == 0)
        {
            throw Fail($"missing value for {context}");
        }

        for (int i = 1; i < pipe.Cmds.Count; i++)
        {
            if (pipe.Cmds[i].Args[0] is GoBoolNode or GoDotNode or GoNilNode or GoNumberNode or GoStringNode)
            {
                throw Fail(pipe.Cmds[i].Args[0].Pos, $"non executable command in pipeline stage {i + 1}");
            }
        }
    }

    private GoCommandNode Command()
    {
        var cmd = new GoCommandNode(_tree, PeekNonSpace().Pos);
        while (true)
        {
            PeekNonSpace();
            var operand = Operand();
            if (operand != null)
            {
                cmd.Args.Add(operand);
            }

            var token = Next();
            if (token.Kind == GoTokenKind.Space)
            {
                continue;
            }

            if (token.Kind is GoTokenKind.RightDelim or GoTokenKind.RightParen)
            {
                Backup();
            }
            else if (token.Kind != GoTokenKind.Pipe)
            {
                throw Unexpected(token, "operand");
            }

            break;
        }
        if (cmd.Args.Count == 0)
        {
            throw Fail("empty command");
        }

        return cmd;
    }

    private GoNode? Operand()
    {
        var node = Term();
        if (node == null)
        {
            return null;
        }

        if (Peek().Kind == GoTokenKind.Field)
        {
            var chain = new GoChainNode(_tree, Peek().Pos, node);
            while (Peek().Kind == GoTokenKind.Field)
            {
                chain.Add(Next().Value);
            }

            switch (node)
            {
                case GoFieldNode:
                    return new GoFieldNode(_tree, chain.Pos, chain.ToString());
                case GoVariableNode:
                    return new GoVariableNode(_tree, chain.Pos, chain.ToString());
                case GoBoolNode or GoStringNode or GoNumberNode or GoNilNode or GoDotNode:
                    throw Fail($"unexpected . after term {GoFormat.Quote(node.ToString())}");
                default:
                    return chain;
            }
        }
        return node;
    }

    private GoNode? Term()
    {
        var token = NextNonSpace();
        switch (token.Kind)
        {
            case GoTokenKind.Identifier:
                if (!_functions.Contains(token.Value))
                {
                    throw Fail($"function {GoFormat.Quote(token.Value)} not defined");
                }

                return new GoIdentifierNode(_tree, token.Pos, token.Value);
            case GoTokenKind.Dot:
                return new GoDotNode(_tree, token.Pos);
            case GoTokenKind.Nil:
                return new GoNilNode(_tree, token.Pos);
            case GoTokenKind.Variable:
                if (!_vars.Contains(token.Value.Split('.')[0]))
                {
                    throw Fail($"undefined variable {GoFormat.Quote(token.Value.Split('.')[0])}");
                }

                return new GoVariableNode(_tree, token.Pos, token.Value);
            case GoTokenKind.Field:
                return new GoFieldNode(_tree, token.Pos, token.Value);
            case GoTokenKind.Bool:
                return new GoBoolNode(_tree, token.Pos, token.Value == "true");
            case GoTokenKind.CharConstant or GoTokenKind.Complex or GoTokenKind.Number:
                return NewNumber(token);
            case GoTokenKind.LeftParen:
                if (_stackDepth >= MaxStackDepth)
                {
                    throw Fail("max expression depth exceeded");
                }

                _stackDepth++;
                try
                {
                    return Pipeline("parenthesized pipeline", GoTokenKind.RightParen);
                }
                finally
                {
                    _stackDepth--;
                }
            case GoTokenKind.String or GoTokenKind.RawString:
            {
                var s = GoLiterals.Unquote(token.Value, out var error);
                if (s == null)
                {
                    throw Fail(token.Pos, error!);
                }

                return new GoStringNode(_tree, token.Pos, token.Value, s);
            }
        }
        Backup();
        return null;
    }

    private GoNumberNode NewNumber(GoToken token)
    {
        string text = token.Value;
        var n = new GoNumberNode(_tree, token.Pos, text);
        bool imaginary = token.Kind == GoTokenKind.Complex ||
                         (text.EndsWith('i') && GoLiterals.TryParseFloat(text[..^1], out _));
        if (imaginary)
        {
            throw Fail(token.Pos, $"complex numbers are not supported: {text}");
        }

        if (token.Kind == GoTokenKind.CharConstant)
        {
            var s = GoLiterals.Unquote(text, out _);
            if (s == null)
            {
                throw Fail(token.Pos, $"malformed character constant: {text}");
            }

            int rune = char.ConvertToUtf32(s, 0);
            n.IsInt = n.IsUint = n.IsFloat = true;
            n.Int64 = rune;
            n.Uint64 = (ulong)rune;
            n.Float64 = rune;
            n.IdealValue = (long)rune;
            return n;
        }
        bool isUint = GoLiterals.TryParseUint(text, out ulong u);
        if (isUint)
        {
            n.IsUint = true;
            n.Uint64 = u;
        }
        if (GoLiterals.TryParseInt(text, out long i))
        {
            n.IsInt = true;
            n.Int64 = i;
            if (i == 0)
            {
                n.IsUint = true; // -0 is unsigned too
                n.Uint64 = 0;
            }
        }
        if (n.IsInt)
        {
            n.IsFloat = true;
            n.Float64 = n.Int64;
        }
        else if (n.IsUint)
        {
            n.IsFloat = true;
            n.Float64 = n.Uint64;
        }
        else if (GoLiterals.TryParseFloat(text, out double f))
        {
            if (text.IndexOfAny(['.', 'e', 'E', 'p', 'P']) < 0)
            {
                throw Fail(token.Pos, $"integer overflow: {GoFormat.Quote(text)}");
            }

            n.IsFloat = true;
            n.Float64 = f;
            if (f >= -9.2233720368547758e18 && f < 9.2233720368547758e18 && Math.Floor(f) == f)
            {
                n.IsInt = true;
                n.Int64 = (long)f;
            }
            if (f >= 0 && f < 1.8446744073709552e19 && Math.Floor(f) == f)
            {
                n.IsUint = true;
                n.Uint64 = (ulong)f;
            }
        }
        if (!n.IsInt && !n.IsUint && !n.IsFloat)
        {
            throw Fail(token.Pos, $"illegal number syntax: {GoFormat.Quote(text)}");
        }
        // The value a literal takes when the receiver accepts anything (Go's idealConstant).
        bool isHexInt = text.Length > 2 && text[0] == '0' && (text[1] is 'x' or 'X') && text.IndexOfAny(['p', 'P']) < 0;
        if (n.IsFloat && !isHexInt && text.IndexOfAny(['.', 'e', 'E', 'p', 'P']) >= 0)
        {
            n.IdealValue = n.Float64;
        }
        else if (n.IsInt)
        {
            n.IdealValue = n.Int64;
        }
        else
        {
            n.IdealValue = null; // overflows int: reported when evaluated
        }

        return n;
    }
}

/// <summary>Unwinds the recursive parser; carries the public exception.</summary>
internal sealed class GoParseFailure : Exception
{
    public GoParseFailure(GoTemplateParseException exception) : base(exception.Message) => Exception = exception;

    public GoTemplateParseException Exception { get; }
}
