// Port of src/text/template/exec.go (Go 1.24).
using System.Collections;
using System.Text;

namespace LxdCompose.GoTemplates;

/// <summary>Walks parse trees against data with Go's evaluation rules (one instance per execution).</summary>
internal sealed class GoExecutor
{
    /// <summary>Marks "no value piped in" (Go's missingVal), distinct from a piped missing value.</summary>
    private static readonly object NoFinal = new();

    private enum Flow { Normal, Break, Continue }

    private struct Variable
    {
        public string Name;
        public object? Value;
    }

    private readonly StringBuilder _out;
    private readonly GoCallContext _context;
    private List<Variable> _vars = new();
    private GoTemplateTree _tmpl = null!;
    private GoNode? _node;
    private int _depth;
    private List<GoNode>? _callArgs;
    private GoNode? _callNode;
    private LoopBudget _loops = new();

    /// <summary>
    /// Iterations counted across a dynamically nested tree of loops, includes inside them too, until the outermost
    /// loop ends: Scriban's LoopLimit, so that nested loops cannot multiply past the limit.
    /// </summary>
    private sealed class LoopBudget
    {
        public long Used;
        public int OpenLoops;
    }

    public GoExecutor(GoTemplate set, GoExecuteOptions options, StringBuilder output)
    {
        TemplateSet = set;
        Options = options;
        _out = output;
        _context = new GoCallContext(this);
    }

    public GoTemplate TemplateSet { get; }

    public GoExecuteOptions Options { get; }

    public void Run(GoTemplateTree tree, object? data)
    {
        var dot = data ?? GoMissing.Value;
        _tmpl = tree;
        _vars.Add(new Variable { Name = "$", Value = dot });
        try
        {
            Walk(dot, tree.Root);
            return;
        }
        catch (InsufficientExecutionStackException) when (_node != null || _depth == 0)
        {
            // Turned into a limit error once, at the innermost run that reached a node (below, outside the handler,
            // where the stack is unwound): limit errors pass every outer level unchanged. A nested run that ran out
            // before its first node has no position of its own, so the run that called it reports it.
        }
        throw DepthError($"the templates nest too deep for this thread's stack (at depth {_depth:N0})");
    }

    public string? CurrentArgumentText(int index)
    {
        if (_callArgs == null || index + 1 >= _callArgs.Count)
        {
            return null;
        }

        return _callArgs[index + 1].ToString();
    }

    /// <summary>Runs a template of the set into a string from inside a function (Helm's include).</summary>
    public string ExecuteNested(string name, object? data) => ExecuteNestedIn(TemplateSet, name, data);

    /// <summary>
    /// Runs template <paramref name="name"/> of <paramref name="set"/> (this set, or a copy with more templates:
    /// Helm's tpl) into a string, one level deeper than this run: the depth limit counts every kind of nesting.
    /// </summary>
    public string ExecuteNestedIn(GoTemplate set, string name, object? data)
    {
        var tree = set.Lookup(name) ??
                   throw new GoFunctionException($"template: no template {GoFormat.Quote(name)} associated with template {GoFormat.Quote(set.Name)}");
        if (_depth >= Options.Limits.Depth)
        {
            _node = _callNode ?? _node;
            throw DepthError($"template {GoFormat.Quote(name)} nested {_depth:N0} deep: exceeded maximum template depth");
        }
        Options.CancellationToken.ThrowIfCancellationRequested();
        StackGuard.Check();
        var nested = new GoExecutor(set, Options, new StringBuilder()) { _depth = _depth + 1, _loops = _loops };
        nested.Run(tree, data);
        return nested._out.ToString();
    }

    private GoTemplateExecException DepthError(string what) =>
        LimitError(Options.Limits.Exceeded(what, GoLimit.Depth), GoLimit.Depth);

    private GoTemplateExecException LimitError(string reason, GoLimit limit, Exception? inner = null) =>
        Error(reason, inner, limit);

    private void CheckOutput()
    {
        if (_out.Length > Options.Limits.OutputChars)
        {
            throw LimitError(Options.Limits.Exceeded($"the template wrote more than {Options.Limits.OutputChars:N0} characters",
                GoLimit.OutputChars), GoLimit.OutputChars);
        }
    }

