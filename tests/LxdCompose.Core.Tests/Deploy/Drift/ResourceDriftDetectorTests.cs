using LxdCompose.Deploy;
using LxdCompose.Lxd.Api;
using LxdCompose.Specs;
using Xunit;

namespace LxdCompose.Tests.Deploy.Drift;

/// <summary>Every rule of <see cref="ResourceDriftDetector"/>.</summary>
public sealed class ResourceDriftDetectorTests
{
    [Fact]
    public void A_profile_is_compared_whole_config_and_devices()
    {
        var declared = new LxdProfile
        {
            Name = "web",
            Config = new Dictionary<string, string> { ["limits.memory"] = "64MB" },
            Devices = new Dictionary<string, IReadOnlyDictionary<string, string>>
            {
                ["eth0"] = new Dictionary<string, string> { ["type"] = "nic", ["network"] = "lxdbr0", ["name"] = "eth0" },
            },
        };
        var live = new ServerProfile
        {
            Name = "web",
            Description = "set by hand",
            Config = new() { ["limits.memory"] = "64MB", ["limits.cpu"] = "2" },
            Devices = new() { ["eth0"] = new() { ["type"] = "nic", ["network"] = "other", ["name"] = "eth0" }, ["x"] = new() { ["type"] = "none" } },
        };

        var changes = ResourceDriftDetector.Compare(declared, live);

        Assert.Equal(new[]
        {
            new FieldChange("config.limits.cpu", "2", null, true),
            new FieldChange("devices.eth0", "name=eth0,network=other,type=nic", "name=eth0,network=lxdbr0,type=nic", true),
            new FieldChange("devices.x", "type=none", null, true),
        }, changes);
        Assert.Empty(ResourceDriftDetector.Compare(declared, new ServerProfile
        {
            Name = "web",
            Description = "a description the declaration does not set",
            Config = new() { ["limits.memory"] = "64MB" },
            Devices = new() { ["eth0"] = new() { ["type"] = "nic", ["network"] = "lxdbr0", ["name"] = "eth0" } },
        }));
    }

    [Fact]
    public void A_network_is_compared_on_its_declared_keys_and_its_type_cannot_change()
    {
        var declared = new LxdNetwork { Name = "br1", Type = "bridge", Description = "lab", Config = new Dictionary<string, string> { ["ipv4.nat"] = "false" } };
        var live = new ServerNetwork
        {
            Name = "br1", Type = "macvlan", Description = "lab",
            Config = new() { ["ipv4.nat"] = "true", ["ipv4.address"] = "198.18.200.1/24", ["volatile.bridge.hwaddr"] = "x" },
        };

        var changes = ResourceDriftDetector.Compare(declared, live);

        Assert.Equal(new[] { ("type", false), ("config.ipv4.nat", true) }, changes.Select(c => (c.Field, c.InPlace)));
        Assert.Equal("LXD cannot change the type of a network", changes[0].ReplaceReason);
    }

    [Fact]
    public void A_pool_is_compared_on_its_declared_keys_and_its_driver_and_source_cannot_change()
    {
        var declared = new LxdStoragePool
        {
            Name = "fast", Driver = "btrfs", Description = "fast disks",
            Config = new Dictionary<string, string> { ["source"] = "/srv/fast", ["btrfs.mount_options"] = "noatime" },
        };
        var live = new ServerStoragePool { Name = "fast", Driver = "dir", Config = new() { ["source"] = "/var/fast", ["size"] = "10GB" } };

        var changes = ResourceDriftDetector.Compare(declared, live);

        Assert.Equal(new[]
        {
            ("driver", false), ("description", true), ("config.btrfs.mount_options", true), ("config.source", false),
        }, changes.Select(c => (c.Field, c.InPlace)));
        Assert.Empty(ResourceDriftDetector.Compare(new LxdStoragePool { Name = "fast", Driver = "dir" }, live));
    }
}
