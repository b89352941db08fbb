using LxdCompose.Lxd;
using LxdCompose.Lxd.Api;
using LxdCompose.Specs;

namespace LxdCompose.Deploy;

/// <summary>Where a resource stands: declared, on the server, both (alike or not).</summary>
public enum ResourceState
{
    /// <summary>Declared and on the server, alike.</summary>
    InSync,

    /// <summary>Declared and on the server, different (<see cref="ResourceStatus.Changes"/>: server -> declaration).</summary>
    Differs,

    /// <summary>Declared, not on the server.</summary>
    Missing,

    /// <summary>On the server, declared by none of the environments read.</summary>
    Undeclared,

    /// <summary>Declared; no server was read (-DeclaredOnly).</summary>
    Declared,
}

/// <summary>A profile, network, storage pool, network ACL or certificate: what the specs declare beside what a server has.</summary>
public sealed class ResourceStatus
{
    public ResourceKind Kind { get; init; }

    public string Name { get; init; } = string.Empty;

    /// <summary>The remote read; null when no server was read.</summary>
    public string? Remote { get; init; }

    public ResourceState State { get; init; }

    public bool Declared => Declaration is not null;

    /// <summary>On the server; null when no server was read.</summary>
    public bool? Present { get; init; }

    /// <summary>Server -> declaration, for a declared resource on the server.</summary>
    public IReadOnlyList<FieldChange> Changes { get; init; } = Array.Empty<FieldChange>();

    /// <summary>A network's type, a pool's driver, a certificate's type.</summary>
    public string Type { get; init; } = string.Empty;

    public string Description { get; init; } = string.Empty;

    public string Documentation { get; init; } = string.Empty;

    /// <summary>A certificate's fingerprint (the server's, else the declared certificate's).</summary>
    public string Fingerprint { get; init; } = string.Empty;

    /// <summary>Where it is declared (<c>file:line:column</c>); null when undeclared.</summary>
    public SourceLocation? Location { get; init; }

    public string? EnvironmentFile { get; init; }

    /// <summary>The declaration (<see cref="LxdProfile"/>, <see cref="LxdNetwork"/>, ...); null when undeclared.</summary>
    public object? Declaration { get; init; }

    /// <summary>The server's object (<see cref="ServerProfile"/>, <see cref="ServerNetwork"/>, ...); null when absent or not read.</summary>
    public object? ServerObject { get; init; }

    public override string ToString() =>
        $"{ResourceDriftPlanner.Describe(Kind)} {Name}{(Remote is null ? string.Empty : " on " + Remote)}: {State}" +
        (Changes.Count > 0 ? $" ({string.Join("; ", Changes)})" : string.Empty);
}

/// <summary>One object of a kind as a server lists it.</summary>
internal sealed record LiveResource(string Name, object Value, string Type, string Description, string Fingerprint);

/// <summary>Reads a server's resources of one kind and sets them beside the declared ones (profile|network|storage|acl|trust list).</summary>
public static class ResourceInventory
{
    /// <summary>The declarations alone, without reading a server (lxd-compose's <c>storage list</c>, <c>acl list</c>).</summary>
    public static IReadOnlyList<ResourceStatus> Declarations(IReadOnlyList<DeclaredResource> declared) =>
        declared.Select(d => Status(d, null, null, Array.Empty<FieldChange>(), ResourceState.Declared)).ToList();

