using System.Management.Automation;
using LxdCompose.Deploy;
using LxdCompose.Loading;
using LxdCompose.PowerShell.Commands;
using LxdCompose.Specs;

namespace LxdCompose.PowerShell.Internal;

/// <summary>
/// What a piped object selects for the Get-Lxd* cmdlets, upward and sideways as well as downward: a node selects its
/// node, its group and its project; a group its group and its project; a command its project and the groups it applies;
/// a project its project; a string the objects of the cmdlet's noun with that name; a file everything in that config.
/// </summary>
internal sealed class PipedSelection
{
    private readonly PipedObject _piped;
    private readonly GroupFilter? _commandGroups;

    private PipedSelection(PipedObject piped, GroupFilter? commandGroups)
    {
        _piped = piped;
        _commandGroups = commandGroups;
    }

    /// <summary>A piped string: a name (or pattern) of the objects the cmdlet lists.</summary>
    public string? Text => _piped.Kind == PipedKind.Text ? _piped.Text : null;

    /// <summary>The selection of a piped object, or null after an error (an object naming nothing the cmdlet lists).</summary>
    public static PipedSelection? For(LxdSpecCmdlet cmdlet, PipedObject piped, SpecSet specs, PSObject item)
    {
        switch (piped.Kind)
        {
            case PipedKind.Text or PipedKind.Config:
                return new PipedSelection(piped, null);
            case PipedKind.Remote or PipedKind.Unknown:
                cmdlet.WriteError(ErrorRecords.InvalidArgument(ErrorIds.InputObjectNotRecognized,
                    $"{cmdlet.MyInvocation.MyCommand.Name} takes names, projects, groups, nodes or commands (and their results), objects with " +
                    $"a ProjectName or Project property, or config files; got {(piped.Kind == PipedKind.Remote ? piped.Describe() : item.TypeNames.FirstOrDefault() ?? "an object")}" +
                    $"{(piped.Kind == PipedKind.Remote ? ", whose Project is an LXD project" : " without one")}.", item));
                return null;
        }

        if (piped.Project is not null && specs.FindProject(piped.Project) is null)
        {
            cmdlet.WriteNotFound(ErrorIds.ProjectNotFound, "project", piped.Project);
            return null;
        }

        GroupFilter? commandGroups = null;
        if (piped.Kind == PipedKind.Command)
        {
            var command = specs.Commands.FirstOrDefault(c => c.Name == piped.Command && (piped.Project is null || c.Project == piped.Project));
            if (command is null)
            {
                cmdlet.WriteNotFound(ErrorIds.CommandNotFound, "command", piped.Command!);
                return null;
            }

            commandGroups = new GroupFilter(command.EnableGroups, command.DisableGroups);
            piped = piped with { Project = command.Project };
        }

        if (piped.Kind is PipedKind.Group or PipedKind.Node)
        {
            var groups = specs.Projects.Where(p => piped.Project is null || p.Name == piped.Project).SelectMany(p => p.Groups).Where(g => g.Name == piped.Group).ToList();
            if (groups.Count == 0)
            {
                cmdlet.WriteNotFound(ErrorIds.GroupNotFound, "group", piped.Group!, piped.Project is null ? null : new[] { piped.Project });
                return null;
            }

            if (piped.Kind == PipedKind.Node && !groups.SelectMany(g => g.Nodes).Any(n => n.Name == piped.Node || n.InstanceName == piped.Node))
            {
                cmdlet.WriteNotFound(ErrorIds.NodeNotFound, "node", piped.Node!, piped.Project is null ? null : new[] { piped.Project });
                return null;
            }
        }

        return new PipedSelection(piped, commandGroups);
    }

    /// <summary>Whether the piped object names groups or nodes (not a whole project or config).</summary>
    public bool NamesGroupsOrNodes => _piped.Kind is PipedKind.Group or PipedKind.Node or PipedKind.Command;

    public bool Includes(LxdProject project) => _piped.Project is null || project.Name == _piped.Project;

    public bool Includes(LxdGroup group) =>
        _piped.Kind switch
        {
            PipedKind.Group or PipedKind.Node => group.Name == _piped.Group,
            PipedKind.Command => _commandGroups!.Includes(group),
            _ => true,
        };

    public bool Includes(LxdNode node) => _piped.Kind != PipedKind.Node || node.Name == _piped.Node || node.InstanceName == _piped.Node;

    /// <summary>A command of the selected project: the piped command itself, or one that applies the piped group.</summary>
    public bool Includes(LxdCommand command) =>
        (_piped.Project is null || command.Project == _piped.Project) && _piped.Kind switch
        {
            PipedKind.Command => command.Name == _piped.Command,
            PipedKind.Group or PipedKind.Node => new GroupFilter(command.EnableGroups, command.DisableGroups).Includes(_piped.Group!),
            _ => true,
        };
}
