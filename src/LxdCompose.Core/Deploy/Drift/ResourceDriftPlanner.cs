using LxdCompose.Lxd;
using LxdCompose.Specs;

namespace LxdCompose.Deploy;

/// <summary>
/// Reads the declared profiles a group uses, and the declared networks and storage pools those profiles' devices use,
/// from the group's server, and lists the ones that differ from their declaration.
/// </summary>
internal static class ResourceDriftPlanner
{
    public static async Task<IReadOnlyList<ResourceDrift>> PlanAsync(ILxdServer client, LxdEnvironment environment, IReadOnlyList<LxdProfile> profiles,
        IReadOnlyList<string> profileNames, IReadOnlyList<string> networkNames, IReadOnlyList<string> poolNames, DeployOptions options, string remote,
        string project, string group, List<string> warnings, CancellationToken cancellationToken)
    {
        var drifted = new List<ResourceDrift>();
        void Add(ResourceKind kind, string name, IReadOnlyList<FieldChange> changes, SourceLocation location, object declaration)
        {
            if (changes.Count == 0)
            {
                return;
            }

            var drift = new ResourceDrift(kind, name, changes, options.UpdateResources) { Location = location, Declaration = declaration, Remote = remote, Project = project, Group = group };
            drifted.Add(drift);
            if (!drift.Update)
            {
                warnings.Add($"{Describe(kind)} '{name}' on remote '{remote}' differs from its declaration at {location} " +
                             $"({string.Join("; ", changes)}); apply leaves it alone without -UpdateResources.");
            }
        }

        var networksUsed = ApplyPlanner.UsedDeviceKeys(profiles, "network", "parent");
        var poolsUsed = ApplyPlanner.UsedDeviceKeys(profiles, "pool");
        try
        {
            foreach (var pool in environment.Storages.Where(p => poolsUsed.Contains(p.Name) && poolNames.Contains(p.Name, StringComparer.Ordinal)))
            {
                var live = await client.StoragePools.GetAsync(pool.Name, cancellationToken).ConfigureAwait(false);
                Add(ResourceKind.StoragePool, pool.Name, ResourceDriftDetector.Compare(pool, live), pool.Location, pool);
            }

            foreach (var network in environment.Networks.Where(n => networksUsed.Contains(n.Name) && networkNames.Contains(n.Name, StringComparer.Ordinal)))
            {
                var live = await client.Networks.GetAsync(network.Name, cancellationToken).ConfigureAwait(false);
                Add(ResourceKind.Network, network.Name, ResourceDriftDetector.Compare(network, live), network.Location, network);
            }

            foreach (var profile in profiles.Where(p => profileNames.Contains(p.Name, StringComparer.Ordinal)))
            {
                var live = await client.Profiles.GetAsync(profile.Name, cancellationToken).ConfigureAwait(false);
                Add(ResourceKind.Profile, profile.Name, ResourceDriftDetector.Compare(profile, live), profile.Location, profile);
            }
        }
        catch (LxdException e)
        {
            throw new DeployException($"Cannot read the profiles, networks and storage pools of remote '{remote}' ({client.DisplayName}): {e.Message}",
                remote, e, e is LxdConnectionException or LxdTlsException ? DeployProblem.Unreachable : DeployProblem.Failed);
        }

        return drifted;
    }

    public static string Describe(ResourceKind kind) => kind switch
    {
        ResourceKind.Profile => "Profile",
        ResourceKind.Network => "Network",
        ResourceKind.StoragePool => "Storage pool",
        ResourceKind.NetworkAcl => "Network ACL",
        _ => "Certificate",
    };
}
