using LxdCompose.Deploy;
using LxdCompose.Lxd;
using LxdCompose.Lxd.Api;
using LxdCompose.Specs;
using Xunit;

namespace LxdCompose.Tests.Deploy.Drift;

/// <summary>The plan's action from a node's drift, and the update steps against a server held in memory.</summary>
public sealed class DriftStepTests
{
    private const string Fingerprint = "dde5ba2c5f24c79d9fe5a2914e7c1d48d2a64f63e26aa9c0eaaf23e054819d98";

    private static DesiredInstance Desired(Dictionary<string, string>? config = null, string[]? profiles = null) =>
        new("drift-a", config ?? new Dictionary<string, string>(), profiles ?? new[] { "default" },
            new Dictionary<string, IReadOnlyDictionary<string, string>>(), false, Fingerprint);

    private static LxdInstance Live(string status = "Running", Dictionary<string, string>? config = null) => new()
    {
        Name = "drift-a",
        Status = status,
        Architecture = "x86_64",
        Profiles = new List<string> { "default" },
        Config = new Dictionary<string, string>(config ?? new Dictionary<string, string>())
        {
            ["volatile.base_image"] = Fingerprint,
            ["volatile.eth0.hwaddr"] = "00:16:3e:01:12:15",
            ["image.os"] = "busybox",
            ["user.lxdcompose.creation"] = "unfinished",
        },
    };

    [Fact]
    public void The_action_follows_from_presence_drift_state_and_upgrade()
    {
        Assert.Equal(PlannedAction.Create, NodeDrift.Plan(Desired(), null, upgrade: false).Action);
        Assert.Equal(PlannedAction.Unchanged, NodeDrift.Plan(Desired(), Live(), upgrade: false).Action);
        Assert.Empty(NodeDrift.Plan(Desired(), Live(), upgrade: false).Changes);

        var start = NodeDrift.Plan(Desired(), Live("Stopped"), upgrade: false);
        Assert.Equal(PlannedAction.Start, start.Action);
        Assert.Equal(new FieldChange("state", "Stopped", "Running", true), Assert.Single(start.Changes));

        var update = NodeDrift.Plan(Desired(new() { ["limits.memory"] = "64MB" }), Live(), upgrade: false);
        Assert.Equal((PlannedAction.Update, "config.limits.memory"), (update.Action, Assert.Single(update.Changes).Field));

        var stoppedUpdate = NodeDrift.Plan(Desired(new() { ["limits.memory"] = "64MB" }), Live("Stopped"), upgrade: false);
        Assert.Equal(PlannedAction.Update, stoppedUpdate.Action);
        Assert.Equal(new[] { "config.limits.memory", "state" }, stoppedUpdate.Changes.Select(c => c.Field));

        var replace = NodeDrift.Plan(Desired(new() { ["security.privileged"] = "true", ["limits.memory"] = "64MB" }), Live(), upgrade: false);
        Assert.Equal(PlannedAction.Replace, replace.Action);
        Assert.Equal(2, replace.Changes.Count);

        var upgrade = NodeDrift.Plan(Desired(new() { ["limits.memory"] = "64MB" }), Live(), upgrade: true);
        Assert.Equal(PlannedAction.Upgrade, upgrade.Action);
        Assert.Single(upgrade.Changes);
    }

    [Fact]
    public void The_plan_shows_the_servers_config_without_its_internal_keys()
    {
        var config = NodeDrift.ServerConfig(Live(config: new() { ["limits.memory"] = "128MB" }));

        Assert.Equal(new Dictionary<string, string> { ["limits.memory"] = "128MB", ["user.lxdcompose.creation"] = "unfinished" }, config);
    }

    [Fact]
    public void Update_and_replace_confirmations_name_the_fields()
    {
        var node = new NodePlan
        {
            Node = "drift-a",
            Action = PlannedAction.Update,
            Changes = new[] { new FieldChange("config.limits.memory", "128MB", "64MB", true), new FieldChange("profiles", "default", "default, web", true) },
        };

        Assert.Equal("Update the instance in place: config.limits.memory, profiles", ApplyPlanItems.ActionText(node));
        Assert.Equal("Delete and recreate the instance (replace): image",
            ApplyPlanItems.ActionText(new NodePlan { Action = PlannedAction.Replace, Changes = new[] { new FieldChange("image", "a", "b", false) } }));
        Assert.Equal(ApplyPlanItems.ActionText(PlannedAction.Create), ApplyPlanItems.ActionText(new NodePlan { Action = PlannedAction.Create }));
    }

