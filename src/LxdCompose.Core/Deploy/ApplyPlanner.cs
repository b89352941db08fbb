using LxdCompose.Loading;
using LxdCompose.Lxd;
using LxdCompose.Lxd.Api;
using LxdCompose.Specs;
using LxdCompose.Templating;

namespace LxdCompose.Deploy;

/// <summary>
/// Builds an <see cref="ApplyPlan"/> from the specs and what the servers have, reading only: instances and their
/// status, profiles, networks, storage pools and images of every enabled group's server. The plan holds every change
/// apply makes (<see cref="ApplyPlan.Items"/>), config-template jobs included.
/// </summary>
public sealed class ApplyPlanner
{
    private readonly SpecSet _specs;
    private readonly LxdConnections _connections;

    public ApplyPlanner(SpecSet specs, LxdConnections connections)
    {
        _specs = specs;
        _connections = connections;
    }

    public async Task<ApplyPlan> PlanAsync(LxdProject project, DeployOptions options, IDeployHost host, CancellationToken cancellationToken)
    {
        var environment = _specs.EnvironmentOf(project);
        _specs.Secrets.AddVarsBlocks(options.ExtraVars);
        var selected = project.Groups.Where(options.Groups.Includes).ToList();
        var templates = TemplatesOf(project, selected, options);
        var groups = new GroupPlan[selected.Count];
        var groupWarnings = selected.Select(_ => new List<string>()).ToArray();
        if (options.ThrottleLimit <= 1)
        {
            for (var i = 0; i < selected.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                groups[i] = await PlanGroupAsync(project, environment, selected[i], i, options, templates, host, groupWarnings[i], cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            // As apply runs them: the servers are read (and connected to) side by side, up to the throttle limit. The
            // plan keeps declaration order; when several groups fail, the first one's error is reported.
            using var gate = new SemaphoreSlim(options.ThrottleLimit);
            var planning = Enumerable.Range(0, selected.Count).Select(async i =>
            {
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    groups[i] = await PlanGroupAsync(project, environment, selected[i], i, options, templates, host, groupWarnings[i], cancellationToken)
                        .ConfigureAwait(false);
                }
                finally
                {
                    gate.Release();
                }
            }).ToList();
            await Task.WhenAll(planning).ConfigureAwait(false);
        }

        var warnings = groupWarnings.SelectMany(w => w).ToList();
        foreach (var warning in warnings)
        {
            host.Log(DeployLogLevel.Warning, warning);
        }

        var projectHooks = HookSelection.ForProjectEvent(HookEvents.PreProject, project)
            .Concat(HookSelection.ForProjectEvent(HookEvents.PostProject, project))
            .Where(options.Flags.ShouldRun)
            .Select(h => new PlannedHook(h.Event, HookTarget.Of(h).ToString(), h))
            .ToList();
        return new ApplyPlan
        {
            Project = project, Options = options, Groups = groups, ProjectHooks = projectHooks, Warnings = warnings, Templates = templates.Project,
        };
    }
    /// <summary>
    /// The config-template jobs of each level, as <see cref="ConfigTemplateCompiler.Plan"/> lists them (sources and
    /// destinations come from the specs; the variables are those of the run when each level compiles).
    /// </summary>
    private PlannedTemplates TemplatesOf(LxdProject project, IReadOnlyList<LxdGroup> selected, DeployOptions options)
    {
        var planned = new PlannedTemplates();
        var any = project.ConfigTemplates.Count > 0
                  || selected.Any(g => g.ConfigTemplates.Count > 0 || g.Nodes.Any(n => n.ConfigTemplates.Count > 0));
        if (!any)
        {
            return planned;
        }

        var compiler = new ConfigTemplateCompiler(_specs, new ConfigTemplateCompileOptions
        {
            ExtraVars = options.ExtraVars,
            EnabledGroups = selected.Select(g => g.Name).ToList(),
        });
        foreach (var stage in compiler.Plan(project))
        {
            var first = stage.Jobs[0];
            var jobs = stage.Jobs.Select(j => new TemplateJobPlan(j.Source, j.Destination)).ToList();
            var template = new TemplatePlan(stage.Level, first.Group, first.Node, jobs);
            switch (stage.Level)
            {
                case ConfigTemplateLevel.Project:
                    planned.Project = template;
                    break;
                case ConfigTemplateLevel.Group:
                    planned.Groups[first.Group] = template;
                    break;
                default:
                    planned.Nodes[(first.Group, first.Node)] = template;
                    break;
            }
        }

        return planned;
    }

    private sealed class PlannedTemplates
    {
        public TemplatePlan? Project { get; set; }
        public Dictionary<string, TemplatePlan> Groups { get; } = new(StringComparer.Ordinal);
        public Dictionary<(string Group, string Node), TemplatePlan> Nodes { get; } = new();
    }


    private async Task<GroupPlan> PlanGroupAsync(LxdProject project, LxdEnvironment environment, LxdGroup group, int index, DeployOptions options,
        PlannedTemplates templates, IDeployHost host, List<string> warnings, CancellationToken cancellationToken)
    {
        var remote = _connections.RemoteNameOf(group);
        var client = ConnectGroup(group, remote);
        host.Log(DeployLogLevel.Verbose, $"Planning group {group.Name} on {client.DisplayName}.");
        Dictionary<string, LxdInstance> instances;
        IReadOnlyList<string> profileNames, networkNames, poolNames;
        try
        {
            // The list carries each instance whole (recursion=1): config, devices, profiles, ephemeral, status.
            instances = (await client.Instances.ListAsync(cancellationToken, "container").ConfigureAwait(false))
                .ToDictionary(i => i.Name, StringComparer.Ordinal);
            profileNames = await client.Profiles.ListNamesAsync(cancellationToken).ConfigureAwait(false);
            networkNames = await client.Networks.ListNamesAsync(cancellationToken).ConfigureAwait(false);
            poolNames = await client.StoragePools.ListNamesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (LxdException e)
        {
            throw new DeployException($"Group {group.Name}: cannot read the state of remote '{remote}' ({client.DisplayName}): {e.Message}",
                group.Name, e, e is LxdConnectionException or LxdTlsException ? DeployProblem.Unreachable : DeployProblem.Failed);
        }

        var (profilesToCreate, declaredProfiles) = PlanProfiles(group, environment, remote, profileNames);
        var networksToCreate = Declared(environment.Networks, UsedDeviceKeys(profilesToCreate, "network", "parent"), networkNames);
        var poolsToCreate = Declared(environment.Storages, UsedDeviceKeys(profilesToCreate, "pool"), poolNames);
        var drifted = await ResourceDriftPlanner.PlanAsync(client, environment, declaredProfiles, profileNames, networkNames, poolNames, options, remote,
            project.Name, group.Name, warnings, cancellationToken).ConfigureAwait(false);

        var nodes = new List<NodePlan>();
        var images = new Dictionary<string, ImagePlan>(StringComparer.Ordinal);
        foreach (var node in group.Nodes)
        {
            var live = instances.GetValueOrDefault(node.InstanceName);
            var desired = DesiredInstance.Of(group, node);
            var (action, changes) = NodeDrift.Plan(desired, live, options.Upgrade);
            var mark = live is null ? null : CreationMark.Of(live);
            if (mark is not null && !options.Upgrade)
            {
                // An unfinished creation is never Unchanged: finished in place after a known failure when it can be
                // started, else made again (see CreationMark).
                action = CreationMark.CanResume(live!) && action != PlannedAction.Replace ? PlannedAction.Resume : PlannedAction.Replace;
            }

            var phase = mark is null || options.Upgrade ? null : CreationMark.PhaseOf(mark);
            // Only a node that is (re)created needs its image: existing ones are compared by the image_source they record.
            var image = action is PlannedAction.Create or PlannedAction.Upgrade or PlannedAction.Replace
                ? await ResolveImageAsync(client, node, options, host, images, cancellationToken).ConfigureAwait(false)
                : null;

            nodes.Add(new NodePlan
            {
                Project = project.Name,
                Group = group.Name,
                Node = node.InstanceName,
                Remote = remote,
                Action = action,
                CurrentState = live?.Status ?? "Absent",
                Image = image,
                Profiles = live is null ? desired.Profiles : live.Profiles.ToList(),
                Config = live is null ? desired.Config : NodeDrift.ServerConfig(live),
                Desired = desired,
                Changes = changes,
                Unfinished = phase,
                Hooks = NodeHooks(project, group, node, action, phase, options),
                Files = options.SkipSync ? Array.Empty<FileMapping>() : SyncSources(environment, node),
                Spec = node,
                Templates = templates.Nodes.GetValueOrDefault((group.Name, node.Name)),
            });
        }

        var groupHooks = new[] { HookEvents.PreGroup, HookEvents.PostGroup }
            .SelectMany(e => HookSelection.ForGroupEvent(e, project, group))
            .Where(options.Flags.ShouldRun)
            .Select(h => new PlannedHook(h.Event, HookTarget.Of(h).ToString(), h))
            .ToList();
        return new GroupPlan
        {
            Spec = group,
            Index = index,
            Remote = remote,
            Nodes = nodes,
            Hooks = groupHooks,
            Templates = templates.Groups.GetValueOrDefault(group.Name),
            ProfilesToCreate = profilesToCreate,
            NetworksToCreate = networksToCreate,
            StoragePoolsToCreate = poolsToCreate,
            // One copy per distinct fingerprint for the group's server, of the images of the nodes (re)created.
            ImagesToCopy = nodes.Select(n => n.Image).OfType<ImagePlan>().Where(i => i.CopyNeeded).DistinctBy(i => i.Fingerprint).ToList(),
            DriftedResources = drifted,
        };
    }

    private async Task<ImagePlan> ResolveImageAsync(ILxdServer client, LxdNode node, DeployOptions options, IDeployHost host,
        Dictionary<string, ImagePlan> resolved, CancellationToken cancellationToken)
    {
        // In P2P mode image_remote_server is ignored, as in lxd-compose.
        var key = options.P2PMode ? node.ImageSource : $"{node.ImageSource}\n{node.ImageRemoteServer}";
        if (!resolved.TryGetValue(key, out var image))
        {
            image = await ImageResolver.ResolveAsync(_connections, client, node, options, host, cancellationToken).ConfigureAwait(false);
            resolved[key] = image;
        }

        return image;
    }

    private ILxdServer ConnectGroup(LxdGroup group, string remote)
    {
        try
        {
            return _connections.ForGroup(group);
        }
        catch (LxdException e)
        {
            throw new DeployException($"Group {group.Name}: cannot connect to remote '{remote}': {e.Message}", group.Name, e,
                e is LxdConfigException ? DeployProblem.NotFound : DeployProblem.Unreachable);
        }
    }

    /// <summary>group config, then node config, then user.&lt;label&gt; — a new map per node (lxd-compose bug #5).</summary>
    public static IReadOnlyDictionary<string, string> InstanceConfig(LxdGroup group, LxdNode node)
    {
        var config = new Dictionary<string, string>(group.Config, StringComparer.Ordinal);
        foreach (var (key, value) in node.Config)
        {
            config[key] = value;
        }

        foreach (var (label, value) in node.Labels)
        {
            config["user." + label] = value;
        }

        return config;
    }

    /// <summary>
    /// Sync sources on the host: absolute as written; relative ones under the node's <c>source_dir</c> (absolute or
    /// relative to the environment's directory) or the environment's directory — keeping a trailing <c>/</c>, which
    /// lxd-compose dropped (bug #14).
    /// </summary>
    public static IReadOnlyList<FileMapping> SyncSources(LxdEnvironment environment, LxdNode node)
    {
        var baseDir = node.SourceDir.Length == 0 ? environment.BaseDirectory
            : Path.IsPathRooted(node.SourceDir) ? node.SourceDir
            : Path.Combine(environment.BaseDirectory, node.SourceDir);
        return node.SyncResources.Select(r =>
        {
            if (Path.IsPathRooted(r.Source))
            {
                return r;
            }

            var trailing = r.Source.EndsWith('/') || r.Source.EndsWith('\\');
            var full = Path.GetFullPath(Path.Combine(baseDir, r.Source));
            if (trailing && !full.EndsWith(Path.DirectorySeparatorChar))
            {
                full += Path.DirectorySeparatorChar;
            }

            return new FileMapping { Source = full, Destination = r.Destination, Location = r.Location };
        }).ToList();
    }

    private static IReadOnlyList<PlannedHook> NodeHooks(LxdProject project, LxdGroup group, LxdNode node, PlannedAction action, string? unfinished,
        DeployOptions options)
    {
        var resumesUpgrade = unfinished == CreationMark.Upgrade;
        var events = action switch
        {
            // Making an unfinished creation again runs what it still owed (NodeCreateStep.UpgradeAsync).
            PlannedAction.Replace when unfinished is not null => resumesUpgrade
                ? new[] { HookEvents.PreNodeCreation, HookEvents.PostNodeCreation, HookEvents.PostNodeUpgrade, HookEvents.PreNodeSync, HookEvents.PostNodeSync }
                : new[] { HookEvents.PreNodeCreation, HookEvents.PostNodeCreation, HookEvents.PreNodeSync, HookEvents.PostNodeSync },
            PlannedAction.Create => new[] { HookEvents.PreNodeCreation, HookEvents.PostNodeCreation, HookEvents.PreNodeSync, HookEvents.PostNodeSync },
            PlannedAction.Upgrade or PlannedAction.Replace => new[]
            {
                HookEvents.PreNodeUpgrade, HookEvents.PreNodeCreation, HookEvents.PostNodeCreation, HookEvents.PostNodeUpgrade,
                HookEvents.PreNodeSync, HookEvents.PostNodeSync,
            },
            PlannedAction.Resume when resumesUpgrade => new[]
            {
                HookEvents.PostNodeCreation, HookEvents.PostNodeUpgrade, HookEvents.PreNodeSync, HookEvents.PostNodeSync,
            },
            PlannedAction.Resume => new[] { HookEvents.PostNodeCreation, HookEvents.PreNodeSync, HookEvents.PostNodeSync },
            _ => new[] { HookEvents.PreNodeSync, HookEvents.PostNodeSync },
        };
        return events.SelectMany(e => HookSelection.ForNodeEvent(e, project, group, node))
            .Where(t => options.Flags.ShouldRun(t.Hook))
            .Select(t => new PlannedHook(t.Hook.Event, t.Target.ToString(), t.Hook))
            .ToList();
    }

    /// <summary>The declared profiles the group needs that its server lacks, and every declared profile it needs.</summary>
    private (IReadOnlyList<LxdProfile> ToCreate, IReadOnlyList<LxdProfile> Declared) PlanProfiles(LxdGroup group, LxdEnvironment environment,
        string remote, IReadOnlyList<string> existing)
    {
        var toCreate = new List<LxdProfile>();
        var declaredProfiles = new List<LxdProfile>();
        var needed = group.CommonProfiles.Concat(group.Nodes.SelectMany(n => n.Profiles)).Distinct(StringComparer.Ordinal);
        foreach (var name in needed)
        {
            var declared = environment.Profiles.FirstOrDefault(p => p.Name == name)
                ?? _specs.Environments.SelectMany(e => e.Profiles).FirstOrDefault(p => p.Name == name);
            if (declared is not null)
            {
                declaredProfiles.Add(declared);
            }

            if (existing.Contains(name, StringComparer.Ordinal))
            {
                continue;
            }

            if (declared is null)
            {
                throw new DeployException(
                    $"Group {group.Name}: profile '{name}' is not on remote '{remote}' and no environment declares it; " +
                    $"declare it under profiles: or remove it from the group at {group.Location}.", name, null, DeployProblem.NotFound);
            }

            toCreate.Add(declared);
        }

        return (toCreate, declaredProfiles);
    }

    internal static HashSet<string> UsedDeviceKeys(IEnumerable<LxdProfile> profiles, params string[] keys) =>
        profiles.SelectMany(p => p.Devices.Values)
            .SelectMany(d => keys.Select(k => d.TryGetValue(k, out var v) ? v : null))
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);

    private static IReadOnlyList<T> Declared<T>(IEnumerable<T> declarations, HashSet<string> used, IReadOnlyList<string> existing)
        where T : class =>
        declarations.Where(d => NameOf(d) is { } name && used.Contains(name) && !existing.Contains(name, StringComparer.Ordinal)).ToList();

    private static string? NameOf(object declaration) => declaration switch
    {
        LxdNetwork n => n.Name,
        LxdStoragePool s => s.Name,
        _ => null,
    };
}
