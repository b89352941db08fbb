using System.Management.Automation;
using LxdCompose.Deploy;
using LxdCompose.Loading;
using LxdCompose.Lxd;
using LxdCompose.Specs;
using LxdCompose.Templating;

namespace LxdCompose.PowerShell.Internal;

/// <summary>
/// The error records of the module, in one place: stable ids, categories PowerShell users can filter on, useful targets.
/// Every cmdlet builds its ErrorRecords here.
/// </summary>
internal static class ErrorRecords
{
    /// <summary>
    /// A load problem: the diagnostic as target, shown as its <c>file:line:column</c>; the advice names the environment
    /// file the problem keeps from loading (<paramref name="excludedFile"/>), if any.
    /// </summary>
    public static ErrorRecord FromDiagnostic(SpecDiagnostic diagnostic, string? excludedFile = null)
    {
        var advice = excludedFile is null ? "Fix this error in the spec file."
            : excludedFile == diagnostic.File
                ? "Fix this error: nothing from this environment file is used until it loads (the other files still load)."
                : $"Fix this error: nothing from {excludedFile}, which includes this file, is used until it loads (the other files still load).";
        return SpecProblem(new SpecException(diagnostic), diagnostic.Code, InputCategory(diagnostic.Code) ?? ErrorCategory.InvalidData,
            diagnostic, advice);
    }

    /// <summary>
    /// Bounds an input passed (nesting, aliases, size, template loops and output) and files that cannot be read as
    /// text have categories of their own, whichever path reports them.
    /// </summary>
    private static ErrorCategory? InputCategory(string code) => code switch
    {
        LoadCodes.YamlTooDeep or LoadCodes.YamlExcessiveAliasing or LoadCodes.NestingTooDeep or LoadCodes.FileTooLarge
            or TemplateCodes.TemplateLimitExceeded => ErrorCategory.LimitsExceeded,
        LoadCodes.NotARegularFile => ErrorCategory.ReadError,
        LoadCodes.EncryptionKeyMissing or LoadCodes.EncryptionKeyInvalid or LoadCodes.DecryptionFailed => ErrorCategory.SecurityError,
        _ => null,
    };

