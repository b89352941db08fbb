using System.Collections;
using System.Management.Automation;
using LxdCompose.PowerShell.Completers;
using LxdCompose.PowerShell.Internal;
using LxdCompose.Security;
using LxdCompose.Templating;

namespace LxdCompose.PowerShell.Commands;

/// <summary>Lists the render values of this session (Set-LxdRenderValue), one object per leaf with its dotted name.</summary>
[Cmdlet(VerbsCommon.Get, "LxdRenderValue", DefaultParameterSetName = "Entries")]
[OutputType("LxdCompose.Templating.RenderValue", ParameterSetName = new[] { "Entries" })]
[OutputType(typeof(Hashtable), ParameterSetName = new[] { "Hashtable" })]
public sealed class GetLxdRenderValueCommand : PSCmdlet
{
    /// <summary>Dotted names; wildcards allowed (<c>db.*</c>); names can be piped.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ParameterSetName = "Entries")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(RenderValueNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>The whole tree as nested hashtables, as -RenderValue takes it.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Hashtable")]
    public SwitchParameter AsHashtable { get; set; }

    /// <summary>
    /// Shows the values of secret names (<c>*password*</c>, <c>*token*</c>, <c>*secret*</c>, <c>*key*</c>) as they are
    /// instead of ********. This cmdlet reads no config, so its own <c>security.secret_name_patterns</c> does not apply.
    /// </summary>
    [Parameter]
    public SwitchParameter ShowSecret { get; set; }

    /// <summary>The names given or piped: every value is listed once, in the session's order, at the end.</summary>
    private readonly List<string> _names = new();

    protected override void ProcessRecord() => _names.AddRange(Name ?? Array.Empty<string>());

    protected override void EndProcessing()
    {
        var tree = RenderValueSession.Current.Snapshot();
        ReportMask? mask = null;
        if (!ShowSecret)
        {
            var secrets = new SecretValues(SecretNamePatterns.Default);
            foreach (var (name, value) in tree)
            {
                secrets.AddNamed(name, value);
            }

            mask = new ReportMask();
            mask.Include(secrets);
        }

        MaskingCommandRuntime.Run(this, mask, () => List(tree));
    }

    private void List(IReadOnlyDictionary<string, object?> tree)
    {
        if (AsHashtable)
        {
            WriteObject(ToHashtable(tree));
            return;
        }

        var filter = new NameFilter(_names.Count == 0 ? null : _names);
        foreach (var (name, value) in RenderValueTree.Flatten(tree))
        {
            if (filter.IsMatch(name))
            {
                WriteObject(new RenderValue(name, value is IDictionary<string, object?> map ? ToHashtable(map) : value));
            }
        }

        foreach (var name in filter.UnmatchedLiterals)
        {
            WriteError(ErrorRecords.NotFound(ErrorIds.RenderValueNotFound,
                $"No render value named '{name}' is set in this session. Run Get-LxdRenderValue to list them.", name));
        }
    }

    private static Hashtable ToHashtable(IEnumerable<KeyValuePair<string, object?>> map)
    {
        var table = new Hashtable(StringComparer.Ordinal);
        foreach (var (key, value) in map)
        {
            table[key] = value is IDictionary<string, object?> inner ? ToHashtable(inner) : value;
        }

        return table;
    }
}
