using LxdCompose.Loading;
using LxdCompose.Security;
using LxdCompose.Specs;

namespace LxdCompose.Templating;

/// <summary>Options of <see cref="ConfigTemplateCompiler"/>, as the flags of <c>lxd-compose compile</c>.</summary>
public sealed class ConfigTemplateCompileOptions
{
    /// <summary><c>--source-file</c>: only templates whose <c>source</c>, as written, starts with one of these.</summary>
    public IReadOnlyList<string> SourcePrefixes { get; init; } = Array.Empty<string>();

    /// <summary><c>--enable-group</c>: when any is given, only these groups.</summary>
    public IReadOnlyList<string> EnabledGroups { get; init; } = Array.Empty<string>();

    /// <summary><c>--disable-group</c>: never these groups (wins over enabled).</summary>
    public IReadOnlyList<string> DisabledGroups { get; init; } = Array.Empty<string>();

    /// <summary><c>--vars-file</c> blocks, then the <c>--env</c> block: after the project's own variables.</summary>
    public IReadOnlyList<VarsBlock> ExtraVars { get; init; } = Array.Empty<VarsBlock>();

    /// <summary>Parallel node template compilations; null: <c>general.concurrency</c>.</summary>
    public int? Concurrency { get; init; }

    /// <summary>Working directory of <c>j2</c>; null: the config file's directory.</summary>
    public string? WorkingDirectory { get; init; }

    public bool IsGroupEnabled(string group) =>
        (EnabledGroups.Count == 0 || EnabledGroups.Contains(group, StringComparer.Ordinal))
        && !DisabledGroups.Contains(group, StringComparer.Ordinal);
}

public enum ConfigTemplateLevel
{
    Project,
    Group,
    Node,
}

/// <summary>One template file to compile, with its paths resolved as lxd-compose resolves them.</summary>
public sealed class ConfigTemplateJob
{
    public ConfigTemplateLevel Level { get; init; }
    public string Project { get; init; } = string.Empty;
    /// <summary>Empty for project templates.</summary>
    public string Group { get; init; } = string.Empty;
    /// <summary>Empty for project and group templates.</summary>
    public string Node { get; init; } = string.Empty;
    /// <summary>Absolute path of the template file.</summary>
    public string Source { get; init; } = string.Empty;
    /// <summary>Absolute path of the file to write.</summary>
    public string Destination { get; init; } = string.Empty;
    public string Engine { get; init; } = string.Empty;
    /// <summary>The <c>config_templates</c> entry as written.</summary>
    public FileMapping Template { get; init; } = new();
}

/// <summary>Templates compiled together with the same variables: the project's, one group's, or one node's.</summary>
public sealed class ConfigTemplateStage
{
    internal ConfigTemplateStage(ConfigTemplateLevel level, IReadOnlyList<ConfigTemplateJob> jobs,
        IReadOnlyDictionary<string, object?> variables, ConfigTemplateEngineOptions engineOptions, SourceLocation engineAt)
    {
        Level = level;
        Jobs = jobs;
        Variables = variables;
        EngineOptions = engineOptions;
        EngineLocation = engineAt;
    }

    public ConfigTemplateLevel Level { get; }
    public IReadOnlyList<ConfigTemplateJob> Jobs { get; }
    /// <summary>What the templates of this stage see (spec objects as model objects).</summary>
    public IReadOnlyDictionary<string, object?> Variables { get; }
    internal ConfigTemplateEngineOptions EngineOptions { get; }
    internal SourceLocation EngineLocation { get; }
}

/// <summary>A file written by the compiler.</summary>
public sealed class CompiledConfigTemplate
{
    public string Project { get; init; } = string.Empty;
    public string Group { get; init; } = string.Empty;
    public string Node { get; init; } = string.Empty;
    public string Source { get; init; } = string.Empty;
    public string Destination { get; init; } = string.Empty;
    public string Engine { get; init; } = string.Empty;
}

/// <summary>What became of one job: the file written, or the error.</summary>
public sealed class ConfigTemplateOutcome
{
    public ConfigTemplateJob Job { get; init; } = new();
    public CompiledConfigTemplate? Result { get; init; }
    public SpecException? Error { get; init; }
}

/// <summary>
/// Compiles a project's <c>config_templates</c> as <c>lxd-compose compile</c> does (reference §3.13, §4.2): project
/// templates, then per enabled group the group's templates and each node's; node templates of one node run in parallel
/// (bounded by <c>general.concurrency</c>). Planning and running are separate so a caller can confirm each file.
/// </summary>
public sealed class ConfigTemplateCompiler
{
    private readonly SpecSet _specs;
    private readonly ConfigTemplateCompileOptions _options;

