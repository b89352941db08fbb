using LxdCompose.Lxd;
using LxdCompose.Lxd.Api;
using LxdCompose.Maintenance;
using LxdCompose.Tests.Lxd;
using Xunit;

namespace LxdCompose.Tests.Maintenance;

/// <summary>Images purge, backup and restore against the lab's LXD (vm1) and Incus (incus1); every name starts with mc-.</summary>
[Collection(LabCollection.Name)]
[Trait("Category", "Lab")]
public sealed class MaintenanceLabTests
{
    private readonly LabFixture _lab;

    public MaintenanceLabTests(LabFixture lab) => _lab = lab;

    private LxdClient Connect(bool incus) =>
        incus ? LxdConnector.Connect(_lab.Lab.LoadConfig(), IncusTests.IncusRemoteOf(_lab.Lab)) : _lab.Lab.ConnectTls(_lab.Vm);

    private static async Task<string> CreateStoppedAsync(ILxdServer server, string name, string busybox, List<string>? profiles = null)
    {
        var image = await server.Images.FindAsync(busybox, LabFixture.Timeout()) ?? throw new InvalidOperationException("busybox image missing");
        await server.Instances.CreateAsync(
            new LxdInstanceCreateRequest { Name = name, Profiles = profiles, Source = LxdInstances.LocalSource(image.Fingerprint) }, LabFixture.Timeout());
        return image.Fingerprint;
    }

    private static async Task DeleteQuietlyAsync(ILxdServer server, IEnumerable<string> instances)
    {
        foreach (var name in instances)
        {
            try
            {
                await server.Instances.DeleteAsync(name, LabFixture.Timeout());
            }
            catch (LxdNotFoundException)
            {
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Purge_by_alias_pattern_keeps_an_image_an_instance_uses_unless_asked(bool incus)
    {
        using var server = Connect(incus);
        var id = Guid.NewGuid().ToString("N")[..8];
        var source = $"mc-pub-{id}";
        var user = $"mc-user-{id}";
        var alias = $"mc-purge-{id}";
        await CreateStoppedAsync(server, source, _lab.Lab.BusyboxAlias);
        string? fingerprint = null;
        try
        {
            fingerprint = (await server.Images.PublishAsync(source, LabFixture.Timeout(), new[] { alias })).Fingerprint;
            var selection = new ImagePurgeSelection { AliasMatch = new[] { $"^mc-purge-{id}$" } };

            var free = Assert.Single(await ImagePurge.PlanAsync(server, "lab", selection, LabFixture.Timeout()));
            Assert.Equal((fingerprint, ImagePurgeAction.Remove), (free.Fingerprint, free.Action));

            await CreateStoppedAsync(server, user, alias);
            var used = Assert.Single(await ImagePurge.PlanAsync(server, "lab", selection, LabFixture.Timeout()));
            Assert.Equal(ImagePurgeAction.KeepInUse, used.Action);
            Assert.Equal(new[] { user }, used.UsedBy);

            var forced = Assert.Single(await ImagePurge.PlanAsync(server, "lab", selection with { IncludeUsed = true }, LabFixture.Timeout()));
            Assert.Equal(ImagePurgeAction.Remove, forced.Action);
            var removed = await ImagePurge.RemoveAsync(server, forced, LabFixture.Timeout());
            Assert.True(removed.Removed);
            Assert.Null(await server.Images.FindAsync(fingerprint, LabFixture.Timeout()));
            fingerprint = null;
            Assert.NotNull(await server.Instances.TryGetAsync(user, LabFixture.Timeout())); // LXD keeps the instance made from it
        }
        finally
        {
            await DeleteQuietlyAsync(server, new[] { source, user });
            if (fingerprint is not null)
            {
                await server.Images.DeleteAsync(fingerprint, LabFixture.Timeout());
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Backups_are_dated_copies_without_the_removed_profiles_the_oldest_deleted_and_one_restores(bool incus)
    {
        using var server = Connect(incus);
        var id = Guid.NewGuid().ToString("N")[..8];
        var instance = $"mc-bk-{id}";
        var profile = $"mc-bk-{id}";
        await server.Profiles.CreateAsync(new ServerProfile { Name = profile }, LabFixture.Timeout());
        var target = new NodeBackupTarget("mc-project", "mc-group", instance, instance, "lab");
        var names = new[] { instance, $"{instance}-20260101", $"{instance}-20260102", $"{instance}-20260103" };
        try
        {
            await CreateStoppedAsync(server, instance, _lab.Lab.BusyboxAlias, new List<string> { "default", profile });
            var remove = new[] { profile };

            var first = await NodeBackup.BackupAsync(server, target, new DateOnly(2026, 1, 1), remove, 2, LabFixture.Timeout());
            var created = Assert.Single(first);
            Assert.Equal((NodeBackupAction.Created, $"{instance}-20260101"), (created.Action, created.Backup));
            Assert.Equal(new[] { "default" }, (await server.Instances.GetAsync(created.Backup, LabFixture.Timeout())).Profiles);

            var again = Assert.Single(await NodeBackup.BackupAsync(server, target, new DateOnly(2026, 1, 1), remove, 2, LabFixture.Timeout()));
            Assert.Equal(NodeBackupAction.Exists, again.Action);

            await NodeBackup.BackupAsync(server, target, new DateOnly(2026, 1, 2), remove, 2, LabFixture.Timeout());
            var third = await NodeBackup.BackupAsync(server, target, new DateOnly(2026, 1, 3), remove, 2, LabFixture.Timeout());
            Assert.Equal(
                new[] { (NodeBackupAction.Created, $"{instance}-20260103"), (NodeBackupAction.Deleted, $"{instance}-20260101") },
                third.Select(r => (r.Action, r.Backup)));
            var left = NodeBackup.BackupsOf(instance, (await server.Instances.ListAsync(LabFixture.Timeout())).Select(i => i.Name));
            Assert.Equal(new[] { $"{instance}-20260102", $"{instance}-20260103" }, left);

            var backup = await NodeBackup.FindBackupAsync(server, instance, null, LabFixture.Timeout());
            Assert.Equal($"{instance}-20260103", backup);
            Assert.Equal($"{instance}-20260102", await NodeBackup.FindBackupAsync(server, instance, "20260102", LabFixture.Timeout()));
            var restored = await NodeBackup.RestoreAsync(server, target, backup, LabFixture.Timeout());
            Assert.Equal(NodeBackupAction.Restored, restored.Action);
            // The instance is now the backup's copy: the removed profile is gone, and the backup is still there.
            Assert.Equal(new[] { "default" }, (await server.Instances.GetAsync(instance, LabFixture.Timeout())).Profiles);
            Assert.NotNull(await server.Instances.TryGetAsync(backup, LabFixture.Timeout()));
        }
        finally
        {
            await DeleteQuietlyAsync(server, names);
            await server.Profiles.DeleteAsync(profile, LabFixture.Timeout());
        }
    }
}
