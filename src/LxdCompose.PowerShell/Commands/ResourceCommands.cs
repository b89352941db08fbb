using System.Management.Automation;
using LxdCompose.PowerShell.Completers;
using LxdCompose.PowerShell.Host;

namespace LxdCompose.PowerShell.Commands;

/// <summary>
/// Get-LxdProfile, Get-LxdNetwork, Get-LxdStoragePool, Get-LxdNetworkAcl, Get-LxdCertificate (lxd-compose's
/// <c>profile|network|storage|acl|trust list</c>, <c>storage|acl available</c>): what the servers have beside what the
/// environments declare, one object per resource and server, saying whether it is declared, present, and how it differs.
/// </summary>
public abstract class LxdResourceListCmdlet : LxdConfigBoundCmdlet
{
    /// <summary>
    /// The lxc/incus client configuration directory (lxd-compose's --lxd-config-dir): the remotes and client
    /// certificates this call connects with, over the config's general.lxd_confdir.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? LxdConfigDirectory { get; set; }

    private protected override string? LxdConfigDirectoryOption => LxdConfigDirectory;

    internal const string ListSet = "List";

    /// <summary>The kind, as Core's ResourceKind names it (Core types stay out of the cmdlets' signatures).</summary>
    private protected abstract string Kind { get; }

    /// <summary>Names of the resources (wildcards allowed); default: all of them.</summary>
    [Parameter(Position = 0, ParameterSetName = ListSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>
    /// Projects (wildcards allowed): the declarations of their environments, and the servers of their groups. Default:
    /// every environment and every group's server.
    /// </summary>
    [Parameter(ParameterSetName = ListSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProjectNameCompleter))]
    public string[]? Project { get; set; }

    /// <summary>Like -e/--endpoint: read these remotes instead of the servers of the projects' groups.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ConnectionNameCompleter))]
    public LxdRemoteInfo[]? Remote { get; set; }

    /// <summary>Only the declarations, without reading any server (lxd-compose's <c>storage list</c> and <c>acl list</c>).</summary>
    [Parameter(ParameterSetName = ListSet)]
    public SwitchParameter DeclaredOnly { get; set; }

    private readonly CancellationTokenSource _cancel = new();

    protected override void StopProcessing()
    {
        _cancel.Cancel();
        base.StopProcessing();
    }

    protected override void EndCommand() =>
        ResourceCommands.List(this, Kind, Name, Project, Remote?.Select(r => r.Name).ToArray(), DeclaredOnly, _cancel.Token);
}

/// <summary>
/// Publish-LxdProfile, Publish-LxdNetwork, Publish-LxdStoragePool, Publish-LxdNetworkAcl, Publish-LxdCertificate
/// (lxd-compose's <c>profile|network|storage|acl|trust create</c>): the declarations of a project's environment created on
/// the servers of its groups where missing, updated with -Update where they differ. -WhatIf shows each change (old -> new).
/// </summary>
public abstract class LxdResourcePublishCmdlet : LxdServerCmdlet
{
    private protected abstract string Kind { get; }

    /// <summary>-Update of the cmdlets that have it.</summary>
    private protected virtual bool UpdateExisting => false;

    /// <summary>-WithForwards of Publish-LxdNetwork.</summary>
    private protected virtual bool SyncForwards => false;

    /// <summary>Names of the declared resources to publish (wildcards allowed); or -All.</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>The projects whose environments declare the resources and whose groups' servers get them (wildcards allowed).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ProjectSet)]
    [Parameter(ParameterSetName = InputObjectSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProjectNameCompleter))]
    public string[]? Project { get; set; }

    /// <summary>Like --enable-group (alias -EnableGroup): only the servers of these groups (wildcards allowed). Default: every group.</summary>
    [Parameter]
    [Alias("EnableGroup")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(GroupNameCompleter))]
    public string[]? Group { get; set; }

    /// <summary>Like -a/--all: every resource of this kind the project's environment declares.</summary>
    [Parameter]
    public SwitchParameter All { get; set; }

    private protected override string[]? ProjectNames => Project;

    private protected override string[]? GroupNames => Group;

    protected override void ProcessInput() => CollectRecord();

    protected override void EndCommand()
    {
        if (All == (Name is not null))
        {
            ThrowTerminatingError(ResourceCommands.NameOrAll(this, Kind, All));
            return;
        }

        foreach (var (specs, project, groups) in RequestsToActOn(null))
        {
            ResourceCommands.Publish(this, specs, project, groups, Kind, Name, UpdateExisting, SyncForwards, StopToken);
        }
    }
}

