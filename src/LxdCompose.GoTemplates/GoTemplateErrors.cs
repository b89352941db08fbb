// Port of the error forms of src/text/template/exec.go (ExecError) and parse/parse.go (errorf) (Go 1.24).
namespace LxdCompose.GoTemplates;

/// <summary>
/// An error in a Go template, positioned at the action that failed. <see cref="Line"/> and <see cref="Column"/>
/// are 1-based and count characters; the message itself follows Go's wording so users can compare it with
/// lxd-compose's own output.
/// </summary>
public abstract class GoTemplateException : Exception
{
    protected GoTemplateException(string message, string templateName, int line, int column, string? actionText,
        Exception? inner, GoLimit? limit = null)
        : base(message, inner)
    {
        TemplateName = templateName;
        Line = line;
        Column = column;
        ActionText = actionText;
        Limit = limit;
    }

    /// <summary>
    /// When a bound stopped parsing or execution: which <see cref="GoTemplateLimits"/> bound; null for other errors.
    /// Such errors pass through enclosing include/tpl calls unchanged.
    /// </summary>
    public GoLimit? Limit { get; }

    /// <summary>The name the template text was parsed under (usually its file).</summary>
    public string TemplateName { get; }

    public int Line { get; }

    public int Column { get; }

    /// <summary>The failing action or expression as Go would print it, when known.</summary>
    public string? ActionText { get; }
}

/// <summary>A syntax error, or a reference to an undefined variable or function; formatted <c>name:line:col: message</c>.</summary>
public sealed class GoTemplateParseException : GoTemplateException
{
    internal GoTemplateParseException(string templateName, int line, int column, string reason, GoLimit? limit = null)
        : base($"{templateName}:{line}:{column}: {reason}", templateName, line, column, null, null, limit)
    {
        Reason = reason;
    }

    /// <summary>The message without the position prefix.</summary>
    public string Reason { get; }
}

/// <summary>
/// An error raised while executing a template; formatted like Go's
/// <c>template: name:line:col: executing "name" at &lt;.x.y&gt;: reason</c> (Go's column is a 0-based byte offset).
/// </summary>
public sealed class GoTemplateExecException : GoTemplateException
{
    internal GoTemplateExecException(string message, string templateName, int line, int column, string? actionText,
        string reason, Exception? inner, GoLimit? limit = null)
        : base(message, templateName, line, column, actionText, inner, limit)
    {
        Reason = reason;
    }

    /// <summary>The message without the position and context prefix.</summary>
    public string Reason { get; }
}

/// <summary>
/// Thrown by a template function whose result would pass a <see cref="GoTemplateLimits"/> bound (a list of more items
/// than the loop limit, a string longer than the output limit); execution stops with a limit error at the call.
/// </summary>
public sealed class GoLimitException : Exception
{
    public GoLimitException(string message, GoLimit limit)
        : base(message)
    {
        Limit = limit;
    }

    /// <summary>The bound that would be passed.</summary>
    public GoLimit Limit { get; }
}

/// <summary>
/// Thrown by a template function to return a Go <c>error</c>: execution stops with
/// <c>error calling NAME: message</c>.
/// </summary>
public sealed class GoFunctionException : Exception
{
    public GoFunctionException(string message) : base(message) { }

    public GoFunctionException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>Checks of a function's result size against the run's <see cref="GoTemplateLimits"/>, before it is built.</summary>
public static class GoLimits
{
    /// <summary>Throws <see cref="GoLimitException"/> when a list of <paramref name="count"/> items passes the loop limit.</summary>
    public static void CheckCount(GoCallContext ctx, double count)
    {
        var limits = ctx.Options.Limits;
        if (count > limits.LoopIterations)
        {
            throw new GoLimitException(limits.Exceeded($"the list would have {count:N0} items", GoLimit.LoopIterations), GoLimit.LoopIterations);
        }
    }

    /// <summary>Throws <see cref="GoLimitException"/> when a string of <paramref name="length"/> characters passes the output limit.</summary>
    public static void CheckLength(GoCallContext ctx, double length)
    {
        var limits = ctx.Options.Limits;
        if (length > limits.OutputChars)
        {
            throw new GoLimitException(limits.Exceeded($"the result would have {length:N0} characters", GoLimit.OutputChars), GoLimit.OutputChars);
        }
    }
}
