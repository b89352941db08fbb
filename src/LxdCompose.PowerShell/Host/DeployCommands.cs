using System.Management.Automation;
using LxdCompose.Deploy;
using LxdCompose.Loading;
using LxdCompose.PowerShell.Commands;
using LxdCompose.Specs;

namespace LxdCompose.PowerShell.Host;

/// <summary>The phases of the deploy cmdlets: plan on a worker, confirm here, execute on a worker, write here.</summary>
internal static class DeployCommands
{
    public static void Apply(LxdSpecCmdlet cmdlet, object specsObject, string projectName, IReadOnlyList<string> groups, string[]? disableGroups,
        string[]? enableFlags, string[]? disableFlags, List<object> extraVars, bool skipSync, bool upgrade, bool destroyAfter,
        bool cleanupOnFailure, int throttleLimit, bool p2pMode, bool updateResources, CancellationToken cancellationToken)
    {
        var specs = (SpecSet)specsObject;
        var project = specs.FindProject(projectName)!;
        if (!ReportUnknownGroups(cmdlet, project, groups))
        {
            return;
        }

        var options = DeployCmdletSupport.Options(groups.Count == 0 ? null : groups, disableGroups, enableFlags, disableFlags, extraVars, skipSync, upgrade,
            throttleLimit, p2pMode) with { UpdateResources = updateResources };
        Apply(cmdlet, specs, project, options, destroyAfter, cleanupOnFailure, cancellationToken);
    }

    /// <summary>
    /// Plans, confirms every change here, executes; then with <paramref name="destroyAfter"/> destroys the groups after a
    /// successful apply, and with <paramref name="cleanupOnFailure"/> deletes what a failed apply created.
    /// </summary>
    public static void Apply(LxdSpecCmdlet cmdlet, SpecSet specs, LxdProject project, DeployOptions options, bool destroyAfter,
        bool cleanupOnFailure, CancellationToken cancellationToken)
    {
        if (!DeployCmdletSupport.PassesGate(cmdlet, specs, project, options.ExtraVars, options.Groups)
            || DeployCmdletSupport.Connect(cmdlet, specs, options) is not var (connections, resolved))
        {
            return;
        }

        using (connections)
        {
            // One run at a time: the plan is read, and the run done, under the project's lock on each of its servers.
            var (proceed, locks) = RunLocks.Take(cmdlet, project, connections, resolved, Internal.ErrorIds.PlanFailed, cancellationToken);
            if (!proceed)
            {
                return;
            }

            try
            {
                ApplyLocked(cmdlet, specs, project, options, destroyAfter, cleanupOnFailure, connections, resolved, locks, cancellationToken);
            }
            finally
            {
                locks?.Release(cmdlet);
            }
        }
    }

