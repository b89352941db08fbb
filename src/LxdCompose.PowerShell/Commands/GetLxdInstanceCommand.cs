using System.Management.Automation;
using LxdCompose.Loading;
using LxdCompose.PowerShell.Completers;
using LxdCompose.PowerShell.Host;
using LxdCompose.PowerShell.Internal;

namespace LxdCompose.PowerShell.Commands;

/// <summary>
/// lxd-compose node list: the instances that live on the servers (every remote the specs' groups use, or -Remote), with
/// their state and addresses and the project, group and node of the specs each one is; instances the specs do not
/// know are listed too (InSpecs false).
/// </summary>
[Cmdlet(VerbsCommon.Get, "LxdInstance", DefaultParameterSetName = AllSet)]
[OutputType("LxdCompose.Deploy.ServerInstance")]
public sealed class GetLxdInstanceCommand : LxdPipedCmdlet
{
    /// <summary>
    /// The lxc/incus client configuration directory (lxd-compose's --lxd-config-dir): the remotes and client
    /// certificates this call connects with, over the config's general.lxd_confdir.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? LxdConfigDirectory { get; set; }

    private protected override string? LxdConfigDirectoryOption => LxdConfigDirectory;

    private const string AllSet = "All";
    private const string ProjectSet = "Project";
    private const string InputObjectSet = "InputObject";

    private readonly CancellationTokenSource _cancel = new();
    private NameFilter _names = new(null);

    /// <summary>Instance names; wildcards allowed.</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>
    /// Spec projects: the remotes their groups use (unless -Remote names others), and only their nodes' instances
    /// beside the instances the specs do not know. Wildcards allowed.
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = ProjectSet)]
    [Parameter(ParameterSetName = InputObjectSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProjectNameCompleter))]
    public string[]? Project { get; set; }

    /// <summary>
    /// Remotes of the client configuration to read (lxd-compose's --endpoint), instead of those the groups use; also any
    /// remote no group uses.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ConnectionNameCompleter))]
    public string[]? Remote { get; set; }

    /// <summary>
    /// Remotes (Get-LxdRemote), whose instances to list; projects, groups and nodes of the specs (and their results),
    /// which narrow the list to their remotes and their nodes' instances.
    /// </summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    [ValidateNotNull]
    public PSObject[] InputObject { get; set; } = Array.Empty<PSObject>();

    protected override void StopProcessing()
    {
        _cancel.Cancel();
        base.StopProcessing();
    }

    protected override void BeginCommand() => _names = new NameFilter(Name);

    protected override void ProcessInput()
    {
        if (ParameterSetName != InputObjectSet)
        {
            if (LoadSpecs() is { } specs)
            {
                List(specs, null, Remote);
            }

            return;
        }

        foreach (var item in InputObject)
        {
            var piped = PipedObject.Read(item);
            if (piped.Kind == PipedKind.Remote)
            {
                if (LoadSpecs() is { } specs)
                {
                    List(specs, null, new[] { piped.Text! });
                }

                continue;
            }

            WithConfigOf(piped, () =>
            {
                if (LoadSpecs() is { } specs && PipedSelection.For(this, piped, specs, item) is { } selection)
                {
                    List(specs, selection, Remote);
                }
            });
        }
    }

    private void List(SpecSet specs, PipedSelection? selection, string[]? remotes) =>
        NodeCmdletSupport.ListInstances(this, specs, selection, Project, remotes, _names, _cancel.Token);

    protected override void EndCommand()
    {
        foreach (var name in _names.UnmatchedLiterals)
        {
            WriteError(ErrorRecords.NotFound(ErrorIds.InstanceNotFound, $"No instance named '{name}' on the servers read.", name,
                "Check the name, or -Remote to read other servers."));
        }
    }
}
