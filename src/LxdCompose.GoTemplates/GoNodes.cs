// Port of src/text/template/parse/node.go (Go 1.24).
using System.Text;

namespace LxdCompose.GoTemplates;

/// <summary>A node of a parsed template; <see cref="ToString"/> prints it back in Go's canonical form.</summary>
public abstract class GoNode
{
    internal GoNode(GoTemplateTree tree, int pos)
    {
        Tree = tree;
        Pos = pos;
    }

    /// <summary>The tree (parsed text) the node belongs to; used for error positions.</summary>
    public GoTemplateTree Tree { get; }

    /// <summary>Character offset of the node in the parsed text.</summary>
    public int Pos { get; }

    internal abstract void Write(StringBuilder sb, bool quoteText);

    public override string ToString()
    {
        var sb = new StringBuilder();
        Write(sb, false);
        return sb.ToString();
    }

    /// <summary>Like <see cref="ToString"/> but text nodes are Go-quoted (Go's parse tests print trees this way).</summary>
    public string ToDebugString()
    {
        var sb = new StringBuilder();
        Write(sb, true);
        return sb.ToString();
    }
}

public sealed class GoListNode : GoNode
{
    internal GoListNode(GoTemplateTree tree, int pos) : base(tree, pos) { }

    public List<GoNode> Nodes { get; } = new();

    internal override void Write(StringBuilder sb, bool quoteText)
    {
        if (!StackGuard.HasRoom())
        { sb.Append("..."); return; }
        foreach (var n in Nodes)
        {
            n.Write(sb, quoteText);
        }
    }
}

public sealed class GoTextNode : GoNode
{
    internal GoTextNode(GoTemplateTree tree, int pos, string text) : base(tree, pos) => Text = text;

    public string Text { get; }

    internal override void Write(StringBuilder sb, bool quoteText) =>
        sb.Append(quoteText ? GoFormat.Quote(Text) : Text);
}

public sealed class GoCommentNode : GoNode
{
    internal GoCommentNode(GoTemplateTree tree, int pos, string text) : base(tree, pos) => Text = text;

    public string Text { get; }

    internal override void Write(StringBuilder sb, bool quoteText) => sb.Append("{{").Append(Text).Append("}}");
}

public sealed class GoPipeNode : GoNode
{
    internal GoPipeNode(GoTemplateTree tree, int pos) : base(tree, pos) { }

    public bool IsAssign { get; internal set; }
    public List<GoVariableNode> Decl { get; } = new();
    public List<GoCommandNode> Cmds { get; } = new();

    internal override void Write(StringBuilder sb, bool quoteText)
    {
        if (!StackGuard.HasRoom())
        { sb.Append("..."); return; }
        if (Decl.Count > 0)
        {
            for (int i = 0; i < Decl.Count; i++)
            {
                if (i > 0)
                {
                    sb.Append(", ");
                }

                Decl[i].Write(sb, quoteText);
            }
            sb.Append(IsAssign ? " = " : " := ");
        }
        for (int i = 0; i < Cmds.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(" | ");
            }

            Cmds[i].Write(sb, quoteText);
        }
    }
}

public sealed class GoActionNode : GoNode
{
    internal GoActionNode(GoTemplateTree tree, int pos, GoPipeNode pipe) : base(tree, pos) => Pipe = pipe;

    public GoPipeNode Pipe { get; }

    internal override void Write(StringBuilder sb, bool quoteText)
    {
        if (!StackGuard.HasRoom())
        { sb.Append("..."); return; }
        sb.Append("{{");
        Pipe.Write(sb, quoteText);
        sb.Append("}}");
    }
}

public sealed class GoCommandNode : GoNode
{
    internal GoCommandNode(GoTemplateTree tree, int pos) : base(tree, pos) { }

    public List<GoNode> Args { get; } = new();

    internal override void Write(StringBuilder sb, bool quoteText)
    {
        if (!StackGuard.HasRoom())
        { sb.Append("..."); return; }
        for (int i = 0; i < Args.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(' ');
            }

            if (Args[i] is GoPipeNode p)
            {
                sb.Append('(');
                p.Write(sb, quoteText);
                sb.Append(')');
            }
            else
            {
                Args[i].Write(sb, quoteText);
            }
        }
    }
}

public sealed class GoIdentifierNode : GoNode
{
    internal GoIdentifierNode(GoTemplateTree tree, int pos, string ident) : base(tree, pos) => Ident = ident;

