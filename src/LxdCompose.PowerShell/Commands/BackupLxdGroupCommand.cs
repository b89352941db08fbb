using System.Management.Automation;
using LxdCompose.PowerShell.Completers;
using LxdCompose.PowerShell.Host;

namespace LxdCompose.PowerShell.Commands;

/// <summary>
/// lxd-compose backup: copies the instance of every node of the named groups (all groups of the project when none is
/// named) to <c>&lt;instance&gt;-YYYYMMDD</c> on the same server, stopped and without snapshots; a copy of the day that
/// exists is kept. -RemoveProfile leaves profiles off the copies; -MaxBackups deletes the oldest copies beyond it.
/// </summary>
[Cmdlet(VerbsData.Backup, "LxdGroup", DefaultParameterSetName = ProjectSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType("LxdCompose.Maintenance.NodeBackupResult")]
public sealed class BackupLxdGroupCommand : LxdServerCmdlet
{
    /// <summary>Group names (wildcards allowed; alias -Group). Default: every group of the project.</summary>
    [Parameter(Position = 0)]
    [Alias("Group")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(GroupNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Project names (wildcards allowed), like lxd-compose's <c>backup &lt;project&gt;...</c>.</summary>
    [Parameter(ParameterSetName = ProjectSet)]
    [Parameter(ParameterSetName = InputObjectSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProjectNameCompleter))]
    public string[]? Project { get; set; }

    /// <summary>Like --remove-profile: profiles the copies do not get (e.g. one that starts instances at boot).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    public string[]? RemoveProfile { get; set; }

    /// <summary>Like --max-backups: keep only this many newest copies per instance, deleting older ones. 0 (default): keep all.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int MaxBackups { get; set; }

    /// <summary>Like --nodes-prefix: the instance names carry this prefix (lxd-compose's backup ignores it).</summary>
    [Parameter]
    public string? NodesPrefix { get; set; }

    private protected override string? NodesPrefixOption => NodesPrefix;

    private protected override string[]? ProjectNames => Project;

    private protected override string[]? GroupNames => Name;

    protected override void ProcessInput() => CollectRecord();

    protected override void EndCommand()
    {
        foreach (var (specs, project, groups) in RequestsToActOn(null))
        {
            MaintenanceCommands.Backup(this, specs, project, groups, RemoveProfile, MaxBackups, StopToken);
        }
    }
}