    [Fact]
    public async Task An_update_puts_the_whole_instance_with_its_etag_keeping_the_servers_keys_and_dropping_the_others()
    {
        var server = new FakeDriftServer();
        var live = Live("Stopped", new() { ["limits.memory"] = "128MB", ["limits.processes"] = "100" });
        live.Devices["data"] = new Dictionary<string, string> { ["type"] = "disk", ["source"] = "/tmp", ["path"] = "/mnt" };
        server.FakeInstances.Add(live);
        var node = new NodePlan { Node = "drift-a", Action = PlannedAction.Update, Desired = Desired(new() { ["limits.memory"] = "64MB" }, new[] { "default", "web" }) };

        var mustStart = await InstanceUpdateStep.ApplyAsync(server, node, new RecordingHost(), CancellationToken.None);

        Assert.True(mustStart);
        var (name, put, etag) = Assert.Single(server.FakeInstances.Puts);
        Assert.Equal(("drift-a", "drift-a-1"), (name, etag));
        Assert.Equal(new Dictionary<string, string>
        {
            ["limits.memory"] = "64MB",
            ["volatile.base_image"] = Fingerprint,
            ["volatile.eth0.hwaddr"] = "00:16:3e:01:12:15",
            ["image.os"] = "busybox",
            ["user.lxdcompose.creation"] = "unfinished",
        }, put.Config);
        Assert.Empty(put.Devices);
        Assert.Equal(new[] { "default", "web" }, put.Profiles);
        Assert.Equal("x86_64", put.Architecture);
        Assert.True(InstanceDriftDetector.Compare(node.Desired!, server.FakeInstances["drift-a"]).IsEmpty);
    }

    [Fact]
    public async Task An_instance_that_already_matches_is_not_written_and_a_running_one_needs_no_start()
    {
        var server = new FakeDriftServer();
        server.FakeInstances.Add(Live());

        var mustStart = await InstanceUpdateStep.ApplyAsync(server, new NodePlan { Node = "drift-a", Desired = Desired() }, new RecordingHost(),
            CancellationToken.None);

        Assert.False(mustStart);
        Assert.Empty(server.FakeInstances.Puts);
    }

    [Fact]
    public async Task A_change_that_appeared_since_the_plan_and_needs_a_replace_stops_the_update()
    {
        var server = new FakeDriftServer();
        server.FakeInstances.Add(Live(config: new() { ["security.privileged"] = "true" }));

        var e = await Assert.ThrowsAsync<DeployException>(() =>
            InstanceUpdateStep.ApplyAsync(server, new NodePlan { Node = "drift-a", Desired = Desired() }, new RecordingHost(), CancellationToken.None));

        Assert.Contains("config.security.privileged", e.Message);
        Assert.Empty(server.FakeInstances.Puts);
    }

    private static GroupPlan GroupWith(params ResourceDrift[] drifts) => new() { Remote = "fake", DriftedResources = drifts };

