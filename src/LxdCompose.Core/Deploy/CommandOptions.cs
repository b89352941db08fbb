using LxdCompose.Loading;
using LxdCompose.Specs;
using LxdCompose.Templating;

namespace LxdCompose.Deploy;

/// <summary>What running an lxd-compose command applies: its project with the command's hooks, and the apply options.</summary>
public sealed class CommandRun
{
    /// <summary>The command's project with the hooks of its <c>include_hooks_files</c> appended to the project hooks.</summary>
    public LxdProject Project { get; init; } = new();

    public DeployOptions Options { get; init; } = new();

    /// <summary>Warnings about the command's files (a hooks file without a <c>hooks:</c> list, an empty file).</summary>
    public IReadOnlyList<SpecDiagnostic> Warnings { get; init; } = Array.Empty<SpecDiagnostic>();
}

/// <summary>An lxd-compose command (apply alias, §1.9) turned into apply options.</summary>
public static class CommandOptions
{
    /// <summary>
    /// Groups, flags and skip-sync from the command; variables: the command's <c>vars_files</c> (relative to its
    /// environment's directory), then its <c>envs</c> block, then <paramref name="extraVars"/> (-Env).
    /// </summary>
    public static DeployOptions For(SpecSet specs, LxdCommand command, IEnumerable<VarsBlock> extraVars, ISpecRenderer? renderer)
    {
        var baseDir = Path.GetDirectoryName(command.EnvironmentFile) ?? specs.Config.BaseDirectory;
        var blocks = command.VarsFiles
            .Select(f => ProjectVariables.LoadVarsFile(Path.IsPathRooted(f) ? f : Path.Combine(baseDir, f), renderer, specs.Config))
            .ToList();
        if (command.Envs is { } envs)
        {
            blocks.Add(envs);
        }

        blocks.AddRange(extraVars);
        return new DeployOptions
        {
            Groups = new GroupFilter(command.EnableGroups, command.DisableGroups),
            Flags = new FlagFilter(command.EnableFlags, command.DisableFlags),
            ExtraVars = blocks,
            SkipSync = command.SkipSync,
        };
    }

    /// <summary>
    /// Everything <c>command run</c> applies (lxd-compose ApplyCommand): the options of <see cref="For"/> and the
    /// command's project with the hooks of its <c>include_hooks_files</c> appended to the project hooks (files relative
    /// to the environment's directory, rendered like every spec file). Throws <see cref="SpecException"/> (with the
    /// file position) when the command's project is missing or one of its files is missing or broken.
    /// </summary>
    public static CommandRun Prepare(SpecSet specs, LxdCommand command, IEnumerable<VarsBlock> extraVars, ISpecRenderer? renderer)
    {
        var project = specs.FindProject(command.Project) ?? throw new SpecException("CommandProjectNotFound",
            $"the command '{command.Name}' applies project '{command.Project}', which the specs do not have; fix 'project'", command.Location);
        var options = For(specs, command, extraVars, renderer);
        var sink = new DiagnosticSink();
        var hooks = EnvironmentLoader.LoadCommandHooks(command, new SpecFileReader(renderer), sink);
        if (sink.Items.FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error) is { } error)
        {
            throw new SpecException(error);
        }

        return new CommandRun
        {
            Project = hooks.Count == 0 ? project : project.WithHooksAppended(hooks),
            Options = options,
            Warnings = sink.Items.Where(d => d.Severity == DiagnosticSeverity.Warning).ToList(),
        };
    }
}
