using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LxdCompose.Deploy;
using LxdCompose.Lxd.Api;
using LxdCompose.Specs;
using Xunit;

namespace LxdCompose.Tests.Deploy.Drift;

/// <summary>
/// <see cref="ResourceInventory"/> and <see cref="ResourcePublisher"/> against a server in memory: the states of a list, what
/// a publish plans (create, update only when asked, certificates never), the ACL and certificate comparisons, forwards.
/// </summary>
public sealed class ResourcePublisherTests
{
    private static readonly LxdNetworkAcl Acl = new()
    {
        Name = "web-acl",
        Egress = new[] { new LxdAclRule { Action = "allow", Destination = "10.0.0.1/32", Protocol = "tcp", DestinationPort = "80" } },
    };

    private static readonly LxdNetwork Bridge = new()
    {
        Name = "br1",
        Type = "bridge",
        Forwards = new[]
        {
            new LxdNetworkForward
            {
                ListenAddress = "10.1.0.1",
                Ports = new[] { new LxdNetworkForwardPort { ListenPort = "80", TargetAddress = "10.0.0.5", TargetPort = "8080" } },
            },
            new LxdNetworkForward { ListenAddress = "10.1.0.2", Description = "second" },
        },
    };

    private static DeclaredResource Declared(ResourceKind kind, string name, object declaration) => new(kind, name, declaration);

    [Fact]
    public async Task A_list_sets_each_server_object_beside_the_declarations()
    {
        var server = new FakeDriftServer();
        server.FakeProfiles.Add(new ServerProfile { Name = "default" });
        server.FakeProfiles.Add(new ServerProfile { Name = "same", Config = new() { ["user.a"] = "1" } });
        server.FakeProfiles.Add(new ServerProfile { Name = "changed", Config = new() { ["user.a"] = "1" } });
        var declared = new[]
        {
            Declared(ResourceKind.Profile, "same", new LxdProfile { Name = "same", Config = new Dictionary<string, string> { ["user.a"] = "1" } }),
            Declared(ResourceKind.Profile, "changed", new LxdProfile { Name = "changed", Config = new Dictionary<string, string> { ["user.a"] = "2" } }),
            Declared(ResourceKind.Profile, "absent", new LxdProfile { Name = "absent" }),
        };

        var statuses = await ResourceInventory.ListAsync(server, "vm1", ResourceKind.Profile, declared, CancellationToken.None);

        Assert.Equal(new[] { "absent Missing False", "changed Differs True", "default Undeclared True", "same InSync True" },
            statuses.Select(s => $"{s.Name} {s.State} {s.Present}"));
        Assert.Equal("config.user.a: 1 -> 2", Assert.Single(statuses.Single(s => s.Name == "changed").Changes).ToString());
        Assert.False(statuses.Single(s => s.Name == "default").Declared);
        Assert.All(statuses, s => Assert.Equal("vm1", s.Remote));
    }

    [Fact]
    public async Task Publish_creates_what_is_missing_and_updates_what_differs_only_when_asked()
    {
        var server = new FakeDriftServer();
        server.FakeProfiles.Add(new ServerProfile { Name = "changed", Config = new() { ["user.a"] = "1" } });
        var declared = new[]
        {
            Declared(ResourceKind.Profile, "changed", new LxdProfile { Name = "changed", Config = new Dictionary<string, string> { ["user.a"] = "2" } }),
            Declared(ResourceKind.Profile, "new", new LxdProfile { Name = "new", Config = new Dictionary<string, string> { ["user.b"] = "x" } }),
        };
        var host = new RecordingHost();

        var plan = await ResourcePublisher.PlanAsync(server, "vm1", ResourceKind.Profile, declared, update: false, withForwards: false, CancellationToken.None);
        Assert.Equal(new[] { "changed LeftAlone", "new Create" }, plan.Select(p => $"{p.Name} {p.Action}"));
        Assert.Equal("Create: config.user.b: (absent) -> x", plan[1].Description);
        Assert.Equal("profile new on vm1", plan[1].Target);
        foreach (var item in plan)
        {
            await ResourcePublisher.ApplyAsync(server, item, false, host, CancellationToken.None);
        }

        Assert.Equal("x", server.FakeProfiles["new"].Config["user.b"]);
        Assert.Equal("1", server.FakeProfiles["changed"].Config["user.a"]);
        Assert.Equal(new[] { false, true }, plan.Select(p => p.Done));

        var update = await ResourcePublisher.PlanAsync(server, "vm1", ResourceKind.Profile, declared, update: true, withForwards: false, CancellationToken.None);
        Assert.Equal(new[] { "changed Update", "new Unchanged" }, update.Select(p => $"{p.Name} {p.Action}"));
        await ResourcePublisher.ApplyAsync(server, update[0], false, host, CancellationToken.None);
        Assert.Equal("2", server.FakeProfiles["changed"].Config["user.a"]);
        Assert.NotNull(Assert.Single(server.FakeProfiles.Puts).ETag);
    }

