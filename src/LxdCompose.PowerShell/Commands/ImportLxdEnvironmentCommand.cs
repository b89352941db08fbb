using System.Collections;
using System.Management.Automation;
using LxdCompose.PowerShell.Host;

namespace LxdCompose.PowerShell.Commands;

/// <summary>
/// lxd-compose unpack: extracts an archive of Export-LxdEnvironment (or of lxd-compose pack; tar or gzip) into a folder,
/// modes and times kept. Entries that would land outside the folder are refused before anything is written. Needs no
/// config. -RenderFile with -RenderValue sets top-level keys of a YAML file of the archive (e.g. the render values file).
/// </summary>
[Cmdlet(VerbsData.Import, "LxdEnvironment", DefaultParameterSetName = "Path", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType("LxdCompose.Maintenance.UnpackResult")]
public sealed class ImportLxdEnvironmentCommand : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>The archive (tar, or gzip-compressed tar).</summary>
    [Parameter(ParameterSetName = "Path", Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>Like --to: the folder to extract into (created when missing). Default: the current location.</summary>
    [Parameter(ParameterSetName = "Path", Position = 1)]
    [Alias("To")]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = ".";

    /// <summary>Like --same-owner: files get the owner and group the archive names (needs root; Linux and macOS).</summary>
    [Parameter(ParameterSetName = "Path")]
    public SwitchParameter SameOwner { get; set; }

    /// <summary>Like --render-file: a YAML file of the archive (path inside it) whose top-level keys -RenderValue sets.</summary>
    [Parameter(ParameterSetName = "Path")]
    [ValidateNotNullOrEmpty]
    public string? RenderFile { get; set; }

    /// <summary>Like --render-env K=V: the top-level keys to set in -RenderFile (values are written as text).</summary>
    [Parameter(ParameterSetName = "Path")]
    [ValidateNotNull]
    public Hashtable? RenderValue { get; set; }

    protected override void StopProcessing() => _stopping.Cancel();

    protected override void ProcessRecord()
    {
        var archive = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        var destination = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Destination);
        if (!ShouldProcess(destination, $"Extract {archive}"))
        {
            return;
        }

        try
        {
            MaintenanceCommands.Unpack(this, archive, destination, SameOwner, RenderFile, RenderValue, _stopping.Token);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    public void Dispose()
    {
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }
}
