using System.Management.Automation;
using LxdCompose.Deploy;
using LxdCompose.Loading;
using LxdCompose.Lxd;
using LxdCompose.PowerShell.Commands;
using LxdCompose.PowerShell.Internal;
using LxdCompose.Specs;

namespace LxdCompose.PowerShell.Host;

/// <summary>The Core-typed half of the resource cmdlets: servers read and written on a worker, objects and questions here.</summary>
internal static class ResourceCommands
{
    /// <summary>
    /// Get-Lxd&lt;resource&gt;: the declarations of the selected projects' environments (all when none is named), beside what
    /// each server has: the given remotes, or the servers of the projects' groups.
    /// </summary>
    public static void List(LxdSpecCmdlet cmdlet, string kindName, string[]? names, string[]? projects, string[]? remotes, bool declaredOnly,
        CancellationToken cancellationToken)
    {
        var kind = Enum.Parse<ResourceKind>(kindName);
        if (cmdlet.LoadSpecs() is not { } specs)
        {
            return;
        }

        var selected = projects is null ? specs.Projects.ToList() : cmdlet.SelectProjects(specs, projects);
        var environments = projects is null ? specs.Environments : selected.Select(specs.EnvironmentOf).Distinct().ToList();
        var declared = DeclaredResources.Of(environments, kind);
        var filter = new NameFilter(names);
        if (declaredOnly)
        {
            foreach (var status in ResourceInventory.Declarations(declared).Where(s => filter.IsMatch(s.Name)))
            {
                cmdlet.WriteSpecObject(status, specs);
            }

            ReportUnmatched(cmdlet, filter, kind);
            return;
        }

        if (DeployCmdletSupport.Connect(cmdlet, specs, new DeployOptions()) is not var (connections, _))
        {
            return;
        }

        using (connections)
        {
            var servers = remotes is { Length: > 0 }
                ? remotes.Distinct(StringComparer.Ordinal).Select(r => (Remote: r, Server: connections.ForRemote(r))).ToList()
                : selected.SelectMany(p => p.Groups).DistinctBy(connections.RemoteNameOf, StringComparer.Ordinal)
                    .Select(g => (Remote: connections.RemoteNameOf(g), Server: connections.ForGroup(g))).ToList();
            foreach (var (remote, server) in servers)
            {
                IReadOnlyList<ResourceStatus> statuses;
                try
                {
                    statuses = new QueuedDeployHost().Run(cmdlet, token => ResourceInventory.ListAsync(server, remote, kind, declared, token), cancellationToken);
                }
                catch (Exception e) when (DeployFailures.IsDeployFailure(e))
                {
                    cmdlet.WriteError(DeployCmdletSupport.ErrorOf(cmdlet, DeployFailures.Normalize(e, remote), ErrorIds.ResourceListFailed, remote));
                    continue;
                }

                foreach (var status in statuses.Where(s => filter.IsMatch(s.Name)))
                {
                    cmdlet.WriteSpecObject(status, specs);
                }
            }
        }

        ReportUnmatched(cmdlet, filter, kind);
    }

    /// <summary>
    /// Publish-Lxd&lt;resource&gt; for one project: the named (or all) declarations of its environment, planned on each
    /// server of its selected groups, each creation and update confirmed (ShouldProcess: its changes, old -> new), made,
    /// and written; unchanged ones are written as they are, different ones left alone with a warning.
    /// </summary>
    public static void Publish(LxdSpecCmdlet cmdlet, object specsObject, string projectName, IReadOnlyList<string> groups, string kindName, string[]? names,
        bool update, bool withForwards, CancellationToken cancellationToken)
    {
        var kind = Enum.Parse<ResourceKind>(kindName);
        var specs = (SpecSet)specsObject;
        var project = specs.FindProject(projectName)!;
        if (!DeployCommands.ReportUnknownGroups(cmdlet, project, groups))
        {
            return;
        }

        var filter = new NameFilter(names);
        var declared = DeclaredResources.Of(new[] { specs.EnvironmentOf(project) }, kind).Where(d => filter.IsMatch(d.Name)).ToList();
        ReportUnmatched(cmdlet, filter, kind, project.Name);
        if (declared.Count == 0)
        {
            cmdlet.WriteVerbose($"The environment of project '{project.Name}' declares no {ResourceInventory.Plural(kind)}{(names is null ? string.Empty : " of these names")}: nothing to do.");
            return;
        }

        var options = DeployCmdletSupport.Options(groups.Count == 0 ? null : groups, null, null, null, Array.Empty<object>());
        if (!DeployCmdletSupport.PassesGate(cmdlet, specs, project, options.ExtraVars, options.Groups)
            || DeployCmdletSupport.Connect(cmdlet, specs, options) is not var (connections, resolved))
        {
            return;
        }

        using (connections)
        {
            var servers = project.Groups.Where(resolved.Groups.Includes).DistinctBy(connections.RemoteNameOf, StringComparer.Ordinal)
                .Select(g => (Remote: connections.RemoteNameOf(g), Server: connections.ForGroup(g))).ToList();
            foreach (var (remote, server) in servers)
            {
                PublishOn(cmdlet, specs, remote, server, kind, declared, update, withForwards, cancellationToken);
            }
        }
    }