    private GoTemplateExecException Error(string reason, Exception? inner = null, GoLimit? limit = null)
    {
        if (_node == null)
        {
            string m = $"template: {_tmpl.Name}: {reason}";
            return new GoTemplateExecException(m, _tmpl.ParseName, 0, 0, null, reason, inner, limit);
        }
        var tree = _node.Tree;
        var (line, byteCol) = tree.GoLineByteColumn(_node.Pos);
        var (_, col) = tree.LineColumn(_node.Pos);
        string context = _node.ToString();
        string message =
            $"template: {tree.ParseName}:{line}:{byteCol}: executing {GoFormat.Quote(_tmpl.Name)} at <{context}>: {reason}";
        return new GoTemplateExecException(message, tree.ParseName, line, col, context, reason, inner, limit);
    }

    // ---- variables ----

    private int Mark() => _vars.Count;

    private void Pop(int mark) => _vars.RemoveRange(mark, _vars.Count - mark);

    private void Push(string name, object? value) => _vars.Add(new Variable { Name = name, Value = value });

    private void SetVar(string name, object? value)
    {
        for (int i = _vars.Count - 1; i >= 0; i--)
        {
            if (_vars[i].Name == name)
            {
                _vars[i] = new Variable { Name = name, Value = value };
                return;
            }
        }
        throw Error($"undefined variable: {name}");
    }

    private void SetTopVar(int n, object? value)
    {
        var v = _vars[^n];
        v.Value = value;
        _vars[^n] = v;
    }

    private object? VarValue(string name)
    {
        for (int i = _vars.Count - 1; i >= 0; i--)
        {
            if (_vars[i].Name == name)
            {
                return _vars[i].Value;
            }
        }

        throw Error($"undefined variable: {name}");
    }

    // ---- walking ----

    private Flow Walk(object? dot, GoNode node)
    {
        StackGuard.Check();
        switch (node)
        {
            case GoTextNode text:
                _out.Append(text.Text);
                CheckOutput();
                return Flow.Normal;
            case GoActionNode action:
            {
                var val = EvalPipeline(dot, action.Pipe);
                if (action.Pipe.Decl.Count == 0)
                {
                    PrintValue(action, val);
                }

                return Flow.Normal;
            }
            case GoListNode list:
                foreach (var child in list.Nodes)
                {
                    var flow = Walk(dot, child);
                    if (flow != Flow.Normal)
                    {
                        return flow;
                    }
                }
                return Flow.Normal;
            case GoBranchNode branch:
                return branch.Kind == GoBranchKind.Range ? WalkRange(dot, branch) : WalkIfOrWith(dot, branch);
            case GoBreakNode:
                return Flow.Break;
            case GoContinueNode:
                return Flow.Continue;
            case GoTemplateNode t:
                WalkTemplate(dot, t);
                return Flow.Normal;
            case GoCommentNode:
                return Flow.Normal;
        }
        _node = node;
        throw Error($"unknown node: {node}");
    }

    private Flow WalkIfOrWith(object? dot, GoBranchNode node)
    {
        int mark = Mark();
        try
        {
            var val = EvalPipeline(dot, node.Pipe);
            if (GoValues.IsTrue(val))
            {
                return Walk(node.Kind == GoBranchKind.With ? val : dot, node.List);
            }

            if (node.ElseList != null)
            {
                return Walk(dot, node.ElseList);
            }

            return Flow.Normal;
        }
        finally
        {
            Pop(mark);
        }
    }

