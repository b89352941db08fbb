using System.Management.Automation;
using LxdCompose.PowerShell.Host;

namespace LxdCompose.PowerShell.Commands;

/// <summary>
/// lxd-compose node exec: runs a command in nodes of the specs as a hook command runs there (the node's entrypoint,
/// the project's variables); output on the information stream, or captured with -PassThru; a non-zero exit code is an
/// error record and $LASTEXITCODE.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "LxdExec", DefaultParameterSetName = NameSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType("LxdCompose.Deploy.NodeExecResult")]
public sealed class InvokeLxdExecCommand : LxdNodeCmdlet
{
    /// <summary>
    /// The command; several words are joined with spaces (as lxd-compose joins its arguments) and given to the node's
    /// entrypoint (default <c>/bin/bash -c</c>) as one argument.
    /// </summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string[] Command { get; set; } = Array.Empty<string>();

    /// <summary>Captures the output instead of streaming it and writes one result per node (exit code, stdout, stderr).</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    private protected override void Act(object run) => NodeCmdletSupport.Exec(this, run, string.Join(' ', Command), PassThru, StopToken);
}
