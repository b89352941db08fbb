using LxdCompose.Deploy;
using LxdCompose.Lxd.Api;
using LxdCompose.Specs;
using Xunit;

namespace LxdCompose.Tests.Deploy.Drift;

/// <summary>Every rule of <see cref="InstanceDriftDetector"/>, against instances shaped as LXD 5.0 and Incus 6.0 return them.</summary>
public sealed class InstanceDriftDetectorTests
{
    private const string Fingerprint = "dde5ba2c5f24c79d9fe5a2914e7c1d48d2a64f63e26aa9c0eaaf23e054819d98";
    private const string ImageSource = "busybox/lab";

    private static DesiredInstance Desired(Dictionary<string, string>? config = null, string[]? profiles = null,
        Dictionary<string, IReadOnlyDictionary<string, string>>? devices = null, bool ephemeral = false, string? image = ImageSource) =>
        new("drift-a", config ?? new Dictionary<string, string>(), profiles ?? new[] { "default" },
            devices ?? new Dictionary<string, IReadOnlyDictionary<string, string>>(), ephemeral, image);

    /// <summary>An instance as GET /1.0/instances/name returns it right after apply created it from the busybox image.</summary>
    private static LxdInstance Live(Dictionary<string, string>? config = null, string[]? profiles = null)
    {
        var instance = new LxdInstance
        {
            Name = "drift-a",
            Status = "Running",
            Profiles = (profiles ?? new[] { "default" }).ToList(),
            Config = new Dictionary<string, string>
            {
                ["image.architecture"] = "amd64",
                ["image.description"] = "BusyBox (LxdCompose lab)",
                ["image.os"] = "busybox",
                ["image.release"] = "lab",
                ["volatile.base_image"] = Fingerprint,
                ["volatile.cloud-init.instance-id"] = "a3bf9bde-e347-496c-9f5c-5c7ad65de35b",
                ["volatile.eth0.host_name"] = "veth90e5f9fa",
                ["volatile.eth0.hwaddr"] = "00:16:3e:01:12:15",
                ["volatile.idmap.base"] = "0",
                ["volatile.last_state.power"] = "RUNNING",
                ["volatile.uuid"] = "112f04b9-3964-48ed-9c18-a5cf0e2b5c11",
                ["volatile.uuid.generation"] = "112f04b9-3964-48ed-9c18-a5cf0e2b5c11",
                ["user.lxdcompose.creation"] = "unfinished",
                [InstanceDriftDetector.ImageSourceKey] = ImageSource,
            },
            // What the profiles give is in expanded_*; it must not count.
            ExpandedConfig = new Dictionary<string, string> { ["limits.cpu"] = "2" },
            ExpandedDevices = new Dictionary<string, Dictionary<string, string>>
            {
                ["eth0"] = new() { ["type"] = "nic", ["network"] = "lxdbr0", ["name"] = "eth0" },
            },
        };
        foreach (var (key, value) in config ?? new Dictionary<string, string>())
        {
            instance.Config[key] = value;
        }

        return instance;
    }

    [Fact]
    public void An_instance_as_apply_made_it_has_no_drift_whatever_the_server_added()
    {
        var drift = InstanceDriftDetector.Compare(Desired(new() { ["limits.memory"] = "64MB", ["user.role"] = "web" }),
            Live(new() { ["limits.memory"] = "64MB", ["user.role"] = "web" }));

        Assert.True(drift.IsEmpty);
        Assert.False(drift.NeedsReplace);
    }

    [Fact]
    public void A_config_key_changed_by_hand_is_an_update_in_place_with_old_and_new()
    {
        var drift = InstanceDriftDetector.Compare(Desired(new() { ["limits.memory"] = "64MB" }), Live(new() { ["limits.memory"] = "128MB" }));

        var change = Assert.Single(drift.Changes);
        Assert.Equal(new FieldChange("config.limits.memory", "128MB", "64MB", true), change);
        Assert.False(drift.NeedsReplace);
        Assert.Equal("config.limits.memory: 128MB -> 64MB", change.ToString());
    }

    [Fact]
    public void A_key_only_the_server_has_is_removed_and_a_key_only_the_spec_has_is_added()
    {
        var drift = InstanceDriftDetector.Compare(Desired(new() { ["limits.cpu"] = "1" }), Live(new() { ["limits.processes"] = "100" }));

        Assert.Equal(new[]
        {
            new FieldChange("config.limits.cpu", null, "1", true),
            new FieldChange("config.limits.processes", "100", null, true),
        }, drift.Changes);
    }

    [Fact]
    public void A_changed_label_is_a_user_key()
    {
        var desired = DesiredInstance.Of(
            new LxdGroup { Name = "g" },
            new LxdNode { Name = "drift-a", Labels = new Dictionary<string, string> { ["role"] = "web" } });

        var drift = InstanceDriftDetector.Compare(desired, Live(new() { ["user.role"] = "db" }));

        Assert.Equal(new FieldChange("config.user.role", "db", "web", true), Assert.Single(drift.Changes));
    }

    [Theory]
    [InlineData("volatile.eth1.hwaddr")]
    [InlineData("image.serial")]
    [InlineData("user.lxdcompose.creation")]
    public void Keys_the_server_or_the_engine_writes_are_ignored_on_either_side(string key)
    {
        Assert.True(InstanceDriftDetector.Compare(Desired(new() { [key] = "spec" }), Live(new() { [key] = "server" })).IsEmpty);
        Assert.True(InstanceDriftDetector.Compare(Desired(), Live(new() { [key] = "server" })).IsEmpty);
    }