    private Flow WalkRange(object? dot, GoBranchNode r)
    {
        _node = r;
        int outerMark = Mark();
        bool counted = false;
        try
        {
            var val = GoPointer.Indirect(EvalPipeline(dot, r.Pipe));
            int mark = Mark();
            bool ran = false;
            var token = Options.CancellationToken;
            if (_loops.OpenLoops++ == 0)
            {
                _loops.Used = 0;
            }

            counted = true;

            // Returns false when the loop must stop ({{break}}).
            bool OneIteration(object? index, object? elem)
            {
                token.ThrowIfCancellationRequested();
                if (++_loops.Used > Options.Limits.LoopIterations)
                {
                    _node = r;
                    throw LimitError(Options.Limits.Exceeded(
                        $"range ran more than {Options.Limits.LoopIterations:N0} iterations (counted across nested loops)",
                        GoLimit.LoopIterations),
                        GoLimit.LoopIterations);
                }
                var decl = r.Pipe.Decl;
                if (decl.Count > 0)
                {
                    if (r.Pipe.IsAssign)
                    {
                        SetVar(decl[0].Ident[0], decl.Count > 1 ? index : elem);
                    }
                    else
                    {
                        SetTopVar(1, elem);
                    }
                }
                if (decl.Count > 1)
                {
                    if (r.Pipe.IsAssign)
                    {
                        SetVar(decl[1].Ident[0], elem);
                    }
                    else
                    {
                        SetTopVar(2, index);
                    }
                }
                var flow = Walk(elem, r.List);
                Pop(mark);
                return flow != Flow.Break;
            }

            switch (val)
            {
                case GoMissing or null:
                    break;
                case string:
                    _node = r;
                    throw Error($"range can't iterate over {GoFormat.FormatValue(val)}");
                case IList list:
                    for (int i = 0; i < list.Count; i++)
                    {
                        ran = true;
                        if (!OneIteration((long)i, list[i]))
                        {
                            break;
                        }
                    }
                    break;
                case IDictionary map:
                    foreach (var kv in GoValues.SortedEntries(map))
                    {
                        ran = true;
                        if (!OneIteration(kv.Key, kv.Value))
                        {
                            break;
                        }
                    }
                    break;
                case long or int or short or sbyte or ulong or uint or ushort or byte:
                {
                    if (r.Pipe.Decl.Count > 1)
                    {
                        _node = r;
                        throw Error($"can't use {GoFormat.FormatValue(val)} to iterate over more than one variable");
                    }
                    if (GoValues.KindOf(val) == GoValues.BasicKind.Int)
                    {
                        long n = GoValues.ToInt64(val);
                        for (long i = 0; i < n; i++)
                        {
                            ran = true;
                            object boxed = ConvertLike(val, i);
                            if (!OneIteration(boxed, boxed))
                            {
                                break;
                            }
                        }
                    }
                    else
                    {
                        ulong n = GoValues.ToUInt64(val);
                        for (ulong i = 0; i < n; i++)
                        {
                            ran = true;
                            object boxed = ConvertLike(val, (long)i);
                            if (!OneIteration(boxed, boxed))
                            {
                                break;
                            }
                        }
                    }
                    break;
                }
                default:
                    _node = r;
                    throw Error($"range can't iterate over {GoFormat.FormatValue(val)}");
            }
            _loops.OpenLoops--;
            counted = false;
            if (!ran && r.ElseList != null)
            {
                return Walk(dot, r.ElseList);
            }

            return Flow.Normal;
        }
        finally
        {
            if (counted)
            {
                _loops.OpenLoops--;
            }

            Pop(outerMark);
        }
    }

    private static object ConvertLike(object sample, long i) => sample switch
    {
        long => i,
        int => (int)i,
        short => (short)i,
        sbyte => (sbyte)i,
        ulong => (ulong)i,
        uint => (uint)i,
        ushort => (ushort)i,
        _ => (byte)i,
    };

    private void WalkTemplate(object? dot, GoTemplateNode t)
    {
        _node = t;
        var tree = TemplateSet.Lookup(t.Name);
        if (tree == null)
        {
            throw Error($"template {GoFormat.Quote(t.Name)} not defined");
        }

        if (_depth >= Options.Limits.Depth)
        {
            throw DepthError($"template {GoFormat.Quote(t.Name)} nested {_depth:N0} deep: exceeded maximum template depth");
        }

        Options.CancellationToken.ThrowIfCancellationRequested();
        StackGuard.Check();
        var newDot = EvalPipeline(dot, t.Pipe);
        var savedVars = _vars;
        var savedTmpl = _tmpl;
        _vars = new List<Variable> { new() { Name = "$", Value = newDot } };
        _tmpl = tree;
        _depth++;
        try
        {
            Walk(newDot, tree.Root);
        }
        finally
        {
            _depth--;
            _vars = savedVars;
            _tmpl = savedTmpl;
        }
    }

    private void PrintValue(GoNode node, object? value)
    {
        _node = node;
        switch (value)
        {
            case null or GoMissing:
                _out.Append("<no value>");
                return;
            case string s:
                _out.Append(s);
                CheckOutput();
                return;
            case GoFunction or Delegate:
                throw Error($"can't print {node} of type {GoValues.TypeName(value)}");
        }
        _out.Append(GoFormat.FormatValue(value));
        CheckOutput();
    }

    // ---- evaluation ----

    private object? EvalPipeline(object? dot, GoPipeNode? pipe)
    {
        if (pipe == null)
        {
            return GoMissing.Value;
        }

