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

    public static ErrorRecord NotFound(string errorId, string message, string name) =>
        new(new ItemNotFoundException(message), errorId, ErrorCategory.ObjectNotFound, name);
}
