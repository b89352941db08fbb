using System.Collections;
using System.Management.Automation;
using LxdCompose.PowerShell.Completers;
using LxdCompose.PowerShell.Internal;
using LxdCompose.Specs;
using LxdCompose.Templating;

namespace LxdCompose.PowerShell.Commands;

/// <summary>
/// Sets render values for the rest of the PowerShell session: every cmdlet that loads specs uses them over the render
/// values files, until Clear-LxdRenderValue. Values merge into what was set before (maps key by key).
/// </summary>
[Cmdlet(VerbsCommon.Set, "LxdRenderValue", DefaultParameterSetName = NameValueSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(void))]
public sealed class SetLxdRenderValueCommand : PSCmdlet
{
    private const string NameValueSet = "NameValue";
    private const string AssignmentSet = "Assignment";
    private const string ValuesSet = "Values";
    private const string PathSet = "Path";

    /// <summary>A key, or a path into nested maps written with dots (<c>db.host</c>).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = NameValueSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(RenderValueNameCompleter))]
    public string Name { get; set; } = string.Empty;

    /// <summary>Any value: string, number, bool, array, hashtable; <c>$null</c> removes the key from the defaults.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = NameValueSet)]
    [AllowNull]
    public object? Value { get; set; }

    /// <summary><c>KEY=VALUE</c> strings as lxd-compose's --render-env (values are strings; keys may be dotted paths).</summary>
    [Parameter(Mandatory = true, ParameterSetName = AssignmentSet, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public string[] Assignment { get; set; } = Array.Empty<string>();

    /// <summary>A hashtable of any depth; top-level keys may be dotted paths.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ValuesSet)]
    public Hashtable Values { get; set; } = new();

    /// <summary>YAML (or JSON) files holding a map, read with yaml.v3 typing.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    protected override void ProcessRecord()
    {
        var session = RenderValueSession.Current;
        try
        {
            switch (ParameterSetName)
            {
                case NameValueSet:
                    if (!ShouldProcess($"render value '{Name}' of this session", Value is null ? "Set to null (removes the default)" : $"Set to '{Value}'"))
                    {
                        break;
                    }

                    session.Merge(RenderValueTree.FromPath(RenderValueTree.ParsePath(Name), PowerShellValues.ToValue(Value)));
                    break;
                case AssignmentSet:
                    foreach (var assignment in Assignment)
                    {
                        var tree = RenderValueOverrides.ParseAssignment(assignment);
                        if (ShouldProcess($"render value {assignment.Split('=')[0]} of this session", $"Set from '{assignment}'"))
                        {
                            session.Merge(tree);
                        }
                    }

                    break;
                case ValuesSet:
                    var trees = LxdSpecCmdlet.RenderValueTrees(PowerShellValues.ToMap(Values, nameof(Values))).ToList();
                    if (ShouldProcess($"render values {string.Join(", ", Values.Keys.Cast<object>())} of this session", "Set from the hashtable"))
                    {
                        trees.ForEach(session.Merge);
                    }

                    break;
                default:
                    foreach (var path in Path)
                    {
                        var file = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
                        WriteVerbose($"Reading render values from '{file}'.");
                        var values = RenderContext.ReadYamlMap(file, "render values file");
                        if (ShouldProcess($"render values {string.Join(", ", values.Keys)} of this session", $"Set from '{file}'"))
                        {
                            session.Merge(values);
                        }
                    }

                    break;
            }
        }
        catch (ArgumentException e)
        {
            WriteError(ErrorRecords.InvalidArgument(ErrorIds.InvalidRenderValue, e, null));
        }
        catch (SpecException e)
        {
            WriteError(ErrorRecords.FromFatalSpecProblem(e));
        }
    }
}