    public ConfigTemplateCompiler(SpecSet specs, ConfigTemplateCompileOptions? options = null)
    {
        _specs = specs ?? throw new ArgumentNullException(nameof(specs));
        _options = options ?? new ConfigTemplateCompileOptions();
        // -VarsFile and -Env values join the masked values of the reports about this compile.
        _specs.Secrets.AddVarsBlocks(_options.ExtraVars);
    }

    /// <summary>
    /// Variables as lxd-compose's compiler builds them: project variables (later blocks win), then <c>project</c> and
    /// <c>env_base_dir</c> (the environment file's directory, absolute here).
    /// </summary>
    public static Dictionary<string, object?> ProjectVariablesFor(LxdProject project, LxdEnvironment environment,
        IEnumerable<VarsBlock>? extra = null)
    {
        var variables = new Dictionary<string, object?>(ProjectVariables.Merge(project, extra), StringComparer.Ordinal)
        {
            ["project"] = project,
            ["env_base_dir"] = environment.BaseDirectory,
        };
        return variables;
    }

    /// <summary>
    /// The stages of a project with at least one template, in compile order. Throws <see cref="SpecException"/> when the
    /// environment's <c>template_engine.engine</c> is not a known engine (as lxd-compose, even without templates).
    /// </summary>
    public IReadOnlyList<ConfigTemplateStage> Plan(LxdProject project)
    {
        ArgumentNullException.ThrowIfNull(project);
        var environment = _specs.EnvironmentOf(project);
        var engine = environment.TemplateEngine;
        if (!TemplateEngines.IsConfigEngineName(engine.Engine))
        {
            var at = engine.Location.IsKnown ? engine.Location : SourceLocation.FileOnly(environment.File);
            throw new SpecException(TemplateCodes.TemplateEngineInvalid,
                $"invalid template engine '{engine.Engine}': set template_engine.engine to one of " +
                $"{string.Join(", ", TemplateEngines.ConfigEngineNames)} to compile config_templates", at);
        }

        var engineOptions = new ConfigTemplateEngineOptions
        {
            Opts = engine.Opts,
            WorkingDirectory = _options.WorkingDirectory ?? _specs.Config.BaseDirectory,
            DataFile = Jinja2DataFile(project, environment),
            Limits = _specs.Config.General.TemplateLimits,
        };
        var engineAt = engine.Location.IsKnown ? engine.Location : SourceLocation.FileOnly(environment.File);
        var envBase = environment.BaseDirectory;
        var stages = new List<ConfigTemplateStage>();

        void AddStage(ConfigTemplateLevel level, IEnumerable<ConfigTemplateJob> jobs, Dictionary<string, object?> variables)
        {
            var list = jobs.ToList();
            if (list.Count > 0)
            {
                stages.Add(new ConfigTemplateStage(level, list, variables, engineOptions, engineAt));
            }
        }

        var projectVariables = ProjectVariablesFor(project, environment, _options.ExtraVars);
        AddStage(ConfigTemplateLevel.Project,
            Select(project.ConfigTemplates).Select(t => Job(ConfigTemplateLevel.Project, t, envBase, project.Name, "", "", engine.Engine)),
            projectVariables);

        foreach (var group in project.Groups.Where(g => _options.IsGroupEnabled(g.Name)))
        {
            // As lxd-compose compile (not apply): the group stays visible to its nodes' templates.
            var groupVariables = new Dictionary<string, object?>(projectVariables, StringComparer.Ordinal) { ["group"] = group };
            AddStage(ConfigTemplateLevel.Group,
                Select(group.ConfigTemplates).Select(t => Job(ConfigTemplateLevel.Group, t, envBase, project.Name, group.Name, "", engine.Engine)),
                groupVariables);

            foreach (var node in group.Nodes)
            {
                var nodeVariables = new Dictionary<string, object?>(groupVariables, StringComparer.Ordinal) { ["node"] = node };
                foreach (var (label, value) in node.Labels)
                {
                    nodeVariables[label] = value;
                }

                var baseDir = Path.IsPathRooted(node.SourceDir) ? Path.GetFullPath(node.SourceDir) : JoinLikeGo(envBase, node.SourceDir);
                AddStage(ConfigTemplateLevel.Node,
                    Select(node.ConfigTemplates).Select(t =>
                        Job(ConfigTemplateLevel.Node, t, baseDir, project.Name, group.Name, node.Name, engine.Engine)),
                    nodeVariables);
            }
        }

        return stages;
    }

    /// <summary>
    /// Compiles the stage's jobs (or only <paramref name="jobs"/> of it), writing each destination. Node stages run in
    /// parallel. Throws <see cref="SpecException"/> when the engine is not available; per-file problems are outcomes.
    /// </summary>
    public IReadOnlyList<ConfigTemplateOutcome> Run(ConfigTemplateStage stage, IEnumerable<ConfigTemplateJob>? jobs = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stage);
        var selected = (jobs ?? stage.Jobs).ToList();
        if (selected.Count == 0)
        {
            return Array.Empty<ConfigTemplateOutcome>();
        }

