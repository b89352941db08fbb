using LxdCompose.Loading;
using LxdCompose.Specs;
using LxdCompose.Templating;

namespace LxdCompose.Deploy;

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
            .Select(f => ProjectVariables.LoadVarsFile(Path.IsPathRooted(f) ? f : Path.Combine(baseDir, f), renderer))
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
}
