using System.Management.Automation;
using LxdCompose.Loading;
using LxdCompose.PowerShell.Completers;
using LxdCompose.PowerShell.Internal;

namespace LxdCompose.PowerShell.Commands;

/// <summary>Lists the commands (named apply presets) of the loaded environments (lxd-compose <c>command list</c>).</summary>
[Cmdlet(VerbsCommon.Get, "LxdCommand", DefaultParameterSetName = NameSet)]
[OutputType("LxdCompose.Specs.LxdCommand")]
public sealed class GetLxdCommandCommand : LxdPipedCmdlet
{
    private const string NameSet = "Name";
    private const string InputObjectSet = "InputObject";

    private readonly SortedSet<string> _searchedProjects = new(StringComparer.Ordinal);
    private NameFilter _names = new(null);

    /// <summary>Command names; wildcards allowed. Never bound from a piped object's properties; piped strings are names.</summary>
    [Parameter(Position = 0, ParameterSetName = NameSet)]
    [Parameter(Position = 0, ParameterSetName = InputObjectSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(CommandNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Only commands of these projects; wildcards allowed.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProjectNameCompleter))]
    public string[]? Project { get; set; }

    /// <summary>
    /// Like --command-file: more command files, each holding one command, listed with the environment's own. Each joins
    /// the environment of the project its <c>project</c> key names; read as written (not rendered), as lxd-compose does.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? CommandFile { get; set; }

    /// <summary>
    /// Piped names, or objects whose commands to list: projects, groups, nodes, commands and their results select upward
    /// and sideways too (<c>Get-LxdGroup web | Get-LxdCommand</c> lists the commands that apply the group); config files (Get-ChildItem) list everything in them.
    /// </summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    [ValidateNotNull]
    public PSObject[] InputObject { get; set; } = Array.Empty<PSObject>();

    protected override void BeginCommand()
    {
        _names = new NameFilter(Name);
    }

    protected override void ProcessInput() => ListEach(ParameterSetName == InputObjectSet ? InputObject : null, List);

    private void List(SpecSet specs, PipedSelection? selection, NameFilter text)
    {
        var commands = specs.Commands.Concat(CommandsOfFiles(specs)).Where(c => selection?.Includes(c) ?? true);
        if (Project is { Length: > 0 })
        {
            var projects = SelectProjects(specs, Project).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            _searchedProjects.UnionWith(projects);
            commands = commands.Where(c => projects.Contains(c.Project));
        }

        foreach (var command in commands.Where(c => text.IsMatch(c.Name) && _names.IsMatch(c.Name)))
        {
            WriteSpecObject(command, specs);
        }

        foreach (var name in text.UnmatchedLiterals)
        {
            WriteNotFound(ErrorIds.CommandNotFound, "command", name);
        }
    }

    /// <summary>The commands of -CommandFile; a file that does not load is an error record with its location.</summary>
    private IReadOnlyList<Specs.LxdCommand> CommandsOfFiles(SpecSet specs)
    {
        if (CommandFile is not { Length: > 0 })
        {
            return Array.Empty<Specs.LxdCommand>();
        }

        var (commands, problems) = CommandFiles.Load(specs, CommandFile.Select(f => SessionState.Path.GetUnresolvedProviderPathFromPSPath(f)));
        foreach (var problem in problems)
        {
            switch (problem.Severity)
            {
                case Specs.DiagnosticSeverity.Error:
                    WriteError(ErrorRecords.FromDiagnostic(problem, null));
                    break;
                case Specs.DiagnosticSeverity.Warning:
                    WriteWarning(problem.ToString());
                    break;
                default:
                    WriteVerbose(problem.ToString());
                    break;
            }
        }

        return commands;
    }

    protected override void EndCommand()
    {
        foreach (var name in _names.UnmatchedLiterals)
        {
            WriteNotFound(ErrorIds.CommandNotFound, "command", name, _searchedProjects);
        }
    }
}