        var engine = TemplateEngines.CreateConfigEngine(selected[0].Engine, stage.EngineOptions, stage.EngineLocation);
        var outcomes = new ConfigTemplateOutcome[selected.Count];
        if (stage.Level == ConfigTemplateLevel.Node)
        {
            var parallel = new ParallelOptions
            {
                MaxDegreeOfParallelism = Math.Max(1, _options.Concurrency ?? _specs.Config.General.Concurrency),
                CancellationToken = cancellationToken,
            };
            Parallel.For(0, selected.Count, parallel, i => outcomes[i] = Compile(engine, selected[i], stage.Variables));
        }
        else
        {
            for (var i = 0; i < selected.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                outcomes[i] = Compile(engine, selected[i], stage.Variables);
                if (outcomes[i].Error is not null)
                {
                    // Project and group templates stop at the first failure, as lxd-compose does.
                    return outcomes.Take(i + 1).ToList();
                }
            }
        }

        return outcomes;
    }

    /// <summary>Plans and runs every stage; stops after a stage with a failure, as lxd-compose compile does.</summary>
    public IEnumerable<ConfigTemplateOutcome> Compile(LxdProject project, CancellationToken cancellationToken = default)
    {
        foreach (var stage in Plan(project))
        {
            var outcomes = Run(stage, null, cancellationToken);
            foreach (var outcome in outcomes)
            {
                yield return outcome;
            }

            if (outcomes.Any(o => o.Error is not null))
            {
                yield break;
            }
        }
    }

    private static ConfigTemplateOutcome Compile(IConfigTemplateEngine engine, ConfigTemplateJob job,
        IReadOnlyDictionary<string, object?> variables)
    {
        try
        {
            if (!File.Exists(job.Source))
            {
                throw new SpecException(TemplateCodes.TemplateSourceNotFound,
                    $"config template source '{job.Source}' does not exist; fix 'source' (it is joined with the " +
                    "environment's directory, or the node's source_dir, even when it is absolute, as lxd-compose does)",
                    job.Template.Location);
            }

            var text = engine.Render(InputFiles.ReadText(job.Source), job.Source, variables);
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(job.Destination)!);
                // A rendered template may hold any secret value: only its owner reads it here (pushes choose their own mode).
                PrivateFile.WriteAllText(job.Destination, text);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new SpecException(TemplateCodes.TemplateWriteFailed,
                    $"cannot write '{job.Destination}': {e.Message}; fix 'dst' or the directory's permissions",
                    job.Template.Location, e);
            }

            return new ConfigTemplateOutcome
            {
                Job = job,
                Result = new CompiledConfigTemplate
                {
                    Project = job.Project, Group = job.Group, Node = job.Node,
                    Source = job.Source, Destination = job.Destination, Engine = job.Engine,
                },
            };
        }
        catch (SpecException e)
        {
            return new ConfigTemplateOutcome { Job = job, Error = e };
        }
    }

    private IEnumerable<FileMapping> Select(IReadOnlyList<FileMapping> templates) =>
        _options.SourcePrefixes.Count == 0
            ? templates
            : templates.Where(t => _options.SourcePrefixes.Any(p => t.Source.StartsWith(p, StringComparison.Ordinal)));

    private static ConfigTemplateJob Job(ConfigTemplateLevel level, FileMapping template, string baseDir, string project,
        string group, string node, string engine) => new()
        {
            Level = level,
            Project = project,
            Group = group,
            Node = node,
            // lxd-compose joins the source even when it is absolute; an absolute dst is kept.
            Source = JoinLikeGo(baseDir, template.Source),
            Destination = Path.IsPathRooted(template.Destination) ? Path.GetFullPath(template.Destination) : JoinLikeGo(baseDir, template.Destination),
            Engine = engine,
            Template = template,
        };

    /// <summary>Go's filepath.Join: appends <paramref name="path"/> to <paramref name="baseDir"/> even when it is rooted.</summary>
    internal static string JoinLikeGo(string baseDir, string path) =>
        Path.GetFullPath(path.Length == 0 ? baseDir : baseDir.TrimEnd('/', '\\') + Path.DirectorySeparatorChar + path.TrimStart('/', '\\'));

    /// <summary>lxd-compose's jinja2 rule: when any include_env_files entry is not YAML, j2 reads the first entry instead.</summary>
    private static string? Jinja2DataFile(LxdProject project, LxdEnvironment environment) =>
        project.IncludeEnvFiles.Any(f => Path.GetExtension(f) is not (".yml" or ".yaml"))
            ? JoinLikeGo(environment.BaseDirectory, project.IncludeEnvFiles[0])
            : null;
}
