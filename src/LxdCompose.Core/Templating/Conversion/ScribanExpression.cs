using System.Globalization;
using System.Text;

namespace LxdCompose.Templating.Conversion;

/// <summary>
/// A small Scriban expression tree, so that parentheses are written only where Scriban's grammar needs them:
/// a call written without parentheses (<c>f a b</c>) takes everything up to the end of the expression as arguments,
/// so calls, operators and negative numbers are parenthesised whenever they are not the whole expression.
/// </summary>
internal abstract class ScribanExpression
{
    /// <summary>True when the expression always yields a boolean (comparisons, !, &amp;&amp;, ||, true, false).</summary>
    public virtual bool IsBoolean => false;

    /// <summary>Writes the expression as the whole content of a statement or condition.</summary>
    public abstract void WriteTop(StringBuilder sb);

    /// <summary>Writes the expression where it is one operand: an argument, an operand of an operator, an indexer base.</summary>
    public virtual void WriteOperand(StringBuilder sb)
    {
        sb.Append('(');
        WriteTop(sb);
        sb.Append(')');
    }

    public string ToTopString()
    {
        var sb = new StringBuilder();
        WriteTop(sb);
        return sb.ToString();
    }
}

/// <summary>A path, literal, variable or anything else that needs no parentheses.</summary>
internal sealed class ScribanAtom : ScribanExpression
{
    private readonly bool _isBoolean;

    public ScribanAtom(string text, bool isBoolean = false)
    {
        Text = text;
        _isBoolean = isBoolean;
    }

    public string Text { get; }

    public override bool IsBoolean => _isBoolean;

    public override void WriteTop(StringBuilder sb) => sb.Append(Text);

    public override void WriteOperand(StringBuilder sb) => sb.Append(Text);

    public static readonly ScribanAtom Null = new("null");

    /// <summary>A Scriban string literal; only escapes Scriban documents are used.</summary>
    public static ScribanAtom String(string value)
    {
        var sb = new StringBuilder("\"");
        foreach (char c in value)
        {
            switch (c)
            {
                case '"':
                    sb.Append("\\\"");
                    break;
                case '\\':
                    sb.Append("\\\\");
                    break;
                case '\n':
                    sb.Append("\\n");
                    break;
                case '\r':
                    sb.Append("\\r");
                    break;
                case '\t':
                    sb.Append("\\t");
                    break;
                default:
                    if (char.IsControl(c))
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }
        return new ScribanAtom(sb.Append('"').ToString());
    }
}

/// <summary>A negative number literal: <c>f -1</c> would be read as a subtraction.</summary>
internal sealed class ScribanNegativeNumber : ScribanExpression
{
    private readonly string _text;

    public ScribanNegativeNumber(string text) => _text = text;

    public override void WriteTop(StringBuilder sb) => sb.Append(_text);
}

/// <summary>A function call in Go's argument order, written <c>f a b</c>.</summary>
internal sealed class ScribanCall : ScribanExpression
{
    public ScribanCall(string function, IReadOnlyList<ScribanExpression> arguments)
    {
        Function = function;
        Arguments = arguments;
    }

    public string Function { get; }
    public IReadOnlyList<ScribanExpression> Arguments { get; }

    public override void WriteTop(StringBuilder sb)
    {
        sb.Append(Function);
        foreach (var a in Arguments)
        {
            sb.Append(' ');
            a.WriteOperand(sb);
        }
    }
}

internal sealed class ScribanBinary : ScribanExpression
{
    public ScribanBinary(string op, ScribanExpression left, ScribanExpression right)
    {
        Operator = op;
        Left = left;
        Right = right;
    }

    public string Operator { get; }
    public ScribanExpression Left { get; }
    public ScribanExpression Right { get; }

    public override bool IsBoolean => true;

    public override void WriteTop(StringBuilder sb)
    {
        WriteSide(sb, Left);
        sb.Append(' ').Append(Operator).Append(' ');
        WriteSide(sb, Right);
    }

    private void WriteSide(StringBuilder sb, ScribanExpression side)
    {
        // a || b || c and a && b && c need no parentheses; anything else mixed is bracketed.
        if (side is ScribanBinary b && b.Operator == Operator && Operator is "||" or "&&")
        {
            b.WriteTop(sb);
        }
        else
        {
            side.WriteOperand(sb);
        }
    }
}

internal sealed class ScribanNot : ScribanExpression
{
    public ScribanNot(ScribanExpression operand) => Operand = operand;

    public ScribanExpression Operand { get; }

    public override bool IsBoolean => true;

    public override void WriteTop(StringBuilder sb)
    {
        sb.Append('!');
        Operand.WriteOperand(sb);
    }
}
