using LxdCompose.Deploy;
using LxdCompose.Lxd;
using LxdCompose.Lxd.Api;
using LxdCompose.Specs;
using LxdCompose.Tests.Lxd;
using Xunit;

namespace LxdCompose.Tests.Deploy.Drift;

/// <summary>
/// Each kind of drift on a real LXD (vm1, remote "local") and a real Incus (incus1): shown in the plan with old -> new,
/// updated in place or replaced by apply, and gone from the next plan; a drifted profile left alone without
/// <see cref="DeployOptions.UpdateResources"/> and updated with it.
/// </summary>
[Collection(LabCollection.Name)]
[Trait("Category", "Lab")]
public sealed class DriftLabTests
{
    private const string CreatedMarker = "drift-created-hook-ran";

    /// <summary>The project: one node with config, a label and two profiles, one of them declared by the specs.</summary>
    private static string Env(string remote, string profile, string memory, string extraConfig = "", string image = "busybox/lab") => $$"""
        version: "1"
        profiles:
          - name: {{profile}}
            config:
              user.drift: one
        projects:
          - name: drift
            groups:
              - name: g
                connection: {{remote}}
                nodes:
                  - name: box
                    image_source: {{image}}
                    image_remote_server: {{remote}}
                    entrypoint: ["/bin/sh", "-c"]
                    profiles: [default, {{profile}}]
                    labels:
                      role: web
                    config:
                      limits.memory: {{memory}}
        {{extraConfig}}
                    hooks:
                      - event: post-node-creation
                        commands:
                          - echo {{CreatedMarker}}
        """;

    private static string IncusRemote(LabEnvironment lab) =>
        $"  incus1:\n    addr: {lab.IncusAddress}\n    protocol: incus\n    public: false\n    auth_type: tls\n";

    private static async Task<(ApplyPlan Plan, DeployOutcome Outcome, RecordingDeployHost Host)> ApplyAsync(string root, string prefix, DeployOptions options,
        CancellationToken token)
    {
        var host = new RecordingDeployHost();
        var (plan, outcome) = await DeployLabKit.ApplyAsync(DeployLabKit.Load(root, prefix), "drift", options, host, token);
        Assert.True(outcome.Succeeded, string.Join("\n", outcome.Failures));
        return (plan, outcome, host);
    }

    private static async Task<ApplyPlan> PlanAsync(string root, string prefix, DeployOptions options, CancellationToken token)
    {
        var specs = DeployLabKit.Load(root, prefix);
        var (config, resolved) = DeployClientConfig.Resolve(specs, options);
        using var connections = new LxdConnections(config);
        return await new ApplyPlanner(specs, connections).PlanAsync(DeployLabKit.Project(specs, "drift"), resolved, new RecordingDeployHost(), token);
    }

    private static int CreationHooksRun(RecordingDeployHost host) =>
        host.Output.Count(l => l.Event == HookEvents.PostNodeCreation && l.Text.Trim() == CreatedMarker);

