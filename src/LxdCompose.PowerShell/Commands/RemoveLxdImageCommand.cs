using System.Management.Automation;
using LxdCompose.PowerShell.Completers;
using LxdCompose.PowerShell.Host;
using LxdCompose.PowerShell.Internal;

namespace LxdCompose.PowerShell.Commands;

/// <summary>
/// lxd-compose images purge: deletes the chosen images (by fingerprint or alias, without aliases, by alias regex) on
/// the servers of a project's groups (<c>-Project *</c>: every project) or on named remotes. An image an instance of
/// the server was made from is kept unless -IncludeUsed. Writes one object per chosen image.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "LxdImage", DefaultParameterSetName = RemoteSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType("LxdCompose.Maintenance.ImagePurgeResult")]
public sealed class RemoveLxdImageCommand : LxdServerCmdlet
{
    /// <summary>The servers are the remotes -Remote names, without a project (lxd-compose's <c>-e</c>).</summary>
    private const string RemoteSet = "Remote";

    /// <summary>
    /// Fingerprints (a prefix is enough) or aliases of the images, wildcards allowed; <c>*</c> chooses every image
    /// (lxd-compose's <c>--all-images</c>, <c>-f</c>).
    /// </summary>
    [Parameter(Position = 0, ParameterSetName = RemoteSet)]
    [Parameter(Position = 0, ParameterSetName = ProjectSet)]
    [Parameter(Position = 0, ParameterSetName = InputObjectSet)]
    [Alias("Fingerprint")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Like --without-aliases: also the images that have no alias.</summary>
    [Parameter]
    public SwitchParameter WithoutAlias { get; set; }

    /// <summary>Like --match: regular expressions; also the images with an alias matching one.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? AliasMatch { get; set; }

    /// <summary>
    /// Also deletes images that instances of the server were made from. LXD allows it: the instances keep their own file
    /// systems and run on, but the image is gone for new instances until it is copied again.
    /// </summary>
    [Parameter]
    public SwitchParameter IncludeUsed { get; set; }

    /// <summary>
    /// Projects whose groups' servers are purged (wildcards; <c>*</c> is lxd-compose's <c>--all</c>); without it,
    /// -Remote names the servers (lxd-compose's <c>-e</c>).
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = ProjectSet)]
    [Parameter(ParameterSetName = InputObjectSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProjectNameCompleter))]
    public string[]? Project { get; set; }

    /// <summary>Like --enable-group (alias -EnableGroup): only the servers of these groups.</summary>
    [Parameter]
    [Alias("EnableGroup")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(GroupNameCompleter))]
    public string[]? Group { get; set; }

    private protected override string[]? ProjectNames => Project;

    private protected override string[]? GroupNames => Group;

    private readonly List<string> _remotesOnly = new();

    protected override void BeginCommand()
    {
        if (Name is null && !WithoutAlias && AliasMatch is null)
        {
            ThrowTerminatingError(ErrorRecords.InvalidArgument(ErrorIds.ImageSelectionMissing,
                "Say which images to remove: names or fingerprints (-Name, '*' for all), -WithoutAlias or -AliasMatch.", null,
                "Remove-LxdImage * -Remote <remote> -WhatIf lists every image of a server."));
        }
    }

    protected override void ProcessInput()
    {
        if (ParameterSetName == RemoteSet)
        {
            if (Remote is not { Length: > 0 })
            {
                ThrowTerminatingError(ErrorRecords.InvalidArgument(ErrorIds.ImageServerMissing,
                    "Remove-LxdImage needs the servers: -Project <project> (the servers of its groups) or -Remote <remote>.", null,
                    "Remove-LxdImage <image> -Remote <remote>"));
            }

            _remotesOnly.AddRange(Remote!.Select(r => r.Name).Where(n => !_remotesOnly.Contains(n)));
            return;
        }

        CollectRecord();
    }

    protected override void EndCommand()
    {
        var selection = MaintenanceCommands.Selection(Name, WithoutAlias, AliasMatch, IncludeUsed);
        var done = new HashSet<string>(StringComparer.Ordinal);
        if (_remotesOnly.Count > 0)
        {
            MaintenanceCommands.PurgeRemotes(this, _remotesOnly, selection, done, StopToken);
            return;
        }

        foreach (var (specs, project, groups) in RequestsToActOn(null))
        {
            MaintenanceCommands.PurgeProject(this, specs, project, groups, selection, done, StopToken);
        }
    }
}
