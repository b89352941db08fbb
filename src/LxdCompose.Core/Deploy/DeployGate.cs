using LxdCompose.Loading;
using LxdCompose.Specs;

namespace LxdCompose.Deploy;

/// <summary>
/// The check every run that acts on servers passes before its first server call (apply, plan, stop, destroy, fetch,
/// command): the full validation (<see cref="SpecValidator.Problems"/>) of the projects it acts on. A run with any
/// error among <see cref="Problems"/> must not start: nothing on a server is changed (or read) for specs that are
/// known to fail half-way.
/// </summary>
public static class DeployGate
{
    /// <summary>
    /// The problems (errors and warnings; verbose details left out) that concern <paramref name="projects"/>: those in
    /// the files their environments were read from (the environment file and every file it includes), those naming one
    /// of the projects, and those of the config itself (its file, or no file at all). Problems of other environments
    /// do not stop a run that does not use them. <paramref name="options"/> carries -Strict and the deploy's extra
    /// variables (-VarsFile, -Env, a command's vars).
    /// </summary>
    /// <remarks>
    /// A group's connection that the client config does not list counts only when the run acts on that group
    /// (<paramref name="groups"/>; null: all): a run never connects to the servers of other groups, and a script that
    /// creates VMs one by one registers each before deploying its groups, so a later VM must not stop the first.
    /// </remarks>
    public static IReadOnlyList<SpecDiagnostic> Problems(SpecSet specs, IEnumerable<LxdProject> projects, ValidationOptions options,
        GroupFilter? groups = null)
    {
        ArgumentNullException.ThrowIfNull(specs);
        ArgumentNullException.ThrowIfNull(projects);
        ArgumentNullException.ThrowIfNull(options);
        var selected = projects.ToList();
        var names = selected.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var files = new HashSet<string>(StringComparer.Ordinal) { specs.Config.File };
        foreach (var project in selected)
        {
            var env = specs.EnvironmentOf(project);
            files.UnionWith(FilesOf(env));
            files.UnionWith(FilesOf(project)); // a command's include_hooks_files (a derived copy of the project)
            // A file included but contributing nothing (a hooks file without a hooks key, an empty group file) has
            // its problems too: every include named, from the environment's folder and from the including file's.
            files.UnionWith(Included(env, project).SelectMany(i => new[] { env.BaseDirectory, Path.GetDirectoryName(i.From) ?? env.BaseDirectory }
                .Select(dir => Path.GetFullPath(Path.Combine(dir, i.Path)))));
        }

        return SpecValidator.Problems(specs, options)
            .Where(p => p.Severity != DiagnosticSeverity.Verbose)
            .Where(p => !p.Location.IsKnown || files.Contains(p.File) || (p.Project is { } name && names.Contains(name)))
            .Where(p => !(p.Code == ValidationCodes.UnknownRemote && groups is not null && p.Group is { } group && !groups.Includes(group)))
            .ToList();
    }

    /// <summary>True when a run with these <see cref="Problems"/> must not start.</summary>
    public static bool Refuses(IEnumerable<SpecDiagnostic> problems) => problems.Any(p => p.Severity == DiagnosticSeverity.Error);

    /// <summary>Every file an environment was read from: itself and the files its elements came from (includes).</summary>
    private static IEnumerable<string> FilesOf(LxdEnvironment env) =>
        new[] { env.File }
            .Concat(env.Projects.SelectMany(FilesOf))
            .Concat(env.Commands.Select(c => c.Location.File))
            .Concat(env.Profiles.Select(p => p.Location.File))
            .Concat(env.Networks.Select(n => n.Location.File))
            .Concat(env.Storages.Select(s => s.Location.File))
            .Concat(env.Acls.Select(a => a.Location.File))
            .Concat(env.Certificates.Select(c => c.Location.File))
            .Where(f => !string.IsNullOrEmpty(f));

    private static IEnumerable<string> FilesOf(LxdProject project) =>
        new[] { project.Location.File, project.EnvironmentFile }
            .Concat(project.Vars.SelectMany(v => new[] { v.File, v.Location.File }))
            .Concat(project.Hooks.SelectMany(FilesOf))
            .Concat(project.Groups.SelectMany(g => new[] { g.Location.File, g.IncludedFrom }
                .Concat(g.Hooks.SelectMany(FilesOf))
                .Concat(g.Nodes.SelectMany(n => new[] { n.Location.File }.Concat(n.Hooks.SelectMany(FilesOf))))))
            .Where(f => !string.IsNullOrEmpty(f))!;

    /// <summary>The includes an environment and one of its projects name, each with the file that names it.</summary>
    private static IEnumerable<(string Path, string From)> Included(LxdEnvironment env, LxdProject project) =>
        env.IncludeCommandsFiles.Concat(env.IncludeProfilesFiles).Concat(env.IncludeNetworksFiles).Concat(env.IncludeStorageFiles)
            .Concat(env.IncludeAclsFiles).Concat(project.IncludeGroupsFiles).Concat(project.IncludeEnvFiles).Concat(project.IncludeHooksFiles)
            .Select(p => (p, env.File))
            .Concat(project.Groups.SelectMany(g => g.IncludeHooksFiles.Select(p => (p, g.IncludedFrom ?? env.File))
                .Concat(g.Nodes.SelectMany(n => n.IncludeHooksFiles.Select(p => (p, g.IncludedFrom ?? env.File))))))
            .Where(i => !string.IsNullOrEmpty(i.Item1));

    private static IEnumerable<string?> FilesOf(LxdHook hook) => new[] { hook.Location.File, hook.IncludedFrom };
}
