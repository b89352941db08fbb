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
public sealed class InvokeLxdCommandCommand : LxdSpecCmdlet
{
    private const string NameSet = "Name";
    private const string InputObjectSet = "InputObject";

    private readonly CancellationTokenSource _cancel = new();

    /// <summary>The command's name; bound from a piped object's CommandName.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = NameSet)]
    [Alias("CommandName")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(CommandNameCompleter))]
    public string Name { get; set; } = string.Empty;

    /// <summary>Command objects (Get-LxdCommand): each runs from the config in its ConfigFile.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    [ValidateNotNull]
    public PSObject[] InputObject { get; set; } = Array.Empty<PSObject>();

    /// <summary>Like --env: project variables after the command's own.</summary>
    [Parameter]
    public System.Collections.Hashtable? Env { get; set; }

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
    /// Like --p2p-mode (or <c>general.p2pmode: true</c>): look <c>image_source</c> up on every remote of the client config,
    /// ignoring <c>image_remote_server</c>, and use the newest match.
    /// </summary>
    [Parameter]
    public SwitchParameter P2PMode { get; set; }

    private string? _prefix;

    private protected override string? NodesPrefixOption => _prefix;

    protected override void StopProcessing()
    {
        _cancel.Cancel();
        base.StopProcessing();
    }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == NameSet)
        {
            RunCommand(Name);
            return;
        }

        foreach (var item in InputObject)
        {
            var name = PropertyText(item, "CommandName") ?? (HasTypeName(item, "LxdCompose.Specs.LxdCommand") ? PropertyText(item, "Name") : null);
            if (name is null)
            {
                WriteError(ErrorRecords.InvalidArgument(ErrorIds.InputObjectNotRecognized,
                    $"Invoke-LxdCommand takes command objects (Get-LxdCommand) or objects with a CommandName property; got {item.TypeNames.FirstOrDefault() ?? "an object"} without one.",
                    item));
                continue;
            }

            WithConfigOf(item, () => RunCommand(name));
        }
    }

    private void RunCommand(string name)
    {
        _prefix = NodesPrefix;
        CommandRunner.Run(this, name, NodesPrefix, p => _prefix = p, Env, Destroy, CleanupOnFailure, P2PMode, _cancel.Token);
    }
}