    public string Ident { get; }

    internal override void Write(StringBuilder sb, bool quoteText) => sb.Append(Ident);
}

public sealed class GoVariableNode : GoNode
{
    internal GoVariableNode(GoTemplateTree tree, int pos, string text) : base(tree, pos) => Ident = text.Split('.');

    /// <summary>The variable name ($x) followed by field names.</summary>
    public string[] Ident { get; }

    internal override void Write(StringBuilder sb, bool quoteText) => sb.AppendJoin('.', Ident);
}

public sealed class GoDotNode : GoNode
{
    internal GoDotNode(GoTemplateTree tree, int pos) : base(tree, pos) { }

    internal override void Write(StringBuilder sb, bool quoteText) => sb.Append('.');
}

public sealed class GoNilNode : GoNode
{
    internal GoNilNode(GoTemplateTree tree, int pos) : base(tree, pos) { }

    internal override void Write(StringBuilder sb, bool quoteText) => sb.Append("nil");
}

public sealed class GoFieldNode : GoNode
{
    internal GoFieldNode(GoTemplateTree tree, int pos, string text) : base(tree, pos) =>
        Ident = text[1..].Split('.');

    public string[] Ident { get; }

    internal override void Write(StringBuilder sb, bool quoteText)
    {
        foreach (var f in Ident)
        {
            sb.Append('.').Append(f);
        }
    }
}

public sealed class GoChainNode : GoNode
{
    internal GoChainNode(GoTemplateTree tree, int pos, GoNode node) : base(tree, pos) => Node = node;

    public GoNode Node { get; }
    public List<string> Field { get; } = new();

    internal void Add(string field)
    {
        if (field.Length == 0 || field[0] != '.')
        {
            throw new InvalidOperationException("no dot in field");
        }

        Field.Add(field[1..]);
    }

    internal override void Write(StringBuilder sb, bool quoteText)
    {
        if (!StackGuard.HasRoom())
        { sb.Append("..."); return; }
        if (Node is GoPipeNode p)
        {
            sb.Append('(');
            p.Write(sb, quoteText);
            sb.Append(')');
        }
        else
        {
            Node.Write(sb, quoteText);
        }

        foreach (var f in Field)
        {
            sb.Append('.').Append(f);
        }
    }
}

public sealed class GoBoolNode : GoNode
{
    internal GoBoolNode(GoTemplateTree tree, int pos, bool value) : base(tree, pos) => True = value;

    public bool True { get; }

    internal override void Write(StringBuilder sb, bool quoteText) => sb.Append(True ? "true" : "false");
}

/// <summary>A number literal with Go's "ideal constant" view of it (it may be int, uint and float at once).</summary>
public sealed class GoNumberNode : GoNode
{
    internal GoNumberNode(GoTemplateTree tree, int pos, string text) : base(tree, pos) => Text = text;

    public bool IsInt { get; internal set; }
    public bool IsUint { get; internal set; }
    public bool IsFloat { get; internal set; }
    public long Int64 { get; internal set; }
    public ulong Uint64 { get; internal set; }
    public double Float64 { get; internal set; }
    public string Text { get; }

    /// <summary>The value a number gets when nothing asks for a type: int (long) or float64 (double).</summary>
    public object? IdealValue { get; internal set; }

    internal override void Write(StringBuilder sb, bool quoteText) => sb.Append(Text);
}

public sealed class GoStringNode : GoNode
{
    internal GoStringNode(GoTemplateTree tree, int pos, string quoted, string text) : base(tree, pos)
    {
        Quoted = quoted;
        Text = text;
    }

    public string Quoted { get; }
    public string Text { get; }

    internal override void Write(StringBuilder sb, bool quoteText) => sb.Append(Quoted);
}

public sealed class GoEndNode : GoNode
{
    internal GoEndNode(GoTemplateTree tree, int pos) : base(tree, pos) { }

    internal override void Write(StringBuilder sb, bool quoteText) => sb.Append("{{end}}");
}

public sealed class GoElseNode : GoNode
{
    internal GoElseNode(GoTemplateTree tree, int pos) : base(tree, pos) { }

    internal override void Write(StringBuilder sb, bool quoteText) => sb.Append("{{else}}");
}

public enum GoBranchKind { If, Range, With }

