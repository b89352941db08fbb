using System.Management.Automation;
using LxdCompose.PowerShell.Completers;
using LxdCompose.PowerShell.Host;
using LxdCompose.PowerShell.Internal;

namespace LxdCompose.PowerShell.Commands;

/// <summary>
/// The way back from Backup-LxdGroup: deletes a node's instance and puts a copy of one of its backups
/// (<c>&lt;instance&gt;-YYYYMMDD</c>, the newest by default) in its place, started when the instance ran. The backup stays.
/// </summary>
[Cmdlet(VerbsData.Restore, "LxdNode", DefaultParameterSetName = ProjectSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType("LxdCompose.Maintenance.NodeBackupResult")]
public sealed class RestoreLxdNodeCommand : LxdServerCmdlet
{
    /// <summary>Node names or instance names (wildcards allowed). Default: every node of the selected groups.</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>The project of the nodes (wildcards allowed).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ProjectSet)]
    [Parameter(ParameterSetName = InputObjectSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProjectNameCompleter))]
    public string[]? Project { get; set; }

    /// <summary>Only nodes of these groups (alias -EnableGroup).</summary>
    [Parameter]
    [Alias("EnableGroup")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(GroupNameCompleter))]
    public string[]? Group { get; set; }

    /// <summary>The backup to restore: its date (<c>YYYYMMDD</c>) or its instance name. Default: the newest.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Backup { get; set; }

    /// <summary>Like --nodes-prefix: the instance names carry this prefix.</summary>
    [Parameter]
    public string? NodesPrefix { get; set; }

    private protected override string? NodesPrefixOption => NodesPrefix;

    private protected override string[]? ProjectNames => Project;

    private protected override string[]? GroupNames => Group;

    /// <summary>Nodes named by piped node objects: only those are restored, not their whole groups.</summary>
    private HashSet<string>? _pipedNodes;

    protected override void ProcessInput()
    {
        if (ParameterSetName == InputObjectSet)
        {
            foreach (var piped in InputObject.Select(PipedObject.Read).Where(p => p.Kind == PipedKind.Node && p.Node is not null))
            {
                (_pipedNodes ??= new HashSet<string>(StringComparer.Ordinal)).Add(piped.Node!);
            }
        }

        CollectRecord();
    }

    protected override void EndCommand()
    {
        foreach (var (specs, project, groups) in RequestsToActOn(null))
        {
            MaintenanceCommands.Restore(this, specs, project, groups, Name, _pipedNodes, Backup, StopToken);
        }
    }
}