    private static void PublishOn(LxdSpecCmdlet cmdlet, SpecSet specs, string remote, ILxdServer server, ResourceKind kind,
        IReadOnlyList<DeclaredResource> declared, bool update, bool withForwards, CancellationToken cancellationToken)
    {
        IReadOnlyList<ResourcePublishResult> plan;
        try
        {
            plan = new QueuedDeployHost().Run(cmdlet, token => ResourcePublisher.PlanAsync(server, remote, kind, declared, update, withForwards, token),
                cancellationToken);
        }
        catch (Exception e) when (DeployFailures.IsDeployFailure(e))
        {
            cmdlet.WriteError(DeployCmdletSupport.ErrorOf(cmdlet, DeployFailures.Normalize(e, remote), ErrorIds.ResourcePublishFailed, remote));
            return;
        }

        foreach (var item in plan)
        {
            switch (item.Action)
            {
                case ResourcePublishAction.Unchanged:
                    cmdlet.WriteVerbose($"{item.Target} already matches its declaration: nothing to do.");
                    cmdlet.WriteSpecObject(item, specs);
                    continue;
                case ResourcePublishAction.LeftAlone:
                    cmdlet.WriteWarning($"{item.Target} differs from its declaration at {item.Location} ({string.Join("; ", item.Changes)}); " +
                        (kind == ResourceKind.Certificate
                            ? "LXD has no update of a trusted certificate: remove it (lxc config trust remove) and publish again."
                            : "left alone: -Update updates it."));
                    cmdlet.WriteSpecObject(item, specs);
                    continue;
            }

            if (!cmdlet.ShouldProcess(item.Target, item.Description))
            {
                continue;
            }

            var host = new QueuedDeployHost();
            try
            {
                host.Run(cmdlet, async token =>
                {
                    await ResourcePublisher.ApplyAsync(server, item, withForwards, host, token).ConfigureAwait(false);
                    return item;
                }, cancellationToken);
            }
            catch (Exception e) when (DeployFailures.IsDeployFailure(e))
            {
                cmdlet.WriteError(DeployCmdletSupport.ErrorOf(cmdlet, DeployFailures.Normalize(e, item.Target), ErrorIds.ResourcePublishFailed, item.Target));
                continue;
            }

            cmdlet.WriteSpecObject(item, specs);
        }
    }

    /// <summary>Publish-* names the resources or takes -All, not both and not neither (as lxd-compose's -a).</summary>
    public static ErrorRecord NameOrAll(LxdSpecCmdlet cmdlet, string kindName, bool all)
    {
        var name = cmdlet.MyInvocation.MyCommand.Name;
        var what = ResourceInventory.Plural(Enum.Parse<ResourceKind>(kindName));
        var message = all
            ? $"{name} takes -All or names of {what}, not both."
            : $"{name} needs the {what} to publish: name them ({name} <name> -Project <project>) or use -All for every declared one.";
        return ErrorRecords.InvalidArgument(ErrorIds.ResourceNameMissing, message, null, $"{name} -All -Project <project>");
    }

    private static void ReportUnmatched(LxdSpecCmdlet cmdlet, NameFilter filter, ResourceKind kind, string? project = null)
    {
        var what = ResourceInventory.Describe(kind).ToLowerInvariant();
        foreach (var name in filter.UnmatchedLiterals)
        {
            var message = project is null
                ? $"No {what} named '{name}' is declared or on the servers read."
                : $"No {what} named '{name}' is declared in the environment of project '{project}'.";
            cmdlet.WriteError(ErrorRecords.NotFound(ErrorIds.ResourceNotFound, message, name,
                $"Check the name; Get-Lxd{kind} -DeclaredOnly lists the declared ones."));
        }
    }
}
