using System.Management.Automation;
using LxdCompose.PowerShell.Completers;
using LxdCompose.PowerShell.Host;

namespace LxdCompose.PowerShell.Commands;

/// <summary>
/// lxd-compose fetch: copies the images of a project's nodes to their groups' servers ahead of an apply (each image at
/// most once per server). Writes one object per image and server: Present, Copied or Skipped. With -TestImage, a
/// throw-away container is created from each image on each server and deleted, so the server unpacks it now.
/// </summary>
[Cmdlet(VerbsData.Save, "LxdImage", DefaultParameterSetName = ProjectSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType("LxdCompose.Deploy.ImageFetchResult")]
public sealed class SaveLxdImageCommand : LxdServerCmdlet
{
    /// <summary>
    /// Project names (wildcards allowed), like lxd-compose's <c>fetch &lt;project&gt;...</c>; with piped objects, only those
    /// of these projects, and the project of objects that name none (remotes, names, files).
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ProjectSet)]
    [Parameter(Position = 0, ParameterSetName = InputObjectSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProjectNameCompleter))]
    public string[]? Project { get; set; }

    /// <summary>Like --enable-group (alias -EnableGroup): only these groups (wildcards allowed). Default: every group.</summary>
    [Parameter]
    [Alias("EnableGroup")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(GroupNameCompleter))]
    public string[]? Group { get; set; }

    private protected override string[]? ProjectNames => Project;

    private protected override string[]? GroupNames => Group;

    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? DisableGroup { get; set; }

    /// <summary>Like --test-images: create and delete a container from each image on each server, to force the unpack.</summary>
    [Parameter]
    public SwitchParameter TestImage { get; set; }

    /// <summary>Like --test-profile: the profiles of the test containers (default: the server's default profile).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    public string[]? TestProfile { get; set; }

    /// <summary>
    /// Like --p2p-mode (or <c>general.p2pmode: true</c>): look <c>image_source</c> up on every remote of the client config,
    /// ignoring <c>image_remote_server</c>, and use the newest match.
    /// </summary>
    [Parameter]
    public SwitchParameter P2PMode { get; set; }

    protected override void ProcessInput() => CollectRecord();

    protected override void EndCommand()
    {
        foreach (var (specs, project, groups) in RequestsToActOn(DisableGroup))
        {
            DeployCommands.FetchImages(this, specs, project, groups, DisableGroup, TestImage || TestProfile is not null, TestProfile, P2PMode,
                StopToken);
        }
    }
}