    [Theory]
    [InlineData("local", "drift-l")]
    [InlineData("incus1", "drift-i")]
    public async Task Each_drift_shows_in_the_plan_apply_updates_or_replaces_and_the_next_plan_is_unchanged(string remote, string prefix)
    {
        var lab = LabEnvironment.Load();
        var profile = prefix + "-p";
        var root = NewRoot(lab, remote, prefix, Env(remote, profile, "64MB"));
        var instance = prefix + "-box";
        var token = LabFixture.Timeout(600);
        using var client = LxdConnector.Connect(DeployLabKit.ConfigOf(root), remote);
        try
        {
            var (_, created, createdHost) = await ApplyAsync(root, prefix, new DeployOptions(), token);
            Assert.Equal(NodeAction.Created, Assert.Single(created.Results).Action);
            Assert.Equal(1, CreationHooksRun(createdHost));

            // What apply made, with everything the server added to it, is what the spec wants.
            var fresh = Assert.Single((await PlanAsync(root, prefix, new DeployOptions(), token)).Nodes);
            Assert.Equal(PlannedAction.Unchanged, fresh.Action);
            Assert.Empty(fresh.Changes);

            // By hand: a config key changed, a device added, a profile detached, a label changed.
            var live = await client.Instances.GetVersionedAsync(instance, token);
            live.Value.Config["limits.memory"] = "128MB";
            live.Value.Config["user.role"] = "db";
            live.Value.Devices["data"] = new Dictionary<string, string> { ["type"] = "disk", ["source"] = "/tmp", ["path"] = "/mnt" };
            live.Value.Profiles.Remove(profile);
            await client.Instances.UpdateAsync(instance, live.Value, token, live.ETag);

            var drifted = Assert.Single((await PlanAsync(root, prefix, new DeployOptions(), token)).Nodes);
            Assert.Equal(PlannedAction.Update, drifted.Action);
            Assert.Equal(new[]
            {
                new FieldChange("profiles", "default", $"default, {profile}", true),
                new FieldChange("config.limits.memory", "128MB", "64MB", true),
                new FieldChange("config.user.role", "db", "web", true),
                new FieldChange("devices.data", "path=/mnt,source=/tmp,type=disk", null, true),
            }, drifted.Changes);
            // The plan shows what the server has.
            Assert.Equal("128MB", drifted.Config["limits.memory"]);
            Assert.Equal(new[] { "default" }, drifted.Profiles);

            var (_, updated, updatedHost) = await ApplyAsync(root, prefix, new DeployOptions(), token);
            Assert.Equal(NodeAction.Updated, Assert.Single(updated.Results).Action);
            Assert.Equal(0, CreationHooksRun(updatedHost));
            var after = await client.Instances.GetAsync(instance, token);
            Assert.Equal(("64MB", "web"), (after.Config["limits.memory"], after.Config["user.role"]));
            Assert.False(after.Devices.ContainsKey("data"));
            Assert.Equal(new[] { "default", profile }, after.Profiles);
            Assert.True(after.IsRunning);
            Assert.Equal(PlannedAction.Unchanged, Assert.Single((await PlanAsync(root, prefix, new DeployOptions(), token)).Nodes).Action);

            // The spec changed: updated in place.
            WriteRoot(root, lab, remote, Env(remote, profile, "96MB"));
            var edited = Assert.Single((await PlanAsync(root, prefix, new DeployOptions(), token)).Nodes);
            Assert.Equal((PlannedAction.Update, new FieldChange("config.limits.memory", "64MB", "96MB", true)), (edited.Action, Assert.Single(edited.Changes)));
            var (_, specUpdated, _) = await ApplyAsync(root, prefix, new DeployOptions(), token);
            Assert.Equal(NodeAction.Updated, Assert.Single(specUpdated.Results).Action);
            Assert.Equal("96MB", (await client.Instances.GetAsync(instance, token)).Config["limits.memory"]);
            Assert.Equal(PlannedAction.Unchanged, Assert.Single((await PlanAsync(root, prefix, new DeployOptions(), token)).Nodes).Action);

            // A key LXD reads only when it starts the container: replaced, and its creation hooks run again.
            var before = await client.Instances.GetAsync(instance, token);
            WriteRoot(root, lab, remote, Env(remote, profile, "96MB", "              limits.kernel.nofile: \"4096\""));
            var replace = Assert.Single((await PlanAsync(root, prefix, new DeployOptions(), token)).Nodes);
            Assert.Equal(PlannedAction.Replace, replace.Action);
            var needsReplace = Assert.Single(replace.Changes);
            Assert.Equal(("config.limits.kernel.nofile", null, "4096", false), (needsReplace.Field, needsReplace.Old, needsReplace.New, needsReplace.InPlace));
            Assert.NotNull(replace.Image);

            var (_, replaced, replacedHost) = await ApplyAsync(root, prefix, new DeployOptions(), token);
            Assert.Equal(NodeAction.Replaced, Assert.Single(replaced.Results).Action);
            Assert.Equal(1, CreationHooksRun(replacedHost));
            var recreated = await client.Instances.GetAsync(instance, token);
            Assert.NotEqual(before.Config["volatile.uuid"], recreated.Config["volatile.uuid"]);
            Assert.Equal("4096", recreated.Config["limits.kernel.nofile"]);
            Assert.Equal(PlannedAction.Unchanged, Assert.Single((await PlanAsync(root, prefix, new DeployOptions(), token)).Nodes).Action);
        }
        finally
        {
            await DestroyAsync(root, prefix, token);
            await DeleteProfileAsync(client, profile, token);
            Directory.Delete(root, true);
        }
    }