    private static LxdProfile WebProfile => new()
    {
        Name = "web",
        Config = new Dictionary<string, string> { ["limits.memory"] = "64MB" },
        Devices = new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["eth0"] = new Dictionary<string, string> { ["type"] = "nic", ["network"] = "br1", ["name"] = "eth0" },
        },
    };

    [Fact]
    public async Task Resources_are_updated_only_when_marked_and_approved_networks_and_pools_keep_the_servers_keys()
    {
        var server = new FakeDriftServer();
        server.FakeProfiles.Add(new ServerProfile { Name = "web", Config = new() { ["limits.memory"] = "1GB", ["limits.cpu"] = "2" } });
        server.FakeNetworks.Add(new ServerNetwork { Name = "br1", Type = "bridge", Config = new() { ["ipv4.address"] = "198.18.200.1/24", ["ipv4.nat"] = "true" } });
        server.FakePools.Add(new ServerStoragePool { Name = "fast", Driver = "dir", Config = new() { ["source"] = "/var/fast" } });
        var network = new LxdNetwork { Name = "br1", Type = "bridge", Config = new Dictionary<string, string> { ["ipv4.nat"] = "false" } };
        var pool = new LxdStoragePool { Name = "fast", Driver = "dir", Description = "fast disks" };
        var plan = GroupWith(
            new ResourceDrift(ResourceKind.Profile, "web", ResourceDriftDetector.Compare(WebProfile, server.FakeProfiles["web"]), true) { Declaration = WebProfile },
            new ResourceDrift(ResourceKind.Network, "br1", ResourceDriftDetector.Compare(network, server.FakeNetworks["br1"]), true) { Declaration = network },
            new ResourceDrift(ResourceKind.StoragePool, "fast", ResourceDriftDetector.Compare(pool, server.FakePools["fast"]), false) { Declaration = pool });
        var host = new RecordingHost();

        await ResourceUpdateStep.ApplyAsync(server, plan, host.ApprovesUpdatesOf(plan), host, CancellationToken.None);

        var profilePut = Assert.Single(server.FakeProfiles.Puts);
        Assert.Equal("web-1", profilePut.ETag);
        Assert.Equal(new Dictionary<string, string> { ["limits.memory"] = "64MB" }, profilePut.Item.Config);
        Assert.Equal("br1", profilePut.Item.Devices["eth0"]["network"]);
        var networkPut = Assert.Single(server.FakeNetworks.Puts);
        Assert.Equal(new Dictionary<string, string> { ["ipv4.address"] = "198.18.200.1/24", ["ipv4.nat"] = "false" }, networkPut.Item.Config);
        Assert.Empty(server.FakePools.Puts);
        Assert.Equal(new[] { "network br1 on fake", "profile web on fake" }, host.Asked.Select(a => a.Target));
        Assert.Equal("Update to its declaration: config.ipv4.nat", host.Asked[0].Action);
    }

    [Fact]
    public async Task A_declined_resource_update_writes_nothing_and_one_already_matching_is_not_written()
    {
        var server = new FakeDriftServer();
        server.FakeProfiles.Add(new ServerProfile { Name = "web", Config = new() { ["limits.memory"] = "1GB" } });
        var drift = new ResourceDrift(ResourceKind.Profile, "web", ResourceDriftDetector.Compare(WebProfile, server.FakeProfiles["web"]), true)
        {
            Declaration = WebProfile,
        };

        var declining = new RecordingHost { Approve = (_, _) => false };
        await ResourceUpdateStep.ApplyAsync(server, GroupWith(drift), declining.ApprovesUpdatesOf(GroupWith(drift)), declining, CancellationToken.None);
        Assert.Empty(server.FakeProfiles.Puts);

        // An earlier group on the same server updated it since the plan.
        server.FakeProfiles.Add(new ServerProfile
        {
            Name = "web",
            Config = new() { ["limits.memory"] = "64MB" },
            Devices = new() { ["eth0"] = new() { ["type"] = "nic", ["network"] = "br1", ["name"] = "eth0" } },
        });
        var approving = new RecordingHost();
        await ResourceUpdateStep.ApplyAsync(server, GroupWith(drift), approving.ApprovesUpdatesOf(GroupWith(drift)), approving, CancellationToken.None);
        Assert.Empty(server.FakeProfiles.Puts);
    }

    [Fact]
    public async Task A_resource_change_LXD_refuses_stops_before_writing()
    {
        var server = new FakeDriftServer();
        server.FakePools.Add(new ServerStoragePool { Name = "fast", Driver = "dir", Config = new() { ["source"] = "/var/fast" } });
        var pool = new LxdStoragePool { Name = "fast", Driver = "btrfs" };
        var drift = new ResourceDrift(ResourceKind.StoragePool, "fast", ResourceDriftDetector.Compare(pool, server.FakePools["fast"]), true) { Declaration = pool };

        var host = new RecordingHost();
        var e = await Assert.ThrowsAsync<DeployException>(() =>
            ResourceUpdateStep.ApplyAsync(server, GroupWith(drift), host.ApprovesUpdatesOf(GroupWith(drift)), host, CancellationToken.None));

        Assert.Contains("driver: dir -> btrfs", e.Message);
        Assert.Empty(server.FakePools.Puts);
    }

    [Fact]
    public async Task A_stale_etag_fails_the_update_instead_of_overwriting()
    {
        var server = new FakeDriftServer();
        server.FakeInstances.Add(Live(config: new() { ["limits.memory"] = "128MB" }));
        var instances = (FakeInstances)server.Instances;
        var stale = await instances.GetVersionedAsync("drift-a", CancellationToken.None);
        instances.Touch("drift-a");

        await Assert.ThrowsAsync<LxdPreconditionFailedException>(() => instances.UpdateAsync("drift-a", stale.Value, CancellationToken.None, stale.ETag));
    }
}
