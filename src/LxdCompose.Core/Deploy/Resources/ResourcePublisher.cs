using LxdCompose.Lxd;
using LxdCompose.Lxd.Api;
using LxdCompose.Specs;

namespace LxdCompose.Deploy;

/// <summary>What a publish does to one declared resource on one server.</summary>
public enum ResourcePublishAction
{
    /// <summary>Not on the server: created from its declaration.</summary>
    Create,

    /// <summary>On the server and different: updated to its declaration (-Update).</summary>
    Update,

    /// <summary>On the server and alike: nothing to do.</summary>
    Unchanged,

    /// <summary>On the server and different, left as it is (no -Update, or a certificate: LXD has no update of one).</summary>
    LeftAlone,
}

/// <summary>One declared resource on one server: the planned action and its changes (server -> declaration); <see cref="Done"/> once made.</summary>
public sealed class ResourcePublishResult
{
    public ResourceKind Kind { get; init; }

    public string Name { get; init; } = string.Empty;

    public string Remote { get; init; } = string.Empty;

    public ResourcePublishAction Action { get; init; }

    /// <summary>Server -> declaration; for a creation, every declared field (old: absent).</summary>
    public IReadOnlyList<FieldChange> Changes { get; init; } = Array.Empty<FieldChange>();

    /// <summary>The change was made (false for Unchanged and LeftAlone, and for a change nothing was left to make).</summary>
    public bool Done { get; internal set; }

    public SourceLocation Location { get; init; }

    public object? Declaration { get; init; }

    /// <summary>The ShouldProcess target: <c>profile web on vm1</c>.</summary>
    public string Target => $"{ResourceDriftPlanner.Describe(Kind).ToLowerInvariant()} {Name} on {Remote}";

    /// <summary>The ShouldProcess action with the diff: <c>Update: config.x: a -> b</c>.</summary>
    public string Description => $"{Action}: {(Changes.Count == 0 ? "nothing to change" : string.Join("; ", Changes))}";

    public override string ToString() => $"{Target}: {Description}{(Done ? string.Empty : " (not done)")}";
}

/// <summary>
/// lxd-compose's <c>profile|network|storage|acl|trust create</c>: a declared resource the server lacks is created; one it
/// has is updated only with <c>update</c> (a certificate never is), forwards of a network only with
/// <c>withForwards</c> (created, updated, and the server's others deleted). Planned on one server first, then made.
/// </summary>
public static class ResourcePublisher
{
    public static async Task<IReadOnlyList<ResourcePublishResult>> PlanAsync(ILxdServer server, string remote, ResourceKind kind,
        IReadOnlyList<DeclaredResource> declared, bool update, bool withForwards, CancellationToken cancellationToken)
    {
        IReadOnlyList<LiveResource> live;
        try
        {
            live = await ResourceInventory.ReadAsync(server, kind, cancellationToken).ConfigureAwait(false);
        }
        catch (LxdException e)
        {
            throw ResourceInventory.Unreadable(server, remote, kind, e);
        }

        var results = new List<ResourcePublishResult>();
        foreach (var declaration in declared)
        {
            var existing = live.FirstOrDefault(l => l.Name == declaration.Name);
            IReadOnlyList<FieldChange> changes;
            ResourcePublishAction action;
            if (existing is null)
            {
                changes = CreationChanges(declaration, withForwards);
                action = ResourcePublishAction.Create;
            }
            else
            {
                try
                {
                    changes = await ResourceInventory.CompareAsync(server, declaration, existing, withForwards, cancellationToken).ConfigureAwait(false);
                }
                catch (LxdException e)
                {
                    throw ResourceInventory.Unreadable(server, remote, kind, e);
                }

                // Forwards count only with -WithForwards, which syncs them even without -Update (as lxd-compose does).
                var forwards = changes.Where(IsForward).ToList();
                changes = changes.Where(c => withForwards || !IsForward(c)).ToList();
                (action, changes) = changes.Count == 0 ? (ResourcePublishAction.Unchanged, changes)
                    : kind == ResourceKind.Certificate ? (ResourcePublishAction.LeftAlone, changes)
                    : update ? (ResourcePublishAction.Update, changes)
                    : withForwards && forwards.Count > 0 ? (ResourcePublishAction.Update, forwards)
                    : (ResourcePublishAction.LeftAlone, changes);
            }

            results.Add(new ResourcePublishResult
            {
                Kind = kind, Name = declaration.Name, Remote = remote, Action = action, Changes = changes, Location = declaration.Location,
                Declaration = declaration.Declaration,
            });
        }

        return results;
    }

