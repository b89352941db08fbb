using System.Management.Automation;
using LxdCompose.PowerShell.Internal;
using LxdCompose.Specs;
using LxdCompose.Templating;

namespace LxdCompose.PowerShell.Commands;

/// <summary>
/// Renders one template with data, outside of any spec: to try a render-engine snippet (Helm: data as .Values), a
/// config template (Mottainai: data at the root) or a Scriban template (data as <c>values</c> and as globals).
/// Writes the rendered text.
/// </summary>
[Cmdlet(VerbsData.Expand, "LxdTemplate", DefaultParameterSetName = PathSet)]
[OutputType(typeof(string))]
public sealed class ExpandLxdTemplateCommand : PSCmdlet
{
    private const string TemplateSet = "Template";
    private const string PathSet = "Path";

    /// <summary>Template files (wildcards expanded), as ConvertTo-LxdScribanTemplate: position 0, piped strings and files.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true,
        ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>The template text; bound by property name from Text (a ConvertTo-LxdScribanTemplate result).</summary>
    [Parameter(Mandatory = true, ParameterSetName = TemplateSet, ValueFromPipelineByPropertyName = true)]
    [Alias("Text")]
    [AllowEmptyString]
    public string Template { get; set; } = string.Empty;

    /// <summary>Helm (default, as lxd-compose's render engine), Mottainai (its config-template engine) or Scriban.</summary>
    [Parameter]
    [ValidateSet("Helm", "Mottainai", "Scriban", IgnoreCase = true)]
    public string Engine { get; set; } = "Helm";

    /// <summary>A hashtable or an object with properties; merged over -DataPath.</summary>
    [Parameter]
    public object? Data { get; set; }

    /// <summary>A YAML or JSON file holding a map, read with yaml.v3 typing.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DataPath { get; set; }

    /// <summary>Defaults the data is coalesced onto, as the render values onto render_default_file (a null removes a default).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DefaultsPath { get; set; }

    /// <summary>Directories whose *.yaml files are the named templates tpl/&lt;name&gt;, as render_templates_dirs.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? TemplatesDirectory { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == TemplateSet)
        {
            Expand(Template, "<template>");
            return;
        }

        foreach (var (file, text) in Path.SelectMany(p => TemplateFiles.Read(this, p)))
        {
            Expand(text, file);
        }
    }

    private void Expand(string text, string sourceName)
    {
        try
        {
            var data = DataPath is null
                ? new Dictionary<string, object?>(StringComparer.Ordinal)
                : RenderContext.ReadYamlMap(Resolve(DataPath), "-DataPath file");
            if (Data is not null)
            {
                RenderValueTree.MergeOverride(data, PowerShellValues.ToMap(Data, nameof(Data)));
            }

            var expansion = new TemplateExpansion
            {
                Engine = Enum.Parse<ExpansionEngine>(Engine, ignoreCase: true),
                Text = text,
                SourceName = sourceName,
                Data = data,
                Defaults = DefaultsPath is null ? null : RenderContext.ReadYamlMap(Resolve(DefaultsPath), "-DefaultsPath file"),
                TemplatesDirectories = (TemplatesDirectory ?? Array.Empty<string>()).Select(Resolve).ToList(),
            };
            WriteObject(TemplateExpander.Expand(expansion));
        }
        catch (ArgumentException e)
        {
            ThrowTerminatingError(ErrorRecords.InvalidArgument(ErrorIds.InvalidRenderValue, e, Data));
        }
        catch (SpecException e)
        {
            WriteError(ErrorRecords.FromTemplateProblem(e));
        }
    }

    private string Resolve(string path) => SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
}