        StackGuard.Check();
        _node = pipe;
        object? value = NoFinal;
        foreach (var cmd in pipe.Cmds)
        {
            value = EvalCommand(dot, cmd, value);
            // A nil interface result becomes "no value" (Go digs into interface{} results).
            value ??= GoMissing.Value;
        }
        foreach (var variable in pipe.Decl)
        {
            if (pipe.IsAssign)
            {
                SetVar(variable.Ident[0], value);
            }
            else
            {
                Push(variable.Ident[0], value);
            }
        }
        return value;
    }

    private void NotAFunction(List<GoNode>? args, object? final)
    {
        if ((args != null && args.Count > 1) || !ReferenceEquals(final, NoFinal))
        {
            throw Error($"can't give argument to non-function {args?[0]}");
        }
    }

    private object? EvalCommand(object? dot, GoCommandNode cmd, object? final)
    {
        var first = cmd.Args[0];
        switch (first)
        {
            case GoFieldNode field:
                return EvalFieldNode(dot, field, cmd.Args, final);
            case GoChainNode chain:
                return EvalChainNode(dot, chain, cmd.Args, final);
            case GoIdentifierNode id:
                return EvalFunction(dot, id, cmd, cmd.Args, final);
            case GoPipeNode pipe:
                NotAFunction(cmd.Args, final);
                return EvalPipeline(dot, pipe);
            case GoVariableNode variable:
                return EvalVariableNode(dot, variable, cmd.Args, final);
        }
        _node = first;
        NotAFunction(cmd.Args, final);
        switch (first)
        {
            case GoBoolNode b:
                return b.True;
            case GoDotNode:
                return dot;
            case GoNilNode:
                throw Error("nil is not a command");
            case GoNumberNode n:
                return IdealConstant(n);
            case GoStringNode s:
                return s.Text;
        }
        throw Error($"can't evaluate command {GoFormat.Quote(first.ToString())}");
    }

    private object? IdealConstant(GoNumberNode n)
    {
        _node = n;
        if (n.IdealValue == null)
        {
            throw Error($"{n.Text} overflows int");
        }

        return n.IdealValue;
    }

    private object? EvalFieldNode(object? dot, GoFieldNode field, List<GoNode>? args, object? final)
    {
        _node = field;
        return EvalFieldChain(dot, dot, field, field.Ident, args, final);
    }

    private object? EvalChainNode(object? dot, GoChainNode chain, List<GoNode>? args, object? final)
    {
        _node = chain;
        if (chain.Node is GoNilNode)
        {
            throw Error($"indirection through explicit nil in {chain}");
        }

        var pipe = EvalArg(dot, null, chain.Node);
        return EvalFieldChain(dot, pipe, chain, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(chain.Field), args, final);
    }

    private object? EvalVariableNode(object? dot, GoVariableNode variable, List<GoNode>? args, object? final)
    {
        _node = variable;
        var value = VarValue(variable.Ident[0]);
        if (variable.Ident.Length == 1)
        {
            NotAFunction(args, final);
            return value;
        }
        return EvalFieldChain(dot, value, variable, variable.Ident.AsSpan(1), args, final);
    }

    private object? EvalFieldChain(object? dot, object? receiver, GoNode node, ReadOnlySpan<string> ident,
        List<GoNode>? args, object? final)
    {
        int n = ident.Length;
        for (int i = 0; i < n - 1; i++)
        {
            receiver = EvalField(dot, ident[i], node, null, NoFinal, receiver);
        }

        return EvalField(dot, ident[n - 1], node, args, final, receiver);
    }

