using System.Collections;
using System.Management.Automation;
using LxdCompose.Deploy;
using LxdCompose.Loading;
using LxdCompose.Lxd;
using LxdCompose.PowerShell.Commands;
using LxdCompose.PowerShell.Internal;
using LxdCompose.Specs;
using LxdCompose.Templating;

namespace LxdCompose.PowerShell.Host;

/// <summary>The Core-typed half of the deploy cmdlets (kept out of the cmdlet classes' signatures, see LxdSpecCmdlet).</summary>
internal static class DeployCmdletSupport
{
    /// <summary>The preference variable that sets the entrypoint of host hooks that name none (e.g. 'pwsh:runspace').</summary>
    public const string HostHookEntrypointPreference = "LxdHostHookEntrypoint";

    public static List<object> ExtraVars(LxdSpecCmdlet cmdlet, object specsObject, string[]? varsFiles, Hashtable? env)
    {
        var specs = (SpecSet)specsObject;
        var blocks = new List<object>();
        if (varsFiles is { Length: > 0 })
        {
            var renderer = TemplateEngines.SpecRendererFor(specs.Config, cmdlet.RenderOverrides());
            foreach (var path in varsFiles)
            {
                blocks.Add(ProjectVariables.LoadVarsFile(cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path), renderer, specs.Config));
            }
        }

        if (env is not null)
        {
            blocks.Add(new VarsBlock { Envs = PowerShellValues.ToMap(env, "Env") });
        }

