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
        bool cleanupOnFailure, bool p2pMode, CancellationToken cancellationToken)
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
        DeployCommands.Apply(cmdlet, specs, run.Project, options, destroy || command.Destroy, cleanupOnFailure, cancellationToken);
    }
}
