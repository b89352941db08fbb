using LxdCompose.Lxd;
using LxdCompose.Lxd.Api;
using Xunit;

namespace LxdCompose.Tests.Lxd;

[Collection(LabCollection.Name)]
[Trait("Category", "Lab")]
public sealed class InstanceTests
{
    private readonly LabFixture _lab;

    public InstanceTests(LabFixture lab) => _lab = lab;

    private async Task<string> BusyboxFingerprintAsync() =>
        (await _lab.Tls.Images.FindAsync(_lab.Lab.BusyboxAlias, LabFixture.Timeout()))!.Fingerprint;

    [Fact]
    public async Task Create_start_restart_stop_and_delete_with_config_devices_and_profiles()
    {
        var name = LabFixture.UniqueName("lxdc-life");
        var request = new LxdInstanceCreateRequest
        {
            Name = name,
            Source = LxdInstances.LocalSource(await BusyboxFingerprintAsync()),
            Profiles = new List<string> { "default" },
            Config = new Dictionary<string, string> { ["user.purpose"] = "client test", ["limits.processes"] = "200" },
            Devices = new Dictionary<string, Dictionary<string, string>>
            {
                ["scratch"] = new() { ["type"] = "disk", ["source"] = "/tmp", ["path"] = "/mnt/host-tmp", ["readonly"] = "true" },
            },
        };

        try
        {
            var created = await _lab.Tls.Instances.CreateAsync(request, LabFixture.Timeout());
            Assert.Equal("Stopped", created.Status);
            Assert.Equal("client test", created.Config["user.purpose"]);
            Assert.Equal("/mnt/host-tmp", created.Devices["scratch"]["path"]);
            Assert.Equal(new[] { "default" }, created.Profiles);

            await _lab.Tls.Instances.StartAsync(name, LabFixture.Timeout());
            var running = await _lab.Tls.Instances.GetStateAsync(name, LabFixture.Timeout());
            Assert.Equal("Running", running.Status);
            Assert.True(running.Pid > 0);

            await _lab.Tls.Instances.RestartAsync(name, LabFixture.Timeout(), force: true);
            var restarted = await _lab.Tls.Instances.GetStateAsync(name, LabFixture.Timeout());
            Assert.Equal("Running", restarted.Status);
            Assert.NotEqual(running.Pid, restarted.Pid);

            await _lab.Tls.Instances.StopAsync(name, LabFixture.Timeout(), force: true);
            Assert.Equal("Stopped", (await _lab.Tls.Instances.GetAsync(name, LabFixture.Timeout())).Status);
        }
        finally
        {
            await _lab.Tls.Instances.DeleteAsync(name, LabFixture.Timeout());
        }

        Assert.Null(await _lab.Tls.Instances.TryGetAsync(name, LabFixture.Timeout()));
    }

    [Fact]
    public async Task A_conditional_update_with_a_stale_etag_is_refused_and_a_fresh_one_applies()
    {
        var name = LabFixture.UniqueName("lxdc-etag");
        await _lab.Tls.Instances.CreateAsync(new LxdInstanceCreateRequest { Name = name, Source = LxdInstances.LocalSource(await BusyboxFingerprintAsync()) }, LabFixture.Timeout());
        try
        {
            var first = await _lab.Tls.Instances.GetVersionedAsync(name, LabFixture.Timeout());
            Assert.False(string.IsNullOrEmpty(first.ETag));
            first.Value.Config["user.step"] = "one";
            await _lab.Tls.Instances.UpdateAsync(name, first.Value, LabFixture.Timeout(), first.ETag);

            first.Value.Config["user.step"] = "stale";
            await Assert.ThrowsAsync<LxdPreconditionFailedException>(() => _lab.Tls.Instances.UpdateAsync(name, first.Value, LabFixture.Timeout(), first.ETag));

            await _lab.Tls.Instances.PatchAsync(name, new { Config = new Dictionary<string, string> { ["user.patched"] = "yes" } }, LabFixture.Timeout());
            var final = await _lab.Tls.Instances.GetAsync(name, LabFixture.Timeout());
            Assert.Equal("one", final.Config["user.step"]);
            Assert.Equal("yes", final.Config["user.patched"]);
        }
        finally
        {
            await _lab.Tls.Instances.DeleteAsync(name, LabFixture.Timeout());
        }
    }

    [Fact]
    public async Task An_ephemeral_instance_disappears_when_stopped()
    {
        var name = LabFixture.UniqueName("lxdc-eph");
        await _lab.Tls.Instances.CreateAsync(
            new LxdInstanceCreateRequest { Name = name, Ephemeral = true, Source = LxdInstances.LocalSource(await BusyboxFingerprintAsync()) }, LabFixture.Timeout());
        await _lab.Tls.Instances.StartAsync(name, LabFixture.Timeout());
        Assert.True((await _lab.Tls.Instances.GetAsync(name, LabFixture.Timeout())).Ephemeral);

        await _lab.Tls.Instances.StopAsync(name, LabFixture.Timeout(), force: true);

        Assert.Null(await _lab.Tls.Instances.TryGetAsync(name, LabFixture.Timeout()));
    }

    [Fact]
    public async Task Creating_an_existing_instance_fails_with_the_reason_and_a_missing_one_is_not_found()
    {
        var fingerprint = await BusyboxFingerprintAsync();
        // LXD 5.0 reports this as a failed operation, newer servers as 409: either way the reason is LXD's text.
        var failure = await Assert.ThrowsAnyAsync<LxdException>(() => _lab.Tls.Instances.CreateAsync(
            new LxdInstanceCreateRequest { Name = _lab.Container, Source = LxdInstances.LocalSource(fingerprint) }, LabFixture.Timeout()));
        Assert.True(failure is LxdConflictException or LxdOperationException, failure.GetType().Name);
        Assert.Contains("already exists", failure.Message);
        await Assert.ThrowsAsync<LxdNotFoundException>(() => _lab.Tls.Instances.GetAsync("lxdc-never-created", LabFixture.Timeout()));
    }

    [Fact]
    public async Task Calls_are_scoped_to_the_project_of_the_client()
    {
        await using var project = await LabProject.CreateAsync(_lab.Tls, _lab.Lab, _lab.Vm, ownImages: false);
        var name = LabFixture.UniqueName("lxdc-proj");

        var created = await project.Client.Instances.CreateAsync(
            new LxdInstanceCreateRequest { Name = name, Source = LxdInstances.LocalSource(await BusyboxFingerprintAsync()) }, LabFixture.Timeout());

        Assert.Equal(project.Name, created.Project);
        Assert.Contains(await project.Client.Instances.ListAsync(LabFixture.Timeout()), i => i.Name == name);
        Assert.DoesNotContain(await _lab.Tls.Instances.ListAsync(LabFixture.Timeout()), i => i.Name == name);
        Assert.Null(await _lab.Tls.Instances.TryGetAsync(name, LabFixture.Timeout()));
    }
}
