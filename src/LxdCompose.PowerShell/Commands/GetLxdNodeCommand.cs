using System.Management.Automation;
using LxdCompose.PowerShell.Completers;
using LxdCompose.PowerShell.Internal;

namespace LxdCompose.PowerShell.Commands;

/// <summary>Lists the nodes (containers to be) of groups; groups can come from Get-LxdGroup, projects from Get-LxdProject.</summary>
[Cmdlet(VerbsCommon.Get, "LxdNode", DefaultParameterSetName = "Name")]
[OutputType("LxdCompose.Specs.LxdNode")]
public sealed class GetLxdNodeCommand : LxdSpecCmdlet
{
    private readonly SortedSet<string> _searchedProjects = new(StringComparer.Ordinal);
    private NameFilter _names = new(null);

    /// <summary>Node names or instance names (with prefix); wildcards allowed. Not bound from piped objects.</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Project names; wildcards allowed. Bound from a piped object's Project or ProjectName.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("ProjectName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProjectNameCompleter))]
    public string[]? Project { get; set; }

    /// <summary>Group names; wildcards allowed. Bound from a piped group's GroupName.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("GroupName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(GroupNameCompleter))]
    public string[]? Group { get; set; }

    /// <summary>Like --nodes-prefix: prefixes the instance name of every node without its own name_prefix.</summary>
    [Parameter]
    public string? NodesPrefix { get; set; }

    private protected override string? NodesPrefixOption => NodesPrefix;

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        _names = new NameFilter(Name);
    }

    protected override void ProcessRecord()
    {
        if (LoadSpecs() is not { } specs)
        {
            return; // a piped config that does not load: reported, the next one may
        }

        var projects = SelectProjects(specs, Project);
        var groups = new NameFilter(Group);
        foreach (var project in projects)
        {
            _searchedProjects.Add(project.Name);
            foreach (var group in project.Groups.Where(g => groups.IsMatch(g.Name)))
            {
                foreach (var node in group.Nodes.Where(n => _names.IsMatch(n.Name, n.InstanceName)))
                {
                    WriteSpecObject(node, specs);
                }
            }
        }

        foreach (var name in groups.UnmatchedLiterals)
        {
            WriteNotFound(ErrorIds.GroupNotFound, "group", name, projects.Select(p => p.Name).ToList());
        }
    }

    protected override void EndProcessing()
    {
        foreach (var name in _names.UnmatchedLiterals)
        {
            WriteNotFound(ErrorIds.NodeNotFound, "node", name, _searchedProjects);
        }
    }
}
