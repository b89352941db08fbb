using LxdCompose.Specs;

namespace LxdCompose.Loading;

/// <summary>
/// Command files named on the command line (lxd-compose's <c>command list --command-file</c>): each holds one command,
/// is read as written (not rendered, as lxd-compose), and joins the environment of the project it names.
/// </summary>
public static class CommandFiles
{
    /// <summary>
    /// The commands of <paramref name="paths"/> (absolute); a file that does not read, or whose project is not in
    /// <paramref name="specs"/>, is one of the problems and adds nothing.
    /// </summary>
    public static (IReadOnlyList<LxdCommand> Commands, IReadOnlyList<SpecDiagnostic> Problems) Load(SpecSet specs, IEnumerable<string> paths)
    {
        var sink = new DiagnosticSink();
        ArgumentNullException.ThrowIfNull(specs);
        ArgumentNullException.ThrowIfNull(paths);
        var files = new SpecFileReader(null, new VarsDecryptor(specs.Config, null));
        var commands = new List<LxdCommand>();
        foreach (var path in paths)
        {
            // Read once to learn its project, then as an include of that project's environment file.
            var first = EnvironmentLoader.LoadCommandFile(path, specs.Config.File, files, new DiagnosticSink());
            if (first is null)
            {
                EnvironmentLoader.LoadCommandFile(path, specs.Config.File, files, sink);
                continue;
            }

            var project = specs.Projects.FirstOrDefault(p => p.Name == first.Project);
            if (project is null)
            {
                sink.Error(LoadCodes.CommandProjectNotFound,
                    $"the command '{first.Name}' of the command file names the project '{first.Project}', which no environment " +
                    "declares; fix its 'project' key", first.Location);
                continue;
            }

            if (EnvironmentLoader.LoadCommandFile(path, specs.EnvironmentOf(project).File, files, sink) is { } command)
            {
                commands.Add(command);
            }
        }

        return (commands, sink.Items.ToList());
    }
}
