namespace LxdCompose.Templating.GoTemplates;

/// <summary>
/// An error in a Go template, positioned at the action that failed. <see cref="Line"/> and <see cref="Column"/>
/// are 1-based and count characters; the message itself follows Go's wording so users can compare it with
/// lxd-compose's own output.
/// </summary>
public abstract class GoTemplateException : Exception
{
    protected GoTemplateException(string message, string templateName, int line, int column, string? actionText,
        Exception? inner)
        : base(message, inner)
    {
        TemplateName = templateName;
        Line = line;
        Column = column;
        ActionText = actionText;
    }

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
    internal GoTemplateParseException(string templateName, int line, int column, string reason)
        : base($"{templateName}:{line}:{column}: {reason}", templateName, line, column, null, null)
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
        string reason, Exception? inner)
        : base(message, templateName, line, column, actionText, inner)
    {
        Reason = reason;
    }

    /// <summary>The message without the position and context prefix.</summary>
    public string Reason { get; }
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
