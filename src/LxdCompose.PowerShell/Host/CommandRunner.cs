using System.Collections;
using System.Management.Automation;
using LxdCompose.Deploy;
using LxdCompose.PowerShell.Commands;
using LxdCompose.PowerShell.Internal;
using LxdCompose.Specs;
using LxdCompose.Templating;

namespace LxdCompose.PowerShell.Host;

/// <summary>Invoke-LxdCommand's work: find the command, reload with its nodes prefix when it has one, apply.</summary>
internal static class CommandRunner
{
    public static void Run(LxdSpecCmdlet cmdlet, string name, string? nodesPrefix, Action<string?> setPrefix, Hashtable? env, bool destroy,
        bool cleanupOnFailure, bool p2pMode, CancellationToken cancellationToken, string? onlyProject = null, string? onlyGroup = null)
    {
        if (cmdlet.LoadSpecs() is not { } specs)
        {
            return; // a piped config that does not load: reported
        }

        var command = specs.Commands.FirstOrDefault(c => c.Name == name);
        if (command is null)
        {
            cmdlet.WriteError(ErrorRecords.NotFound(ErrorIds.CommandNotFound,
                $"No command named '{name}' in the specs of '{specs.Config.File}'. Get-LxdCommand lists them.", name));
            return;
        }

        if (nodesPrefix is null && command.NodesPrefix.Length > 0)
        {
            setPrefix(command.NodesPrefix);
            if (cmdlet.LoadSpecs() is not { } prefixed)
            {
                return;
            }

            specs = prefixed;
            command = specs.Commands.First(c => c.Name == name);
        }

        if (specs.FindProject(command.Project) is null)
        {
            cmdlet.WriteError(ErrorRecords.NotFound(ErrorIds.ProjectNotFound,
                $"The command '{name}' applies project '{command.Project}', which the specs do not have. Fix 'project' at {command.Location}.",
                command.Project));
            return;
        }

        CommandRun run;
        try
        {
            var extra = env is null ? Array.Empty<VarsBlock>() : new[] { new VarsBlock { Envs = PowerShellValues.ToMap(env, "Env") } };
            run = CommandOptions.Prepare(specs, command, extra, TemplateEngines.SpecRendererFor(specs.Config, cmdlet.RenderOverrides()));
        }
        catch (SpecException e)
        {
            cmdlet.WriteError(ErrorRecords.FromFatalSpecProblem(e));
            return;
        }

        foreach (var warning in run.Warnings)
        {
            cmdlet.WriteWarning(warning.ToString());
        }

        var options = p2pMode ? run.Options with { P2PMode = true } : run.Options;
        if (onlyProject is not null && onlyProject != command.Project)
        {
            cmdlet.WriteVerbose($"Skipped the command '{name}' for project '{onlyProject}': it applies project '{command.Project}'.");
            return;
        }

        if (onlyGroup is not null)
        {
            // A piped group or node narrows the command to that group, when the command applies it at all.
            if (!options.Groups.Includes(onlyGroup))
            {
                cmdlet.WriteVerbose($"Skipped the command '{name}' for group '{onlyGroup}': the command does not apply that group.");
                return;
            }

            options = options with { Groups = new GroupFilter(new[] { System.Management.Automation.WildcardPattern.Escape(onlyGroup) }) };
        }

        var groups = run.Project.Groups.Where(options.Groups.Includes).Select(g => g.Name).ToList();
        cmdlet.WriteVerbose($"Invoke-LxdCommand selected project '{run.Project.Name}': " +
            $"{(groups.Count == 0 ? "no group" : "group(s) " + string.Join(", ", groups))}.");
        destroy = destroy || command.Destroy;
        // Specs the gate refuses are refused before the question about deleting their instances.
        if (destroy && !DeployCmdletSupport.PassesGate(cmdlet, specs, run.Project, options.ExtraVars, options.Groups))
        {
            return;
        }

        if (destroy && !cmdlet.ConfirmDeletion(
                $"The command '{name}' deletes every instance of project '{run.Project.Name}' (group(s) {string.Join(", ", groups)}) after the apply."))
        {
            return;
        }

        DeployCommands.Apply(cmdlet, specs, run.Project, options, destroy, cleanupOnFailure, cancellationToken);
    }
}
