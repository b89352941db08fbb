using LxdCompose.Lxd;
using LxdCompose.Lxd.Api;
using LxdCompose.Specs;

namespace LxdCompose.Deploy;

/// <summary>
/// Updates the drifted profiles, networks and storage pools a group's plan marks for update
/// (<see cref="DeployOptions.UpdateResources"/>), and those Publish-Lxd* updates: each is read again, and written back with PUT and the ETag it was
/// read with when it still differs (an earlier group on the same server may have updated it). A profile becomes its
/// declaration; a network or pool gets the declared keys and keeps the ones LXD filled in.
/// </summary>
public static class ResourceUpdateStep
{
    /// <summary>The target and description of a resource update's plan item (<see cref="ApplyPlanItems.ResourceUpdate"/>).</summary>
    public static (string Target, string Action) Confirmation(ResourceDrift drift, string remote) =>
        ($"{ResourceDriftPlanner.Describe(drift.Kind).ToLowerInvariant()} {drift.Name} on {remote}",
            $"Update to its declaration: {string.Join(", ", drift.Changes.Select(c => c.Field))}");

    /// <summary>The resources a group's plan updates, pools and networks first: an updated profile may use them.</summary>
    public static IEnumerable<ResourceDrift> InOrder(GroupPlan plan) => plan.StoragePoolsToUpdate.Concat(plan.NetworksToUpdate).Concat(plan.ProfilesToUpdate);

    /// <summary>Updates the resources whose items <paramref name="approved"/> approves.</summary>
    internal static async Task ApplyAsync(ILxdServer client, GroupPlan plan, Func<ResourceDrift, bool> approved, IDeployHost host,
        CancellationToken cancellationToken)
    {
        foreach (var drift in InOrder(plan))
        {
            if (approved(drift))
            {
                await UpdateAsync(client, drift, host, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Reads the drifted resource again and writes its declaration back under the ETag it was read with, when it still
    /// differs; false when nothing was left to change. A profile becomes its declaration; a network, pool or network ACL
    /// gets the declared keys and keeps the ones LXD filled in.
    /// </summary>
    public static async Task<bool> UpdateAsync(ILxdServer client, ResourceDrift drift, IDeployHost host, CancellationToken cancellationToken)
    {
        switch (drift.Declaration)
        {
            case LxdStoragePool pool:
                var livePool = await client.StoragePools.GetVersionedAsync(pool.Name, cancellationToken).ConfigureAwait(false);
                if (Changes(drift, ResourceDriftDetector.Compare(pool, livePool.Value), client, host) is null)
                {
                    return false;
                }

                livePool.Value.Config = Merged(livePool.Value.Config, pool.Config);
                livePool.Value.Description = Described(pool.Description, livePool.Value.Description);
                await client.StoragePools.UpdateAsync(pool.Name, livePool.Value, cancellationToken, livePool.ETag).ConfigureAwait(false);
                return true;
            case LxdNetwork network:
                var liveNetwork = await client.Networks.GetVersionedAsync(network.Name, cancellationToken).ConfigureAwait(false);
                if (Changes(drift, ResourceDriftDetector.Compare(network, liveNetwork.Value), client, host) is null)
                {
                    return false;
                }

                liveNetwork.Value.Config = Merged(liveNetwork.Value.Config, network.Config);
                liveNetwork.Value.Description = Described(network.Description, liveNetwork.Value.Description);
                await client.Networks.UpdateAsync(network.Name, liveNetwork.Value, cancellationToken, liveNetwork.ETag).ConfigureAwait(false);
                return true;
            case LxdNetworkAcl acl:
                var liveAcl = await client.NetworkAcls.GetVersionedAsync(acl.Name, cancellationToken).ConfigureAwait(false);
                if (Changes(drift, ResourceDriftDetector.Compare(acl, liveAcl.Value), client, host) is null)
                {
                    return false;
                }

                liveAcl.Value.Config = Merged(liveAcl.Value.Config, acl.Config);
                liveAcl.Value.Description = Described(acl.Description, liveAcl.Value.Description);
                liveAcl.Value.Egress = acl.Egress.Select(ResourceDriftDetector.ToServerRule).ToList();
                liveAcl.Value.Ingress = acl.Ingress.Select(ResourceDriftDetector.ToServerRule).ToList();
                await client.NetworkAcls.UpdateAsync(acl.Name, liveAcl.Value, cancellationToken, liveAcl.ETag).ConfigureAwait(false);
                return true;
            case LxdProfile profile:
                var liveProfile = await client.Profiles.GetVersionedAsync(profile.Name, cancellationToken).ConfigureAwait(false);
                if (Changes(drift, ResourceDriftDetector.Compare(profile, liveProfile.Value), client, host) is null)
                {
                    return false;
                }

                await client.Profiles.UpdateAsync(profile.Name, new ServerProfile
                {
                    Name = profile.Name,
                    Description = Described(profile.Description, liveProfile.Value.Description),
                    Config = profile.Config.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal),
                    Devices = profile.Devices.ToDictionary(d => d.Key, d => d.Value.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal),
                        StringComparer.Ordinal),
                }, cancellationToken, liveProfile.ETag).ConfigureAwait(false);
                return true;
            default:
                throw new DeployException($"{ResourceDriftPlanner.Describe(drift.Kind)} {drift.Name} cannot be updated: LXD has no update for it.",
                    drift.Name, null, DeployProblem.Failed);
        }
    }

    /// <summary>The changes still to make (null: none left); a change LXD refuses stops the run before anything is written.</summary>
    private static IReadOnlyList<FieldChange>? Changes(ResourceDrift drift, IReadOnlyList<FieldChange> changes, ILxdServer client, IDeployHost host)
    {
        var what = $"{ResourceDriftPlanner.Describe(drift.Kind)} {drift.Name}";
        if (changes.Count == 0)
        {
            host.Log(DeployLogLevel.Verbose, $"{what} on {client.DisplayName} already matches its declaration.");
            return null;
        }

        if (changes.FirstOrDefault(c => !c.InPlace) is { } refused)
        {
            throw new DeployException(
                $"{what} on {client.DisplayName} cannot be updated to its declaration at {drift.Location}: {refused} ({refused.ReplaceReason}); " +
                "recreate it by hand or change the declaration.", drift.Name, null, DeployProblem.Failed);
        }

        host.Log(DeployLogLevel.Information, $"Updating {what} on {client.DisplayName}: {string.Join("; ", changes)}.");
        return changes;
    }

    private static Dictionary<string, string> Merged(IReadOnlyDictionary<string, string> live, IReadOnlyDictionary<string, string> declared)
    {
        var merged = new Dictionary<string, string>(live, StringComparer.Ordinal);
        foreach (var (key, value) in declared)
        {
            merged[key] = value;
        }

        return merged;
    }

    private static string Described(string declared, string live) => declared.Length > 0 ? declared : live;
}