    private static void ApplyLocked(LxdSpecCmdlet cmdlet, SpecSet specs, LxdProject project, DeployOptions options, bool destroyAfter,
        bool cleanupOnFailure, LxdConnections connections, DeployOptions resolved, RunLocks? locks, CancellationToken cancellationToken)
    {
        var plan = DeployCmdletSupport.Plan(cmdlet, specs, project, connections, resolved, cancellationToken);
        if (plan is null)
        {
            return;
        }

        // A replace deletes containers the user did not ask to recreate (unlike -Upgrade): asked as -Upgrade is.
        var replaced = plan.Nodes.Where(n => n.Action == PlannedAction.Replace).ToList();
        if (replaced.Count > 0 && !cmdlet.ConfirmDeletion(
                $"{cmdlet.MyInvocation.MyCommand.Name} deletes and recreates {string.Join(", ", replaced.Select(n => n.Node))} of project " +
                $"{project.Name}: {string.Join("; ", replaced.SelectMany(n => n.Changes.Where(c => !c.InPlace).Select(c => $"{n.Node} {c}")))}."))
        {
            return;
        }

        // Every change is confirmed here, on the pipeline thread; the executor only reads the answers.
        var approved = new HashSet<(string, string)>();
        foreach (var node in plan.Nodes.Where(n => n.Action != PlannedAction.Unchanged))
        {
            var action = ApplyExecutor.ActionText(node);
            if (cmdlet.ShouldProcess(node.Node, action))
            {
                approved.Add((node.Node, action));
            }
        }

        foreach (var group in plan.Groups)
        {
            foreach (var resource in group.DriftedResources.Where(r => r.Update))
            {
                var (what, text) = ResourceUpdateStep.Confirmation(resource, group.Remote);
                if (cmdlet.ShouldProcess(what, text))
                {
                    approved.Add((what, text));
                }
            }
        }

        var nodes = plan.Nodes.Count();
        var target = $"project {project.Name} ({nodes} node(s) in {plan.Groups.Count} group(s))";
        if (!cmdlet.ShouldProcess(target, "Run the hooks, compile the config templates" + (options.SkipSync ? string.Empty : " and sync the files")))
        {
            return;
        }

        destroyAfter = destroyAfter && cmdlet.ShouldProcess(target, "Destroy the instances after the apply");
        if (cleanupOnFailure)
        {
            foreach (var node in plan.Nodes.Where(n => n.Action is PlannedAction.Create or PlannedAction.Upgrade or PlannedAction.Replace))
            {
                approved.Add((node.Node, ShutdownExecutor.ActionText(ShutdownKind.Destroy)));
            }
        }

        var writeResult = DeployCmdletSupport.ResultWriter(specs);
        var host = new QueuedDeployHost((t, a) => approved.Contains((t, a)), writeResult);
        locks?.ReportTo(host);
        var outcome = host.Run(cmdlet, async token =>
        {
            var applied = await new ApplyExecutor(specs, connections).ExecuteAsync(plan, host, token).ConfigureAwait(false);
            if (!applied.Succeeded && cleanupOnFailure)
            {
                var removed = await ApplyCleanup.RemoveCreatedAsync(plan, applied, connections, host, token).ConfigureAwait(false);
                applied.Results.AddRange(removed);
            }

            return applied;
        }, cancellationToken);
        DeployCmdletSupport.WriteFailures(cmdlet, outcome);
        if (destroyAfter && outcome.Succeeded)
        {
            var destroyHost = new QueuedDeployHost(writeResult: writeResult);
            locks?.ReportTo(destroyHost);
            var destroyed = destroyHost.Run(cmdlet,
                token => new ShutdownExecutor(specs, connections).ExecuteAsync(project, ShutdownKind.Destroy, resolved, destroyHost, token),
                cancellationToken);
            DeployCmdletSupport.WriteFailures(cmdlet, destroyed);
        }
    }

    public static void WritePlan(LxdSpecCmdlet cmdlet, object specsObject, string projectName, IReadOnlyList<string> groups, string[]? disableGroups,
        string[]? enableFlags, string[]? disableFlags, List<object> extraVars, bool skipSync, bool upgrade, bool p2pMode, bool updateResources,
        CancellationToken cancellationToken)
    {
        var specs = (SpecSet)specsObject;
        var project = specs.FindProject(projectName)!;
        if (!ReportUnknownGroups(cmdlet, project, groups))
        {
            return;
        }

        var options = DeployCmdletSupport.Options(groups.Count == 0 ? null : groups, disableGroups, enableFlags, disableFlags, extraVars, skipSync, upgrade,
            p2pMode: p2pMode) with { UpdateResources = updateResources };
        if (!DeployCmdletSupport.PassesGate(cmdlet, specs, project, options.ExtraVars, options.Groups)
            || DeployCmdletSupport.Connect(cmdlet, specs, options) is not var (connections, resolved))
        {
            return;
        }

        using (connections)
        {
            var plan = DeployCmdletSupport.Plan(cmdlet, specs, project, connections, resolved, cancellationToken);
            // Drifted profiles, networks and pools first (once per server), then the nodes that use them.
            var resources = (plan?.Groups ?? Array.Empty<GroupPlan>()).SelectMany(g => g.DriftedResources).DistinctBy(r => (r.Kind, r.Name, r.Remote));
            foreach (var resource in resources)
            {
                cmdlet.WriteSpecObject(resource, specs);
            }

            foreach (var node in plan?.Nodes ?? Enumerable.Empty<NodePlan>())
            {
                cmdlet.WriteSpecObject(node, specs);
            }
        }
    }