    private object? EvalField(object? dot, string fieldName, GoNode node, List<GoNode>? args, object? final, object? receiver)
    {
        _node = node;
        if (receiver is GoMissing)
        {
            if (Options.MissingKey == GoMissingKey.Error)
            {
                throw Error($"nil data; no entry for key {GoFormat.Quote(fieldName)}");
            }

            return GoMissing.Value;
        }
        if (receiver == null)
        {
            throw Error($"nil pointer evaluating interface {{}}.{fieldName}");
        }
        // Go reports the receiver's own type (a pointer) but looks the name up in what it points to.
        var receiverTypeName = GoValues.TypeName(receiver);
        receiver = GoPointer.Indirect(receiver)!;
        bool hasArgs = (args != null && args.Count > 1) || !ReferenceEquals(final, NoFinal);
        if (receiver is Dictionary<string, object?> fast)
        {
            if (hasArgs)
            {
                throw Error($"{fieldName} is not a method but has arguments");
            }

            if (fast.TryGetValue(fieldName, out var v))
            {
                return v;
            }

            return MissingKey(fieldName, typeof(object));
        }
        if (receiver is IDictionary map)
        {
            var keyType = GoValues.MapKeyType(map);
            if (keyType == typeof(string) || keyType == typeof(object))
            {
                if (hasArgs)
                {
                    throw Error($"{fieldName} is not a method but has arguments");
                }

                if (map.Contains(fieldName))
                {
                    return map[fieldName];
                }

                return MissingKey(fieldName, GoValues.MapValueType(map));
            }
        }
        else if (receiver is IGoMethods methods && methods.FindMethod(fieldName) is { } method)
        {
            return EvalCall(dot, method, node, fieldName, args, final);
        }
        else if (GoValues.KindOf(receiver) == GoValues.BasicKind.Invalid && receiver is not IList &&
                 Options.Members.TryGet(receiver, fieldName, out var member))
        {
            if (hasArgs)
            {
                throw Error($"{fieldName} has arguments but cannot be invoked as function");
            }

            return member;
        }
        throw Error($"can't evaluate field {fieldName} in type {receiverTypeName}");
    }

    private object? MissingKey(string fieldName, Type elementType) => Options.MissingKey switch
    {
        GoMissingKey.Zero => GoValues.Zero(elementType),
        GoMissingKey.Error => throw Error($"map has no entry for key {GoFormat.Quote(fieldName)}"),
        _ => GoMissing.Value,
    };

    private object? EvalFunction(object? dot, GoIdentifierNode id, GoNode cmd, List<GoNode>? args, object? final)
    {
        _node = id;
        if (!TemplateSet.Functions.TryGet(id.Ident, out var function))
        {
            throw Error($"{GoFormat.Quote(id.Ident)} is not a defined function");
        }

        return EvalCall(dot, function, cmd, id.Ident, args, final);
    }

    private object? EvalCall(object? dot, GoFunction fn, GoNode node, string name, List<GoNode>? args, object? final)
    {
        int argCount = args == null ? 0 : args.Count - 1; // args[0] is the function itself
        bool hasFinal = !ReferenceEquals(final, NoFinal);
        int numIn = argCount + (hasFinal ? 1 : 0);
        int numFixed = argCount;
        if (fn.Variadic != null)
        {
            numFixed = fn.Parameters.Count;
            if (numIn < numFixed)
            {
                throw Error($"wrong number of args for {name}: want at least {fn.Parameters.Count} got {argCount}");
            }
        }
        else if (numIn != fn.Parameters.Count)
        {
            throw Error($"wrong number of args for {name}: want {fn.Parameters.Count} got {numIn}");
        }

        if (fn.Special is GoFunction.SpecialKind.And or GoFunction.SpecialKind.Or)
        {
            bool isOr = fn.Special == GoFunction.SpecialKind.Or;
            object? v = GoMissing.Value;
            for (int k = 0; k < argCount; k++)
            {
                v = EvalArg(dot, GoType.Value, args![k + 1]);
                if (GoValues.IsTrue(v) == isOr)
                {
                    return v;
                }
            }
            if (hasFinal)
            {
                v = final;
            }

            return v;
        }

        var argv = new object?[numIn];
        int i = 0;
        for (; i < numFixed && i < argCount; i++)
        {
            argv[i] = EvalArg(dot, fn.Parameters[i], args![i + 1]);
        }

        if (fn.Variadic != null)
        {
            for (; i < argCount; i++)
            {
                argv[i] = EvalArg(dot, fn.Variadic, args![i + 1]);
            }
        }

        if (hasFinal)
        {
            GoType t;
            if (fn.Variadic != null)
            {
                t = numIn - 1 < numFixed ? fn.Parameters[numIn - 1] : fn.Variadic;
            }
            else
            {
                t = fn.Parameters[^1];
            }

            argv[i] = ValidateType(final, t);
        }
        var savedArgs = _callArgs;
        var savedCallNode = _callNode;
        _callArgs = args;
        _callNode = node;
        object? result = null;
        Exception? failure = null;
        GoLimit? limit = null;
        try
        {
            result = fn.Body(_context, argv);
        }
        catch (GoLimitException e)
        {
            failure = e;
            limit = e.Limit;
        }
        // Not caught: cancellation, a lack of stack, and limit errors of nested runs, which keep their own position
        // and are not wrapped again at every level.
        catch (Exception e) when (e is not (OperationCanceledException or InsufficientExecutionStackException
                                      or GoTemplateException { Limit: not null }))
        {
            failure = e;
        }
        finally
        {
            _callArgs = savedArgs;
            _callNode = savedCallNode;
        }

