using System.Management.Automation;
using LxdCompose.PowerShell.Host;

namespace LxdCompose.PowerShell.Commands;

/// <summary>
/// lxd-compose node push: copies a file or a directory tree of this machine into nodes of the specs, as
/// sync_resources are pushed (<c>lxc file push -r -p</c> semantics; a file holding a secret value loses its group and
/// other bits).
/// </summary>
[Cmdlet(VerbsCommon.Copy, "LxdFile", DefaultParameterSetName = NameSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType("LxdCompose.Deploy.NodeFileCopyResult")]
public sealed class CopyLxdFileCommand : LxdNodeCmdlet
{
    /// <summary>
    /// The file or directory on this machine (lxd-compose's --from). A directory ending in '/' copies its contents into
    /// the destination; without it, the directory itself.
    /// </summary>
    [Parameter(Mandatory = true, Position = 1)]
    [Alias("From")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>
    /// The path in the container (lxd-compose's --to), used as written: a destination ending in '/' is a directory
    /// the source goes into; missing parent directories are created.
    /// </summary>
    [Parameter(Mandatory = true, Position = 2)]
    [Alias("To")]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = string.Empty;

    /// <summary>Writes one result per node (files, directories and symlinks pushed).</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    private protected override void Act(object run) => NodeCmdletSupport.Copy(this, run, LocalSource(), Destination, PassThru, StopToken);

    /// <summary>The provider path of -Path, keeping a trailing separator (it means "the directory's contents").</summary>
    private string LocalSource()
    {
        var resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        var contents = Path.EndsWith('/') || Path.EndsWith('\\');
        return contents && !resolved.EndsWith(System.IO.Path.DirectorySeparatorChar) ? resolved + System.IO.Path.DirectorySeparatorChar : resolved;
    }
}