    /// <summary>
    /// A problem that keeps a deploy cmdlet (<paramref name="cmdletName"/>) from starting on a project: the problem's
    /// code as id, ObjectNotFound for what is missing (a sync source, a template, a remote), InvalidData otherwise.
    /// </summary>
    public static ErrorRecord FromGateProblem(SpecDiagnostic problem, string cmdletName, string project)
    {
        var category = InputCategory(problem.Code)
            ?? (problem.Code.EndsWith("NotFound", StringComparison.Ordinal) || problem.Code == ValidationCodes.UnknownRemote
                ? ErrorCategory.ObjectNotFound
                : ErrorCategory.InvalidData);
        var advice = $"Fix {(problem.Location.IsKnown ? problem.Location.ToString() : "the specs")}: {cmdletName} changes nothing " +
            $"until project '{project}' validates without errors{(problem.Message.EndsWith("-Strict)", StringComparison.Ordinal) ? " (or run without -Strict)" : string.Empty)}. " +
            "Test-LxdEnvironment lists every problem.";
        return SpecProblem(new SpecException(problem), problem.Code, category, problem, advice);
    }

    /// <summary>A problem that stops loading altogether, such as a missing or unreadable config file.</summary>
    public static ErrorRecord FromFatalSpecProblem(SpecException exception)
    {
        var missing = exception.InnerException is FileNotFoundException or DirectoryNotFoundException
            || exception.Diagnostic.Code.EndsWith("NotFound", StringComparison.Ordinal);
        var advice = exception.Diagnostic.Code == LoadCodes.ConfigNotFound
            ? "Give -ConfigPath a config file or a folder holding .lxd-compose.yml, or Set-Location to that folder."
            : $"Fix {(exception.Diagnostic.Location.IsKnown ? exception.Diagnostic.Location.ToString() : "the config")}.";
        return SpecProblem(exception, exception.Diagnostic.Code,
            InputCategory(exception.Diagnostic.Code) ?? (missing ? ErrorCategory.ObjectNotFound : ErrorCategory.InvalidData),
            exception.Diagnostic, advice);
    }

    /// <summary>
    /// A template that could not be rendered or written; the target is the problem at its file:line:column, with the
    /// project, group and node of the compile <paramref name="job"/> it belongs to.
    /// </summary>
    public static ErrorRecord FromTemplateProblem(SpecException exception, ConfigTemplateJob? job = null)
    {
        var code = exception.Diagnostic.Code;
        var category = InputCategory(code) ?? code switch
        {
            _ when code.EndsWith("NotFound", StringComparison.Ordinal) && code != TemplateCodes.Jinja2NotFound => ErrorCategory.ObjectNotFound,
            TemplateCodes.Jinja2NotFound => ErrorCategory.NotInstalled,
            TemplateCodes.TemplateWriteFailed => ErrorCategory.WriteError,
            _ => ErrorCategory.InvalidData,
        };
        var advice = code == TemplateCodes.Jinja2NotFound
            ? "Install j2cli (Debian/Ubuntu: apt-get install j2cli; elsewhere: pip install j2cli), or set template_engine.engine to scriban."
            : exception.Diagnostic.Location.IsKnown ? $"Fix {exception.Diagnostic.Location}." : "Fix the template.";
        var diagnostic = job is null
            ? exception.Diagnostic
            : new SpecDiagnostic(exception.Diagnostic.Severity, code, exception.Diagnostic.Message, exception.Diagnostic.Location)
            {
                Project = job.Project,
                Group = job.Group.Length > 0 ? job.Group : null,
                Node = job.Node.Length > 0 ? job.Node : null,
            };
        return SpecProblem(exception, code, category, diagnostic, advice);
    }

    /// <summary>
    /// A spec problem as PowerShell shows it: the diagnostic as target, named by its <c>file:line:column</c> (not its
    /// whole message) on the category line, and what to do in ErrorDetails.RecommendedAction.
    /// </summary>
    private static ErrorRecord SpecProblem(SpecException exception, string errorId, ErrorCategory category, SpecDiagnostic diagnostic,
        string advice)
    {
        var record = new ErrorRecord(exception, errorId, category, diagnostic)
        {
            ErrorDetails = new ErrorDetails(exception.Message) { RecommendedAction = advice },
        };
        record.CategoryInfo.TargetName = diagnostic.Location.IsKnown ? diagnostic.Location.ToString() : diagnostic.Code;
        return record;
    }

    public static ErrorRecord InvalidArgument(string errorId, Exception exception, object? target) =>
        new(exception, errorId, ErrorCategory.InvalidArgument, target);

    public static ErrorRecord InvalidArgument(string errorId, string message, object? target, string? recommendedAction = null)
    {
        var record = new ErrorRecord(new ArgumentException(message), errorId, ErrorCategory.InvalidArgument, target);
        if (recommendedAction is not null)
        {
            record.ErrorDetails = new ErrorDetails(message) { RecommendedAction = recommendedAction };
        }

        return record;
    }

    public static ErrorRecord NotFound(string errorId, string message, object name, string? recommendedAction = null)
    {
        var record = new ErrorRecord(new ItemNotFoundException(message), errorId, ErrorCategory.ObjectNotFound, name);
        if (recommendedAction is not null)
        {
            record.ErrorDetails = new ErrorDetails(message) { RecommendedAction = recommendedAction };
        }

        return record;
    }

    /// <summary>True for the client failures the cmdlets report as ErrorRecords rather than crash on.</summary>
    public static bool IsClientFailure(Exception exception) =>
        exception is LxdException or IOException or UnauthorizedAccessException;

    /// <summary>
    /// An LXD client failure of the remote cmdlets: an id per kind of failure, its category, the remote or object as
    /// target, LXD's own text as the recommended action.
    /// </summary>
    public static ErrorRecord FromClientFailure(Exception exception, object? target)
    {
        var id = exception switch
        {
            LxdCertificatePinMismatchException => "LxdCertificatePinMismatch",
            LxdTlsException => "LxdTlsFailed",
            LxdAuthException => "LxdNotTrusted",
            LxdNotFoundException => "LxdNotFound",
            LxdConflictException => "LxdAlreadyExists",
            LxdPreconditionFailedException => "LxdEtagMismatch",
            LxdConnectionException => "LxdConnectionFailed",
            LxdTimeoutException => "LxdTimeout",
            LxdConfigException => "LxdConfigInvalid",
            LxdOperationException => "LxdOperationFailed",
            LxdApiException { StatusCode: >= 500 } => "LxdServerError",
            LxdApiException => "LxdRequestRefused",
            IOException or UnauthorizedAccessException => "LxdConfigWriteFailed",
            _ => "LxdFailed",
        };
        return WithServerText(new ErrorRecord(exception, id, CategoryOf(exception), target ?? (exception as LxdException)?.Target), exception);
    }

    /// <summary>
    /// A failure of a deploy phase (plan, apply, stop, destroy, fetch): the phase's id (<see cref="ErrorIds.PlanFailed"/>,
    /// <see cref="ErrorIds.DeployFailed"/>), or <see cref="ErrorIds.HookFailed"/> for a hook; the category of the cause.
    /// </summary>
    public static ErrorRecord FromDeployFailure(Exception exception, string phaseId, object? target, Func<string, string> forHost)
    {
        switch (exception)
        {
            case HookFailedException hook:
                return new ErrorRecord(hook, ErrorIds.HookFailed,
                    hook.Problem == DeployProblem.Timeout ? ErrorCategory.OperationTimeout : ErrorCategory.InvalidResult, hook.Node)
                {
                    // The stderr tail comes from the container and may carry colour the host cannot show.
                    ErrorDetails = new ErrorDetails(forHost(hook.Message))
                    {
                        RecommendedAction = $"Fix the {hook.Event} hook command or the state of {hook.Node}, then apply again.",
                    },
                };
            case DeployLockedException locked:
                return new ErrorRecord(locked, ErrorIds.ProjectLocked, ErrorCategory.ResourceBusy, locked.Server)
                {
                    ErrorDetails = new ErrorDetails(locked.Message)
                    {
                        RecommendedAction = $"Wait for the other run (-LockTimeout), or if it is gone: Unlock-LxdProject -Project {locked.ComposeProject} -Remote {locked.Server} -Force.",
                    },
                };
            case HookTimeoutException timeout:
                return new ErrorRecord(timeout, ErrorIds.HookTimeout, ErrorCategory.OperationTimeout, timeout.Node)
                {
                    ErrorDetails = new ErrorDetails(timeout.Message)
                    {
                        RecommendedAction = $"Find why the {timeout.Event} hook command hangs on {timeout.Node}, or give its hook a larger " +
                            $"timeout (at {timeout.Location}) or the run a larger -HookTimeout, then apply again.",
                    },
                };
            case DeployException deploy:
                var category = deploy.Problem switch
                {
                    DeployProblem.NotFound => ErrorCategory.ObjectNotFound,
                    DeployProblem.Unreachable => ErrorCategory.ConnectionError,
                    DeployProblem.Timeout => ErrorCategory.OperationTimeout,
                    _ => deploy.InnerException is LxdException inner ? CategoryOf(inner) : ErrorCategory.NotSpecified,
                };
                return new ErrorRecord(deploy, phaseId, category, deploy.Target ?? target);
            case LxdException lxd:
                return WithServerText(new ErrorRecord(lxd, phaseId, CategoryOf(lxd), lxd.Target ?? target), lxd);
            case SpecException spec:
                return FromTemplateProblem(spec);
            default:
                return new ErrorRecord(exception, phaseId, ErrorCategory.NotSpecified, target);
        }
    }

    /// <summary>The lxc client configuration the specs deploy with (general.lxd_confdir) cannot be read.</summary>
    public static ErrorRecord FromClientConfigProblem(LxdException exception, string configuredDirectory) =>
        new(exception, ErrorIds.ClientConfigInvalid, ErrorCategory.InvalidData, configuredDirectory);

    /// <summary>The category of a client failure, the same for the remote and the deploy cmdlets.</summary>
    private static ErrorCategory CategoryOf(Exception exception) => exception switch
    {
        LxdCertificatePinMismatchException or LxdTlsException => ErrorCategory.SecurityError,
        LxdAuthException => ErrorCategory.PermissionDenied,
        LxdNotFoundException => ErrorCategory.ObjectNotFound,
        LxdConflictException => ErrorCategory.ResourceExists,
        LxdPreconditionFailedException => ErrorCategory.InvalidOperation,
        LxdConnectionException => ErrorCategory.ConnectionError,
        LxdTimeoutException => ErrorCategory.OperationTimeout,
        LxdConfigException => ErrorCategory.InvalidArgument,
        LxdOperationException => ErrorCategory.InvalidResult,
        LxdApiException { StatusCode: >= 500 } => ErrorCategory.ResourceUnavailable,
        LxdApiException => ErrorCategory.InvalidArgument,
        IOException or UnauthorizedAccessException => ErrorCategory.WriteError,
        LxdException => ErrorCategory.InvalidOperation,
        _ => ErrorCategory.NotSpecified,
    };

    private static ErrorRecord WithServerText(ErrorRecord record, Exception exception)
    {
        if (exception is LxdException { ServerError: { Length: > 0 } serverError })
        {
            record.ErrorDetails = new ErrorDetails(exception.Message) { RecommendedAction = $"LXD said: {serverError}" };
        }

        return record;
    }
}