        // Thrown here, not from the handler: a handler runs on top of the failed call's frames, so rethrowing from
        // handlers at each of 1,000 nested includes would itself overflow the stack.
        if (failure != null)
        {
            _node = node;
            throw Error($"error calling {name}: {failure.Message}", failure, limit);
        }

        if (result is string { Length: var length } && length > Options.Limits.OutputChars)
        {
            _node = node;
            throw LimitError(Options.Limits.Exceeded($"{name} returned {length:N0} characters", GoLimit.OutputChars),
                GoLimit.OutputChars);
        }

        return result;
    }

    private object? ValidateType(object? value, GoType? type)
    {
        if (type == null)
        {
            return value;
        }

        if (value is GoMissing)
        {
            if (type.Kind == GoType.TypeKind.Value)
            {
                return value;
            }

            if (type.CanBeNil)
            {
                return null;
            }

            throw Error($"invalid value; expected {type.Name}");
        }
        if (type.Kind is GoType.TypeKind.Value or GoType.TypeKind.Any)
        {
            return value;
        }
        // One dereference, as Go's validateType does: a *map passes as the map to a map parameter (hasKey, set).
        if (value is GoPointer pointer && !type.Accepts(value) && type.Accepts(pointer.Target))
        {
            return pointer.Target;
        }

        if (value == null || !type.Accepts(value))
        {
            throw Error($"wrong type for value; expected {type.Name}; got {(value == null ? "interface {}" : GoValues.TypeName(value))}");
        }

        return value;
    }

    private object? EvalArg(object? dot, GoType? type, GoNode n)
    {
        _node = n;
        switch (n)
        {
            case GoDotNode:
                return ValidateType(dot, type);
            case GoNilNode:
                if (type == null || type.CanBeNil)
                {
                    return type?.Kind == GoType.TypeKind.Value ? GoMissing.Value : null;
                }

                throw Error($"cannot assign nil to {type.Name}");
            case GoFieldNode field:
                return ValidateType(EvalFieldNode(dot, field, [n], NoFinal), type);
            case GoVariableNode variable:
                return ValidateType(EvalVariableNode(dot, variable, null, NoFinal), type);
            case GoPipeNode pipe:
                return ValidateType(EvalPipeline(dot, pipe), type);
            case GoIdentifierNode id:
                return ValidateType(EvalFunction(dot, id, id, null, NoFinal), type);
            case GoChainNode chain:
                return ValidateType(EvalChainNode(dot, chain, null, NoFinal), type);
        }
        switch (type?.Kind)
        {
            case GoType.TypeKind.Bool:
                if (n is GoBoolNode b)
                {
                    return b.True;
                }

                throw Error($"expected bool; found {n}");
            case GoType.TypeKind.Float:
                if (n is GoNumberNode { IsFloat: true } f)
                {
                    return f.Float64;
                }

                throw Error($"expected float; found {n}");
            case GoType.TypeKind.Int:
                if (n is GoNumberNode { IsInt: true } i)
                {
                    return i.Int64;
                }

                throw Error($"expected integer; found {n}");
            case GoType.TypeKind.Uint:
                if (n is GoNumberNode { IsUint: true } u)
                {
                    return unchecked((uint)u.Uint64);
                }

                throw Error($"expected unsigned integer; found {n}");
            case GoType.TypeKind.String:
                if (n is GoStringNode s)
                {
                    return s.Text;
                }

                throw Error($"expected string; found {n}");
            case GoType.TypeKind.Any or GoType.TypeKind.Value or null:
                switch (n)
                {
                    case GoBoolNode bb:
                        return bb.True;
                    case GoNumberNode num:
                        return IdealConstant(num);
                    case GoStringNode str:
                        return str.Text;
                }
                throw Error($"can't handle assignment of {n} to empty interface argument");
        }
        throw Error($"can't handle {n} for arg of type {type!.Name}");
    }
}
