using LxdCompose.Lxd;
using LxdCompose.Lxd.Api;
using Xunit;

namespace LxdCompose.Tests.Lxd;

[Collection(LabCollection.Name)]
[Trait("Category", "Lab")]
public sealed class ServerObjectTests
{
    private readonly LabFixture _lab;

    public ServerObjectTests(LabFixture lab) => _lab = lab;

    private LxdClient Client => _lab.Tls;

    [Fact]
    public async Task Profiles_are_created_updated_with_etag_listed_and_deleted()
    {
        var name = LabFixture.UniqueName("lxdc-prof");
        await Client.Profiles.CreateAsync(new ServerProfile
        {
            Name = name,
            Description = "client test",
            Config = new() { ["limits.memory"] = "64MiB" },
            Devices = new() { ["data"] = new() { ["type"] = "disk", ["source"] = "/tmp", ["path"] = "/data" } },
        }, LabFixture.Timeout());
        try
        {
            var read = await Client.Profiles.GetVersionedAsync(name, LabFixture.Timeout());
            Assert.Equal("64MiB", read.Value.Config["limits.memory"]);
            Assert.Equal("/data", read.Value.Devices["data"]["path"]);

            read.Value.Description = "updated";
            await Client.Profiles.UpdateAsync(name, read.Value, LabFixture.Timeout(), read.ETag);
            await Assert.ThrowsAsync<LxdPreconditionFailedException>(() => Client.Profiles.UpdateAsync(name, read.Value, LabFixture.Timeout(), read.ETag));

            Assert.Equal("updated", (await Client.Profiles.GetAsync(name, LabFixture.Timeout())).Description);
            Assert.Contains(name, await Client.Profiles.ListNamesAsync(LabFixture.Timeout()));
            Assert.Contains(await Client.Profiles.ListAsync(LabFixture.Timeout()), p => p.Name == name);
            // LXD 5.0 answers 500 here, newer servers 409; the text says what happened either way.
            var duplicate = await Assert.ThrowsAnyAsync<LxdApiException>(() => Client.Profiles.CreateAsync(new ServerProfile { Name = name }, LabFixture.Timeout()));
            Assert.Contains("already exists", duplicate.Message);
        }
        finally
        {
            await Client.Profiles.DeleteAsync(name, LabFixture.Timeout());
        }

        Assert.False(await Client.Profiles.ExistsAsync(name, LabFixture.Timeout()));
    }

    [Fact]
    public async Task Storage_pools_are_created_read_and_deleted()
    {
        var name = LabFixture.UniqueName("lxdc-pool");
        await Client.StoragePools.CreateAsync(new ServerStoragePool { Name = name, Driver = "dir", Description = "client test" }, LabFixture.Timeout());
        try
        {
            var pool = await Client.StoragePools.GetAsync(name, LabFixture.Timeout());
            Assert.Equal("dir", pool.Driver);
            Assert.Equal("client test", pool.Description);
            Assert.Contains(name, await Client.StoragePools.ListNamesAsync(LabFixture.Timeout()));
        }
        finally
        {
            await Client.StoragePools.DeleteAsync(name, LabFixture.Timeout());
        }

        Assert.Null(await Client.StoragePools.TryGetAsync(name, LabFixture.Timeout()));
    }

    [Fact]
    public async Task Networks_and_their_forwards_are_managed()
    {
        var name = "lxdc" + Guid.NewGuid().ToString("N")[..8]; // interface names are limited to 15 characters
        await Client.Networks.CreateAsync(new ServerNetwork
        {
            Name = name,
            Type = "bridge",
            Description = "client test",
            Config = new() { ["ipv4.address"] = "198.18.199.1/24", ["ipv4.nat"] = "false", ["ipv6.address"] = "none" },
        }, LabFixture.Timeout());
        try
        {
            var network = await Client.Networks.GetVersionedAsync(name, LabFixture.Timeout());
            Assert.True(network.Value.Managed);
            Assert.Equal("198.18.199.1/24", network.Value.Config["ipv4.address"]);
            network.Value.Description = "updated";
            await Client.Networks.UpdateAsync(name, network.Value, LabFixture.Timeout(), network.ETag);
            Assert.Equal("updated", (await Client.Networks.GetAsync(name, LabFixture.Timeout())).Description);

            var forward = new ServerNetworkForward
            {
                ListenAddress = "198.18.198.10",
                Description = "client test",
                Ports = new() { new ServerNetworkForwardPort { Protocol = "tcp", ListenPort = "8080", TargetAddress = "198.18.199.10", TargetPort = "80" } },
            };
            await Client.Networks.CreateForwardAsync(name, forward, LabFixture.Timeout());
            var read = await Client.Networks.GetForwardAsync(name, forward.ListenAddress, LabFixture.Timeout());
            Assert.Equal("8080", Assert.Single(read.Ports).ListenPort);

            forward.Ports.Add(new ServerNetworkForwardPort { Protocol = "udp", ListenPort = "53", TargetAddress = "198.18.199.10" });
            await Client.Networks.UpdateForwardAsync(name, forward, LabFixture.Timeout());
            Assert.Equal(2, (await Client.Networks.ListForwardsAsync(name, LabFixture.Timeout())).Single().Ports.Count);

            await Client.Networks.DeleteForwardAsync(name, forward.ListenAddress, LabFixture.Timeout());
            Assert.Empty(await Client.Networks.ListForwardsAsync(name, LabFixture.Timeout()));
        }
        finally
        {
            await Client.Networks.DeleteAsync(name, LabFixture.Timeout());
        }

        Assert.Null(await Client.Networks.TryGetAsync(name, LabFixture.Timeout()));
    }

    [Fact]
    public async Task Network_acls_keep_their_rules()
    {
        var name = LabFixture.UniqueName("lxdc-acl");
        await Client.NetworkAcls.CreateAsync(new ServerNetworkAcl
        {
            Name = name,
            Description = "client test",
            Ingress = new() { new ServerNetworkAclRule { Action = "allow", Protocol = "tcp", DestinationPort = "22", Description = "ssh" } },
            Egress = new() { new ServerNetworkAclRule { Action = "reject", Destination = "198.18.0.0/15" } },
        }, LabFixture.Timeout());
        try
        {
            var acl = await Client.NetworkAcls.GetVersionedAsync(name, LabFixture.Timeout());
            Assert.Equal("22", Assert.Single(acl.Value.Ingress).DestinationPort);
            Assert.Equal("reject", Assert.Single(acl.Value.Egress).Action);

            acl.Value.Egress.Clear();
            await Client.NetworkAcls.UpdateAsync(name, acl.Value, LabFixture.Timeout(), acl.ETag);
            Assert.Empty((await Client.NetworkAcls.GetAsync(name, LabFixture.Timeout())).Egress);
        }
        finally
        {
            await Client.NetworkAcls.DeleteAsync(name, LabFixture.Timeout());
        }
    }
}
