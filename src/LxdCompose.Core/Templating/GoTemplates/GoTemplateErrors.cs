namespace LxdCompose.Templating.GoTemplates;

/// <summary>
/// An error in a Go template, positioned at the action that failed. <see cref="Line"/> and <see cref="Column"/>
/// are 1-based and count characters; the message itself follows Go's wording so users can compare it with
/// lxd-compose's own output.
/// </summary>
public abstract class GoTemplateException : Exception
{
    protected GoTemplateException(string message, string templateName, int line, int column, string? actionText,
        Exception? inner, string? limit = null)
        : base(message, inner)
    {
        TemplateName = templateName;
        Line = line;
        Column = column;
        ActionText = actionText;
        Limit = limit;
    }

    /// <summary>
    /// When a bound stopped parsing or execution: the config key under <c>general:</c> of the
    /// <see cref="TemplateLimits"/> bound (<see cref="TemplateLimits.ConfigKeys"/>); null for other errors. Such errors
    /// pass through enclosing include/tpl calls unchanged.
    /// </summary>
    public string? Limit { get; }

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
    internal GoTemplateParseException(string templateName, int line, int column, string reason, string? limit = null)
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
        string reason, Exception? inner, string? limit = null)
        : base(message, templateName, line, column, actionText, inner, limit)
    {
        Reason = reason;
    }

    /// <summary>The message without the position and context prefix.</summary>
    public string Reason { get; }
}

/// <summary>
/// Thrown by a template function whose result would pass a <see cref="TemplateLimits"/> bound (a list of more items
/// than the loop limit, a string longer than the output limit); execution stops with a limit error at the call.
/// </summary>
public sealed class GoLimitException : Exception
{
    public GoLimitException(string what, string configKey, long limit)
        : base(TemplateLimits.Exceeded(what, configKey, limit))
    {
        ConfigKey = configKey;
    }

    /// <summary>The limit's config key under <c>general:</c>.</summary>
    public string ConfigKey { get; }
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

/// <summary>Checks of a function's result size against the run's <see cref="TemplateLimits"/>, before it is built.</summary>
public static class GoLimits
{
    /// <summary>Throws <see cref="GoLimitException"/> when a list of <paramref name="count"/> items passes the loop limit.</summary>
    public static void CheckCount(GoCallContext ctx, double count)
    {
        var limit = ctx.Options.Limits.LoopIterations;
        if (count > limit)
            throw new GoLimitException($"the list would have {count:N0} items", TemplateLimits.ConfigKeys.LoopIterations, limit);
    }

    /// <summary>Throws <see cref="GoLimitException"/> when a string of <paramref name="length"/> characters passes the output limit.</summary>
    public static void CheckLength(GoCallContext ctx, double length)
    {
        var limit = ctx.Options.Limits.OutputChars;
        if (length > limit)
            throw new GoLimitException($"the result would have {length:N0} characters", TemplateLimits.ConfigKeys.OutputChars, limit);
    }
}
