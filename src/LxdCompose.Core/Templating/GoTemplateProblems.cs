using LxdCompose.GoTemplates;
using LxdCompose.Specs;

namespace LxdCompose.Templating;

/// <summary>Turns errors of the Go-template interpreter into spec problems at the template file's line and column.</summary>
internal static class GoTemplateProblems
{
    /// <param name="error">A parse or execution error.</param>
    /// <param name="fileOf">The file a template name (as parsed) was read from; null when unknown.</param>
    /// <param name="fallbackFile">The file rendered when the error names no known template.</param>
    public static SpecException ToSpecException(GoTemplateException error, Func<string, string?> fileOf, string fallbackFile)
    {
        // An error inside an included template surfaces as "error calling include"; the innermost error with a known
        // file says where to fix it, and the outer position says where it was included from.
        var innermost = error;
        for (var inner = error.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is GoTemplateException nested && fileOf(nested.TemplateName) is not null)
            {
                innermost = nested;
            }
        }

        var file = fileOf(innermost.TemplateName) ?? fallbackFile;
        var message = Describe(innermost);
        if (!ReferenceEquals(innermost, error))
        {
            var outerFile = fileOf(error.TemplateName) ?? fallbackFile;
            message += $" (included from {outerFile}:{error.Line}:{error.Column})";
        }

        var code = error.Limit is not null || innermost.Limit is not null ? TemplateCodes.TemplateLimitExceeded
            : innermost is GoTemplateParseException ? TemplateCodes.TemplateParseError
            : TemplateCodes.TemplateRenderError;
        return new SpecException(code, message, At(file, innermost), error);
    }

    private static SourceLocation At(string file, GoTemplateException e) =>
        e.Line > 0 ? new SourceLocation(file, e.Line, Math.Max(1, e.Column)) : SourceLocation.FileOnly(file);

    private static string Describe(GoTemplateException e)
    {
        switch (e)
        {
            case GoTemplateParseException parse:
                return parse.Reason;
            case GoTemplateExecException exec:
                var at = exec.ActionText is null ? string.Empty : $"at <{exec.ActionText}>: ";
                return at + exec.Reason + Hint(exec.Reason);
            default:
                return e.Message;
        }
    }

    private static string Hint(string reason)
    {
        if (reason.StartsWith("nil pointer evaluating", StringComparison.Ordinal))
        {
            return "; a key on the way is missing: guard it with if/with, or give the parent a value";
        }

        if (reason.Contains("incompatible types for comparison", StringComparison.Ordinal))
        {
            return "; compare values of the same type (quote the value, or convert it with int/toString)";
        }

        return string.Empty;
    }
}
