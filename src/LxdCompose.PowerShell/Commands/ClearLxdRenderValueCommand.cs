using System.Management.Automation;
using LxdCompose.PowerShell.Completers;
using LxdCompose.PowerShell.Internal;
using LxdCompose.Templating;

namespace LxdCompose.PowerShell.Commands;

/// <summary>Removes render values set in this session: the given dotted names (with what is under them), or all.</summary>
[Cmdlet(VerbsCommon.Clear, "LxdRenderValue", DefaultParameterSetName = "Name", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class ClearLxdRenderValueCommand : PSCmdlet
{
    /// <summary>Dotted names as Get-LxdRenderValue shows them, or a parent name (<c>db</c> clears <c>db.*</c>).</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(RenderValueNameCompleter))]
    public string[]? Name { get; set; }

    protected override void ProcessRecord()
    {
        var session = RenderValueSession.Current;
        if (Name is null)
        {
            if (ShouldProcess("every render value of this session", "Clear"))
            {
                session.Clear();
            }

            return;
        }

        foreach (var name in Name)
        {
            try
            {
                var path = RenderValueTree.ParsePath(name);
                if (!ShouldProcess($"render value '{name}' of this session (and the values under it)", "Clear"))
                {
                    continue;
                }

                if (!session.Remove(path))
                {
                    WriteError(ErrorRecords.NotFound(ErrorIds.RenderValueNotFound,
                        $"No render value named '{name}' is set in this session. Run Get-LxdRenderValue to list them.", name));
                }
            }
            catch (ArgumentException e)
            {
                WriteError(ErrorRecords.InvalidArgument(ErrorIds.InvalidRenderValue, e, name));
            }
        }
    }
}
