using System.Management.Automation;
using LxdCompose.PowerShell.Completers;
using LxdCompose.PowerShell.Internal;

namespace LxdCompose.PowerShell.Commands;

/// <summary>Lists the projects of the loaded environments (lxd-compose <c>project list</c>).</summary>
[Cmdlet(VerbsCommon.Get, "LxdProject", DefaultParameterSetName = "Name")]
[OutputType("LxdCompose.Specs.LxdProject")]
public sealed class GetLxdProjectCommand : LxdSpecCmdlet
{
    private NameFilter _names = new(null);

    /// <summary>Project names; wildcards allowed.</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProjectNameCompleter))]
    public string[]? Name { get; set; }

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

        foreach (var project in specs.Projects.Where(p => _names.IsMatch(p.Name)))
        {
            WriteSpecObject(project, specs);
        }
    }

    protected override void EndProcessing()
    {
        foreach (var name in _names.UnmatchedLiterals)
        {
            WriteNotFound(ErrorIds.ProjectNotFound, "project", name);
        }
    }
}
