using System.Management.Automation;
using LxdCompose.Loading;
using LxdCompose.PowerShell.Completers;
using LxdCompose.PowerShell.Internal;

namespace LxdCompose.PowerShell.Commands;

/// <summary>Lists the nodes (containers to be) of groups; groups can come from Get-LxdGroup, projects from Get-LxdProject.</summary>
[Cmdlet(VerbsCommon.Get, "LxdNode", DefaultParameterSetName = NameSet)]
[OutputType("LxdCompose.Specs.LxdNode")]
public sealed class GetLxdNodeCommand : LxdPipedCmdlet
{
    private const string NameSet = "Name";
    private const string InputObjectSet = "InputObject";

    private readonly SortedSet<string> _searchedProjects = new(StringComparer.Ordinal);
    private NameFilter _names = new(null);

    /// <summary>Node names or instance names (with prefix); wildcards allowed. Never bound from a piped object's properties.</summary>
    [Parameter(Position = 0, ParameterSetName = NameSet)]
    [Parameter(Position = 0, ParameterSetName = InputObjectSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Project names; wildcards allowed. With piped objects, only the nodes of these projects.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProjectNameCompleter))]
    public string[]? Project { get; set; }

    /// <summary>Group names; wildcards allowed. With piped objects, only the nodes of these groups.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(GroupNameCompleter))]
    public string[]? Group { get; set; }

    /// <summary>
    /// Piped names, or objects whose nodes to list: projects, groups, nodes, commands and their results select upward
    /// and sideways too (<c>Invoke-LxdApply ... | Get-LxdNode</c> lists the nodes of the results); config files (Get-ChildItem) list everything in them.
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
        var projects = SelectProjects(specs, Project).Where(p => selection?.Includes(p) ?? true).ToList();
        var groups = new NameFilter(Group);
        foreach (var project in projects)
        {
            _searchedProjects.Add(project.Name);
            foreach (var group in project.Groups.Where(g => (selection?.Includes(g) ?? true) && groups.IsMatch(g.Name)))
            {
                foreach (var node in group.Nodes.Where(n => (selection?.Includes(n) ?? true) && text.IsMatch(n.Name, n.InstanceName) &&
                             _names.IsMatch(n.Name, n.InstanceName)))
                {
                    WriteSpecObject(node, specs);
                }
            }
        }

        foreach (var name in text.UnmatchedLiterals)
        {
            WriteNotFound(ErrorIds.NodeNotFound, "node", name, projects.Select(p => p.Name).ToList());
        }

        foreach (var name in groups.UnmatchedLiterals)
        {
            WriteNotFound(ErrorIds.GroupNotFound, "group", name, projects.Select(p => p.Name).ToList());
        }
    }

    protected override void EndCommand()
    {
        foreach (var name in _names.UnmatchedLiterals)
        {
            WriteNotFound(ErrorIds.NodeNotFound, "node", name, _searchedProjects);
        }
    }
}
