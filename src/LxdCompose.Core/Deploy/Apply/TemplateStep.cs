using LxdCompose.Templating;

namespace LxdCompose.Deploy;

/// <summary>
/// Compiles the config templates the plan lists for one level, with the variables as they are now (out2var values
/// included): the jobs come from the plan, the values from the run.
/// </summary>
internal static class TemplateStep
{
    public static void Compile(ApplyRun run, TemplatePlan? templates)
    {
        if (templates is null)
        {
            return;
        }

        var context = run.Context;
        var compiler = new ConfigTemplateCompiler(context.Specs, new ConfigTemplateCompileOptions
        {
            ExtraVars = context.ExtraBlocks,
            EnabledGroups = templates.Group.Length == 0 ? Array.Empty<string>() : new[] { templates.Group },
        });
        var stage = compiler.Plan(context.Project).FirstOrDefault(s => s.Level == templates.Level
            && s.Jobs.All(j => j.Group == templates.Group && j.Node == templates.Node));
        if (stage is null)
        {
            return;
        }

        var planned = templates.Jobs.ToHashSet();
        var jobs = stage.Jobs.Where(j => planned.Contains(new TemplateJobPlan(j.Source, j.Destination)));
        foreach (var outcome in compiler.Run(stage, jobs, context.CancellationToken))
        {
            if (outcome.Error is { } error)
            {
                throw error;
            }

            run.CompiledFiles[Path.GetFullPath(outcome.Job.Destination)] = true;
            context.Host.Log(DeployLogLevel.Verbose, $"Compiled {outcome.Job.Source} -> {outcome.Job.Destination}.");
        }
    }
}
