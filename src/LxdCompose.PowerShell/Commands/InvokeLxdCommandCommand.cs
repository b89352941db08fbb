using System.Management.Automation;
using LxdCompose.PowerShell.Completers;
using LxdCompose.PowerShell.Host;
using LxdCompose.PowerShell.Internal;

namespace LxdCompose.PowerShell.Commands;

/// <summary>
/// lxd-compose command run: applies the project of a named command (an apply alias) with the command's groups, flags,
/// skip_sync, nodes_prefix and variables (vars_files, envs, then -Env). A command with <c>destroy: true</c>, or
/// -Destroy, destroys the instances after a successful apply.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "LxdCommand", DefaultParameterSetName = NameSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType("LxdCompose.Deploy.NodeResult")]
public sealed class InvokeLxdCommandCommand : LxdPipedCmdlet, ILockingCmdlet, IRunLimitsCmdlet
{
    private const string NameSet = "Name";
    private const string InputObjectSet = "InputObject";

    private readonly CancellationTokenSource _cancel = new();

    /// <summary>
    /// The command's name. With piped projects, groups or nodes, the command runs only on the groups they name (of
    /// the command's own); piped commands need no name.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = NameSet)]
    [Parameter(Position = 0, ParameterSetName = InputObjectSet)]
    [Alias("CommandName")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(CommandNameCompleter))]
    public string? Name { get; set; }

    /// <summary>
    /// Command objects (Get-LxdCommand) or objects with a CommandName, each run from the config in its ConfigFile; with
    /// -Name, projects, groups, nodes (and their results) that narrow the command to their groups.
    /// </summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    [ValidateNotNull]
    public PSObject[] InputObject { get; set; } = Array.Empty<PSObject>();

    /// <summary>Like --env: project variables after the command's own.</summary>
    [Parameter]
    public System.Collections.Hashtable? Env { get; set; }

    /// <summary>
    /// The lxc/incus client configuration directory (lxd-compose's --lxd-config-dir): the remotes and client
    /// certificates this call connects with, over the config's general.lxd_confdir.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? LxdConfigDirectory { get; set; }

    private protected override string? LxdConfigDirectoryOption => LxdConfigDirectory;

    /// <summary>Like --nodes-prefix; default: the command's nodes_prefix.</summary>
    [Parameter]
    public string? NodesPrefix { get; set; }

    /// <summary>Like --destroy: destroy the instances after a successful apply.</summary>
    [Parameter]
    public SwitchParameter Destroy { get; set; }

    /// <summary>When the apply fails, deletes the instances this run created or recreated.</summary>
    [Parameter]
    public SwitchParameter CleanupOnFailure { get; set; }

    /// <summary>
    /// How long to wait (seconds, or a TimeSpan) when another run holds the project's lock on one of its servers; then
    /// fail with LxdProjectLocked naming that run. Default 0: fail at once.
    /// </summary>
    [Parameter]
    [SecondsTransformation]
    public TimeSpan LockTimeout { get; set; }

    /// <summary>
    /// Like --p2p-mode (or <c>general.p2pmode: true</c>): look <c>image_source</c> up on every remote of the client config,
    /// ignoring <c>image_remote_server</c>, and use the newest match.
    /// </summary>
    [Parameter]
    public SwitchParameter P2PMode { get; set; }

    /// <summary>Seconds one hook command may run when its hook has no <c>timeout</c> key, as for Invoke-LxdApply.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? HookTimeout { get; set; }

    /// <summary>Seconds one LXD operation may take before it is cancelled on the server, as for Invoke-LxdApply.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? OperationTimeout { get; set; }

    /// <summary>
    /// Every warning of the validation that runs before the first server call is an error too (unknown keys,
    /// undeclared profiles, ...), so the command does not start while one is left.
    /// </summary>
    [Parameter]
    public SwitchParameter Strict { get; set; }

    internal override bool StrictValidation => Strict;

    private string? _prefix;

    private protected override string? NodesPrefixOption => _prefix;

    protected override void StopProcessing()
    {
        _cancel.Cancel();
        base.StopProcessing();
    }

    protected override void ProcessInput()
    {
        if (ParameterSetName == NameSet)
        {
            RunCommand(Name!, null);
            return;
        }

        foreach (var item in InputObject)
        {
            var piped = PipedObject.Read(item);
            if (piped.Kind == PipedKind.Command)
            {
                if (Name is not null && Name != piped.Command)
                {
                    WriteVerbose($"Skipped {piped.Describe()}: -Name is '{Name}'.");
                    continue;
                }

                WithConfigOf(piped, () => RunCommand(piped.Command!, null));
            }
            else if (Name is not null && piped.Kind is PipedKind.Project or PipedKind.Group or PipedKind.Node && piped.Project is not null)
            {
                WithConfigOf(piped, () => RunCommand(Name, piped));
            }
            else
            {
                WriteError(ErrorRecords.InvalidArgument(ErrorIds.InputObjectNotRecognized,
                    $"Invoke-LxdCommand takes command objects (Get-LxdCommand) or objects with a CommandName property, or with -Name the " +
                    $"projects, groups and nodes to run the command on; got {(piped.Kind == PipedKind.Unknown ? item.TypeNames.FirstOrDefault() ?? "an object" : piped.Describe())}" +
                    $"{(Name is null && piped.Kind is PipedKind.Project or PipedKind.Group or PipedKind.Node ? " without -Name" : string.Empty)}.",
                    item));
            }
        }
    }

    /// <summary>Runs a command, narrowed to the project and groups a piped object names when there is one.</summary>
    private void RunCommand(string name, PipedObject? scope)
    {
        _prefix = NodesPrefix;
        CommandRunner.Run(this, name, NodesPrefix, p => _prefix = p, Env, Destroy, CleanupOnFailure, P2PMode, _cancel.Token,
            scope?.Project, scope?.Kind is PipedKind.Group or PipedKind.Node ? scope.Group : null);
    }
}
