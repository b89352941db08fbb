using System.Globalization;
using System.Text;
using LxdCompose.GoTemplates;

namespace LxdCompose.Templating.Conversion;

/// <summary>
/// Best-effort translation of a Go text/template into Scriban, as a migration aid. Text between actions is copied as
/// written and every action keeps its trim markers, so the layout survives; what cannot be translated is replaced by
/// <c>null</c>, kept as a marked comment in the output and reported as a warning with its position.
/// </summary>
public static class GoToScribanConverter
{
    /// <summary>The marker that starts the comment kept in the output for every untranslated part.</summary>
    public const string UntranslatedMarker = "UNTRANSLATED Go:";

    /// <exception cref="GoTemplateParseException">The text is not a valid Go template.</exception>
    public static ConversionResult Convert(string goTemplateText, string name, ConversionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(goTemplateText);
        ArgumentNullException.ThrowIfNull(name);
        return new GoToScribanTranslation(goTemplateText, name, options ?? ConversionOptions.Defaults).Run();
    }
}

/// <summary>One conversion: walks the actions in source order, keeping a stack of open blocks for dot and variables.</summary>
internal sealed class GoToScribanTranslation
{
    private static readonly HashSet<string> ScribanKeywords = new(StringComparer.Ordinal)
    {
        "if", "else", "end", "for", "in", "while", "tablerow", "break", "continue", "func", "ret", "capture",
        "readonly", "import", "with", "wrap", "include", "case", "when", "do", "this", "empty", "null", "true",
        "false",
    };

    /// <summary>Global names a converted function must not shadow: Scriban's builtin objects and our helpers.</summary>
    private static readonly HashSet<string> ReservedGlobals = new(StringComparer.Ordinal)
    {
        "array", "date", "html", "math", "object", "regex", "string", "timespan", "values", ScribanHelpers.Go,
        ScribanHelpers.GoSprig, ScribanHelpers.NativeSprig, ScribanHelpers.Helm, ScribanHelpers.Mottainai,
    };

    private readonly string _text;
    private readonly string _name;
    private readonly ConversionTarget _target;
    private readonly GoTemplateTree _positions;
    private readonly List<ConversionWarning> _warnings = new();
    private readonly SortedSet<string> _helpers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _takenVariables = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _functionNames = new(StringComparer.Ordinal);
    private readonly List<Frame> _frames = new();
    private readonly List<string> _preStatements = new();
    private readonly List<string> _comments = new();
    private Dictionary<string, GoTemplateTree> _trees = null!;
    private List<GoNode> _statementNodes = null!;
    private readonly StringBuilder _hoisted = new();
    private StringBuilder _out = new();

    public GoToScribanTranslation(string text, string name, ConversionOptions options)
    {
        _text = text;
        _name = name;
        _target = options.Target;
        _positions = GoSyntax.EmptyTree(name, text);
    }

    public ConversionResult Run()
    {
        var tokens = GoSyntax.Lex(_text);
        _trees = GoSyntax.Parse(_name, _text, PermissiveFunctions(tokens));
        foreach (var t in tokens.Where(t => t.Kind == GoTokenKind.Variable))
        {
            _takenVariables.Add(t.Value.Split('.')[0]);
        }

        _statementNodes = CollectStatementNodes();
        var actions = ActionSpan.FromTokens(tokens, _text);
        AdjustTrimsForScribanWhitespace(actions);
        bool hoistDefines = SomeTemplateIsUsedBeforeItsDefinition(actions);

        _frames.Add(Frame.Root());
        var main = _out;
        int cursor = 0;
        bool hoisting = false, outerLeftTrim = false;
        foreach (var action in actions)
        {
            EmitText(action.TextBefore ?? _text[cursor..action.Start]);
            cursor = action.End;
            if (hoistDefines && action.Keyword == GoTokenKind.Define)
            {
                // At the top, the define's outer trim markers would act on the wrong text: they stay at its old place.
                hoisting = true;
                outerLeftTrim = action.EmitLeftTrim;
                action.EmitLeftTrim = false;
                _out = new StringBuilder();
                TranslateAction(action);
                continue;
            }
            if (hoisting && action.Keyword == GoTokenKind.End && _frames.Count == 2)
            {
                bool outerRightTrim = action.EmitRightTrim;
                action.EmitRightTrim = false;
                TranslateAction(action);
                _hoisted.Append(_out);
                _out = main;
                if (outerLeftTrim || outerRightTrim)
                {
                    _out.Append(outerLeftTrim ? "{{-" : "{{").Append(outerRightTrim ? " -}}" : " }}");
                }

                hoisting = false;
                continue;
            }
            TranslateAction(action);
        }
        EmitText(actions.Count > 0 ? actions[^1].TextAfter ?? _text[cursor..] : _text);
        if (_frames.Count != 1)
        {
            throw new InvalidOperationException("unbalanced blocks after a successful Go parse");
        }

        string result = _hoisted.ToString() + main;
        CheckScribanParses(result);
        return new ConversionResult(result, _warnings, _helpers.ToList());
    }

