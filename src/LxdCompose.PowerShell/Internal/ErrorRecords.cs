using System.Management.Automation;
using LxdCompose.Specs;

namespace LxdCompose.PowerShell.Internal;

/// <summary>The error records of the module: stable ids, categories PowerShell users can filter on, useful targets.</summary>
internal static class ErrorRecords
{
    /// <summary>A load problem that excluded an environment file; the message carries file:line:column.</summary>
    public static ErrorRecord FromDiagnostic(SpecDiagnostic diagnostic) =>
        new(new SpecException(diagnostic), diagnostic.Code, ErrorCategory.InvalidData, diagnostic);

    /// <summary>A problem that stops loading altogether, such as a missing or unreadable config file.</summary>
    public static ErrorRecord FromFatalSpecProblem(SpecException exception)
    {
        var missing = exception.InnerException is FileNotFoundException or DirectoryNotFoundException
            || exception.Diagnostic.Code.EndsWith("NotFound", StringComparison.Ordinal);
        return new ErrorRecord(
            exception,
            exception.Diagnostic.Code,
            missing ? ErrorCategory.ObjectNotFound : ErrorCategory.InvalidData,
            exception.Diagnostic);
    }

    /// <summary>A template that could not be rendered or written; the target is what was being compiled.</summary>
    public static ErrorRecord FromTemplateProblem(SpecException exception, object? target)
    {
        var code = exception.Diagnostic.Code;
        var category = code switch
        {
            _ when code.EndsWith("NotFound", StringComparison.Ordinal) && code != "Jinja2NotFound" => ErrorCategory.ObjectNotFound,
            "Jinja2NotFound" => ErrorCategory.NotInstalled,
            "TemplateWriteFailed" => ErrorCategory.WriteError,
            _ => ErrorCategory.InvalidData,
        };
        return new ErrorRecord(exception, code, category, target);
    }

    public static ErrorRecord InvalidArgument(string errorId, ArgumentException exception, object? target) =>
        new(exception, errorId, ErrorCategory.InvalidArgument, target);

    public static ErrorRecord NotFound(string errorId, string message, string name) =>
        new(new ItemNotFoundException(message), errorId, ErrorCategory.ObjectNotFound, name);
}
