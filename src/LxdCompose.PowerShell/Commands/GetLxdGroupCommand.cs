using System.Management.Automation;
using LxdCompose.Loading;
using LxdCompose.PowerShell.Completers;
using LxdCompose.PowerShell.Internal;

namespace LxdCompose.PowerShell.Commands;

/// <summary>Lists the groups of projects (lxd-compose <c>group list</c>); projects can come from Get-LxdProject.</summary>
[Cmdlet(VerbsCommon.Get, "LxdGroup", DefaultParameterSetName = NameSet)]
[OutputType("LxdCompose.Specs.LxdGroup")]
public sealed class GetLxdGroupCommand : LxdPipedCmdlet
{
    private const string NameSet = "Name";
    private const string InputObjectSet = "InputObject";

    private readonly SortedSet<string> _searchedProjects = new(StringComparer.Ordinal);
    private NameFilter _names = new(null);

    /// <summary>Group names (alias -Group, as on Stop-LxdGroup and Remove-LxdGroup); wildcards allowed.</summary>
    [Parameter(Position = 0, ParameterSetName = NameSet)]
    [Parameter(Position = 0, ParameterSetName = InputObjectSet)]
    [Alias("Group")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(GroupNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Project names; wildcards allowed. With piped objects, only the groups of these projects.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProjectNameCompleter))]
    public string[]? Project { get; set; }

    /// <summary>
    /// Piped names, or objects whose groups to list: projects, groups, nodes, commands and their results select upward
    /// and sideways too (<c>Get-LxdNode web1 | Get-LxdGroup</c> lists the node's group); config files (Get-ChildItem) list everything in them.
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
        var searched = new List<string>();
        foreach (var project in SelectProjects(specs, Project).Where(p => selection?.Includes(p) ?? true))
        {
            _searchedProjects.Add(project.Name);
            searched.Add(project.Name);
            foreach (var group in project.Groups.Where(g => (selection?.Includes(g) ?? true) && text.IsMatch(g.Name) && _names.IsMatch(g.Name)))
            {
                WriteSpecObject(group, specs);
            }
        }

        foreach (var name in text.UnmatchedLiterals)
        {
            WriteNotFound(ErrorIds.GroupNotFound, "group", name, searched);
        }
    }

    protected override void EndCommand()
    {
        foreach (var name in _names.UnmatchedLiterals)
        {
            WriteNotFound(ErrorIds.GroupNotFound, "group", name, _searchedProjects);
        }
    }
}