    [Theory]
    [InlineData("security.privileged")]
    [InlineData("security.idmap.isolated")]
    [InlineData("raw.idmap")]
    [InlineData("raw.lxc")]
    [InlineData("security.syscalls.intercept.mknod")]
    [InlineData("limits.kernel.nofile")]
    public void A_key_LXD_reads_only_at_start_needs_a_replace(string key)
    {
        var drift = InstanceDriftDetector.Compare(Desired(new() { [key] = "true" }), Live());

        var change = Assert.Single(drift.Changes);
        Assert.False(change.InPlace);
        Assert.Contains(key, change.ReplaceReason);
        Assert.True(drift.NeedsReplace);
    }

    [Theory]
    [InlineData("limits.memory")]
    [InlineData("security.nesting")]
    [InlineData("environment.FOO")]
    [InlineData("boot.autostart")]
    public void A_key_LXD_applies_to_a_running_container_is_in_place(string key) =>
        Assert.True(Assert.Single(InstanceDriftDetector.Compare(Desired(new() { [key] = "1" }), Live()).Changes).InPlace);

    [Fact]
    public void A_detached_profile_shows_the_lists_in_order()
    {
        var drift = InstanceDriftDetector.Compare(Desired(profiles: new[] { "default", "web" }), Live(profiles: new[] { "default" }));

        Assert.Equal(new FieldChange("profiles", "default", "default, web", true), Assert.Single(drift.Changes));
    }

    [Fact]
    public void The_order_of_profiles_matters()
    {
        var drift = InstanceDriftDetector.Compare(Desired(profiles: new[] { "default", "web" }), Live(profiles: new[] { "web", "default" }));

        Assert.Equal(new FieldChange("profiles", "web, default", "default, web", true), Assert.Single(drift.Changes));
    }

    [Fact]
    public void A_node_without_profiles_wants_the_profile_LXD_gives_it()
    {
        var desired = DesiredInstance.Of(new LxdGroup { Name = "g" }, new LxdNode { Name = "drift-a", ImageSource = ImageSource });

        Assert.Equal(new[] { DesiredInstance.DefaultProfile }, desired.Profiles);
        Assert.True(InstanceDriftDetector.Compare(desired, Live()).IsEmpty);
    }

    [Fact]
    public void A_device_added_by_hand_is_removed_in_place_and_profile_devices_do_not_count()
    {
        var live = Live();
        live.Devices["data"] = new Dictionary<string, string> { ["type"] = "disk", ["source"] = "/tmp", ["path"] = "/mnt" };

        var drift = InstanceDriftDetector.Compare(Desired(), live);

        Assert.Equal(new FieldChange("devices.data", "path=/mnt,source=/tmp,type=disk", null, true), Assert.Single(drift.Changes));
    }

    [Fact]
    public void A_changed_device_shows_its_keys_and_moving_the_root_disk_needs_a_replace()
    {
        var live = Live();
        live.Devices["root"] = new Dictionary<string, string> { ["type"] = "disk", ["path"] = "/", ["pool"] = "default" };
        var resized = new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["root"] = new Dictionary<string, string> { ["type"] = "disk", ["path"] = "/", ["pool"] = "default", ["size"] = "1GB" },
        };
        var moved = new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["root"] = new Dictionary<string, string> { ["type"] = "disk", ["path"] = "/", ["pool"] = "fast" },
        };

        var resize = Assert.Single(InstanceDriftDetector.Compare(Desired(devices: resized), live).Changes);
        var move = Assert.Single(InstanceDriftDetector.Compare(Desired(devices: moved), live).Changes);

        Assert.Equal(new FieldChange("devices.root", "path=/,pool=default,type=disk", "path=/,pool=default,size=1GB,type=disk", true), resize);
        Assert.False(move.InPlace);
        Assert.NotNull(move.ReplaceReason);
    }

    [Fact]
    public void Ephemeral_changes_in_place()
    {
        var drift = InstanceDriftDetector.Compare(Desired(ephemeral: true), Live());

        Assert.Equal(new FieldChange("ephemeral", "false", "true", true), Assert.Single(drift.Changes));
    }

    [Fact]
    public void Another_image_source_needs_a_replace_and_a_newer_build_or_an_unrecorded_source_is_not_drift()
    {
        var change = Assert.Single(InstanceDriftDetector.Compare(Desired(image: "debian/lab"), Live()).Changes);
        Assert.Equal(("image", ImageSource, "debian/lab", false), (change.Field, change.Old, change.New, change.InPlace));
        Assert.NotNull(change.ReplaceReason);
        Assert.True(InstanceDriftDetector.Compare(Desired(image: null), Live()).IsEmpty);

        // A newer build behind the same alias: another fingerprint, the same image_source.
        var rebuilt = Live();
        rebuilt.Config[InstanceDriftDetector.BaseImageKey] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        Assert.True(InstanceDriftDetector.Compare(Desired(), rebuilt).IsEmpty);

        // Made by lxd-compose or by hand: no recorded source, nothing to compare.
        var unrecorded = Live();
        unrecorded.Config.Remove(InstanceDriftDetector.ImageSourceKey);
        Assert.True(InstanceDriftDetector.Compare(Desired(image: "debian/lab"), unrecorded).IsEmpty);
    }

    [Fact]
    public void Changes_come_in_a_stable_order_image_ephemeral_profiles_config_devices()
    {
        var live = Live(new() { ["limits.memory"] = "1GB" }, new[] { "x" });
        live.Devices["data"] = new Dictionary<string, string> { ["type"] = "none" };

        var drift = InstanceDriftDetector.Compare(Desired(ephemeral: true, image: "ff"), live);

        Assert.Equal(new[] { "image", "ephemeral", "profiles", "config.limits.memory", "devices.data" }, drift.Changes.Select(c => c.Field));
    }
}