    /// <summary>
    /// Every resource of <paramref name="kind"/> on the server and every declared one, in name order; a declared one on
    /// the server is compared with it (<see cref="ResourceDriftDetector"/>; a network's declared forwards too).
    /// </summary>
    public static async Task<IReadOnlyList<ResourceStatus>> ListAsync(ILxdServer server, string remote, ResourceKind kind,
        IReadOnlyList<DeclaredResource> declared, CancellationToken cancellationToken)
    {
        IReadOnlyList<LiveResource> live;
        try
        {
            live = await ReadAsync(server, kind, cancellationToken).ConfigureAwait(false);
        }
        catch (LxdException e)
        {
            throw Unreadable(server, remote, kind, e);
        }

        var byName = declared.ToDictionary(d => d.Name, StringComparer.Ordinal);
        var statuses = new List<ResourceStatus>();
        foreach (var item in live)
        {
            if (!byName.TryGetValue(item.Name, out var declaration))
            {
                statuses.Add(new ResourceStatus
                {
                    Kind = kind, Name = item.Name, Remote = remote, State = ResourceState.Undeclared, Present = true, Type = item.Type,
                    Description = item.Description, Fingerprint = item.Fingerprint, ServerObject = item.Value,
                });
                continue;
            }

            if (statuses.Any(s => s.Declared && s.Name == item.Name))
            {
                continue; // certificates: several may share a name; the first one stands for the declared one
            }

            var changes = await CompareAsync(server, declaration, item, withForwards: false, cancellationToken).ConfigureAwait(false);
            statuses.Add(Status(declaration, remote, item, changes, changes.Count == 0 ? ResourceState.InSync : ResourceState.Differs));
        }

        foreach (var declaration in declared.Where(d => live.All(l => l.Name != d.Name)))
        {
            statuses.Add(Status(declaration, remote, null, Array.Empty<FieldChange>(), ResourceState.Missing));
        }

        return statuses.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The changes that make <paramref name="live"/> its declaration; a network's forwards with <paramref name="withForwards"/>
    /// (all of them, the server's extra ones to delete), else its declared forwards only when it has some.
    /// </summary>
    internal static async Task<IReadOnlyList<FieldChange>> CompareAsync(ILxdServer server, DeclaredResource declared, LiveResource live, bool withForwards,
        CancellationToken cancellationToken)
    {
        switch (declared.Declaration)
        {
            case LxdProfile profile:
                return ResourceDriftDetector.Compare(profile, (ServerProfile)live.Value);
            case LxdNetwork network:
                var changes = ResourceDriftDetector.Compare(network, (ServerNetwork)live.Value).ToList();
                if (withForwards || network.Forwards.Count > 0)
                {
                    var forwards = await server.Networks.ListForwardsAsync(network.Name, cancellationToken).ConfigureAwait(false);
                    changes.AddRange(ResourceDriftDetector.CompareForwards(network, forwards, withForwards));
                }

                return changes;
            case LxdStoragePool pool:
                return ResourceDriftDetector.Compare(pool, (ServerStoragePool)live.Value);
            case LxdNetworkAcl acl:
                return ResourceDriftDetector.Compare(acl, (ServerNetworkAcl)live.Value);
            case LxdCertificate certificate:
                using (var x509 = DeclaredResources.LoadCertificate(certificate))
                {
                    return ResourceDriftDetector.Compare(certificate, Lxd.Transport.LxdCertificateFiles.Fingerprint(x509), (ServerCertificate)live.Value);
                }

            default:
                throw new ArgumentException($"not a declared resource: {declared.Declaration}", nameof(declared));
        }
    }

    internal static async Task<IReadOnlyList<LiveResource>> ReadAsync(ILxdServer server, ResourceKind kind, CancellationToken cancellationToken) => kind switch
    {
        ResourceKind.Profile => (await server.Profiles.ListAsync(cancellationToken).ConfigureAwait(false))
            .Select(p => new LiveResource(p.Name, p, string.Empty, p.Description, string.Empty)).ToList(),
        ResourceKind.Network => (await server.Networks.ListAsync(cancellationToken).ConfigureAwait(false))
            .Select(n => new LiveResource(n.Name, n, n.Type, n.Description, string.Empty)).ToList(),
        ResourceKind.StoragePool => (await server.StoragePools.ListAsync(cancellationToken).ConfigureAwait(false))
            .Select(p => new LiveResource(p.Name, p, p.Driver, p.Description, string.Empty)).ToList(),
        ResourceKind.NetworkAcl => (await server.NetworkAcls.ListAsync(cancellationToken).ConfigureAwait(false))
            .Select(a => new LiveResource(a.Name, a, string.Empty, a.Description, string.Empty)).ToList(),
        _ => (await server.Certificates.ListAsync(cancellationToken).ConfigureAwait(false))
            .Select(c => new LiveResource(c.Name, c, c.Type, c.Description, c.Fingerprint)).ToList(),
    };

    internal static DeployException Unreadable(ILxdServer server, string remote, ResourceKind kind, LxdException e) =>
        new($"Cannot read the {Plural(kind)} of remote '{remote}' ({server.DisplayName}): {e.Message}", remote, e,
            e is LxdConnectionException or LxdTlsException ? DeployProblem.Unreachable : DeployProblem.Failed);

    /// <summary>"Profile", "Network ACL", ...</summary>
    public static string Describe(ResourceKind kind) => ResourceDriftPlanner.Describe(kind);

    /// <summary>"profiles", "network ACLs", ...</summary>
    public static string Plural(ResourceKind kind) => kind switch
    {
        ResourceKind.Profile => "profiles",
        ResourceKind.Network => "networks",
        ResourceKind.StoragePool => "storage pools",
        ResourceKind.NetworkAcl => "network ACLs",
        _ => "trusted certificates",
    };

    private static ResourceStatus Status(DeclaredResource declared, string? remote, LiveResource? live, IReadOnlyList<FieldChange> changes, ResourceState state) =>
        new()
        {
            Kind = declared.Kind,
            Name = declared.Name,
            Remote = remote,
            State = state,
            Present = remote is null ? null : live is not null,
            Changes = changes,
            Type = live?.Type ?? DeclaredType(declared.Declaration),
            Description = live?.Description is { Length: > 0 } d ? d : declared.Description,
            Documentation = declared.Documentation,
            Fingerprint = live?.Fingerprint ?? string.Empty,
            Location = declared.Location,
            EnvironmentFile = declared.EnvironmentFile,
            Declaration = declared.Declaration,
            ServerObject = live?.Value,
        };

    private static string DeclaredType(object declaration) => declaration switch
    {
        LxdNetwork n => n.Type,
        LxdStoragePool p => p.Driver,
        LxdCertificate c => c.Type.Length > 0 ? c.Type : "client",
        _ => string.Empty,
    };
}
