using System.Collections;
using System.Management.Automation;
using LxdCompose.Deploy;
using LxdCompose.Loading;
using LxdCompose.PowerShell.Commands;
using LxdCompose.PowerShell.Internal;
using LxdCompose.Specs;

namespace LxdCompose.PowerShell.Host;

/// <summary>The Core-typed half of the node cmdlets (Invoke-LxdExec, Copy-LxdFile, Get-LxdInstance).</summary>
internal static class NodeCmdletSupport
{
    /// <summary>A selected node of the specs.</summary>
    public sealed record Target(SpecSet Specs, LxdProject Project, LxdGroup Group, LxdNode Node);

    /// <summary>The selected nodes of one project, connected, after the project passed the deploy gate.</summary>
    public sealed record ProjectRun(SpecSet Specs, LxdProject Project, IReadOnlyList<Target> Nodes, LxdConnections Connections, DeployOptions Options);

    /// <summary>Adds the nodes that the patterns and the piped selection name (as Get-LxdNode lists them), each once.</summary>
    public static void Select(LxdSpecCmdlet cmdlet, SpecSet specs, PipedSelection? selection, NameFilter text, NameFilter names,
        string[]? projectPatterns, string[]? groupPatterns, List<object> targets)
    {
        var projects = cmdlet.SelectProjects(specs, projectPatterns).Where(p => selection?.Includes(p) ?? true).ToList();
        var groups = new NameFilter(groupPatterns);
        foreach (var project in projects)
        {
            foreach (var group in project.Groups.Where(g => (selection?.Includes(g) ?? true) && groups.IsMatch(g.Name)))
            {
                foreach (var node in group.Nodes.Where(n => (selection?.Includes(n) ?? true) && text.IsMatch(n.Name, n.InstanceName) &&
                             names.IsMatch(n.Name, n.InstanceName)))
                {
                    if (!targets.Cast<Target>().Any(t => ReferenceEquals(t.Node, node)))
                    {
                        targets.Add(new Target(specs, project, group, node));
                    }
                }
            }
        }

        foreach (var name in text.UnmatchedLiterals)
        {
            cmdlet.WriteNotFound(ErrorIds.NodeNotFound, "node", name, projects.Select(p => p.Name).ToList());
        }

        foreach (var name in groups.UnmatchedLiterals)
        {
            cmdlet.WriteNotFound(ErrorIds.GroupNotFound, "group", name, projects.Select(p => p.Name).ToList());
        }
    }

    /// <summary>
    /// For each project of the targets: validates it for the groups of its nodes (nothing runs after an error),
    /// connects, and hands the run to <paramref name="act"/>.
    /// </summary>
    public static void ForEachProject(LxdSpecCmdlet cmdlet, List<object> targets, string[]? varsFiles, Hashtable? env, string[]? enableFlags,
        string[]? disableFlags, Action<object> act)
    {
        foreach (var nodes in targets.Cast<Target>().GroupBy(t => (t.Specs, t.Project)))
        {
            var (specs, project) = nodes.Key;
            var extraVars = DeployCmdletSupport.ExtraVars(cmdlet, specs, varsFiles, env);
            var groups = nodes.Select(t => t.Group.Name).Distinct().Select(WildcardPattern.Escape).ToList();
            var options = DeployCmdletSupport.Options(groups, null, enableFlags, disableFlags, extraVars);
            if (!DeployCmdletSupport.PassesGate(cmdlet, specs, project, options.ExtraVars, options.Groups)
                || DeployCmdletSupport.Connect(cmdlet, specs, options) is not var (connections, resolved))
            {
                continue;
            }

            using (connections)
            {
                act(new ProjectRun(specs, project, nodes.ToList(), connections, resolved));
            }
        }
    }