    public static void Shutdown(LxdSpecCmdlet cmdlet, object specsObject, string projectName, IReadOnlyList<string> groups, bool destroy,
        string[]? enableFlags, string[]? disableFlags, List<object> extraVars, CancellationToken cancellationToken)
    {
        var specs = (SpecSet)specsObject;
        var project = specs.FindProject(projectName)!;
        var filter = new GroupFilter(groups.Count == 0 ? null : groups);
        var selected = project.Groups.Where(filter.Includes).ToList();
        ReportUnknownGroups(cmdlet, project, groups);
        if (!DeployCmdletSupport.PassesGate(cmdlet, specs, project, extraVars.Cast<VarsBlock>().ToList(), filter))
        {
            return;
        }

        var action = destroy ? "Run the shutdown hooks, stop and delete the instances" : "Run the shutdown hooks and stop the instances";
        var approved = selected
            .Where(g => cmdlet.ShouldProcess($"group {g.Name} of project {project.Name} ({g.Nodes.Count} node(s))", action))
            .Select(g => Escape(g.Name))
            .ToList();
        if (approved.Count == 0)
        {
            return;
        }

        var options = DeployCmdletSupport.Options(approved, null, enableFlags, disableFlags, extraVars);
        if (DeployCmdletSupport.Connect(cmdlet, specs, options) is not var (connections, resolved))
        {
            return;
        }

        using (connections)
        {
            var (proceed, locks) = RunLocks.Take(cmdlet, project, connections, resolved, Internal.ErrorIds.DeployFailed, cancellationToken);
            if (!proceed)
            {
                return;
            }

            try
            {
                var host = new QueuedDeployHost(writeResult: DeployCmdletSupport.ResultWriter(specs));
                locks?.ReportTo(host);
                var kind = destroy ? ShutdownKind.Destroy : ShutdownKind.Stop;
                var outcome = host.Run(cmdlet, token => new ShutdownExecutor(specs, connections).ExecuteAsync(project, kind, resolved, host, token),
                    cancellationToken);
                DeployCmdletSupport.WriteFailures(cmdlet, outcome);
            }
            finally
            {
                locks?.Release(cmdlet);
            }
        }
    }

    /// <summary>
    /// Unlock-LxdProject: for each server of the selected groups, the project's lock is read; one whose holder is gone
    /// (or any, with <paramref name="force"/>) is broken after confirmation, under the ETag it was read with.
    /// </summary>
    public static void Unlock(LxdSpecCmdlet cmdlet, object specsObject, string projectName, IReadOnlyList<string> groups, bool force,
        CancellationToken cancellationToken)
    {
        var specs = (SpecSet)specsObject;
        var project = specs.FindProject(projectName)!;
        var options = DeployCmdletSupport.Options(groups.Count == 0 ? null : groups, null, null, null, Array.Empty<object>());
        if (DeployCmdletSupport.Connect(cmdlet, specs, options) is not var (connections, _))
        {
            return;
        }

        using (connections)
        {
            var host = new QueuedDeployHost();
            List<(LxdCompose.Lxd.ILxdServer Server, DeployLockState? Lock)> locks;
            try
            {
                locks = host.Run(cmdlet, async token =>
                {
                    var servers = DeployLock.InLockOrder(project.Groups.Where(options.Groups.Includes).Select(connections.ForGroup));
                    var read = new List<(LxdCompose.Lxd.ILxdServer, DeployLockState?)>();
                    foreach (var server in servers)
                    {
                        read.Add((server, await DeployLock.ReadAsync(server, project.Name, token).ConfigureAwait(false)));
                    }

                    return read;
                }, cancellationToken);
            }
            catch (Exception e) when (DeployFailures.IsDeployFailure(e))
            {
                cmdlet.WriteError(DeployCmdletSupport.ErrorOf(cmdlet, DeployFailures.Normalize(e, "the servers of project " + project.Name),
                    Internal.ErrorIds.DeployFailed, project.Name));
                return;
            }

            var identity = DeployLockIdentity.Current(cmdlet.MyInvocation.MyCommand.Name);
            foreach (var (server, state) in locks)
            {
                if (state?.Holder is not { } holder)
                {
                    cmdlet.WriteVerbose($"Project '{project.Name}' is not locked on {server.DisplayName}.");
                    continue;
                }

                var gone = DeployLock.WhyStale(holder, new DeployLockOptions { Identity = identity });
                if (gone is null && !force)
                {
                    cmdlet.WriteError(DeployCmdletSupport.ErrorOf(cmdlet,
                        new DeployLockedException(project.Name, server.DisplayName, state.LockName, holder, TimeSpan.Zero),
                        Internal.ErrorIds.ProjectLocked, project.Name));
                    continue;
                }

                var why = gone is null ? "its holder may still be running" : gone;
                if (!cmdlet.ShouldProcess($"lock of project '{project.Name}' on {server.DisplayName}, held by {holder}", $"Break the lock ({why})"))
                {
                    continue;
                }

                bool broken;
                try
                {
                    broken = new QueuedDeployHost().Run(cmdlet, token => DeployLock.BreakAsync(server, state, token), cancellationToken);
                }
                catch (Exception e) when (DeployFailures.IsDeployFailure(e))
                {
                    cmdlet.WriteError(DeployCmdletSupport.ErrorOf(cmdlet, DeployFailures.Normalize(e, server.DisplayName), Internal.ErrorIds.DeployFailed,
                        project.Name));
                    continue;
                }

                if (broken)
                {
                    cmdlet.WriteSpecObject(state, specs);
                }
                else
                {
                    cmdlet.WriteWarning($"The lock of project '{project.Name}' on {server.DisplayName} changed since it was read (another run took or freed it); left alone.");
                }
            }
        }
    }