/// <summary>if, range and with share a shape: pipeline, list, optional else list.</summary>
public sealed class GoBranchNode : GoNode
{
    internal GoBranchNode(GoTemplateTree tree, int pos, GoBranchKind kind, GoPipeNode pipe, GoListNode list,
        GoListNode? elseList) : base(tree, pos)
    {
        Kind = kind;
        Pipe = pipe;
        List = list;
        ElseList = elseList;
    }

    public GoBranchKind Kind { get; }
    public GoPipeNode Pipe { get; }
    public GoListNode List { get; }
    public GoListNode? ElseList { get; }

    internal override void Write(StringBuilder sb, bool quoteText)
    {
        if (!StackGuard.HasRoom())
        { sb.Append("..."); return; }
        sb.Append("{{").Append(Kind switch { GoBranchKind.If => "if", GoBranchKind.Range => "range", _ => "with" })
            .Append(' ');
        Pipe.Write(sb, quoteText);
        sb.Append("}}");
        List.Write(sb, quoteText);
        if (ElseList != null)
        {
            sb.Append("{{else}}");
            ElseList.Write(sb, quoteText);
        }
        sb.Append("{{end}}");
    }
}

public sealed class GoBreakNode : GoNode
{
    internal GoBreakNode(GoTemplateTree tree, int pos) : base(tree, pos) { }

    internal override void Write(StringBuilder sb, bool quoteText) => sb.Append("{{break}}");
}

public sealed class GoContinueNode : GoNode
{
    internal GoContinueNode(GoTemplateTree tree, int pos) : base(tree, pos) { }

    internal override void Write(StringBuilder sb, bool quoteText) => sb.Append("{{continue}}");
}

public sealed class GoTemplateNode : GoNode
{
    internal GoTemplateNode(GoTemplateTree tree, int pos, string name, GoPipeNode? pipe) : base(tree, pos)
    {
        Name = name;
        Pipe = pipe;
    }

    public string Name { get; }
    public GoPipeNode? Pipe { get; }

    internal override void Write(StringBuilder sb, bool quoteText)
    {
        sb.Append("{{template ").Append(GoFormat.Quote(Name));
        if (Pipe != null)
        {
            sb.Append(' ');
            Pipe.Write(sb, quoteText);
        }
        sb.Append("}}");
    }
}

/// <summary>One parsed template: its name, the name of the text it came from, and its root list.</summary>
public sealed class GoTemplateTree
{
    private int[]? _lineStarts;

    internal GoTemplateTree(string name, string parseName, string text)
    {
        Name = name;
        ParseName = parseName;
        Text = text;
    }

    public string Name { get; }

    /// <summary>The name of the text this tree was parsed from (differs from <see cref="Name"/> for define blocks).</summary>
    public string ParseName { get; }

    public string Text { get; }

    public GoListNode Root { get; internal set; } = null!;

    /// <summary>True when the tree holds only whitespace text and comments (Go's IsEmptyTree).</summary>
    public bool IsEmpty => IsEmptyNode(Root);

    private static bool IsEmptyNode(GoNode? n) => n switch
    {
        null => true,
        GoListNode l => l.Nodes.All(IsEmptyNode),
        GoTextNode t => string.IsNullOrWhiteSpace(t.Text) && t.Text.All(c => c is ' ' or '\t' or '\r' or '\n'),
        GoCommentNode => true,
        _ => false,
    };

    /// <summary>1-based line and 1-based character column of an offset.</summary>
    public (int Line, int Column) LineColumn(int pos)
    {
        _lineStarts ??= ComputeLineStarts(Text);
        int idx = Array.BinarySearch(_lineStarts, pos);
        if (idx < 0)
        {
            idx = ~idx - 1;
        }

        return (idx + 1, pos - _lineStarts[idx] + 1);
    }

    /// <summary>Go's ErrorContext location: line and 0-based byte offset within the line.</summary>
    internal (int Line, int ByteColumn) GoLineByteColumn(int pos)
    {
        var (line, column) = LineColumn(pos);
        int lineStart = pos - (column - 1);
        int bytes = Encoding.UTF8.GetByteCount(Text.AsSpan(lineStart, pos - lineStart));
        return (line, bytes);
    }

    private static int[] ComputeLineStarts(string text)
    {
        var starts = new List<int> { 0 };
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                starts.Add(i + 1);
            }
        }

        return starts.ToArray();
    }
}
