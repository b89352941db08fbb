using System.Management.Automation;
using LxdCompose.PowerShell.Completers;
using LxdCompose.PowerShell.Internal;

namespace LxdCompose.PowerShell.Commands;

/// <summary>Lists the groups of projects (lxd-compose <c>group list</c>); projects can come from Get-LxdProject.</summary>
[Cmdlet(VerbsCommon.Get, "LxdGroup", DefaultParameterSetName = "Name")]
[OutputType("LxdCompose.Specs.LxdGroup")]
public sealed class GetLxdGroupCommand : LxdSpecCmdlet
{
    private readonly SortedSet<string> _searchedProjects = new(StringComparer.Ordinal);
    private NameFilter _names = new(null);

    /// <summary>Group names; wildcards allowed. Not bound from piped objects, whose Name is their own.</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(GroupNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Project names; wildcards allowed. Bound from a piped project's ProjectName.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("ProjectName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProjectNameCompleter))]
    public string[]? Project { get; set; }

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

        foreach (var project in SelectProjects(specs, Project))
        {
            _searchedProjects.Add(project.Name);
            foreach (var group in project.Groups.Where(g => _names.IsMatch(g.Name)))
            {
                WriteSpecObject(group, specs);
            }
        }
    }

    protected override void EndProcessing()
    {
        foreach (var name in _names.UnmatchedLiterals)
        {
            WriteNotFound(ErrorIds.GroupNotFound, "group", name, _searchedProjects);
        }
    }
}