    public static void FetchImages(LxdSpecCmdlet cmdlet, object specsObject, string projectName, IReadOnlyList<string> groups,
        string[]? disableGroups, bool testImages, string[]? testProfiles, bool p2pMode, CancellationToken cancellationToken)
    {
        var specs = (SpecSet)specsObject;
        var project = specs.FindProject(projectName)!;
        if (!ReportUnknownGroups(cmdlet, project, groups))
        {
            return;
        }

        var options = DeployCmdletSupport.Options(groups.Count == 0 ? null : groups, disableGroups, null, null, Array.Empty<object>(), p2pMode: p2pMode);
        var test = testImages ? new ImageTest(testProfiles ?? Array.Empty<string>()) : null;
        if (!DeployCmdletSupport.PassesGate(cmdlet, specs, project, options.ExtraVars, options.Groups)
            || DeployCmdletSupport.Connect(cmdlet, specs, options) is not var (connections, resolved))
        {
            return;
        }

        using (connections)
        {
            // Confirmation needs the resolved images, so resolving (read-only) and copying are two passes.
            var host = new QueuedDeployHost((_, _) => false);
            IReadOnlyList<ImageFetchResult> planned;
            try
            {
                planned = host.Run(cmdlet, token => ImageFetcher.FetchAsync(project, resolved, connections, host, token), cancellationToken);
            }
            catch (Exception e) when (DeployFailures.IsDeployFailure(e))
            {
                cmdlet.WriteError(DeployCmdletSupport.ErrorOf(cmdlet, DeployFailures.Normalize(e, "the servers of project " + project.Name),
                    Internal.ErrorIds.PlanFailed, project.Name));
                return;
            }

            var approved = new HashSet<(string, string)>();
            foreach (var image in planned)
            {
                var target = $"{image.Image} on {image.Remote}";
                var copied = image.Action == "Present" || cmdlet.ShouldProcess(target, "Copy the image");
                if (image.Action == "Skipped" && copied)
                {
                    approved.Add((target, "Copy the image from " + image.Source));
                }

                if (test is not null && copied && cmdlet.ShouldProcess(target, ImageTest.ActionText))
                {
                    approved.Add((target, ImageTest.ActionText));
                }
            }

            var copyHost = new QueuedDeployHost((target, action) => approved.Contains((target, action)));
            try
            {
                foreach (var result in copyHost.Run(cmdlet, token => ImageFetcher.FetchAsync(project, resolved, connections, copyHost, token, test),
                             cancellationToken))
                {
                    cmdlet.WriteSpecObject(result, specs);
                }
            }
            catch (Exception e) when (DeployFailures.IsDeployFailure(e))
            {
                cmdlet.WriteError(DeployCmdletSupport.ErrorOf(cmdlet, DeployFailures.Normalize(e, "the servers of project " + project.Name),
                    Internal.ErrorIds.DeployFailed, project.Name));
            }
        }
    }

    /// <summary>
    /// One ObjectNotFound error per named group (no wildcards) the project lacks, as PowerShell does for a literal name.
    /// Returns false when groups were named and none of the project's matches: then nothing is done (not even the
    /// project hooks, which lxd-compose would run for an empty selection).
    /// </summary>
    internal static bool ReportUnknownGroups(LxdSpecCmdlet cmdlet, LxdProject project, IReadOnlyList<string> groups)
    {
        foreach (var name in groups.Where(g => !Wildcard.ContainsWildcard(g) && project.Groups.All(pg => pg.Name != g)))
        {
            cmdlet.WriteError(Internal.ErrorRecords.NotFound(Internal.ErrorIds.GroupNotFound,
                $"No group named '{name}' in project '{project.Name}'. Check the name (Get-LxdGroup -Project {project.Name} lists them), " +
                "or omit it to act on every group.", name));
        }

        var filter = new GroupFilter(groups.Count == 0 ? null : groups);
        if (groups.Count == 0 || project.Groups.Any(filter.Includes))
        {
            return true;
        }

        cmdlet.WriteVerbose($"No group of project '{project.Name}' matches {string.Join(", ", groups)}: nothing to do.");
        return false;
    }

    /// <summary>A group name as a wildcard pattern that matches only itself.</summary>
    private static string Escape(string name) =>
        string.Concat(name.Select(c => c is '*' or '?' or '[' or ']' or '`' ? "`" + c : c.ToString()));
}
