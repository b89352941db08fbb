using System.Management.Automation;
using LxdCompose.GoTemplates;
using LxdCompose.PowerShell.Internal;
using LxdCompose.Templating.Conversion;

namespace LxdCompose.PowerShell.Commands;

/// <summary>
/// Translates Go templates (lxd-compose spec files or mottainai config templates) into Scriban, best effort, as a
/// migration aid. Every part that could not be translated exactly is a warning with its position.
/// </summary>
[Cmdlet(VerbsData.ConvertTo, "LxdScribanTemplate", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
[OutputType(OutputTypeName)]
public sealed class ConvertToLxdScribanTemplateCommand : PSCmdlet
{
    /// <summary>The type name of the output objects (Source, Text, Warnings, HelperFunctions); the format file uses it.</summary>
    internal const string OutputTypeName = "LxdCompose.ScribanConversion";

    private const string PathSet = "Path";
    private const string TemplateSet = "Template";
    private const string TemplateSource = "<template>";

    private int _converted;

    /// <summary>Go template files (wildcards expanded), as Expand-LxdTemplate: position 0, piped strings and files.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true,
        ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>Go template text; bound by property name from Text.</summary>
    [Parameter(Mandatory = true, ParameterSetName = TemplateSet, ValueFromPipelineByPropertyName = true)]
    [Alias("Text")]
    [AllowEmptyString]
    public string Template { get; set; } = "";

    /// <summary>Render: a spec file (.Values becomes the global values). ConfigTemplate: variables are globals.</summary>
    [Parameter]
    [ValidateSet("Render", "ConfigTemplate")]
    public string Target { get; set; } = "Render";

    /// <summary>Writes the Scriban text to this file (one template only).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutFile { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == TemplateSet)
        {
            Convert(TemplateSource, Template);
            return;
        }

        foreach (var (file, text) in Path.SelectMany(p => TemplateFiles.Read(this, p)))
        {
            Convert(file, text);
        }
    }

    private void Convert(string source, string text)
    {
        var options = new ConversionOptions
        {
            Target = Target == "ConfigTemplate" ? ConversionTarget.ConfigTemplate : ConversionTarget.Render,
        };
        ConversionResult result;
        try
        {
            result = GoToScribanConverter.Convert(text, source, options);
        }
        catch (GoTemplateParseException e)
        {
            WriteError(new ErrorRecord(e, ErrorIds.GoTemplateInvalid, ErrorCategory.InvalidData, source));
            return;
        }

        foreach (var warning in result.Warnings)
        {
            WriteWarning($"{source}:{warning.Line}:{warning.Column}: {warning.Construct}: {warning.Message}");
        }

        if (OutFile != null && !WriteOutFile(source, result.Text))
        {
            return;
        }

        var output = new PSObject();
        output.TypeNames.Insert(0, OutputTypeName);
        output.Properties.Add(new PSNoteProperty("Source", source));
        output.Properties.Add(new PSNoteProperty("Text", result.Text));
        output.Properties.Add(new PSNoteProperty("Warnings", result.Warnings.ToArray()));
        output.Properties.Add(new PSNoteProperty("HelperFunctions", result.HelperFunctions.ToArray()));
        WriteObject(output);
    }

    private bool WriteOutFile(string source, string text)
    {
        if (++_converted > 1)
        {
            WriteError(new ErrorRecord(
                new InvalidOperationException($"-OutFile takes one template; '{source}' is another one. Convert it separately."),
                ErrorIds.OutFileNeedsOneTemplate, ErrorCategory.InvalidArgument, source));
            return false;
        }
        var target = SessionState.Path.GetUnresolvedProviderPathFromPSPath(OutFile);
        if (!ShouldProcess(target, $"Write the Scriban translation of '{source}'"))
        {
            return true;
        }

        File.WriteAllText(target, text);
        return true;
    }
}