        return blocks;
    }

    public static DeployOptions Options(IEnumerable<string>? enableGroups, IEnumerable<string>? disableGroups, string[]? enableFlags,
        string[]? disableFlags, IEnumerable<object> extraVars, bool skipSync = false, bool upgrade = false, int throttleLimit = 1,
        bool p2pMode = false) => new()
        {
            P2PMode = p2pMode,
            ThrottleLimit = throttleLimit,
            Groups = new GroupFilter(enableGroups, disableGroups),
            Flags = new FlagFilter(enableFlags, disableFlags),
            ExtraVars = extraVars.Cast<VarsBlock>().ToList(),
            SkipSync = skipSync,
            Upgrade = upgrade,
        };

    /// <summary>
    /// The deploy gate (<see cref="DeployGate"/>): validates what this run acts on, before any server call, with the
    /// cmdlet's -Strict and the run's extra variables (the specs were loaded with its nodes prefix). Warnings are
    /// written; when an error is left, each problem is an error record (id: the problem's code) and the result is
    /// false: the run must not start.
    /// </summary>
    public static bool PassesGate(LxdSpecCmdlet cmdlet, SpecSet specs, LxdProject project, IReadOnlyList<VarsBlock> extraVars,
        GroupFilter groups)
    {
        var problems = DeployGate.Problems(specs, new[] { project },
            new ValidationOptions { Strict = cmdlet.StrictValidation, ExtraVars = extraVars }, groups);
        var name = cmdlet.MyInvocation.MyCommand.Name;
        var refused = DeployGate.Refuses(problems);
        foreach (var problem in problems)
        {
            cmdlet.ReportGateProblem(problem, specs.Config.File, () => ErrorRecords.FromGateProblem(problem, name, project.Name));
        }

        if (refused)
        {
            cmdlet.WriteVerbose($"{name} did not start on project '{project.Name}': its specs have " +
                $"{problems.Count(p => p.Severity == DiagnosticSeverity.Error)} error(s); no server was contacted.");
        }

        return !refused;
    }

    /// <summary>
    /// <see cref="PassesGate(LxdSpecCmdlet, SpecSet, LxdProject, IReadOnlyList{VarsBlock}, GroupFilter)"/> for a collected request, so
    /// that a run that asks before deleting asks only about projects that will run. The run itself passes the gate
    /// again; its problems were reported once per pipeline.
    /// </summary>
    public static bool PassesGate(LxdSpecCmdlet cmdlet, object specsObject, string projectName, List<object> extraVars,
        IReadOnlyList<string> groups, string[]? disableGroups)
    {
        var specs = (SpecSet)specsObject;
        return PassesGate(cmdlet, specs, specs.FindProject(projectName)!, extraVars.Cast<VarsBlock>().ToList(),
            new GroupFilter(groups.Count == 0 ? null : groups, disableGroups));
    }

    /// <summary>The client config and a connection set for one run; null (after an error record) when the config is unusable.</summary>
    public static (LxdConnections Connections, DeployOptions Options)? Connect(PSCmdlet cmdlet, SpecSet specs, DeployOptions options)
    {
        try
        {
            var (config, resolved) = DeployClientConfig.Resolve(specs, WithLimits(cmdlet, options));
            cmdlet.WriteVerbose($"Using the client configuration {config.ConfigFile}.");
            return (new LxdConnections(config, resolved), WithHostHookPreference(cmdlet, resolved));
        }
        catch (LxdException e)
        {
            cmdlet.WriteError(ErrorRecords.FromClientConfigProblem(e, specs.Config.General.LxdConfDir));
            return null;
        }
    }

    /// <summary>-HookTimeout and -OperationTimeout (seconds) of the cmdlets that run hooks, when given.</summary>
    private static DeployOptions WithLimits(PSCmdlet cmdlet, DeployOptions options) => cmdlet is IRunLimitsCmdlet run
        ? options with
        {
            HookTimeout = run.HookTimeout is { } hook ? TimeSpan.FromSeconds(hook) : options.HookTimeout,
            OperationTimeout = run.OperationTimeout is { } operation ? TimeSpan.FromSeconds(operation) : options.OperationTimeout,
        }
        : options;

    /// <summary>$LxdHostHookEntrypoint, when the caller set it, replaces the platform's default entrypoint of host hooks.</summary>
    private static DeployOptions WithHostHookPreference(PSCmdlet cmdlet, DeployOptions options)
    {
        var preference = cmdlet.SessionState.PSVariable.GetValue(HostHookEntrypointPreference);
        var entrypoint = preference is null ? Array.Empty<string>() : LanguagePrimitives.ConvertTo<string[]>(preference);
        if (entrypoint.Length == 0)
        {
            return options;
        }

        cmdlet.WriteVerbose($"Host hooks without an entrypoint run with '{string.Join(' ', entrypoint)}' (${HostHookEntrypointPreference}).");
        return options with { DefaultHostEntrypoint = entrypoint };
    }

    /// <summary>Writes a node's result to the pipeline (with the spec set's notes) as the engine reports it.</summary>
    public static Action<PSCmdlet, NodeResult> ResultWriter(SpecSet specs) => (cmdlet, result) => ((LxdSpecCmdlet)cmdlet).WriteSpecObject(result, specs);

    /// <summary>One error record per failure; the results were written as each node finished.</summary>
    public static void WriteFailures(PSCmdlet cmdlet, DeployOutcome outcome)
    {
        foreach (var failure in outcome.Failures)
        {
            cmdlet.WriteError(ErrorOf(cmdlet, failure.Exception, ErrorIds.DeployFailed, (object?)failure.Node ?? failure.Group ?? failure.Project));
        }
    }

    /// <summary>A deploy failure as an ErrorRecord (see <see cref="ErrorRecords.FromDeployFailure"/>), its text fit for this host.</summary>
    public static ErrorRecord ErrorOf(PSCmdlet cmdlet, Exception e, string phaseId, object? target) =>
        ErrorRecords.FromDeployFailure(e, phaseId, target, text => HostColour.ForHost(cmdlet, text));
    /// <summary>"project 'p': groups a, b" (or "no group"), the groups a run would act on, for the verbose stream.</summary>
    public static string DescribeSelection(object specsObject, string projectName, IReadOnlyList<string> groups, string[]? disableGroups)
    {
        var project = ((SpecSet)specsObject).FindProject(projectName)!;
        var filter = new GroupFilter(groups.Count == 0 ? null : groups, disableGroups);
        var names = project.Groups.Where(filter.Includes).Select(g => g.Name).ToList();
        return $"project '{project.Name}': {(names.Count == 0 ? "no group" : "group(s) " + string.Join(", ", names))}";
    }

    /// <summary>
    /// The group names a command applies (its enable_groups without its disable_groups; all when it names none), when
    /// the command is in the specs and its project matches <paramref name="projectPatterns"/>; null after an error.
    /// </summary>
    public static IReadOnlyList<string>? GroupsOfCommand(LxdSpecCmdlet cmdlet, object specsObject, string commandName, string[] projectPatterns)
    {
        var specs = (SpecSet)specsObject;
        var command = specs.Commands.FirstOrDefault(c => c.Name == commandName);
        if (command is null)
        {
            cmdlet.WriteNotFound(ErrorIds.CommandNotFound, "command", commandName);
            return null;
        }

        var project = specs.FindProject(command.Project);
        if (project is null)
        {
            cmdlet.WriteNotFound(ErrorIds.ProjectNotFound, "project", command.Project);
            return null;
        }

        if (!new NameFilter(projectPatterns).IsMatch(project.Name))
        {
            cmdlet.WriteVerbose($"Skipped the command '{command.Name}': its project '{project.Name}' is not named by -Project.");
            return Array.Empty<string>();
        }

        var filter = new GroupFilter(command.EnableGroups, command.DisableGroups);
        return project.Groups.Where(filter.Includes).Select(g => g.Name).ToList();
    }
}
