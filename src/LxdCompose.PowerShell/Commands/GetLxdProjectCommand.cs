using System.Management.Automation;
using LxdCompose.Loading;
using LxdCompose.PowerShell.Completers;
using LxdCompose.PowerShell.Internal;

namespace LxdCompose.PowerShell.Commands;

/// <summary>Lists the projects of the loaded environments (lxd-compose <c>project list</c>).</summary>
[Cmdlet(VerbsCommon.Get, "LxdProject", DefaultParameterSetName = NameSet)]
[OutputType("LxdCompose.Specs.LxdProject")]
public sealed class GetLxdProjectCommand : LxdPipedCmdlet
{
    private const string NameSet = "Name";
    private const string InputObjectSet = "InputObject";

    private NameFilter _names = new(null);

    /// <summary>Project names; wildcards allowed.</summary>
    [Parameter(Position = 0, ParameterSetName = NameSet)]
    [Parameter(Position = 0, ParameterSetName = InputObjectSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProjectNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>
    /// Piped names, or objects whose projects to list: projects, groups, nodes, commands and their results select upward
    /// and sideways too (<c>Get-LxdGroup web | Get-LxdProject</c> lists the group's project); config files (Get-ChildItem) list everything in them.
    /// </summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    [ValidateNotNull]
    public PSObject[] InputObject { get; set; } = Array.Empty<PSObject>();

    /// <summary>Like --nodes-prefix: prefixes the instance name of every node without its own name_prefix.</summary>
    [Parameter]
    public string? NodesPrefix { get; set; }

    private protected override string? NodesPrefixOption => NodesPrefix;

    protected override void BeginCommand()
    {
        _names = new NameFilter(Name);
    }

    protected override void ProcessInput() => ListEach(ParameterSetName == InputObjectSet ? InputObject : null, List);

    private void List(SpecSet specs, PipedSelection? selection, NameFilter text)
    {
        foreach (var project in specs.Projects.Where(p => (selection?.Includes(p) ?? true) && text.IsMatch(p.Name) && _names.IsMatch(p.Name)))
        {
            WriteSpecObject(project, specs);
        }

        foreach (var name in text.UnmatchedLiterals)
        {
            WriteNotFound(ErrorIds.ProjectNotFound, "project", name);
        }
    }

    protected override void EndCommand()
    {
        foreach (var name in _names.UnmatchedLiterals)
        {
            WriteNotFound(ErrorIds.ProjectNotFound, "project", name);
        }
    }
}