    /// <summary>Our parser insists that functions exist; for conversion any name is accepted and mapped later.</summary>
    private static GoFunctionTable PermissiveFunctions(List<GoToken> tokens)
    {
        var table = GoFunctionTable.CreateWithBuiltins();
        foreach (var t in tokens)
        {
            if (t.Kind == GoTokenKind.Identifier && !table.Contains(t.Value))
            {
                table.Add(t.Value, (_, _) => throw new InvalidOperationException("only parsed for conversion"),
                    Array.Empty<GoType>(), GoType.Any);
            }
        }
        return table;
    }

    private List<GoNode> CollectStatementNodes()
    {
        var nodes = new List<GoNode>();
        void Walk(GoListNode? list)
        {
            if (list == null)
            {
                return;
            }

            foreach (var n in list.Nodes)
            {
                switch (n)
                {
                    case GoActionNode or GoTemplateNode:
                        nodes.Add(n);
                        break;
                    case GoBranchNode b:
                        nodes.Add(b);
                        Walk(b.List);
                        Walk(b.ElseList);
                        break;
                }
            }
        }
        foreach (var tree in _trees.Values)
        {
            Walk(tree.Root);
        }

        nodes.Sort((a, b) => a.Pos.CompareTo(b.Pos));
        return nodes;
    }

    private T NodeIn<T>(ActionSpan action) where T : GoNode
    {
        int lo = 0, hi = _statementNodes.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (_statementNodes[mid].Pos < action.Start)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        for (int i = lo; i < _statementNodes.Count && _statementNodes[i].Pos < action.End; i++)
        {
            if (_statementNodes[i] is T found)
            {
                return found;
            }
        }

        throw new InvalidOperationException($"no parse node for the action at offset {action.Start}");
    }

    /// <summary>
    /// Scriban's trim markers also remove whitespace Go keeps (form feed, no-break space, …). Where that would
    /// happen the text is trimmed here the Go way and the marker dropped.
    /// </summary>
    private void AdjustTrimsForScribanWhitespace(List<ActionSpan> actions)
    {
        static bool IsGoSpace(char c) => c is ' ' or '\t' or '\r' or '\n';
        for (int i = 0; i < actions.Count; i++)
        {
            var action = actions[i];
            int textStart = i == 0 ? 0 : actions[i - 1].End;
            string before = action.TextBefore ?? _text[textStart..action.Start];
            if (action.LeftTrim)
            {
                int end = before.Length;
                while (end > 0 && IsGoSpace(before[end - 1]))
                {
                    end--;
                }

                if (end > 0 && char.IsWhiteSpace(before[end - 1]))
                {
                    action.EmitLeftTrim = false;
                    action.TextBefore = before[..end];
                }
            }
            if (action.RightTrim)
            {
                int nextStart = i + 1 < actions.Count ? actions[i + 1].Start : _text.Length;
                string after = _text[action.End..nextStart];
                int start = 0;
                while (start < after.Length && IsGoSpace(after[start]))
                {
                    start++;
                }

                if (start < after.Length && char.IsWhiteSpace(after[start]))
                {
                    action.EmitRightTrim = false;
                    if (i + 1 < actions.Count)
                    {
                        var next = actions[i + 1];
                        next.TextBefore = after[start..];
                    }
                    else
                    {
                        action.TextAfter = after[start..];
                    }
                }
            }
        }
    }

    /// <summary>
    /// Scriban defines a function only when its func statement runs, Go defines templates before executing. When a
    /// template is referenced above its definition, all definitions move to the top (they print nothing in Go).
    /// </summary>
    private bool SomeTemplateIsUsedBeforeItsDefinition(List<ActionSpan> actions)
    {
        var definedAt = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var a in actions.Where(a => a.Keyword == GoTokenKind.Define && a.DefineName != null))
        {
            definedAt.TryAdd(a.DefineName!, a.Start);
        }

        if (definedAt.Count == 0)
        {
            return false;
        }

        foreach (var (name, pos) in TemplateReferences())
        {
            if (definedAt.TryGetValue(name, out int at) && pos < at)
            {
                return true;
            }
        }

