using System.Collections;
using System.Management.Automation;
using LxdCompose.Loading;
using LxdCompose.PowerShell.Completers;
using LxdCompose.PowerShell.Host;
using LxdCompose.PowerShell.Internal;

namespace LxdCompose.PowerShell.Commands;

/// <summary>
/// The cmdlets of lxd-compose's <c>node</c> commands that act on nodes of the specs (exec, push): the nodes are named
/// as Get-LxdNode names them (-Name, -Project, -Group, piped objects narrowing), collected, then acted on in
/// EndProcessing, each project validated first as the deploy cmdlets do.
/// </summary>
public abstract class LxdNodeCmdlet : LxdPipedCmdlet, IRunLimitsCmdlet
{
    /// <summary>
    /// The lxc/incus client configuration directory (lxd-compose's --lxd-config-dir): the remotes and client
    /// certificates this call connects with, over the config's general.lxd_confdir.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? LxdConfigDirectory { get; set; }

    private protected override string? LxdConfigDirectoryOption => LxdConfigDirectory;

    private protected const string NameSet = "Name";
    private protected const string InputObjectSet = "InputObject";

    private readonly CancellationTokenSource _cancel = new();
    private NameFilter _names = new(null);

    /// <summary>Node names or instance names (with prefix); wildcards allowed. With piped objects, only these of their nodes.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = NameSet)]
    [Parameter(Position = 0, ParameterSetName = InputObjectSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Project names; wildcards allowed. With piped objects, only the nodes of these projects.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProjectNameCompleter))]
    public string[]? Project { get; set; }

    /// <summary>Group names; wildcards allowed. With piped objects, only the nodes of these groups.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(GroupNameCompleter))]
    public string[]? Group { get; set; }

    /// <summary>Nodes (Get-LxdNode), groups, projects and their results, or objects with ProjectName/GroupName: their nodes.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    [ValidateNotNull]
    public PSObject[] InputObject { get; set; } = Array.Empty<PSObject>();

    /// <summary>Like --env: project variables with the highest precedence; values keep their types.</summary>
    [Parameter]
    public Hashtable? Env { get; set; }

    /// <summary>Like --vars-file: vars files (<c>envs:</c>) applied after the project's own variables, before -Env.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? VarsFile { get; set; }

    /// <summary>Like --nodes-prefix: prefixes the instance name of every node without its own name_prefix.</summary>
    [Parameter]
    public string? NodesPrefix { get; set; }

    /// <summary>
    /// Every warning of the validation that runs before the first server call is an error too, so nothing starts while
    /// one is left.
    /// </summary>
    [Parameter]
    public SwitchParameter Strict { get; set; }

    /// <summary>Seconds one command may run before it is stopped with everything it started (as a hook's <c>timeout</c>).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? HookTimeout { get; set; }

    /// <summary>Seconds one LXD operation may take before it is cancelled on the server. Default: 900.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? OperationTimeout { get; set; }

    internal override bool StrictValidation => Strict;

    private protected override string? NodesPrefixOption => NodesPrefix;

    internal CancellationToken StopToken => _cancel.Token;

    /// <summary>The selected nodes, each once, in the order named: <see cref="NodeCmdletSupport.Target"/> objects.</summary>
    private protected readonly List<object> Targets = new();

    protected override void StopProcessing()
    {
        _cancel.Cancel();
        base.StopProcessing();
    }

    protected override void BeginCommand() => _names = new NameFilter(Name);

    protected override void ProcessInput() =>
        ListEach(ParameterSetName == InputObjectSet ? InputObject : null, (specs, selection, text) => Select(specs, selection, text));

    private void Select(SpecSet specs, PipedSelection? selection, NameFilter text) =>
        NodeCmdletSupport.Select(this, specs, selection, text, _names, Project, Group, Targets);

    protected override void EndCommand()
    {
        foreach (var name in _names.UnmatchedLiterals)
        {
            WriteNotFound(ErrorIds.NodeNotFound, "node", name);
        }

        NodeCmdletSupport.ForEachProject(this, Targets, VarsFile, Env, EnableFlags, DisableFlags, Act);
    }

    /// <summary>The hook flags to run (-EnableFlag of the cmdlets that run hooks).</summary>
    private protected virtual string[]? EnableFlags => null;

    /// <summary>The hook flags never to run (-DisableFlag of the cmdlets that run hooks).</summary>
    private protected virtual string[]? DisableFlags => null;

    /// <summary>Acts on the selected nodes of one project (connected and validated); see <see cref="NodeCmdletSupport"/>.</summary>
    private protected abstract void Act(object run);
}