    /// <summary>
    /// Invoke-LxdExec: the command in each node (after ShouldProcess); its output on the information stream as hook
    /// output, or (<paramref name="passThru"/>) captured in the result written; a non-zero exit code is an error record
    /// (LxdExecFailed) and $LASTEXITCODE.
    /// </summary>
    public static void Exec(LxdSpecCmdlet cmdlet, object runObject, string command, bool passThru, CancellationToken cancellationToken)
    {
        var run = (ProjectRun)runObject;
        var commands = new NodeCommands(run.Specs, run.Connections);
        foreach (var target in run.Nodes)
        {
            var where = $"{target.Node.InstanceName} on {run.Connections.RemoteNameOf(target.Group)}";
            if (!cmdlet.ShouldProcess(where, $"Run '{command}'"))
            {
                continue;
            }

            NodeExecResult result;
            try
            {
                var host = new QueuedDeployHost();
                result = host.Run(cmdlet,
                    token => commands.ExecAsync(run.Project, target.Group, target.Node, command, run.Options, !passThru, host, token),
                    cancellationToken);
            }
            catch (Exception e) when (DeployFailures.IsDeployFailure(e))
            {
                cmdlet.WriteError(DeployCmdletSupport.ErrorOf(cmdlet, DeployFailures.Normalize(e, where), ErrorIds.ExecFailed, target.Node.InstanceName));
                continue;
            }

            cmdlet.SessionState.PSVariable.Set("global:LASTEXITCODE", result.ExitCode);
            if (passThru)
            {
                cmdlet.WriteSpecObject(result, run.Specs);
            }

            if (!result.Succeeded)
            {
                var tail = HookFailedException.Tail(result.Stderr);
                var message = $"The command '{command}' exited with code {result.ExitCode} in {where} (node at {target.Node.Location})" +
                    (tail.Length > 0 ? $": {tail}" : ".");
                cmdlet.WriteError(new ErrorRecord(new DeployException(message, target.Node.InstanceName), ErrorIds.ExecFailed, ErrorCategory.InvalidResult,
                    result)
                {
                    ErrorDetails = new ErrorDetails(HostColour.ForHost(cmdlet, message))
                    {
                        RecommendedAction = "The result (the error's TargetObject, or -PassThru) holds the exit code, stdout and stderr.",
                    },
                });
            }
        }
    }

    /// <summary>Copy-LxdFile: the host file or tree into each node (after ShouldProcess); with <paramref name="passThru"/> the results.</summary>
    public static void Copy(LxdSpecCmdlet cmdlet, object runObject, string source, string destination, bool passThru, CancellationToken cancellationToken)
    {
        var run = (ProjectRun)runObject;
        if (!File.Exists(source) && !Directory.Exists(source))
        {
            cmdlet.WriteError(ErrorRecords.NotFound(ErrorIds.CopySourceNotFound, $"Copy-LxdFile: no file or directory '{source}' on this machine.", source,
                "Check -Path; a directory ending in '/' copies its contents, without it the directory itself."));
            return;
        }

        var commands = new NodeCommands(run.Specs, run.Connections);
        foreach (var target in run.Nodes)
        {
            var where = $"{target.Node.InstanceName} on {run.Connections.RemoteNameOf(target.Group)}";
            if (!cmdlet.ShouldProcess($"{where}: {destination}", $"Copy {source}"))
            {
                continue;
            }

            NodeFileCopyResult result;
            try
            {
                var host = new QueuedDeployHost();
                result = host.Run(cmdlet, token => commands.CopyAsync(run.Project, target.Group, target.Node, source, destination, host, token),
                    cancellationToken);
            }
            catch (Exception e) when (e is UnauthorizedAccessException or NotSupportedException)
            {
                cmdlet.WriteError(new ErrorRecord(e, ErrorIds.CopyFailed, ErrorCategory.ReadError, source));
                continue;
            }
            catch (Exception e) when (DeployFailures.IsDeployFailure(e))
            {
                cmdlet.WriteError(DeployCmdletSupport.ErrorOf(cmdlet, DeployFailures.Normalize(e, where), ErrorIds.CopyFailed, target.Node.InstanceName));
                continue;
            }

            cmdlet.WriteVerbose($"Copied {source} to {where}: {result.Files} file(s), {result.Directories} directorie(s), {result.Symlinks} symlink(s).");
            if (passThru)
            {
                cmdlet.WriteSpecObject(result, run.Specs);
            }
        }
    }