    [Fact]
    public async Task An_acl_gets_lxd_composes_description_and_its_rules_compared_as_lxd_keeps_them()
    {
        var server = new FakeDriftServer();
        var declared = new[] { Declared(ResourceKind.NetworkAcl, Acl.Name, Acl) };
        var host = new RecordingHost();

        var plan = await ResourcePublisher.PlanAsync(server, "vm1", ResourceKind.NetworkAcl, declared, false, false, CancellationToken.None);
        await ResourcePublisher.ApplyAsync(server, Assert.Single(plan), false, host, CancellationToken.None);

        var created = server.FakeAcls["web-acl"];
        Assert.Equal("ACL web-acl created by lxd-compose", created.Description);
        Assert.Equal("enabled", Assert.Single(created.Egress).State);
        Assert.Empty(ResourceDriftDetector.Compare(Acl, created));

        created.Egress[0].DestinationPort = "443";
        var changes = ResourceDriftDetector.Compare(Acl, created);
        Assert.Equal("egress: allow enabled dst=10.0.0.1/32 proto=tcp dport=443 -> allow enabled dst=10.0.0.1/32 proto=tcp dport=80",
            Assert.Single(changes).ToString());

        var update = await ResourcePublisher.PlanAsync(server, "vm1", ResourceKind.NetworkAcl, declared, true, false, CancellationToken.None);
        await ResourcePublisher.ApplyAsync(server, Assert.Single(update), false, host, CancellationToken.None);
        Assert.Equal("80", Assert.Single(server.FakeAcls["web-acl"].Egress).DestinationPort);
    }

    [Fact]
    public async Task A_certificate_is_trusted_by_name_and_never_updated()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var x509 = new CertificateRequest("CN=rc-test", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var certificate = new LxdCertificate { Name = "ci", Certificate = x509.ExportCertificatePem() };
        var fingerprint = Convert.ToHexString(SHA256.HashData(x509.RawData)).ToLowerInvariant();
        var server = new FakeDriftServer();
        var declared = new[] { Declared(ResourceKind.Certificate, "ci", certificate) };

        var plan = await ResourcePublisher.PlanAsync(server, "vm1", ResourceKind.Certificate, declared, true, false, CancellationToken.None);
        Assert.Contains(new FieldChange("fingerprint", null, fingerprint, true), Assert.Single(plan).Changes);
        await ResourcePublisher.ApplyAsync(server, plan[0], false, new RecordingHost(), CancellationToken.None);
        Assert.Equal(fingerprint, Assert.Single(server.FakeCertificates.Trusted).Fingerprint);

        server.FakeCertificates.Trusted[0].Restricted = true;
        var again = await ResourcePublisher.PlanAsync(server, "vm1", ResourceKind.Certificate, declared, true, false, CancellationToken.None);
        Assert.Equal(ResourcePublishAction.LeftAlone, Assert.Single(again).Action);
        Assert.Equal("restricted: true -> false", Assert.Single(again[0].Changes).ToString());
    }

    [Fact]
    public async Task With_forwards_a_networks_forwards_become_the_declared_ones()
    {
        var server = new FakeDriftServer();
        server.FakeNetworks.Add(new ServerNetwork { Name = "br1", Type = "bridge", Description = "x" });
        server.FakeNetworks.Forwards["br1"] = new List<ServerNetworkForward>
        {
            new() { ListenAddress = "10.1.0.1", Description = "old" },
            new() { ListenAddress = "10.1.0.9", Description = "extra" },
        };
        var declared = new[] { Declared(ResourceKind.Network, "br1", Bridge) };

        var listed = await ResourceInventory.ListAsync(server, "vm1", ResourceKind.Network, declared, CancellationToken.None);
        Assert.Equal(new[] { "forwards.10.1.0.1", "forwards.10.1.0.2" }, Assert.Single(listed).Changes.Select(c => c.Field));

        var without = await ResourcePublisher.PlanAsync(server, "vm1", ResourceKind.Network, declared, false, withForwards: false, CancellationToken.None);
        Assert.Equal(ResourcePublishAction.Unchanged, Assert.Single(without).Action);

        var plan = await ResourcePublisher.PlanAsync(server, "vm1", ResourceKind.Network, declared, false, withForwards: true, CancellationToken.None);
        Assert.Equal(ResourcePublishAction.Update, Assert.Single(plan).Action);
        await ResourcePublisher.ApplyAsync(server, plan[0], true, new RecordingHost(), CancellationToken.None);

        Assert.Equal(new[] { "update 10.1.0.1", "create 10.1.0.2", "delete 10.1.0.9" }, server.FakeNetworks.ForwardCalls);
        var forwards = server.FakeNetworks.Forwards["br1"];
        Assert.Equal("Network forward for ip 10.1.0.1 created by lxd-compose", forwards.Single(f => f.ListenAddress == "10.1.0.1").Description);
        Assert.Equal("tcp", forwards.Single(f => f.ListenAddress == "10.1.0.1").Ports.Single().Protocol);
        Assert.Empty(ResourceDriftDetector.CompareForwards(Bridge, forwards, extraOnServer: true));
        Assert.Empty(server.FakeNetworks.Puts);
    }

    [Fact]
    public void Declarations_of_a_name_in_two_environments_are_the_first_one()
    {
        var first = new LxdEnvironment { File = "/a.yml", Profiles = new[] { new LxdProfile { Name = "p", Description = "first" } } };
        var second = new LxdEnvironment { File = "/b.yml", Profiles = new[] { new LxdProfile { Name = "p", Description = "second" } } };

        var declared = Assert.Single(DeclaredResources.Of(new[] { first, second }, ResourceKind.Profile));

        Assert.Equal("first", declared.Description);
        Assert.Equal("/a.yml", declared.EnvironmentFile);
        Assert.Equal(ResourceState.Declared, Assert.Single(ResourceInventory.Declarations(new[] { declared })).State);
    }
}