    [Theory]
    [InlineData("local", "drift-lp")]
    [InlineData("incus1", "drift-ip")]
    public async Task A_drifted_profile_is_shown_left_alone_without_the_switch_and_updated_with_it(string remote, string prefix)
    {
        var lab = LabEnvironment.Load();
        var profile = prefix + "-p";
        var root = NewRoot(lab, remote, prefix, Env(remote, profile, "64MB"));
        var token = LabFixture.Timeout(600);
        using var client = LxdConnector.Connect(DeployLabKit.ConfigOf(root), remote);
        try
        {
            await ApplyAsync(root, prefix, new DeployOptions(), token);
            Assert.Empty((await PlanAsync(root, prefix, new DeployOptions(), token)).Groups.Single().DriftedResources);

            var live = await client.Profiles.GetVersionedAsync(profile, token);
            live.Value.Config["user.drift"] = "two";
            live.Value.Config["limits.cpu"] = "1";
            await client.Profiles.UpdateAsync(profile, live.Value, token, live.ETag);

            var plan = await PlanAsync(root, prefix, new DeployOptions(), token);
            var drift = Assert.Single(plan.Groups.Single().DriftedResources);
            Assert.Equal((ResourceKind.Profile, profile, false), (drift.Kind, drift.Name, drift.Update));
            Assert.Equal(new[]
            {
                new FieldChange("config.limits.cpu", "1", null, true),
                new FieldChange("config.user.drift", "two", "one", true),
            }, drift.Changes);
            Assert.Contains(plan.Warnings, w => w.Contains(profile, StringComparison.Ordinal) && w.Contains("-UpdateResources", StringComparison.Ordinal));
            // The instance itself does not drift: its own config does not carry the profile's.
            Assert.Equal(PlannedAction.Unchanged, plan.Nodes.Single().Action);

            await ApplyAsync(root, prefix, new DeployOptions(), token);
            Assert.Equal("two", (await client.Profiles.GetAsync(profile, token)).Config["user.drift"]);

            var withSwitch = new DeployOptions { UpdateResources = true };
            Assert.True(Assert.Single((await PlanAsync(root, prefix, withSwitch, token)).Groups.Single().DriftedResources).Update);
            await ApplyAsync(root, prefix, withSwitch, token);
            var updated = await client.Profiles.GetAsync(profile, token);
            Assert.Equal(new Dictionary<string, string> { ["user.drift"] = "one" }, updated.Config);
            Assert.Empty((await PlanAsync(root, prefix, new DeployOptions(), token)).Groups.Single().DriftedResources);
        }
        finally
        {
            await DestroyAsync(root, prefix, token);
            await DeleteProfileAsync(client, profile, token);
            Directory.Delete(root, true);
        }
    }

    [Theory]
    [InlineData("local", "drift-lm")]
    [InlineData("incus1", "drift-im")]
    public async Task A_node_whose_spec_names_another_image_is_replaced(string remote, string prefix)
    {
        var lab = LabEnvironment.Load();
        var profile = prefix + "-p";
        var root = NewRoot(lab, remote, prefix, Env(remote, profile, "64MB"));
        var instance = prefix + "-box";
        var source = prefix + "-src";
        var token = LabFixture.Timeout(600);
        using var client = LxdConnector.Connect(DeployLabKit.ConfigOf(root), remote);
        LxdImage? other = null;
        try
        {
            await ApplyAsync(root, prefix, new DeployOptions(), token);
            var busybox = await client.Images.FindAsync("busybox/lab", token) ?? throw new InvalidOperationException("busybox/lab is missing");

            // Another image: a container of the lab image, published under an alias of this test.
            await client.Instances.CreateAsync(new LxdInstanceCreateRequest { Name = source, Source = LxdInstances.LocalSource(busybox.Fingerprint) }, token);
            other = await client.Images.PublishAsync(source, token, new[] { prefix + "-img" });
            await client.Instances.DeleteAsync(source, token);
            Assert.NotEqual(busybox.Fingerprint, other.Fingerprint);
            WriteRoot(root, lab, remote, Env(remote, profile, "64MB", image: prefix + "-img"));

            var replace = Assert.Single((await PlanAsync(root, prefix, new DeployOptions(), token)).Nodes);
            Assert.Equal(PlannedAction.Replace, replace.Action);
            var change = Assert.Single(replace.Changes);
            Assert.Equal(("image", "busybox/lab", prefix + "-img", false), (change.Field, change.Old, change.New, change.InPlace));

            var (_, replaced, replacedHost) = await ApplyAsync(root, prefix, new DeployOptions(), token);
            Assert.Equal(NodeAction.Replaced, Assert.Single(replaced.Results).Action);
            Assert.Equal(1, CreationHooksRun(replacedHost));
            Assert.Equal(other.Fingerprint, (await client.Instances.GetAsync(instance, token)).Config[InstanceDriftDetector.BaseImageKey]);
            Assert.Equal(PlannedAction.Unchanged, Assert.Single((await PlanAsync(root, prefix, new DeployOptions(), token)).Nodes).Action);
        }
        finally
        {
            await DestroyAsync(root, prefix, token);
            if (await client.Instances.TryGetAsync(source, token) is not null)
            {
                await client.Instances.DeleteAsync(source, token);
            }

            if (other is not null)
            {
                await client.Images.DeleteAsync(other.Fingerprint, token);
            }

            await DeleteProfileAsync(client, profile, token);
            Directory.Delete(root, true);
        }
    }

