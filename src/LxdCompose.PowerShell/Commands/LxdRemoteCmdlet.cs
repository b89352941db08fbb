using System.Management.Automation;
using System.Runtime.CompilerServices;
using LxdCompose.Lxd;
using LxdCompose.Lxd.Config;

namespace LxdCompose.PowerShell.Commands;

/// <summary>
/// Shared plumbing of the remote cmdlets: which client configuration directory and cancellation on Ctrl+C. Client
/// failures become ErrorRecords in <see cref="Internal.ErrorRecords"/>. Core types appear only inside method bodies.
/// </summary>
public abstract class LxdRemoteCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>
    /// The lxc/incus client configuration directory; default: LXD_CONF, INCUS_CONF, ~/.config/incus, ~/.config/lxc, the
    /// snap's. Bound from a piped remote's ConfigDirectory, so a remote is acted on where it was listed.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("LxdConfDir", "LxdConfigDirectory")]
    public string? ConfigDirectory { get; set; }

    private protected CancellationToken StopToken => _stopping.Token;

    protected override void StopProcessing() => _stopping.Cancel();

    public void Dispose()
    {
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The directory in use, resolved against PowerShell's current location.</summary>
    private protected string ResolveConfigDirectory() => ResolveConfigDirectory(ConfigDirectory);

    /// <summary>A configuration directory (null or empty: the default one), resolved against PowerShell's current location.</summary>
    private protected string ResolveConfigDirectory(string? directory)
    {
        var given = string.IsNullOrEmpty(directory) ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(directory);
        var resolved = LxdConfigDirectory.Resolve(given);
        WriteDebug($"Client configuration directory: '{resolved}'.");
        return resolved;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private protected LxdClientConfig LoadConfig() => LxdClientConfig.Load(ResolveConfigDirectory());

    [MethodImpl(MethodImplOptions.NoInlining)]
    private protected LxdClientConfig LoadConfig(string? directory) => LxdClientConfig.Load(ResolveConfigDirectory(directory));

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
}