    /// <summary>
    /// Get-LxdInstance: reads each remote (given, or used by the selected groups) and writes its instances matched with
    /// the spec nodes; an unreachable remote is an error record and the others are still read.
    /// </summary>
    public static void ListInstances(LxdSpecCmdlet cmdlet, SpecSet specs, PipedSelection? selection, string[]? projectPatterns, string[]? remotes,
        NameFilter names, CancellationToken cancellationToken)
    {
        var selected = cmdlet.SelectProjects(specs, projectPatterns).Where(p => selection?.Includes(p) ?? true).ToList();
        if (DeployCmdletSupport.Connect(cmdlet, specs, new DeployOptions()) is not var (connections, _))
        {
            return;
        }

        using (connections)
        {
            var commands = new NodeCommands(specs, connections);
            var inScope = selected.SelectMany(p => p.Groups.Where(g => selection?.Includes(g) ?? true)).ToList();
            var toRead = remotes is { Length: > 0 } ? remotes : commands.RemotesOf(selected).Where(r => inScope.Any(g => connections.RemoteNameOf(g) == r)).ToArray();
            var knownNodes = new HashSet<(string, string)>(selected.SelectMany(p => p.Groups.Select(g => (p, g)))
                .Where(e => selection?.Includes(e.g) ?? true)
                .SelectMany(e => e.g.Nodes.Where(n => selection?.Includes(n) ?? true).Select(n => (e.p.Name, n.InstanceName))));
            foreach (var remote in toRead)
            {
                IReadOnlyList<ServerInstance> instances;
                try
                {
                    // Every project of the specs tells which instances are known, not only the selected ones.
                    instances = new QueuedDeployHost().Run(cmdlet, token => commands.ListAsync(specs.Projects.ToList(), new[] { remote }, token),
                        cancellationToken);
                }
                catch (Exception e) when (DeployFailures.IsDeployFailure(e))
                {
                    cmdlet.WriteError(DeployCmdletSupport.ErrorOf(cmdlet, DeployFailures.Normalize(e, remote), ErrorIds.InstanceListFailed, remote));
                    continue;
                }

                foreach (var instance in instances.Where(i => names.IsMatch(i.Name)))
                {
                    var shown = instance.InSpecs
                        ? knownNodes.Contains((instance.Project, instance.Name))
                        : selection is null || !selection.NamesGroupsOrNodes;
                    if (shown)
                    {
                        cmdlet.WriteSpecObject(instance, specs);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Sync-LxdNode (<paramref name="create"/> false) or New-LxdNode: each node after ShouldProcess, its result written
    /// as apply writes results; a failure is an error record for that node and the next node still runs.
    /// </summary>
    public static void SyncOrCreate(LxdSpecCmdlet cmdlet, object runObject, bool create, bool runHooks, CancellationToken cancellationToken)
    {
        var run = (ProjectRun)runObject;
        var commands = new NodeCommands(run.Specs, run.Connections);
        var what = (create ? "Create the instance" : "Compile the config templates and push the sync_resources") +
            (runHooks ? (create ? " with its creation hooks" : " with its sync hooks") : string.Empty);
        string Where(Target target) => $"{target.Node.InstanceName} on {run.Connections.RemoteNameOf(target.Group)}";
        var approved = run.Nodes.Where(t => cmdlet.ShouldProcess(Where(t), what)).ToList();
        if (approved.Count == 0)
        {
            return;
        }

        // They change the project's instances as apply does: one run of the project at a time.
        var (proceed, locks) = RunLocks.Take(cmdlet, run.Project, run.Connections, run.Options, ErrorIds.DeployFailed, cancellationToken);
        if (!proceed)
        {
            return;
        }

        try
        {
            foreach (var target in approved)
            {
                try
                {
                    var host = new QueuedDeployHost();
                    locks?.ReportTo(host);
                    var result = host.Run(cmdlet, token => create
                        ? commands.CreateAsync(run.Project, target.Group, target.Node, run.Options, runHooks, host, token)
                        : commands.SyncAsync(run.Project, target.Group, target.Node, run.Options, runHooks, host, token), cancellationToken);
                    cmdlet.WriteSpecObject(result, run.Specs);
                }
                catch (Exception e) when (DeployFailures.IsDeployFailure(e))
                {
                    cmdlet.WriteError(DeployCmdletSupport.ErrorOf(cmdlet, DeployFailures.Normalize(e, Where(target)), ErrorIds.DeployFailed,
                        target.Node.InstanceName));
                }
            }
        }
        finally
        {
            locks?.Release(cmdlet);
        }
    }
}
