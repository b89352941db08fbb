using System.Management.Automation;
using LxdCompose.PowerShell.Completers;
using LxdCompose.PowerShell.Host;

namespace LxdCompose.PowerShell.Commands;

/// <summary>
/// lxd-compose destroy: runs the shutdown hooks and deletes the instances of the named groups (all groups of the
/// project when none is named). Profiles, networks and images stay. Writes one result per node.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "LxdGroup", DefaultParameterSetName = ProjectSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType("LxdCompose.Deploy.NodeResult")]
public sealed class RemoveLxdGroupCommand : LxdDeployCmdlet
{
    /// <summary>Group names (wildcards allowed; alias -Group). Default: every group of the project.</summary>
    [Parameter(Position = 0)]
    [Alias("Group")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(GroupNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>
    /// Project names (wildcards allowed), like lxd-compose's <c>destroy &lt;project&gt;...</c>; with piped objects, only those
    /// of these projects, and the project of objects that name none (remotes, names, files). Required without piped
    /// objects; not mandatory, so that a project name in the first position gets advice rather than a prompt.
    /// </summary>
    [Parameter(ParameterSetName = ProjectSet)]
    [Parameter(ParameterSetName = InputObjectSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProjectNameCompleter))]
    public string[]? Project { get; set; }

    private protected override string[]? ProjectNames => Project;

    private protected override string[]? GroupNames => Name;

    protected override void ProcessRecord() => CollectRecord();

    protected override void EndProcessing()
    {
        foreach (var (specs, project, groups) in RequestsToActOn(null))
        {
            DeployCommands.Shutdown(this, specs, project, groups, destroy: true, EnableFlag, DisableFlag, ExtraVarsBlocks(specs), StopToken);
        }
    }
}