    /// <summary>Makes a planned Create or Update (the others change nothing); <see cref="ResourcePublishResult.Done"/> tells whether it did.</summary>
    public static async Task ApplyAsync(ILxdServer server, ResourcePublishResult item, bool withForwards, IDeployHost host, CancellationToken cancellationToken)
    {
        try
        {
            switch (item.Action)
            {
                case ResourcePublishAction.Create:
                    host.Log(DeployLogLevel.Information, $"Creating {item.Target}.");
                    await CreateAsync(server, item.Declaration!, withForwards, cancellationToken).ConfigureAwait(false);
                    item.Done = true;
                    break;
                case ResourcePublishAction.Update:
                    var fields = item.Changes.Where(c => !IsForward(c)).ToList();
                    var done = false;
                    if (fields.Count > 0)
                    {
                        var drift = new ResourceDrift(item.Kind, item.Name, fields, true) { Declaration = item.Declaration, Location = item.Location, Remote = item.Remote };
                        done = await ResourceUpdateStep.UpdateAsync(server, drift, host, cancellationToken).ConfigureAwait(false);
                    }

                    if (withForwards && item.Declaration is LxdNetwork network)
                    {
                        done |= await SyncForwardsAsync(server, network, host, cancellationToken).ConfigureAwait(false);
                    }

                    item.Done = done;
                    break;
            }
        }
        catch (LxdException e)
        {
            throw new DeployException($"Cannot {(item.Action == ResourcePublishAction.Create ? "create" : "update")} {item.Target} " +
                $"(declared at {item.Location}): {e.Message}", item.Name, e,
                e is LxdConnectionException or LxdTlsException ? DeployProblem.Unreachable : DeployProblem.Failed);
        }
    }

    private static bool IsForward(FieldChange change) => change.Field.StartsWith("forwards.", StringComparison.Ordinal);

    private static IReadOnlyList<FieldChange> CreationChanges(DeclaredResource declared, bool withForwards)
    {
        var fields = new List<FieldChange>();
        void Add(string field, string value)
        {
            if (value.Length > 0)
            {
                fields.Add(new FieldChange(field, null, value, true));
            }
        }

        void AddMap(string prefix, IReadOnlyDictionary<string, string> map)
        {
            foreach (var (key, value) in map.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                fields.Add(new FieldChange(prefix + key, null, value, true));
            }
        }

        Add("description", DeclaredResources.DefaultDescription(declared.Kind, declared.Name, declared.Description));
        switch (declared.Declaration)
        {
            case LxdProfile profile:
                AddMap("config.", profile.Config);
                foreach (var (name, device) in profile.Devices.OrderBy(d => d.Key, StringComparer.Ordinal))
                {
                    fields.Add(new FieldChange("devices." + name, null, InstanceDriftDetector.FormatDevice(device), true));
                }

                break;
            case LxdNetwork network:
                Add("type", network.Type);
                AddMap("config.", network.Config);
                if (withForwards)
                {
                    fields.AddRange(ResourceDriftDetector.CompareForwards(network, Array.Empty<ServerNetworkForward>(), false));
                }

                break;
            case LxdStoragePool pool:
                Add("driver", pool.Driver);
                AddMap("config.", pool.Config);
                break;
            case LxdNetworkAcl acl:
                AddMap("config.", acl.Config);
                fields.AddRange(ResourceDriftDetector.Compare(acl, new ServerNetworkAcl()).Where(c => c.Field is "egress" or "ingress"));
                break;
            case LxdCertificate certificate:
                Add("type", certificate.Type.Length > 0 ? certificate.Type : "client");
                if (certificate.Restricted)
                {
                    Add("restricted", "true");
                    Add("projects", string.Join(",", certificate.Projects));
                }

                using (var x509 = DeclaredResources.LoadCertificate(certificate))
                {
                    Add("fingerprint", Lxd.Transport.LxdCertificateFiles.Fingerprint(x509));
                }

                break;
        }

        return fields;
    }

