using System.Collections;
using System.Management.Automation;
using LxdCompose.PowerShell.Completers;
using LxdCompose.Loading;
using LxdCompose.PowerShell.Internal;
using LxdCompose.Specs;
using LxdCompose.Templating;

namespace LxdCompose.PowerShell.Commands;

/// <summary>
/// lxd-compose compile: renders the config_templates of projects, groups and nodes into their destination files,
/// without contacting LXD. Writes one object per file written. -WhatIf lists the files without writing them.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "LxdCompile", DefaultParameterSetName = "Project", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType("LxdCompose.Templating.CompiledConfigTemplate")]
public sealed class InvokeLxdCompileCommand : LxdConfigBoundCmdlet
{
    /// <summary>Project names; wildcards allowed; default: every project. Bound from a piped project's Name.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("ProjectName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProjectNameCompleter))]
    public string[]? Project { get; set; }

    /// <summary>Like --source-file: only templates whose source, as written in the spec, starts with one of these.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
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

    protected override void ProcessRecord()
    {
        if (LoadSpecs() is not { } specs)
        {
            return; // a piped config that does not load: reported, the next one may
        }

        var compiler = new ConfigTemplateCompiler(specs, new ConfigTemplateCompileOptions
        {
            SourcePrefixes = SourceFile ?? Array.Empty<string>(),
            EnabledGroups = Group ?? Array.Empty<string>(),
            DisabledGroups = DisableGroup ?? Array.Empty<string>(),
            ExtraVars = ExtraVars(specs),
        });

        foreach (var project in SelectProjects(specs, Project))
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
                    blocks.Add(ProjectVariables.LoadVarsFile(SessionState.Path.GetUnresolvedProviderPathFromPSPath(path), renderer));
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
