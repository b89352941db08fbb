using System.Diagnostics;
using LxdCompose.Deploy;
using LxdCompose.Lxd;
using LxdCompose.Tests.Lxd;
using Xunit;

namespace LxdCompose.Tests.Deploy;

/// <summary>The lock on real servers: LXD 5.0 (the first VM) and Incus, each over HTTPS, as two runs would use it.</summary>
[Collection(LabCollection.Name)]
[Trait("Category", "Lab")]
public sealed class DeployLockLabTests
{
    private readonly LabFixture _lab;

    public DeployLockLabTests(LabFixture lab) => _lab = lab;

    public static TheoryData<string> Servers => new() { "lxd", "incus" };

    private LxdClient Connect(string server) => server == "lxd"
        ? _lab.Lab.ConnectTls(_lab.Vm)
        : LxdConnector.Connect(_lab.Lab.LoadConfig(), IncusTests.IncusRemoteOf(_lab.Lab));

    private static DeployLockOptions Options(TimeSpan timeout, DeployLockIdentity? identity = null) => new()
    {
        Timeout = timeout,
        HeartbeatInterval = TimeSpan.FromHours(1),
        PollInterval = TimeSpan.FromMilliseconds(50),
        MaxPollInterval = TimeSpan.FromMilliseconds(200),
        Identity = identity ?? DeployLockIdentity.Current("DeployLockLabTests"),
    };

    /// <summary>Runs <paramref name="test"/> with a client and a compose project name of its own; the lock profile is deleted after.</summary>
    private async Task WithLock(string server, Func<LxdClient, string, Task> test)
    {
        using var client = Connect(server);
        var project = LabFixture.UniqueName("lock-xunit");
        try
        {
            await test(client, project);
        }
        finally
        {
            try
            {
                await client.Profiles.DeleteAsync(DeployLock.ProfileNameOf(project, client.Project), LabFixture.Timeout());
            }
            catch (LxdNotFoundException)
            {
            }
        }
    }

    private static async Task<string?> TokenOf(LxdClient client, string project) =>
        (await client.Profiles.GetAsync(DeployLock.ProfileNameOf(project, client.Project), LabFixture.Timeout())).Config
        .GetValueOrDefault(DeployLock.KeyPrefix + "token");

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public Task A_lock_is_taken_with_its_holder_and_freed(string server) => WithLock(server, async (client, project) =>
    {
        var lease = await DeployLock.AcquireAsync(client, project, Options(TimeSpan.Zero), new RecordingDeployHost(), LabFixture.Timeout());
        var holder = (await DeployLock.ReadAsync(client, project, LabFixture.Timeout()))!.Holder!;
        Assert.Equal(Environment.ProcessId, holder.Identity.ProcessId);
        Assert.Equal(Environment.MachineName, holder.Identity.Host);
        Assert.Equal("DeployLockLabTests", holder.Identity.Command);

        await lease.DisposeAsync();

        Assert.Null((await DeployLock.ReadAsync(client, project, LabFixture.Timeout()))!.Holder);
    });

    [Theory]
    [MemberData(nameof(Servers))]
    public Task Two_runs_taking_a_new_lock_at_once_hold_it_one_after_the_other(string server) => WithLock(server, async (client, project) =>
    {
        var host = new RecordingDeployHost();
        var first = DeployLock.AcquireAsync(client, project, Options(TimeSpan.FromSeconds(60)), host, LabFixture.Timeout());
        var second = DeployLock.AcquireAsync(client, project, Options(TimeSpan.FromSeconds(60)), host, LabFixture.Timeout());

        var winner = await Task.WhenAny(first, second);
        var loser = winner == first ? second : first;
        await WaitUntil(() => host.Logs.Any(l => l.Message.StartsWith("Waiting up to", StringComparison.Ordinal)));
        Assert.False(loser.IsCompleted);
        var held = await TokenOf(client, project);

        await (await winner).DisposeAsync();
        var next = await loser;

        Assert.NotEqual(held, await TokenOf(client, project));
        await next.DisposeAsync();
        Assert.Null(await TokenOf(client, project));
    });

