using System.Collections;
using System.Management.Automation;
using LxdCompose.Loading;
using LxdCompose.PowerShell.Completers;
using LxdCompose.PowerShell.Host;
using LxdCompose.PowerShell.Internal;
using LxdCompose.Specs;
using LxdCompose.Templating;

namespace LxdCompose.PowerShell.Commands;

/// <summary>
/// lxd-compose compile: renders the config_templates of projects, groups and nodes into their destination files,
/// without contacting LXD. Writes one object per file written. -WhatIf lists the files without writing them.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "LxdCompile", DefaultParameterSetName = ProjectSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType("LxdCompose.Templating.CompiledConfigTemplate")]
public sealed class InvokeLxdCompileCommand : LxdPipedCmdlet
{
    private const string ProjectSet = "Project";
    private const string InputObjectSet = "InputObject";

    /// <summary>
    /// Project names; wildcards allowed; default: every project. With piped objects, only those of these projects.
    /// </summary>
    [Parameter(Position = 0, ParameterSetName = ProjectSet)]
    [Parameter(Position = 0, ParameterSetName = InputObjectSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProjectNameCompleter))]
    public string[]? Project { get; set; }

    /// <summary>Like --source-file: only templates whose source, as written in the spec, starts with one of these.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TemplateSourceCompleter))]
    public string[]? SourceFile { get; set; }

    /// <summary>Like --enable-group (alias -EnableGroup): only these groups (exact names).</summary>
    [Parameter]
    [Alias("EnableGroup")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(GroupNameCompleter))]
    public string[]? Group { get; set; }

    /// <summary>Like --disable-group: never these groups (wins over -Group).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(GroupNameCompleter))]
    public string[]? DisableGroup { get; set; }

    /// <summary>Like --env: project variables with the highest precedence; values keep their types.</summary>
    [Parameter]
    public Hashtable? Env { get; set; }

    /// <summary>Like --vars-file: vars files (<c>envs:</c>) applied after the project's own variables, before -Env.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? VarsFile { get; set; }

    /// <summary>
    /// Piped projects, groups, nodes, commands (and their results), project names, objects with ProjectName/Project and
    /// GroupName/Group, or config files: each compiles what it names (a group's or node's group, a command's groups,
    /// with the project's own templates, as --enable-group does), from the config in its ConfigFile.
    /// </summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    [ValidateNotNull]
    public PSObject[] InputObject { get; set; } = Array.Empty<PSObject>();

    protected override void ProcessInput()
    {
        if (ParameterSetName != InputObjectSet)
        {
            CompileProjects(Project, Group);
            return;
        }

        foreach (var item in InputObject)
        {
            var piped = PipedObject.Read(item);
            switch (piped.Kind)
            {
                case PipedKind.Text:
                    // A piped name is what the first position takes: a project.
                    CompileProjects(new[] { piped.Text! }, Group, within: Project);
                    continue;
                case PipedKind.Config:
                    WithConfigOf(piped, () => CompileProjects(Project, Group));
                    continue;
                case PipedKind.Remote or PipedKind.Unknown:
                case PipedKind.Group when piped.Project is null:
                    WriteError(ErrorRecords.InvalidArgument(ErrorIds.InputObjectNotRecognized,
                        $"Invoke-LxdCompile takes projects, groups, nodes or commands (and their results), project names, objects with a " +
                        $"ProjectName or Project property, or config files; got {(piped.Kind == PipedKind.Unknown ? item.TypeNames.FirstOrDefault() ?? "an object" : piped.Describe())}.",
                        item, "Pipe what names a project, or give it with -Project."));
                    continue;
            }

            if (Project is not null && !new NameFilter(Project).IsMatch(piped.Project!))
            {
                WriteVerbose($"Skipped {piped.Describe()}: not a project named by -Project ({string.Join(", ", Project)}).");
                continue;
            }

            WithConfigOf(piped, () => CompilePiped(piped));
        }
    }

    /// <summary>A piped project, group, node or command: its project, narrowed to the groups it names.</summary>
    private void CompilePiped(PipedObject piped)
    {
        IReadOnlyList<string>? groups = Group;
        if (piped.Kind is PipedKind.Group or PipedKind.Node)
        {
            groups = Group is null || Group.Contains(piped.Group!) ? new[] { piped.Group! } : Array.Empty<string>();
        }
        else if (piped.Kind == PipedKind.Command)
        {
            if (LoadSpecs() is not { } specs ||
                DeployCmdletSupport.GroupsOfCommand(this, specs, piped.Command!, new[] { WildcardPattern.Escape(piped.Project!) }) is not { } ofCommand)
            {
                return;
            }

            groups = ofCommand.Where(g => Group is null || Group.Contains(g)).ToList();
        }

        if (groups is { Count: 0 })
        {
            WriteVerbose($"Skipped {piped.Describe()}: none of its groups is left.");
            return;
        }

        CompileProjects(new[] { WildcardPattern.Escape(piped.Project!) }, groups);
    }

    /// <summary>
    /// Compiles the projects matching the patterns (and <paramref name="within"/>, when given), only these groups when
    /// given (and their project templates).
    /// </summary>
    private void CompileProjects(string[]? projects, IReadOnlyList<string>? groups, string[]? within = null)
    {
        if (LoadSpecs() is not { } specs)
        {
            return; // a piped config that does not load: reported, the next one may
        }

        var compiler = new ConfigTemplateCompiler(specs, new ConfigTemplateCompileOptions
        {
            SourcePrefixes = SourceFile ?? Array.Empty<string>(),
            EnabledGroups = groups ?? Array.Empty<string>(),
            DisabledGroups = DisableGroup ?? Array.Empty<string>(),
            ExtraVars = ExtraVars(specs),
        });

        var withinFilter = new NameFilter(within);
        foreach (var project in SelectProjects(specs, projects).Where(p => withinFilter.IsMatch(p.Name)))
        {
            Compile(compiler, project, specs);
        }
    }

    private void Compile(ConfigTemplateCompiler compiler, LxdProject project, SpecSet specs)
    {
        try
        {
            foreach (var stage in compiler.Plan(project))
            {
                var jobs = stage.Jobs.Where(j => ShouldProcess(j.Destination,
                    $"Compile {j.Source} with the {j.Engine} engine")).ToList();
                if (jobs.Count == 0)
                {
                    continue;
                }

                var outcomes = compiler.Run(stage, jobs);
                foreach (var outcome in outcomes)
                {
                    if (outcome.Result is not null)
                    {
                        WriteSpecObject(outcome.Result, specs);
                    }
                    else if (outcome.Error is not null)
                    {
                        WriteError(ErrorRecords.FromTemplateProblem(outcome.Error, outcome.Job));
                    }
                }

                if (outcomes.Any(o => o.Error is not null))
                {
                    // As lxd-compose compile: a failing stage ends the project.
                    WriteVerbose($"Stopped compiling project '{project.Name}' after the errors above.");
                    return;
                }
            }
        }
        catch (SpecException e)
        {
            WriteError(ErrorRecords.FromTemplateProblem(e));
        }
    }

    /// <summary>--vars-file blocks (rendered when the render engine is on), then the --env block.</summary>
    private List<VarsBlock> ExtraVars(SpecSet specs)
    {
        var blocks = new List<VarsBlock>();
        if (VarsFile is { Length: > 0 })
        {
            try
            {
                var renderer = TemplateEngines.SpecRendererFor(specs.Config, RenderOverrides());
                foreach (var path in VarsFile)
                {
                    blocks.Add(ProjectVariables.LoadVarsFile(SessionState.Path.GetUnresolvedProviderPathFromPSPath(path), renderer, specs.Config));
                }
            }
            catch (SpecException e)
            {
                ThrowTerminatingError(ErrorRecords.FromFatalSpecProblem(e));
            }
        }

        if (Env is not null)
        {
            blocks.Add(new VarsBlock { Envs = PowerShellValues.ToMap(Env, nameof(Env)) });
        }

        return blocks;
    }
}