/// <summary>The publish cmdlets of resources LXD can update in place.</summary>
public abstract class LxdUpdatableResourcePublishCmdlet : LxdResourcePublishCmdlet
{
    /// <summary>Like -u/--update: resources already on a server that differ from their declaration are updated to it (PUT).</summary>
    [Parameter]
    public SwitchParameter Update { get; set; }

    private protected override bool UpdateExisting => Update;
}

/// <summary>lxd-compose profile list: the servers' profiles beside the declared ones.</summary>
[Cmdlet(VerbsCommon.Get, "LxdProfile", DefaultParameterSetName = ListSet)]
[OutputType("LxdCompose.Deploy.ResourceStatus")]
public sealed class GetLxdProfileCommand : LxdResourceListCmdlet
{
    private protected override string Kind => "Profile";
}

/// <summary>lxd-compose network list: the servers' networks beside the declared ones (with their declared forwards).</summary>
[Cmdlet(VerbsCommon.Get, "LxdNetwork", DefaultParameterSetName = ListSet)]
[OutputType("LxdCompose.Deploy.ResourceStatus")]
public sealed class GetLxdNetworkCommand : LxdResourceListCmdlet
{
    private protected override string Kind => "Network";
}

/// <summary>lxd-compose storage available and storage list: the servers' storage pools beside the declared ones.</summary>
[Cmdlet(VerbsCommon.Get, "LxdStoragePool", DefaultParameterSetName = ListSet)]
[OutputType("LxdCompose.Deploy.ResourceStatus")]
public sealed class GetLxdStoragePoolCommand : LxdResourceListCmdlet
{
    private protected override string Kind => "StoragePool";
}

/// <summary>lxd-compose acl available and acl list: the servers' network ACLs beside the declared ones.</summary>
[Cmdlet(VerbsCommon.Get, "LxdNetworkAcl", DefaultParameterSetName = ListSet)]
[OutputType("LxdCompose.Deploy.ResourceStatus")]
public sealed class GetLxdNetworkAclCommand : LxdResourceListCmdlet
{
    private protected override string Kind => "NetworkAcl";
}

/// <summary>lxd-compose trust list: the servers' trusted certificates beside the declared ones.</summary>
[Cmdlet(VerbsCommon.Get, "LxdCertificate", DefaultParameterSetName = ListSet)]
[OutputType("LxdCompose.Deploy.ResourceStatus")]
public sealed class GetLxdCertificateCommand : LxdResourceListCmdlet
{
    private protected override string Kind => "Certificate";
}

/// <summary>lxd-compose profile create.</summary>
[Cmdlet(VerbsData.Publish, "LxdProfile", DefaultParameterSetName = ProjectSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType("LxdCompose.Deploy.ResourcePublishResult")]
public sealed class PublishLxdProfileCommand : LxdUpdatableResourcePublishCmdlet
{
    private protected override string Kind => "Profile";
}

/// <summary>lxd-compose network create (--with-forwards).</summary>
[Cmdlet(VerbsData.Publish, "LxdNetwork", DefaultParameterSetName = ProjectSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType("LxdCompose.Deploy.ResourcePublishResult")]
public sealed class PublishLxdNetworkCommand : LxdUpdatableResourcePublishCmdlet
{
    /// <summary>
    /// Like --with-forwards: the network's forwards become the declared ones (created, updated, and the server's other
    /// forwards of the network deleted).
    /// </summary>
    [Parameter]
    public SwitchParameter WithForwards { get; set; }

    private protected override string Kind => "Network";

    private protected override bool SyncForwards => WithForwards;
}

/// <summary>lxd-compose storage create.</summary>
[Cmdlet(VerbsData.Publish, "LxdStoragePool", DefaultParameterSetName = ProjectSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType("LxdCompose.Deploy.ResourcePublishResult")]
public sealed class PublishLxdStoragePoolCommand : LxdUpdatableResourcePublishCmdlet
{
    private protected override string Kind => "StoragePool";
}

/// <summary>lxd-compose acl create.</summary>
[Cmdlet(VerbsData.Publish, "LxdNetworkAcl", DefaultParameterSetName = ProjectSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType("LxdCompose.Deploy.ResourcePublishResult")]
public sealed class PublishLxdNetworkAclCommand : LxdUpdatableResourcePublishCmdlet
{
    private protected override string Kind => "NetworkAcl";
}

/// <summary>lxd-compose trust create: declared certificates the servers do not trust by that name are added; none is ever updated.</summary>
[Cmdlet(VerbsData.Publish, "LxdCertificate", DefaultParameterSetName = ProjectSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType("LxdCompose.Deploy.ResourcePublishResult")]
public sealed class PublishLxdCertificateCommand : LxdResourcePublishCmdlet
{
    private protected override string Kind => "Certificate";
}