    [Theory]
    [InlineData("local", "drift-ln", "198.18.241.1/24")]
    [InlineData("incus1", "drift-in", "198.18.242.1/24")]
    public async Task A_drifted_network_is_compared_on_its_declared_keys_and_updated_with_the_switch(string remote, string prefix, string address)
    {
        var lab = LabEnvironment.Load();
        var network = prefix + "br";
        var profile = prefix + "-p";
        var env = $$"""
            version: "1"
            networks:
              - name: {{network}}
                type: bridge
                config:
                  ipv4.address: {{address}}
                  ipv4.nat: "false"
                  ipv6.address: none
            profiles:
              - name: {{profile}}
                devices:
                  eth1:
                    type: nic
                    network: {{network}}
                    name: eth1
            projects:
              - name: drift
                groups:
                  - name: g
                    connection: {{remote}}
                    nodes:
                      - name: box
                        image_source: busybox/lab
                        image_remote_server: {{remote}}
                        profiles: [default, {{profile}}]
            """;
        var root = NewRoot(lab, remote, prefix, env);
        var token = LabFixture.Timeout(600);
        using var client = LxdConnector.Connect(DeployLabKit.ConfigOf(root), remote);
        try
        {
            var (created, _, _) = await ApplyAsync(root, prefix, new DeployOptions(), token);
            Assert.Contains(created.Groups.Single().NetworksToCreate, n => n.Name == network);
            // The keys the server filled in at creation (its own defaults) are no drift.
            Assert.Empty((await PlanAsync(root, prefix, new DeployOptions(), token)).Groups.Single().DriftedResources);

            var live = await client.Networks.GetVersionedAsync(network, token);
            live.Value.Config["ipv4.nat"] = "true";
            await client.Networks.UpdateAsync(network, live.Value, token, live.ETag);

            var drift = Assert.Single((await PlanAsync(root, prefix, new DeployOptions(), token)).Groups.Single().DriftedResources);
            Assert.Equal((ResourceKind.Network, network, false), (drift.Kind, drift.Name, drift.Update));
            Assert.Equal(new FieldChange("config.ipv4.nat", "true", "false", true), Assert.Single(drift.Changes));
            await ApplyAsync(root, prefix, new DeployOptions(), token);
            Assert.Equal("true", (await client.Networks.GetAsync(network, token)).Config["ipv4.nat"]);

            await ApplyAsync(root, prefix, new DeployOptions { UpdateResources = true }, token);
            var updated = await client.Networks.GetAsync(network, token);
            Assert.Equal(("false", address), (updated.Config["ipv4.nat"], updated.Config["ipv4.address"]));
            Assert.Empty((await PlanAsync(root, prefix, new DeployOptions(), token)).Groups.Single().DriftedResources);
        }
        finally
        {
            await DestroyAsync(root, prefix, token);
            await DeleteProfileAsync(client, profile, token);
            if (await client.Networks.ExistsAsync(network, token))
            {
                await client.Networks.DeleteAsync(network, token);
            }

            Directory.Delete(root, true);
        }
    }

    private static async Task DeleteProfileAsync(LxdClient client, string profile, CancellationToken token)
    {
        if (await client.Profiles.ExistsAsync(profile, token))
        {
            await client.Profiles.DeleteAsync(profile, token);
        }
    }

    /// <summary>A spec root for <paramref name="remote"/> (vm1 as local, or incus1 with its server certificate).</summary>
    private static string NewRoot(LabEnvironment lab, string remote, string prefix, string env)
    {
        var root = DeployLabKit.NewSpecRoot(lab, prefix, env, remote == "incus1" ? IncusRemote(lab) : null);
        CopyIncusCertificate(lab, root);
        return root;
    }

    /// <summary>Rewrites a spec root made by <see cref="NewRoot"/> with another environment (the spec changed).</summary>
    private static void WriteRoot(string root, LabEnvironment lab, string remote, string env)
    {
        DeployLabKit.WriteSpecRoot(root, lab, env, remote == "incus1" ? IncusRemote(lab) : null);
        CopyIncusCertificate(lab, root);
    }

    private static void CopyIncusCertificate(LabEnvironment lab, string root) =>
        File.Copy(Path.Combine(lab.ConfigDirectory, "servercerts", "incus1.crt"), Path.Combine(root, "lxd-conf", "servercerts", "incus1.crt"), true);

    private static Task DestroyAsync(string root, string prefix, CancellationToken token) =>
        DeployLabKit.ShutdownAsync(DeployLabKit.Load(root, prefix), "drift", ShutdownKind.Destroy, new DeployOptions(), new RecordingDeployHost(), token);
}