    private static async Task CreateAsync(ILxdServer server, object declaration, bool withForwards, CancellationToken cancellationToken)
    {
        switch (declaration)
        {
            case LxdProfile profile:
                await server.Profiles.CreateAsync(new ServerProfile
                {
                    Name = profile.Name, Description = profile.Description, Config = profile.Config.ToDictionary(e => e.Key, e => e.Value),
                    Devices = profile.Devices.ToDictionary(d => d.Key, d => d.Value.ToDictionary(e => e.Key, e => e.Value)),
                }, cancellationToken).ConfigureAwait(false);
                break;
            case LxdNetwork network:
                await server.Networks.CreateAsync(new ServerNetwork
                {
                    Name = network.Name, Type = network.Type, Description = DeclaredResources.DefaultDescription(ResourceKind.Network, network.Name, network.Description),
                    Config = network.Config.ToDictionary(e => e.Key, e => e.Value),
                }, cancellationToken).ConfigureAwait(false);
                if (withForwards)
                {
                    foreach (var forward in network.Forwards)
                    {
                        await server.Networks.CreateForwardAsync(network.Name, ResourceDriftDetector.ToServerForward(network, forward), cancellationToken)
                            .ConfigureAwait(false);
                    }
                }

                break;
            case LxdStoragePool pool:
                await server.StoragePools.CreateAsync(new ServerStoragePool
                {
                    Name = pool.Name, Driver = pool.Driver, Description = DeclaredResources.DefaultDescription(ResourceKind.StoragePool, pool.Name, pool.Description),
                    Config = pool.Config.ToDictionary(e => e.Key, e => e.Value),
                }, cancellationToken).ConfigureAwait(false);
                break;
            case LxdNetworkAcl acl:
                await server.NetworkAcls.CreateAsync(new ServerNetworkAcl
                {
                    Name = acl.Name, Description = DeclaredResources.DefaultDescription(ResourceKind.NetworkAcl, acl.Name, acl.Description),
                    Config = acl.Config.ToDictionary(e => e.Key, e => e.Value),
                    Egress = acl.Egress.Select(ResourceDriftDetector.ToServerRule).ToList(),
                    Ingress = acl.Ingress.Select(ResourceDriftDetector.ToServerRule).ToList(),
                }, cancellationToken).ConfigureAwait(false);
                break;
            case LxdCertificate certificate:
                using (var x509 = DeclaredResources.LoadCertificate(certificate))
                {
                    await server.Certificates.CreateAsync(new ServerCertificate
                    {
                        Name = certificate.Name, Type = certificate.Type.Length > 0 ? certificate.Type : "client", Restricted = certificate.Restricted,
                        Projects = certificate.Projects.ToList(), Certificate = Convert.ToBase64String(x509.RawData),
                    }, cancellationToken).ConfigureAwait(false);
                }

                break;
        }
    }

    /// <summary>The network's forwards become its declared ones: the others deleted, the declared ones updated or created.</summary>
    private static async Task<bool> SyncForwardsAsync(ILxdServer server, LxdNetwork network, IDeployHost host, CancellationToken cancellationToken)
    {
        var live = await server.Networks.ListForwardsAsync(network.Name, cancellationToken).ConfigureAwait(false);
        var changes = ResourceDriftDetector.CompareForwards(network, live, extraOnServer: true);
        foreach (var change in changes)
        {
            var address = change.Field["forwards.".Length..];
            host.Log(DeployLogLevel.Information, $"Network {network.Name} on {server.DisplayName}: forward {change}.");
            if (change.New is null)
            {
                await server.Networks.DeleteForwardAsync(network.Name, address, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var forward = ResourceDriftDetector.ToServerForward(network, network.Forwards.First(f => f.ListenAddress == address));
            if (change.Old is null)
            {
                await server.Networks.CreateForwardAsync(network.Name, forward, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await server.Networks.UpdateForwardAsync(network.Name, forward, cancellationToken).ConfigureAwait(false);
            }
        }

        return changes.Count > 0;
    }
}
