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
            throttleLimit, p2pMode) with
        { UpdateResources = updateResources };
        Apply(cmdlet, specs, project, options, destroyAfter, cleanupOnFailure, cancellationToken);
    }

    /// <summary>
    /// Runs <see cref="DeployRunner.ApplyAsync"/>: its plan's items are confirmed here (ShouldProcess per item), results
    /// are written as nodes finish; with <paramref name="destroyAfter"/> the destroy's items are confirmed with them.
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
                var host = new QueuedDeployHost(DeployCmdletSupport.ResultWriter(specs)) { ConfirmFirst = (c, items) => ConfirmReplaces(c, project, items) };
                locks?.ReportTo(host);
                var run = new ApplyRunOptions { CleanupOnFailure = cleanupOnFailure, DestroyAfter = destroyAfter };
                var report = RunOrReportPlanFailure(cmdlet, project, host,
                    token => new DeployRunner(specs, connections).ApplyAsync(project, resolved, run, host, host, token), cancellationToken);
                if (report is not null)
                {
                    DeployCmdletSupport.WriteFailures(cmdlet, report.Outcome);
                }
            }
            finally
            {
                locks?.Release(cmdlet);
            }
        }
    }

    /// <summary>
    /// A replace deletes containers the user did not ask to recreate (unlike -Upgrade): asked as -Upgrade is, before the
    /// items are (LxdDeletionNotConfirmed where the session cannot ask).
    /// </summary>
    private static bool ConfirmReplaces(PSCmdlet cmdlet, LxdProject project, IReadOnlyList<PlanItem> items)
    {
        var replaced = items.Where(i => i.Kind == PlanItemKind.Node && i.Id.What == nameof(PlannedAction.Replace)).ToList();
        return replaced.Count == 0 || ((LxdSpecCmdlet)cmdlet).ConfirmDeletion(
            $"{cmdlet.MyInvocation.MyCommand.Name} deletes and recreates {string.Join(", ", replaced.Select(i => i.Target))} of project " +
            $"{project.Name}: {string.Join("; ", replaced.Select(i => $"{i.Target}: {i.Description}"))}.");
    }

    /// <summary>Get-LxdApplyPlan: one plan, written as node plans (apply) or as its items (-Item, or -Operation other than Apply).</summary>
    public static void WritePlan(LxdSpecCmdlet cmdlet, object specsObject, string projectName, IReadOnlyList<string> groups, string[]? disableGroups,
        string[]? enableFlags, string[]? disableFlags, List<object> extraVars, bool skipSync, bool upgrade, bool p2pMode, bool updateResources,
        string operation, bool items, CancellationToken cancellationToken)
    {
        var specs = (SpecSet)specsObject;
        var project = specs.FindProject(projectName)!;
        if (!ReportUnknownGroups(cmdlet, project, groups))
        {
            return;
        }

        var options = DeployCmdletSupport.Options(groups.Count == 0 ? null : groups, disableGroups, enableFlags, disableFlags, extraVars, skipSync, upgrade,
            p2pMode: p2pMode) with
        { UpdateResources = updateResources };
        if (!DeployCmdletSupport.PassesGate(cmdlet, specs, project, options.ExtraVars, options.Groups)
            || DeployCmdletSupport.Connect(cmdlet, specs, options) is not var (connections, resolved))
        {
            return;
        }

        using (connections)
        {
            var host = new QueuedDeployHost();
            var runner = new DeployRunner(specs, connections);
            var planned = RunOrReportPlanFailure<IReadOnlyList<object>>(cmdlet, project, host, async token => operation switch
            {
                "Stop" => ShutdownPlan.For(project, ShutdownKind.Stop, resolved).Items,
                "Destroy" => ShutdownPlan.For(project, ShutdownKind.Destroy, resolved).Items,
                "Fetch" => (await ImageFetcher.PlanAsync(project, resolved, connections, host, token).ConfigureAwait(false)).Items,
                _ when items => (await runner.PlanApplyAsync(project, resolved, host, token).ConfigureAwait(false)).Items,
                _ => NodeView(await runner.PlanApplyAsync(project, resolved, host, token).ConfigureAwait(false)),
            }, cancellationToken);
            foreach (var item in planned ?? Array.Empty<object>())
            {
                cmdlet.WriteSpecObject(item, specs);
            }
        }
    }

    /// <summary>Drifted profiles, networks and pools first (once per server), then the nodes that use them.</summary>
    private static IReadOnlyList<object> NodeView(ApplyPlan plan) =>
        plan.Groups.SelectMany(g => g.DriftedResources).DistinctBy(r => (r.Kind, r.Name, r.Remote)).Cast<object>().Concat(plan.Nodes).ToList();

    public static void Shutdown(LxdSpecCmdlet cmdlet, object specsObject, string projectName, IReadOnlyList<string> groups, bool destroy,
        string[]? enableFlags, string[]? disableFlags, List<object> extraVars, CancellationToken cancellationToken)
    {
        var specs = (SpecSet)specsObject;
        var project = specs.FindProject(projectName)!;
        var filter = new GroupFilter(groups.Count == 0 ? null : groups);
        ReportUnknownGroups(cmdlet, project, groups);
        if (!DeployCmdletSupport.PassesGate(cmdlet, specs, project, extraVars.Cast<VarsBlock>().ToList(), filter))
        {
            return;
        }

        var options = DeployCmdletSupport.Options(groups.Count == 0 ? null : groups, null, enableFlags, disableFlags, extraVars);
        if (DeployCmdletSupport.Connect(cmdlet, specs, options) is not var (connections, resolved))
        {
            return;
        }

        using (connections)
        {
            // The plan reads no server: its items are asked about first, so a declined run (or -WhatIf) contacts none
            // and takes no lock; the run's own plan has the same item ids.
            var kind = destroy ? ShutdownKind.Destroy : ShutdownKind.Stop;
            var approval = QueuedDeployHost.Ask(cmdlet, ShutdownPlan.For(project, kind, resolved).Items);
            if (approval.IsEmpty)
            {
                return;
            }

            var (proceed, locks) = RunLocks.Take(cmdlet, project, connections, resolved, Internal.ErrorIds.DeployFailed, cancellationToken);
            if (!proceed)
            {
                return;
            }

            try
            {
                var host = new QueuedDeployHost(DeployCmdletSupport.ResultWriter(specs));
                locks?.ReportTo(host);
                var report = host.Run(cmdlet,
                    token => new DeployRunner(specs, connections).ShutdownAsync(project, kind, resolved, new DecidedApprover(approval), host, token),
                    cancellationToken);
                DeployCmdletSupport.WriteFailures(cmdlet, report.Outcome);
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
            var host = new QueuedDeployHost();
            var report = RunOrReportPlanFailure(cmdlet, project, host,
                token => new DeployRunner(specs, connections).FetchAsync(project, resolved, test, host, host, token), cancellationToken);
            foreach (var result in report?.Results ?? Array.Empty<ImageFetchResult>())
            {
                cmdlet.WriteSpecObject(result, specs);
            }

            if (report?.Failure is { } failure)
            {
                cmdlet.WriteError(DeployCmdletSupport.ErrorOf(cmdlet, DeployFailures.Normalize(failure.Exception, "the servers of project " + project.Name),
                    Internal.ErrorIds.DeployFailed, project.Name));
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> (which plans first); a deploy failure that escapes it happened while planning, before
    /// anything changed (the executors report theirs in the outcome): an LxdApplyPlanFailed error, and null.
    /// </summary>
    private static T? RunOrReportPlanFailure<T>(LxdSpecCmdlet cmdlet, LxdProject project, QueuedDeployHost host, Func<CancellationToken, Task<T>> work,
        CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return host.Run(cmdlet, work, cancellationToken);
        }
        catch (Exception e) when (DeployFailures.IsDeployFailure(e))
        {
            cmdlet.WriteError(DeployCmdletSupport.ErrorOf(cmdlet, DeployFailures.Normalize(e, "the servers of project " + project.Name),
                Internal.ErrorIds.PlanFailed, project.Name));
            return null;
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
}