        return false;
    }

    private IEnumerable<(string Name, int Pos)> TemplateReferences()
    {
        var found = new List<(string, int)>();
        void Visit(GoNode? n)
        {
            switch (n)
            {
                case null:
                    return;
                case GoListNode l:
                    foreach (var c in l.Nodes)
                    {
                        Visit(c);
                    }

                    break;
                case GoActionNode a:
                    Visit(a.Pipe);
                    break;
                case GoBranchNode b:
                    Visit(b.Pipe);
                    Visit(b.List);
                    Visit(b.ElseList);
                    break;
                case GoTemplateNode t:
                    found.Add((t.Name, t.Pos));
                    Visit(t.Pipe);
                    break;
                case GoPipeNode p:
                    foreach (var c in p.Cmds)
                    {
                        Visit(c);
                    }

                    break;
                case GoChainNode c:
                    Visit(c.Node);
                    break;
                case GoCommandNode c:
                    if (c.Args.Count > 1 && c.Args[0] is GoIdentifierNode { Ident: "include" } && c.Args[1] is GoStringNode s)
                    {
                        found.Add((s.Text, c.Pos));
                    }

                    foreach (var a in c.Args)
                    {
                        Visit(a);
                    }

                    break;
            }
        }
        foreach (var tree in _trees.Values)
        {
            Visit(tree.Root);
        }

        return found;
    }

    // ---- text and code blocks ----------------------------------------------------------------------------------

    private void EmitText(string text)
    {
        // Scriban reads {%{ … }%} (any number of %) in text as an escape block; Go text has no such thing.
        int i = 0;
        while (i < text.Length)
        {
            int brace = text.IndexOf("{%", i, StringComparison.Ordinal);
            if (brace < 0)
            {
                _out.Append(text, i, text.Length - i);
                return;
            }
            int j = brace + 1;
            while (j < text.Length && text[j] == '%')
            {
                j++;
            }

            bool escapeOpener = j < text.Length && text[j] == '{';
            _out.Append(text, i, brace - i);
            _out.Append(escapeOpener ? "{{ \"{\" }}" : "{");
            i = brace + 1;
        }
    }

    private void WriteBlock(ActionSpan action, string code)
    {
        var statements = new List<string>(_preStatements) { code };
        _preStatements.Clear();
        string body = string.Join("; ", statements.Where(s => s.Length > 0));
        foreach (var comment in _comments)
        {
            body += (body.Length > 0 ? " " : "") + "## " + comment + " ##";
        }

        _comments.Clear();
        _out.Append(action.EmitLeftTrim ? "{{- " : "{{ ").Append(body).Append(action.EmitRightTrim ? " -}}" : " }}");
    }

    /// <summary>Text for a Scriban ## comment: it may not contain ## or }} and may not start or end with #.</summary>
    private static string CommentText(string text)
    {
        string s = text.Replace("}}", "} }", StringComparison.Ordinal).Replace("{{", "{ {", StringComparison.Ordinal);
        while (s.Contains("##", StringComparison.Ordinal))
        {
            s = s.Replace("##", "# #", StringComparison.Ordinal);
        }

        if (s.StartsWith('#'))
        {
            s = " " + s;
        }

        if (s.EndsWith('#'))
        {
            s += " ";
        }

        return s.Trim().Length == 0 ? "" : s.Trim();
    }

    // ---- actions -----------------------------------------------------------------------------------------------

    private void TranslateAction(ActionSpan action)
    {
        switch (action.Keyword)
        {
            case GoTokenKind.Comment:
                _out.Append(action.EmitLeftTrim ? "{{- " : "{{ ")
                    .Append("## ").Append(CommentText(action.CommentText!)).Append(" ##")
                    .Append(action.EmitRightTrim ? " -}}" : " }}");
                return;
            case GoTokenKind.If:
            {
                var node = NodeIn<GoBranchNode>(action);
                var frame = Frame.Block(FrameKind.If, Top);
                WriteBlock(action, IfHeader(node.Pipe, frame));
                _frames.Add(frame);
                return;
            }
            case GoTokenKind.With:
            {
                var node = NodeIn<GoBranchNode>(action);
                var frame = Frame.Block(FrameKind.With, Top);
                WriteBlock(action, WithHeader(node.Pipe, frame));
                _frames.Add(frame);
                return;
            }
            case GoTokenKind.Range:
                WriteBlock(action, RangeHeader(NodeIn<GoBranchNode>(action)));
                return;
            case GoTokenKind.Else:
                WriteBlock(action, ElseHeader(action));
                return;
            case GoTokenKind.End:
            {
                var frame = Top;
                _frames.RemoveAt(_frames.Count - 1);
                var code = new StringBuilder("end");
                for (int i = 0; i < frame.ExtraEnds; i++)
                {
                    code.Append("; end");
                }

                if (frame.AfterEnd != null)
                {
                    code.Append("; ").Append(frame.AfterEnd);
                }

                WriteBlock(action, code.ToString());
                return;
            }
            case GoTokenKind.Define:
            {
                string function = FunctionName(action.DefineName!);
                _frames.Add(Frame.Function(FrameKind.Define));
                WriteBlock(action, "func " + function);
                return;
            }
            case GoTokenKind.Block:
            {
                var node = NodeIn<GoTemplateNode>(action);
                string call = TemplateCall(node);
                string deferred = string.Join("; ", _preStatements.Append(call));
                _preStatements.Clear();
                var frame = Frame.Function(FrameKind.Block);
                frame.AfterEnd = deferred;
                WriteBlock(action, "func " + FunctionName(node.Name));
                _frames.Add(frame);
                return;
            }
            case GoTokenKind.Template:
                WriteBlock(action, TemplateCall(NodeIn<GoTemplateNode>(action)));
                return;
            case GoTokenKind.Break:
                WriteBlock(action, "break");
                return;
            case GoTokenKind.Continue:
                WriteBlock(action, "continue");
                return;
            default:
                WriteBlock(action, Statement(NodeIn<GoActionNode>(action).Pipe));
                return;
        }
    }

    /// <summary>An action with a pipeline: a declaration, an assignment, or output of the value.</summary>
    private string Statement(GoPipeNode pipe)
    {
        var value = Value(pipe);
        if (pipe.Decl.Count == 0)
        {
            return value.ToTopString();
        }

        string variable = pipe.IsAssign ? LookupVariable(pipe.Decl[0].Ident[0]) : Declare(pipe.Decl[0].Ident[0]);
        return variable + " = " + value.ToTopString();
    }

    private string IfHeader(GoPipeNode pipe, Frame frame)
    {
        if (pipe.Decl.Count == 0)
        {
            return "if " + Condition(pipe).ToTopString();
        }
        // {{if $x := v}}: Scriban has no declaration inside a condition, so assign first.
        var value = Value(pipe);
        string variable = pipe.IsAssign ? LookupVariable(pipe.Decl[0].Ident[0]) : DeclareIn(frame, pipe.Decl[0].Ident[0]);
        _preStatements.Add(variable + " = " + value.ToTopString());
        return "if " + Truth(new ScribanAtom(variable)).ToTopString();
    }

    private string WithHeader(GoPipeNode pipe, Frame frame)
    {
        var value = Value(pipe);
        string variable = pipe.Decl.Count == 0
            ? NewVariable("$with")
            : pipe.IsAssign ? LookupVariable(pipe.Decl[0].Ident[0]) : DeclareIn(frame, pipe.Decl[0].Ident[0]);
        frame.Dot = new ScribanAtom(variable);
        _preStatements.Add(variable + " = " + value.ToTopString());
        return "if " + Truth(new ScribanAtom(variable)).ToTopString();
    }

    private string RangeHeader(GoBranchNode node)
    {
        var pipe = node.Pipe;
        var collection = RangeCollection(pipe);
        if (node.ElseList != null)
        {
            collection = new ScribanAtom("(" + collection.ToTopString() + " ?? [])");
        }

        var frame = Frame.Block(FrameKind.Range, Top);
        _frames.Add(frame);
        string element, code;
        switch (pipe.Decl.Count)
        {
            case 0:
                element = NewVariable("$item");
                code = $"for {element} in {collection.ToTopString()}";
                break;
            case 1:
                element = Declare(pipe.Decl[0].Ident[0]);
                code = $"for {element} in {collection.ToTopString()}";
                break;
            default:
                element = Declare(pipe.Decl[1].Ident[0]);
                string index = Declare(pipe.Decl[0].Ident[0]);
                if (IsKnownList(pipe))
                {
                    code = $"for {element} in {collection.ToTopString()}; {index} = for.index";
                    break;
                }
                // A map gives Go's $k the key, in sorted key order; go.range gives key/value entries in that order
                // (index/element for a list), which Scriban's for over a map would not.
                _helpers.Add(ScribanHelpers.Range);
                string entry = NewVariable("$entry");
                var entries = new ScribanCall(ScribanHelpers.Range, [collection]);
                code = $"for {entry} in ({entries.ToTopString()}); {index} = {entry}.key; {element} = {entry}.value";
                break;
        }
        frame.Dot = new ScribanAtom(element);
        return code;
    }

    private static bool IsKnownList(GoPipeNode pipe) =>
        pipe.Cmds[^1].Args[0] is GoIdentifierNode f && ScribanHelpers.ListFunctions.Contains(f.Ident);

    private ScribanExpression RangeCollection(GoPipeNode pipe)
    {
        var last = pipe.Cmds[^1];
        if (pipe.Cmds.Count == 1 && last.Args is [GoNumberNode { IsInt: true } n] && !n.Text.StartsWith('\''))
        {
            return new ScribanAtom(n.Int64 > 0 ? $"0..<{n.Int64}" : "[]");
        }

        var value = Value(pipe);
        if (value is ScribanCall)
        {
            value = new ScribanAtom("(" + value.ToTopString() + ")"); // for … in takes no bare call
        }
        // Two variables over an unknown value go through go.range, which is exact for maps and lists alike.
        if (!IsKnownList(pipe) && pipe.Decl.Count < 2)
        {
            Warn(StartOf(pipe.Cmds[0]), "range",
                $"'range {PipeText(pipe)}' became a Scriban for loop, which walks a list like Go does. If the value " +
                "can be a map, Go visits it in sorted key order (a key variable gets the key) while Scriban yields " +
                "key/value pairs in insertion order: iterate the sorted keys instead. If it can be an integer N, use 0..<N.");
        }
        return value;
    }

    private string ElseHeader(ActionSpan action)
    {
        var frame = Top;
        if (action.SecondKeyword is GoTokenKind.If or GoTokenKind.With)
        {
            var nested = NodeIn<GoBranchNode>(action);
            frame.Dot = frame.OuterDot;
            if (nested.Kind == GoBranchKind.If && nested.Pipe.Decl.Count == 0)
            {
                string condition = Condition(nested.Pipe).ToTopString();
                if (_preStatements.Count == 0)
                {
                    return "else if " + condition;
                }
                // Statements must run before the condition: nest a new if inside the else.
                var pre = string.Join("; ", _preStatements);
                _preStatements.Clear();
                frame.ExtraEnds++;
                return $"else; {pre}; if {condition}";
            }
            string header = nested.Kind == GoBranchKind.If ? IfHeader(nested.Pipe, frame) : WithHeader(nested.Pipe, frame);
            string statements = string.Join("; ", _preStatements);
            _preStatements.Clear();
            frame.ExtraEnds++;
            return $"else; {statements}; {header}";
        }
        frame.Dot = frame.OuterDot; // in Go, the else branch of range/with sees the outer dot
        return "else";
    }

    /// <summary>{{template "name" pipe}}: a call of the converted define, or Scriban's include for other files.</summary>
    private string TemplateCall(GoTemplateNode node)
    {
        var argument = node.Pipe == null ? null : Value(node.Pipe);
        if (_trees.ContainsKey(node.Name) && node.Name != _name)
        {
            string call = FunctionName(node.Name);
            return argument == null ? call : new ScribanCall(call, [argument]).ToTopString();
        }
        Warn(node.Pos, "template",
            $"template {GoFormat.Quote(node.Name)} is not defined in this file: it became Scriban's include, which " +
            "needs the engine's template loader to find a Scriban template of that name.");
        var args = new List<ScribanExpression> { ScribanAtom.String(node.Name) };
        if (argument != null)
        {
            args.Add(argument);
        }

        return new ScribanCall("include", args).ToTopString();
    }

    // ---- scopes ------------------------------------------------------------------------------------------------

    private Frame Top => _frames[^1];

    private string NewVariable(string stem)
    {
        for (int i = 1; ; i++)
        {
            string candidate = i == 1 ? stem : stem + i.ToString(CultureInfo.InvariantCulture);
            if (_takenVariables.Add(candidate))
            {
                return candidate;
            }
        }
    }

    private string Declare(string goName) => DeclareIn(Top, goName);

    /// <summary>
    /// Go scopes a variable to its block; Scriban's $ variables live for the whole page or function. A name that
    /// shadows an outer variable therefore gets a new Scriban name, so the outer one is intact after the block.
    /// </summary>
    private string DeclareIn(Frame frame, string goName)
    {
        if (frame.Variables.TryGetValue(goName, out var existing))
        {
            return existing;
        }

        bool shadows = VisibleFrames().Any(f => f != frame && f.Variables.ContainsKey(goName));
        string scribanName = goName;
        for (int i = 2; shadows; i++)
        {
            scribanName = goName + "_" + i.ToString(CultureInfo.InvariantCulture);
            if (_takenVariables.Add(scribanName))
            {
                break;
            }
        }
        frame.Variables[goName] = scribanName;
        return scribanName;
    }

    private string LookupVariable(string goName)
    {
        foreach (var f in VisibleFrames())
        {
            if (f.Variables.TryGetValue(goName, out var name))
            {
                return name;
            }
        }

        return goName; // the Go parser guarantees declaration; range variables of the frame are declared already
    }

    private IEnumerable<Frame> VisibleFrames()
    {
        for (int i = _frames.Count - 1; i >= 0; i--)
        {
            yield return _frames[i];
            if (_frames[i].IsFunction)
            {
                yield break;
            }
        }
    }

    private Frame Scope => VisibleFrames().Last();

    // ---- expressions -------------------------------------------------------------------------------------------

    /// <summary>The value of a pipeline; declarations are the caller's business.</summary>
    private ScribanExpression Value(GoPipeNode pipe) => CommandValue(pipe, pipe.Cmds.Count - 1);

    /// <summary>The value of the pipeline up to command <paramref name="index"/>: Go passes it as the last argument of the next.</summary>
    private ScribanExpression CommandValue(GoPipeNode pipe, int index)
    {
        var cmd = pipe.Cmds[index];
        var args = Arguments(pipe, index);
        if (cmd.Args[0] is GoIdentifierNode function)
        {
            return FunctionValue(function, args, cmd);
        }

        if (args.Count == 0)
        {
            return NodeValue(cmd.Args[0]);
        }

        return Untranslatable(cmd, "method call",
            $"'{cmd}' passes arguments to a field or method; Scriban cannot call methods of the data");
    }

    private List<Operand> Arguments(GoPipeNode pipe, int index)
    {
        var args = pipe.Cmds[index].Args.Skip(1).Select(a => new Operand(a, null, 0)).ToList();
        if (index > 0)
        {
            args.Add(new Operand(null, pipe, index - 1));
        }

        return args;
    }

    private ScribanExpression OperandValue(Operand operand) =>
        operand.Node != null ? NodeValue(operand.Node) : CommandValue(operand.Pipe!, operand.Index);

    private ScribanExpression OperandCondition(Operand operand)
    {
        if (operand.Node is GoPipeNode { Decl.Count: 0 } p)
        {
            return Condition(p);
        }

        if (operand.Node != null)
        {
            return Truth(NodeValue(operand.Node));
        }

        return CommandCondition(operand.Pipe!, operand.Index);
    }

    /// <summary>A pipeline as an if/with condition: Go truthiness, with operators where the result is a bool.</summary>
    private ScribanExpression Condition(GoPipeNode pipe) => CommandCondition(pipe, pipe.Cmds.Count - 1);

    private ScribanExpression CommandCondition(GoPipeNode pipe, int index)
    {
        var cmd = pipe.Cmds[index];
        if (cmd.Args[0] is GoIdentifierNode { Ident: "and" or "or" } f)
        {
            var args = Arguments(pipe, index);
            if (args.Count == 0)
            {
                return FunctionValue(f, args, cmd);
            }

            string op = f.Ident == "and" ? "&&" : "||";
            return args.Select(OperandCondition).Aggregate((l, r) => new ScribanBinary(op, l, r));
        }
        if (cmd.Args.Count == 1 && index == 0 && cmd.Args[0] is GoPipeNode { Decl.Count: 0 } nested)
        {
            return Condition(nested);
        }

        return Truth(CommandValue(pipe, index));
    }

    private ScribanExpression Truth(ScribanExpression value)
    {
        if (value.IsBoolean)
        {
            return value;
        }

        _helpers.Add(ScribanHelpers.Truth);
        return new ScribanCall(ScribanHelpers.Truth, [value]);
    }

    /// <summary>A call of a Go function; <paramref name="site"/> is the Go text quoted when it cannot be translated.</summary>
    private ScribanExpression FunctionValue(GoIdentifierNode function, List<Operand> args, GoNode site)
    {
        string name = function.Ident;
        switch (name)
        {
            case "eq":
            {
                if (args.Count < 2)
                {
                    return WrongArgumentCount(function, args, site, "at least 2");
                }

                var left = OperandValue(args[0]);
                return args.Skip(1).Select(a => (ScribanExpression)new ScribanBinary("==", left, OperandValue(a)))
                    .Aggregate((l, r) => new ScribanBinary("||", l, r));
            }
            case "ne" or "lt" or "le" or "gt" or "ge":
            {
                if (args.Count != 2)
                {
                    return WrongArgumentCount(function, args, site, "2");
                }

                string op = name switch { "ne" => "!=", "lt" => "<", "le" => "<=", "gt" => ">", _ => ">=" };
                return new ScribanBinary(op, OperandValue(args[0]), OperandValue(args[1]));
            }
            case "not":
                if (args.Count != 1)
                {
                    return WrongArgumentCount(function, args, site, "1");
                }

                return new ScribanNot(OperandCondition(args[0]));
            case "index":
            {
                if (args.Count == 0)
                {
                    return WrongArgumentCount(function, args, site, "at least 1");
                }

                var sb = new StringBuilder();
                OperandValue(args[0]).WriteOperand(sb);
                foreach (var key in args.Skip(1))
                {
                    sb.Append('[');
                    OperandValue(key).WriteOperand(sb);
                    sb.Append(']');
                }
                return new ScribanAtom(sb.ToString());
            }
            case "len":
                if (args.Count != 1)
                {
                    return WrongArgumentCount(function, args, site, "1");
                }

                return new ScribanCall("object.size", [OperandValue(args[0])]);
            case "call":
                return Untranslatable(site, "call", "'call' invokes a function held in the data; Scriban templates cannot");
            case "include":
                return Include(function, args, site);
        }
        string helper = ScribanHelpers.QualifiedName(name, _target);
        if (!ScribanHelpers.Exists(helper, _target))
        {
            Warn(function.Pos, "function",
                $"'{name}' is not a function of lxd-compose's {(_target == ConversionTarget.Render ? "render (Helm)" : "config-template (mottainai)")} " +
                $"engine, so Go fails on it too; it became {helper}, which the Scriban engine does not provide either: " +
                "replace the call or define the function");
        }
        _helpers.Add(helper);
        return new ScribanCall(helper, args.Select(OperandValue).ToList());
    }

    /// <summary>Helm's include returns the template's output as a string: capture the converted function's output.</summary>
    private ScribanExpression Include(GoIdentifierNode function, List<Operand> args, GoNode site)
    {
        if (args.Count != 2)
        {
            return WrongArgumentCount(function, args, site, "2");
        }

        var data = OperandValue(args[1]);
        if (args[0].Node is GoStringNode { Text: var name } && _trees.ContainsKey(name) && name != _name)
        {
            string variable = NewVariable("$include");
            _preStatements.Add($"capture {variable}; {new ScribanCall(FunctionName(name), [data]).ToTopString()}; end");
            return new ScribanAtom(variable);
        }
        Warn(function.Pos, "include",
            $"'include' of {(args[0].Node is GoStringNode s ? GoFormat.Quote(s.Text) : "a computed name")}, which is " +
            "not defined in this file, became Scriban's include: the engine's template loader must find a Scriban " +
            "template of that name (defines converted elsewhere are Scriban functions, not templates).");
        return new ScribanCall("include", [OperandValue(args[0]), data]);
    }

    private ScribanExpression WrongArgumentCount(GoIdentifierNode function, List<Operand> args, GoNode site,
        string expected) =>
        Untranslatable(site, function.Ident,
            $"'{function.Ident}' with {args.Count} argument(s) (Go wants {expected}) fails in Go too");

    private ScribanExpression NodeValue(GoNode node)
    {
        switch (node)
        {
            case GoFieldNode f:
                return Fields(Top.Dot, f.Ident, f);
            case GoDotNode:
                return Fields(Top.Dot, [], node);
            case GoVariableNode v:
                if (v.Ident[0] == "$")
                {
                    return Fields(Scope.Dot0, v.Ident[1..], v);
                }

                return Members(new ScribanAtom(LookupVariable(v.Ident[0])), v.Ident[1..]);
            case GoChainNode c:
                return Members(NodeValue(c.Node), c.Field.ToArray());
            case GoPipeNode { Decl.Count: > 0 } p:
                return Untranslatable(p, "declaration", "a variable declared inside parentheses has no Scriban form");
            case GoPipeNode p:
                return Value(p);
            case GoIdentifierNode function:
                return FunctionValue(function, [], function);
            case GoStringNode s:
                return s.Quoted.StartsWith('`') ? new ScribanAtom("`" + s.Text + "`") : ScribanAtom.String(s.Text);
            case GoBoolNode b:
                return new ScribanAtom(b.True ? "true" : "false", isBoolean: true);
            case GoNilNode:
                return ScribanAtom.Null;
            case GoNumberNode n:
                return Number(n);
            default:
                return Untranslatable(node, node.GetType().Name, $"'{node}' has no Scriban form");
        }
    }

    private static ScribanExpression Number(GoNumberNode n)
    {
        string text;
        if (n.Text.StartsWith('\''))
        {
            text = n.Int64.ToString(CultureInfo.InvariantCulture); // a rune is its code point
        }
        else if (n.IdealValue is long l)
        {
            text = l.ToString(CultureInfo.InvariantCulture);
        }
        else if (n.IdealValue is double d)
        {
            text = d.ToString("R", CultureInfo.InvariantCulture);
            if (text.IndexOfAny(['.', 'E']) < 0)
            {
                text += ".0"; // keep it a float
            }
        }
        else
        {
            text = n.Uint64.ToString(CultureInfo.InvariantCulture);
        }

        return text.StartsWith('-') ? new ScribanNegativeNumber(text) : new ScribanAtom(text);
    }

    /// <summary>Fields on Go's dot (or $): the element of the enclosing range/with, or the template's root.</summary>
    private ScribanExpression Fields(ScribanExpression? dot, string[] fields, GoNode node)
    {
        if (dot != null)
        {
            return Members(dot, fields);
        }

        if (_target == ConversionTarget.ConfigTemplate)
        {
            if (fields.Length == 0)
            {
                return new ScribanAtom("this");
            }

            var first = IsPlainIdentifier(fields[0]) ? fields[0] : $"this[{ScribanAtom.String(fields[0]).Text}]";
            return Members(new ScribanAtom(first), fields[1..]);
        }
        if (fields.Length == 0)
        {
            return new ScribanAtom("{Values: values}");
        }

        if (fields[0] == "Values")
        {
            return Members(new ScribanAtom("values"), fields[1..]);
        }

        return Untranslatable(node, "root object",
            $"'.{fields[0]}' is a Helm root object the Scriban renderer does not provide (only .Values is: 'values')");
    }

    private static ScribanExpression Members(ScribanExpression target, string[] fields)
    {
        if (fields.Length == 0)
        {
            return target;
        }

        var sb = new StringBuilder();
        target.WriteOperand(sb);
        foreach (var f in fields)
        {
            if (IsPlainIdentifier(f))
            {
                sb.Append('.').Append(f);
            }
            else
            {
                sb.Append('[').Append(ScribanAtom.String(f).Text).Append(']');
            }
        }
        return new ScribanAtom(sb.ToString());
    }

    private static bool IsPlainIdentifier(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') &&
        name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') && !ScribanKeywords.Contains(name);

    private string FunctionName(string templateName)
    {
        if (_functionNames.TryGetValue(templateName, out var known))
        {
            return known;
        }

        var sb = new StringBuilder();
        foreach (char c in templateName)
        {
            sb.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        }

        string stem = sb.Length == 0 || char.IsAsciiDigit(sb[0]) ? "_" + sb : sb.ToString();
        if (ScribanKeywords.Contains(stem) || ReservedGlobals.Contains(stem))
        {
            stem += "_template";
        }

        string name = stem;
        for (int i = 2; _functionNames.ContainsValue(name); i++)
        {
            name = stem + i.ToString(CultureInfo.InvariantCulture);
        }

        _functionNames[templateName] = name;
        return name;
    }

    private ScribanExpression Untranslatable(GoNode node, string construct, string message)
    {
        Warn(StartOf(node), construct, message + "; replaced by null and kept as a comment");
        _comments.Add(CommentText(GoToScribanConverter.UntranslatedMarker + " " + node));
        return ScribanAtom.Null;
    }

    /// <summary>Where a node's text starts: the parser places a field chain (.a.b, $x.a) at its second element.</summary>
    private static int StartOf(GoNode node) => node switch
    {
        GoFieldNode { Ident.Length: > 1 } f => f.Pos - 1 - f.Ident[0].Length,
        GoVariableNode { Ident.Length: > 1 } v => v.Pos - v.Ident[0].Length,
        GoCommandNode c when c.Args.Count > 0 => StartOf(c.Args[0]),
        _ => node.Pos,
    };

    private void Warn(int pos, string construct, string message)
    {
        var (line, column) = _positions.LineColumn(pos);
        _warnings.Add(new ConversionWarning(line, column, construct, message));
    }

    private static string PipeText(GoPipeNode pipe) => string.Join(" | ", pipe.Cmds.Select(c => c.ToString()));

    private void CheckScribanParses(string text)
    {
        var template = global::Scriban.Template.Parse(text, _name);
        foreach (var message in template.Messages)
        {
            _warnings.Add(new ConversionWarning(message.Span.Start.Line + 1, message.Span.Start.Column + 1, "scriban",
                "the converted text does not parse as Scriban (converter limitation): " + message.Message));
        }
    }

    private sealed record Operand(GoNode? Node, GoPipeNode? Pipe, int Index);

    private enum FrameKind { Root, If, Range, With, Define, Block }

    private sealed class Frame
    {
        private Frame(FrameKind kind, bool isFunction, ScribanExpression? dot)
        {
            Kind = kind;
            IsFunction = isFunction;
            Dot = dot;
            OuterDot = dot;
            Dot0 = dot;
        }

        public FrameKind Kind { get; }

        /// <summary>Root and define/block bodies: variables of enclosing frames are not visible.</summary>
        public bool IsFunction { get; }

        /// <summary>What Go's dot is here; null is the template's root data.</summary>
        public ScribanExpression? Dot { get; set; }

        public ScribanExpression? OuterDot { get; private init; }

        /// <summary>What Go's $ is: the data the template (or define) was executed with.</summary>
        public ScribanExpression? Dot0 { get; }

        public Dictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);

        /// <summary>Extra ends for else branches that had to open a nested if.</summary>
        public int ExtraEnds { get; set; }

        /// <summary>Code written after this frame's end (the call of a block).</summary>
        public string? AfterEnd { get; set; }

        public static Frame Root() => new(FrameKind.Root, true, null);

        public static Frame Function(FrameKind kind) => new(kind, true, new ScribanAtom("$0"));

        public static Frame Block(FrameKind kind, Frame outer) => new(kind, false, outer.Dot) { OuterDot = outer.Dot };
    }
}