    [Theory]
    [MemberData(nameof(Servers))]
    public Task A_second_run_with_a_timeout_fails_naming_the_holder(string server) => WithLock(server, async (client, project) =>
    {
        var lease = await DeployLock.AcquireAsync(client, project, Options(TimeSpan.Zero), new RecordingDeployHost(), LabFixture.Timeout());

        var e = await Assert.ThrowsAsync<DeployLockedException>(() =>
            DeployLock.AcquireAsync(client, project, Options(TimeSpan.FromMilliseconds(500)), new RecordingDeployHost(), LabFixture.Timeout()));

        Assert.Contains($"process {Environment.ProcessId} (DeployLockLabTests)", e.Message);
        Assert.Contains($"on host '{Environment.MachineName}'", e.Message);
        Assert.Contains("waited", e.Message);
        Assert.Equal(client.DisplayName, e.Server);
        await lease.DisposeAsync();
    });

    [Theory]
    [MemberData(nameof(Servers))]
    public Task The_lock_of_a_killed_process_is_taken_over(string server) => WithLock(server, async (client, project) =>
    {
        using var sleeper = Process.Start("sleep", "600");
        var dead = DeployLockIdentity.Current("sleep 600") with
        {
            ProcessId = sleeper.Id,
            ProcessStart = new DateTimeOffset(sleeper.StartTime.ToUniversalTime()),
            RunId = Guid.NewGuid().ToString("N"),
        };
        var abandoned = await DeployLock.AcquireAsync(client, project, Options(TimeSpan.Zero, dead), new RecordingDeployHost(), LabFixture.Timeout());
        await Assert.ThrowsAsync<DeployLockedException>(() =>
            DeployLock.AcquireAsync(client, project, Options(TimeSpan.Zero), new RecordingDeployHost(), LabFixture.Timeout()));
        sleeper.Kill();
        await sleeper.WaitForExitAsync(LabFixture.Timeout());
        var host = new RecordingDeployHost();

        var lease = await DeployLock.AcquireAsync(client, project, Options(TimeSpan.Zero), host, LabFixture.Timeout());

        Assert.Contains(host.Logs, l => l.Level == DeployLogLevel.Warning && l.Message.Contains($"process {sleeper.Id} no longer exists"));
        Assert.Equal(Environment.ProcessId, (await DeployLock.ReadAsync(client, project, LabFixture.Timeout()))!.Holder!.Identity.ProcessId);
        await abandoned.DisposeAsync(); // no longer its lock: left alone
        Assert.NotNull(await TokenOf(client, project));
        await lease.DisposeAsync();
        Assert.Null(await TokenOf(client, project));
    });

    [Theory]
    [MemberData(nameof(Servers))]
    public Task Releasing_after_the_lock_changed_hands_leaves_the_new_holder(string server) => WithLock(server, async (client, project) =>
    {
        var host = new RecordingDeployHost();
        var lease = await DeployLock.AcquireAsync(client, project, Options(TimeSpan.Zero), host, LabFixture.Timeout());
        var seen = await DeployLock.ReadAsync(client, project, LabFixture.Timeout());
        Assert.True(await DeployLock.BreakAsync(client, seen!, LabFixture.Timeout()));
        var other = DeployLockIdentity.Current("other run") with { ProcessId = 1, Host = "elsewhere" };
        var taker = await DeployLock.AcquireAsync(client, project, Options(TimeSpan.Zero, other), new RecordingDeployHost(), LabFixture.Timeout());
        var taken = await TokenOf(client, project);

        await lease.DisposeAsync();

        Assert.Equal(taken, await TokenOf(client, project));
        Assert.Contains(host.Logs, l => l.Level == DeployLogLevel.Warning && l.Message.Contains("Did not free"));
        await taker.DisposeAsync();
        Assert.Null(await TokenOf(client, project));
    });

    [Theory]
    [MemberData(nameof(Servers))]
    public Task A_write_under_a_stale_etag_is_refused_by_the_server(string server) => WithLock(server, async (client, project) =>
    {
        var lease = await DeployLock.AcquireAsync(client, project, Options(TimeSpan.Zero), new RecordingDeployHost(), LabFixture.Timeout());
        var before = await DeployLock.ReadAsync(client, project, LabFixture.Timeout());
        await lease.DisposeAsync();

        // The state read while held is stale now: breaking under it must not touch the freed lock.
        Assert.False(await DeployLock.BreakAsync(client, before!, LabFixture.Timeout()));
        Assert.Null(await TokenOf(client, project));
    });
}
