using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using LxdCompose.Loading;
using LxdCompose.Specs;

namespace LxdCompose.PowerShell.Completers;

/// <summary>
/// Loads the spec names for completion, once per config until one of the files it read changes: every Tab would
/// otherwise reload every environment. Load problems give an empty index: a completer must never throw.
/// </summary>
internal static class SpecNameCache
{
    private static readonly ConcurrentDictionary<string, Entry> Entries = new(StringComparer.Ordinal);

    /// <summary>The index for an explicit config path (null: LXD_COMPOSE_CONFIG or the working directory's).</summary>
    public static SpecNameIndex Get(string? configPath, string workingDirectory)
    {
        var key = configPath ?? "\n" + workingDirectory;
        if (Entries.TryGetValue(key, out var cached) && cached.IsCurrent())
        {
            return cached.Index;
        }

        try
        {
            var entry = Load(configPath, workingDirectory);
            Entries[key] = entry;
            return entry.Index;
        }
        catch (Exception)
        {
            // No config here, a config that does not parse, a file being written: nothing to offer this time.
            Entries.TryRemove(key, out _);
            return SpecNameIndex.Empty;
        }
    }

    /// <summary>Core types are used only inside this method, which runs after the module initializer.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Entry Load(string? configPath, string workingDirectory)
    {
        var specs = SpecLoader.Load(new LoadOptions { ConfigPath = configPath, WorkingDirectory = workingDirectory });
        var watched = new List<string> { specs.Config.File };
        foreach (var file in new[] { specs.Config.RenderDefaultFile, specs.Config.RenderValuesFile }.Where(f => f.Length > 0))
        {
            watched.Add(specs.Config.Resolve(file));
        }

        // A directory's time changes when an env file is added or removed.
        watched.AddRange(specs.Config.EnvDirs.Select(specs.Config.Resolve));
        var projects = new List<ProjectNames>();
        var unassignedProfiles = new List<NamedItem>();
        foreach (var environment in specs.Environments)
        {
            watched.Add(environment.File);
            watched.AddRange(IncludedFiles(environment).Select(f => Path.GetFullPath(f, environment.BaseDirectory)));
            var profiles = environment.Profiles.Select(p => new NamedItem(p.Name, Describe(p.Description, p.Location))).ToList();
            if (environment.Projects.Count == 0)
            {
                unassignedProfiles.AddRange(profiles);
            }

            foreach (var project in environment.Projects)
            {
                var commands = environment.Commands.Where(c => c.Project == project.Name).ToList();
                projects.Add(new ProjectNames(
                    project.Name,
                    Describe(project.Description, project.Location),
                    project.Groups.Select(g => new GroupNames(
                        g.Name,
                        Describe(g.Description, g.Location),
                        g.Nodes.Select(n => new NodeNames(n.Name, n.InstanceName, $"{n.InstanceName} ({n.ImageSource}) {n.Location}")).ToList(),
                        g.Connection,
                        g.CommonProfiles))
                        .ToList(),
                    commands.Select(c => new NamedItem(c.Name, Describe(c.Description, c.Location))).ToList(),
                    HookFlags(project, commands),
                    profiles,
                    TemplateSources(project)));
            }
        }

        return new Entry(new SpecNameIndex(projects, unassignedProfiles), Stamp(watched));
    }

    private static IEnumerable<string> IncludedFiles(LxdEnvironment environment) =>
        environment.IncludeCommandsFiles
            .Concat(environment.IncludeProfilesFiles)
            .Concat(environment.Projects.SelectMany(p => p.IncludeGroupsFiles.Concat(p.IncludeEnvFiles).Concat(p.IncludeHooksFiles)
                .Concat(p.Groups.SelectMany(g => g.IncludeHooksFiles.Concat(g.Nodes.SelectMany(n => n.IncludeHooksFiles))))));

    private static List<NamedItem> HookFlags(LxdProject project, IEnumerable<LxdCommand> commands)
    {
        var hooks = project.Hooks
            .Concat(project.Groups.SelectMany(g => g.Hooks.Concat(g.Nodes.SelectMany(n => n.Hooks))));
        return hooks.SelectMany(h => h.Flags.Select(flag => (Flag: flag, Where: $"{h.Event} hook at {h.Location}")))
            .Concat(commands.SelectMany(c => c.EnableFlags.Concat(c.DisableFlags).Select(flag => (Flag: flag, Where: $"command {c.Name}"))))
            .GroupBy(f => f.Flag, StringComparer.Ordinal)
            .Select(g => new NamedItem(g.Key, $"{g.Key}: {g.Count()} use(s), first in {g.First().Where}"))
            .ToList();
    }

    /// <summary>The config_templates sources of the project, its groups and nodes, with where each is compiled to.</summary>
    private static List<NamedItem> TemplateSources(LxdProject project) =>
        project.ConfigTemplates
            .Concat(project.Groups.SelectMany(g => g.ConfigTemplates.Concat(g.Nodes.SelectMany(n => n.ConfigTemplates))))
            .Select(t => new NamedItem(t.Source, $"{t.Source} -> {t.Destination} ({t.Location})"))
            .ToList();

    private static string Describe(string description, SourceLocation location) =>
        description.Length > 0 ? $"{description} ({location})" : location.ToString();

    private static Dictionary<string, DateTime> Stamp(IEnumerable<string> paths)
    {
        var stamp = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            stamp[path] = LastWrite(path);
        }

        return stamp;
    }

    private static DateTime LastWrite(string path) =>
        Directory.Exists(path) ? Directory.GetLastWriteTimeUtc(path) : File.GetLastWriteTimeUtc(path);

    private sealed record Entry(SpecNameIndex Index, Dictionary<string, DateTime> Stamp)
    {
        public bool IsCurrent() => Stamp.All(s => LastWrite(s.Key) == s.Value);
    }
}
