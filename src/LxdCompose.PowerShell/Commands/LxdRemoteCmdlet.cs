using System.Management.Automation;
using System.Runtime.CompilerServices;
using LxdCompose.Lxd;
using LxdCompose.Lxd.Config;

namespace LxdCompose.PowerShell.Commands;

/// <summary>
/// Shared plumbing of the remote cmdlets: which client configuration directory, cancellation on Ctrl+C, and LXD client
/// failures as ErrorRecords with categories (anchors §7.3). Core types appear only inside method bodies.
/// </summary>
public abstract class LxdRemoteCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>The lxc/incus client configuration directory; default: LXD_CONF, INCUS_CONF, ~/.config/incus, ~/.config/lxc, the snap's.</summary>
    [Parameter]
    [Alias("LxdConfDir")]
    public string? ConfigDirectory { get; set; }

    private protected CancellationToken StopToken => _stopping.Token;

    protected override void StopProcessing() => _stopping.Cancel();

    public void Dispose()
    {
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The directory in use, resolved against PowerShell's current location.</summary>
    private protected string ResolveConfigDirectory()
    {
        var given = string.IsNullOrEmpty(ConfigDirectory) ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(ConfigDirectory);
        return LxdConfigDirectory.Resolve(given);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private protected LxdClientConfig LoadConfig() => LxdClientConfig.Load(ResolveConfigDirectory());

    /// <summary>Runs async client work on the pipeline thread; Ctrl+C cancels it.</summary>
    private protected T Run<T>(Func<CancellationToken, Task<T>> work)
    {
        try
        {
            return work(StopToken).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    private protected static LxdRemoteInfo ToInfo(LxdClientConfig config, LxdRemoteConfig remote)
    {
        string? fingerprint = null;
        if (File.Exists(config.ServerCertificatePath(remote.Name)))
        {
            using var pinned = config.LoadPinnedCertificate(remote.Name)!;
            fingerprint = LxdCompose.Lxd.Transport.LxdCertificateFiles.Fingerprint(pinned);
        }

        return new LxdRemoteInfo
        {
            Name = remote.Name,
            Address = remote.Address,
            Protocol = remote.Protocol,
            AuthType = remote.AuthType,
            Project = remote.Project,
            Public = remote.Public,
            IsDefault = string.Equals(config.DefaultRemote, remote.Name, StringComparison.Ordinal),
            IsBuiltIn = remote.IsBuiltIn,
            PinnedFingerprint = fingerprint,
            ConfigDirectory = config.Directory,
        };
    }

    /// <summary>An LXD client failure as an ErrorRecord: stable id, category, the remote or object as target, LXD's text in the details.</summary>
    private protected static ErrorRecord ToErrorRecord(Exception exception, object? target)
    {
        var (id, category) = exception switch
        {
            LxdCertificatePinMismatchException => ("LxdCertificatePinMismatch", ErrorCategory.SecurityError),
            LxdTlsException => ("LxdTlsFailed", ErrorCategory.SecurityError),
            LxdAuthException => ("LxdNotTrusted", ErrorCategory.PermissionDenied),
            LxdNotFoundException => ("LxdNotFound", ErrorCategory.ObjectNotFound),
            LxdConflictException => ("LxdAlreadyExists", ErrorCategory.ResourceExists),
            LxdPreconditionFailedException => ("LxdEtagMismatch", ErrorCategory.InvalidOperation),
            LxdConnectionException => ("LxdConnectionFailed", ErrorCategory.ConnectionError),
            LxdTimeoutException => ("LxdTimeout", ErrorCategory.OperationTimeout),
            LxdConfigException => ("LxdConfigInvalid", ErrorCategory.InvalidArgument),
            LxdOperationException => ("LxdOperationFailed", ErrorCategory.InvalidResult),
            LxdApiException { StatusCode: >= 500 } => ("LxdServerError", ErrorCategory.ResourceUnavailable),
            LxdApiException => ("LxdRequestRefused", ErrorCategory.InvalidArgument),
            IOException or UnauthorizedAccessException => ("LxdConfigWriteFailed", ErrorCategory.WriteError),
            _ => ("LxdFailed", ErrorCategory.NotSpecified),
        };
        var record = new ErrorRecord(exception, id, category, target ?? (exception as LxdException)?.Target);
        if (exception is LxdException { ServerError: { Length: > 0 } serverError })
        {
            record.ErrorDetails = new ErrorDetails(exception.Message) { RecommendedAction = $"LXD said: {serverError}" };
        }

        return record;
    }

    /// <summary>True for the failures the remote cmdlets report as ErrorRecords rather than crash on.</summary>
    private protected static bool IsClientFailure(Exception exception) =>
        exception is LxdException or IOException or UnauthorizedAccessException;
}
