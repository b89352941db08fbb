using LxdCompose.Lxd;

namespace LxdCompose.Deploy;

/// <summary>
/// A group's declared storage pools, networks and profiles that its server lacks, each created when approved; then the
/// drifted ones the plan updates (<see cref="ResourceUpdateStep"/>), each when approved.
/// </summary>
internal static class GroupResourcesStep
{
    public static async Task CreateAsync(ApplyRun run, ILxdServer server, GroupPlan plan)
    {
        // The plan is made per group before anything runs; an earlier group on the same server may have created the
        // same resource since, so only what is still missing is created.
        var host = run.Host;
        var token = run.Token;
        foreach (var pool in plan.StoragePoolsToCreate)
        {
            if (!Approved(run, ApplyPlanItems.StoragePool(plan, pool)) || await server.StoragePools.ExistsAsync(pool.Name, token).ConfigureAwait(false))
            {
                continue;
            }

            host.Log(DeployLogLevel.Information, $"Creating storage pool {pool.Name} on {server.DisplayName}.");
            await server.StoragePools.CreateAsync(new Lxd.Api.ServerStoragePool
            {
                Name = pool.Name, Driver = pool.Driver, Description = pool.Description, Config = pool.Config.ToDictionary(e => e.Key, e => e.Value),
            }, token).ConfigureAwait(false);
        }

        foreach (var network in plan.NetworksToCreate)
        {
            if (!Approved(run, ApplyPlanItems.Network(plan, network)) || await server.Networks.ExistsAsync(network.Name, token).ConfigureAwait(false))
            {
                continue;
            }

            host.Log(DeployLogLevel.Information, $"Creating network {network.Name} on {server.DisplayName}.");
            await server.Networks.CreateAsync(new Lxd.Api.ServerNetwork
            {
                Name = network.Name, Type = network.Type, Description = network.Description,
                Config = network.Config.ToDictionary(e => e.Key, e => e.Value),
            }, token).ConfigureAwait(false);
        }

        foreach (var profile in plan.ProfilesToCreate)
        {
            if (!Approved(run, ApplyPlanItems.Profile(plan, profile)) || await server.Profiles.ExistsAsync(profile.Name, token).ConfigureAwait(false))
            {
                continue;
            }

            host.Log(DeployLogLevel.Information, $"Creating profile {profile.Name} on {server.DisplayName}.");
            await server.Profiles.CreateAsync(new Lxd.Api.ServerProfile
            {
                Name = profile.Name, Description = profile.Description, Config = profile.Config.ToDictionary(e => e.Key, e => e.Value),
                Devices = profile.Devices.ToDictionary(d => d.Key, d => d.Value.ToDictionary(e => e.Key, e => e.Value)),
            }, token).ConfigureAwait(false);
        }

        await ResourceUpdateStep.ApplyAsync(server, plan, drift => Approved(run, ApplyPlanItems.ResourceUpdate(plan, drift)), host, token)
            .ConfigureAwait(false);
    }

    private static bool Approved(ApplyRun run, PlanItem item)
    {
        if (run.Allows(item))
        {
            return true;
        }

        run.Declined(item);
        return false;
    }
}
