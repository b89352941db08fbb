using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LxdCompose.Deploy;
using LxdCompose.Lxd;
using LxdCompose.Tests.Lxd;
using Xunit;

namespace LxdCompose.Tests.Deploy;

/// <summary>
/// A fake server that keeps profiles as LXD does for the lock: POST fails when the profile exists, PUT with a stale
/// If-Match fails with 412, GET carries the ETag. <see cref="BeforePut"/> lets a test change the profile between a
/// read and a write, the race a real daemon cannot be made to lose on cue.
/// </summary>
internal sealed class FakeProfileServer : IDisposable
{
    private readonly Dictionary<string, JsonObject> _profiles = new(StringComparer.Ordinal);
    private readonly FakeLxdServer _server;

    public FakeProfileServer() => _server = new FakeLxdServer(Handle);

    /// <summary>Runs (once per PUT, with the profile name) before a PUT is judged.</summary>
    public Action<string>? BeforePut { get; set; }

    public int Reads { get; private set; }

    public LxdClient Connect() => LxdConnector.ConnectSocket(_server.SocketPath);

    public IReadOnlyList<FakeRequest> Requests => _server.Requests.ToList();

    public Dictionary<string, string>? ConfigOf(string name)
    {
        lock (_profiles)
        {
            return _profiles.TryGetValue(name, out var profile)
                ? profile["config"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>())
                : null;
        }
    }

    /// <summary>Writes a profile as another client would (replacing any).</summary>
    public void Put(string name, IDictionary<string, string> config)
    {
        lock (_profiles)
        {
            var values = new JsonObject();
            foreach (var (key, value) in config)
            {
                values[key] = value;
            }

            _profiles[name] = new JsonObject { ["name"] = name, ["description"] = string.Empty, ["config"] = values, ["devices"] = new JsonObject() };
        }
    }

    public void Dispose() => _server.Dispose();

    private FakeResponse Handle(FakeRequest request)
    {
        var path = Uri.UnescapeDataString(request.PathAndQuery.Split('?')[0]);
        const string prefix = "/1.0/profiles";
        if (!path.StartsWith(prefix, StringComparison.Ordinal))
        {
            return FakeResponse.Error(404, "not found");
        }

        var name = path.Length > prefix.Length ? path[(prefix.Length + 1)..] : string.Empty;
        if (request.Method == "PUT")
        {
            BeforePut?.Invoke(name);
        }

        lock (_profiles)
        {
            switch (request.Method)
            {
                case "GET" when _profiles.TryGetValue(name, out var profile):
                    Reads++;
                    return new FakeResponse(200, $$"""{"type":"sync","status":"Success","status_code":200,"metadata":{{profile.ToJsonString()}}}""",
                        new Dictionary<string, string> { ["ETag"] = ETagOf(profile) });
                case "GET":
                    Reads++;
                    return FakeResponse.Error(404, "Profile not found");
                case "POST":
                    var created = JsonNode.Parse(request.Body)!.AsObject();
                    var newName = created["name"]!.GetValue<string>();
                    if (_profiles.ContainsKey(newName))
                    {
                        return FakeResponse.Error(500, "Error inserting profile into database: The profile already exists");
                    }

                    created["devices"] ??= new JsonObject();
                    created["config"] ??= new JsonObject();
                    _profiles[newName] = created;
                    return FakeResponse.Sync("null");
                case "PUT" when !_profiles.TryGetValue(name, out _):
                    return FakeResponse.Error(404, "Profile not found");
                case "PUT":
                    if (request.Headers.TryGetValue("If-Match", out var etag) && etag != ETagOf(_profiles[name]))
                    {
                        return FakeResponse.Error(412, "ETag doesn't match");
                    }

                    var replaced = JsonNode.Parse(request.Body)!.AsObject();
                    replaced["name"] = name;
                    replaced["devices"] ??= new JsonObject();
                    replaced["config"] ??= new JsonObject();
                    _profiles[name] = replaced;
                    return FakeResponse.Sync("null");
                case "DELETE":
                    return _profiles.Remove(name) ? FakeResponse.Sync("null") : FakeResponse.Error(404, "Profile not found");
                default:
                    return FakeResponse.Error(400, "unexpected");
            }
        }
    }

    private static string ETagOf(JsonObject profile)
    {
        var writable = new JsonObject
        {
            ["description"] = profile["description"]?.DeepClone(),
            ["config"] = profile["config"]?.DeepClone(),
            ["devices"] = profile["devices"]?.DeepClone(),
        };
        return "\"" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(writable.ToJsonString()))).ToLowerInvariant() + "\"";
    }
}

/// <summary>Processes of a pretend host: id → start time.</summary>
internal sealed class FakeProcesses : IProcessProbe
{
    public Dictionary<int, DateTimeOffset> Running { get; } = new();

    public DateTimeOffset? StartTimeOf(int processId) => Running.TryGetValue(processId, out var start) ? start : null;
}

public sealed class DeployLockTests : IDisposable
{
    private const string Project = "web";
    private static readonly string LockName = DeployLock.ProfileNameOf(Project, null);
    private static readonly DateTimeOffset HolderStart = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    private readonly FakeProfileServer _server = new();
    private readonly LxdClient _client;
    private readonly FakeProcesses _processes = new();
    private readonly RecordingDeployHost _host = new();

    public DeployLockTests() => _client = _server.Connect();

    public void Dispose()
    {
        _client.Dispose();
        _server.Dispose();
    }

    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    private DeployLockOptions Options(TimeSpan? timeout = null, string host = "here") => new()
    {
        Timeout = timeout ?? TimeSpan.Zero,
        HeartbeatInterval = TimeSpan.FromHours(1),
        StaleAfter = TimeSpan.FromMinutes(2),
        PollInterval = TimeSpan.FromMilliseconds(20),
        MaxPollInterval = TimeSpan.FromMilliseconds(100),
        Processes = _processes,
        Identity = new DeployLockIdentity
        {
            ProcessId = 100, ProcessStart = HolderStart, Host = host, BootId = "boot-1", User = "alice", Command = "Invoke-LxdApply -Project web",
        },
    };

    /// <summary>The record another run leaves: process 4242 of bob on <paramref name="host"/>, its last heartbeat <paramref name="heartbeatAge"/> ago.</summary>
    private static Dictionary<string, string> OtherHolder(string host, TimeSpan heartbeatAge, int pid = 4242, string token = "other-token")
    {
        var heartbeat = DateTimeOffset.UtcNow - heartbeatAge;
        return new Dictionary<string, string>
        {
            ["user.lxdcompose.lock.project"] = Project,
            ["user.lxdcompose.lock.token"] = token,
            ["user.lxdcompose.lock.run"] = "other-run",
            ["user.lxdcompose.lock.pid"] = pid.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["user.lxdcompose.lock.process-start"] = HolderStart.UtcDateTime.ToString("O"),
            ["user.lxdcompose.lock.host"] = host,
            ["user.lxdcompose.lock.boot-id"] = "boot-1",
            ["user.lxdcompose.lock.user"] = "bob",
            ["user.lxdcompose.lock.command"] = "Remove-LxdGroup -Project web",
            ["user.lxdcompose.lock.since"] = heartbeat.AddMinutes(-1).UtcDateTime.ToString("O"),
            ["user.lxdcompose.lock.heartbeat"] = heartbeat.UtcDateTime.ToString("O"),
        };
    }

    private string? TokenOnServer() => _server.ConfigOf(LockName)?.GetValueOrDefault("user.lxdcompose.lock.token");

    private string? ValueOnServer(string key) => _server.ConfigOf(LockName)?.GetValueOrDefault("user.lxdcompose.lock." + key);

    [Fact]
    public async Task A_fresh_lock_is_created_with_the_holder_and_freed_on_dispose()
    {
        var lease = await DeployLock.AcquireAsync(_client, Project, Options(), _host, Timeout());
        Assert.Equal(LockName, lease.LockName);
        Assert.Equal("100", ValueOnServer("pid"));
        Assert.Equal("alice", ValueOnServer("user"));
        Assert.Equal("here", ValueOnServer("host"));
        Assert.Equal("Invoke-LxdApply -Project web", ValueOnServer("command"));
        Assert.Equal(Project, ValueOnServer("project"));
        Assert.NotNull(TokenOnServer());

        await lease.DisposeAsync();

        // Freed, not deleted: a DELETE is not conditional and could remove a lock another run just took.
        Assert.NotNull(_server.ConfigOf(LockName));
        Assert.Null(TokenOnServer());
        Assert.Equal(Project, ValueOnServer("project"));
        Assert.Contains(_server.Requests, r => r.Method == "PUT" && r.Headers.ContainsKey("If-Match"));
    }

    [Fact]
    public async Task A_freed_lock_is_taken_again_under_its_etag()
    {
        await (await DeployLock.AcquireAsync(_client, Project, Options(), _host, Timeout())).DisposeAsync();
        var lease = await DeployLock.AcquireAsync(_client, Project, Options(), _host, Timeout());
        Assert.NotNull(TokenOnServer());
        await lease.DisposeAsync();
        Assert.Null(TokenOnServer());
    }

    [Fact]
    public async Task A_lock_held_by_a_live_local_process_fails_at_once_naming_the_holder()
    {
        _processes.Running[4242] = HolderStart;
        _server.Put(LockName, OtherHolder("here", TimeSpan.FromHours(5)));

        var e = await Assert.ThrowsAsync<DeployLockedException>(() => DeployLock.AcquireAsync(_client, Project, Options(), _host, Timeout()));

        Assert.Equal(DeployProblem.Locked, e.Problem);
        Assert.Equal(4242, e.Holder.Identity.ProcessId);
        Assert.Contains("process 4242", e.Message);
        Assert.Contains("'bob'", e.Message);
        Assert.Contains("host 'here'", e.Message);
        Assert.Contains("Remove-LxdGroup -Project web", e.Message);
        Assert.Contains("since", e.Message);
        Assert.Contains("Unlock-LxdProject -Project web", e.Message);
        Assert.Equal("other-token", TokenOnServer());
    }

    [Fact]
    public async Task A_lock_of_a_local_process_that_no_longer_exists_is_taken_over()
    {
        _server.Put(LockName, OtherHolder("here", TimeSpan.Zero));

        var lease = await DeployLock.AcquireAsync(_client, Project, Options(), _host, Timeout());

        Assert.Equal("100", ValueOnServer("pid"));
        Assert.Contains(_host.Logs, l => l.Level == DeployLogLevel.Warning && l.Message.Contains("process 4242 no longer exists"));
        await lease.DisposeAsync();
    }

    [Fact]
    public async Task A_lock_whose_process_id_was_reused_by_another_process_is_taken_over()
    {
        _processes.Running[4242] = HolderStart.AddHours(2);
        _server.Put(LockName, OtherHolder("here", TimeSpan.Zero));

        var lease = await DeployLock.AcquireAsync(_client, Project, Options(), _host, Timeout());

        Assert.Equal("100", ValueOnServer("pid"));
        Assert.Contains(_host.Logs, l => l.Level == DeployLogLevel.Warning && l.Message.Contains("now belongs to another process"));
        await lease.DisposeAsync();
    }

    [Fact]
    public async Task A_lock_of_another_host_with_a_fresh_heartbeat_is_respected()
    {
        _server.Put(LockName, OtherHolder("there", TimeSpan.FromSeconds(5)));

        var e = await Assert.ThrowsAsync<DeployLockedException>(() => DeployLock.AcquireAsync(_client, Project, Options(), _host, Timeout()));

        Assert.Contains("host 'there'", e.Message);
        Assert.Equal("other-token", TokenOnServer());
    }

    [Fact]
    public async Task A_lock_of_another_host_with_a_stale_heartbeat_is_taken_over()
    {
        _server.Put(LockName, OtherHolder("there", TimeSpan.FromMinutes(10)));

        var lease = await DeployLock.AcquireAsync(_client, Project, Options(), _host, Timeout());

        Assert.Equal("here", ValueOnServer("host"));
        Assert.Contains(_host.Logs, l => l.Level == DeployLogLevel.Warning && l.Message.Contains("last heartbeat"));
        await lease.DisposeAsync();
    }

    [Fact]
    public async Task A_host_of_the_same_name_after_a_reboot_is_judged_by_its_heartbeat_not_by_its_process_ids()
    {
        _processes.Running[4242] = HolderStart;
        var record = OtherHolder("here", TimeSpan.FromSeconds(5));
        record["user.lxdcompose.lock.boot-id"] = "boot-0";
        _server.Put(LockName, record);

        await Assert.ThrowsAsync<DeployLockedException>(() => DeployLock.AcquireAsync(_client, Project, Options(), _host, Timeout()));
        _processes.Running.Clear();
        await Assert.ThrowsAsync<DeployLockedException>(() => DeployLock.AcquireAsync(_client, Project, Options(), _host, Timeout()));
    }

    [Fact]
    public async Task Two_waiters_of_a_stale_lock_cannot_both_take_it_the_one_that_loses_the_etag_race_sees_the_winner()
    {
        _server.Put(LockName, OtherHolder("there", TimeSpan.FromMinutes(10)));
        var raced = false;
        _server.BeforePut = name =>
        {
            if (!raced)
            {
                raced = true; // the other waiter's take-over lands between our read and our write
                _server.Put(name, OtherHolder("elsewhere", TimeSpan.Zero, pid: 7, token: "winner"));
            }
        };

        var e = await Assert.ThrowsAsync<DeployLockedException>(() => DeployLock.AcquireAsync(_client, Project, Options(), _host, Timeout()));

        Assert.Equal("winner", TokenOnServer());
        Assert.Equal("elsewhere", e.Holder.Identity.Host);
        Assert.DoesNotContain(_host.Logs, l => l.Message.Contains("Took over"));
        Assert.Contains(_server.Requests, r => r.Method == "PUT");
    }

    [Fact]
    public async Task Two_runs_creating_a_new_lock_at_once_get_it_one_after_the_other()
    {
        var first = DeployLock.AcquireAsync(_client, Project, Options(TimeSpan.FromSeconds(20)) with { Processes = new AlwaysAlive() }, _host, Timeout());
        var second = DeployLock.AcquireAsync(_client, Project, Options(TimeSpan.FromSeconds(20)) with
        {
            Processes = new AlwaysAlive(),
            Identity = Options().Identity with { ProcessId = 101, RunId = "second" },
        }, _host, Timeout());

        var winner = await Task.WhenAny(first, second);
        var loser = winner == first ? second : first;
        Assert.False(loser.IsCompleted);
        var token = TokenOnServer();
        await (await winner).DisposeAsync();

        var next = await loser;
        Assert.NotEqual(token, TokenOnServer());
        await next.DisposeAsync();
        Assert.Null(TokenOnServer());
    }

    [Fact]
    public async Task A_waiter_gets_the_lock_once_the_holder_frees_it()
    {
        _processes.Running[4242] = HolderStart;
        _server.Put(LockName, OtherHolder("here", TimeSpan.Zero));
        var waiting = DeployLock.AcquireAsync(_client, Project, Options(TimeSpan.FromSeconds(20)), _host, Timeout());

        await WaitUntil(() => _server.Reads >= 3);
        Assert.False(waiting.IsCompleted);
        Assert.Contains(_host.Logs, l => l.Message.Contains("Waiting up to 20 s") && l.Message.Contains("process 4242"));
        _server.Put(LockName, new Dictionary<string, string> { ["user.lxdcompose.lock.project"] = Project });

        var lease = await waiting;
        Assert.Equal("100", ValueOnServer("pid"));
        await lease.DisposeAsync();
    }

    [Fact]
    public async Task A_waiter_gives_up_after_the_timeout()
    {
        _processes.Running[4242] = HolderStart;
        _server.Put(LockName, OtherHolder("here", TimeSpan.Zero));

        var e = await Assert.ThrowsAsync<DeployLockedException>(() =>
            DeployLock.AcquireAsync(_client, Project, Options(TimeSpan.FromMilliseconds(300)), _host, Timeout()));

        Assert.Contains("waited", e.Message);
        Assert.True(_server.Reads >= 2, "it looked again before giving up");
    }

    [Fact]
    public async Task A_waiter_stops_when_cancelled()
    {
        _processes.Running[4242] = HolderStart;
        _server.Put(LockName, OtherHolder("here", TimeSpan.Zero));
        using var cancel = new CancellationTokenSource();
        var waiting = DeployLock.AcquireAsync(_client, Project, Options(TimeSpan.FromMinutes(5)), _host, cancel.Token);
        await WaitUntil(() => _server.Reads >= 2);

        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }

    [Fact]
    public async Task Release_leaves_a_lock_another_run_took_meanwhile()
    {
        var lease = await DeployLock.AcquireAsync(_client, Project, Options(), _host, Timeout());
        _server.Put(LockName, OtherHolder("there", TimeSpan.Zero, token: "breaker"));

        await lease.DisposeAsync();

        Assert.Equal("breaker", TokenOnServer());
        Assert.Contains(_host.Logs, l => l.Level == DeployLogLevel.Warning && l.Message.Contains("Did not free"));
    }

    [Fact]
    public async Task Release_under_a_moved_etag_still_frees_our_own_lock()
    {
        var lease = await DeployLock.AcquireAsync(_client, Project, Options(), _host, Timeout());
        var mine = _server.ConfigOf(LockName)!;
        var raced = false;
        _server.BeforePut = name =>
        {
            if (!raced)
            {
                raced = true; // someone edits the profile (same holder) between our read and our write
                _server.Put(name, new Dictionary<string, string>(mine) { ["user.note"] = "touched" });
            }
        };

        await lease.DisposeAsync();

        Assert.Null(TokenOnServer());
        Assert.Equal(2, _server.Requests.Count(r => r.Method == "PUT" && r.Headers.ContainsKey("If-Match"))); // refused once, then freed
    }

    [Fact]
    public async Task The_heartbeat_is_renewed_while_held_and_stops_when_the_lock_is_lost()
    {
        var lease = await DeployLock.AcquireAsync(_client, Project, Options() with { HeartbeatInterval = TimeSpan.FromMilliseconds(30) }, _host, Timeout());
        var first = ValueOnServer("heartbeat");

        await WaitUntil(() => ValueOnServer("heartbeat") != first);
        Assert.True(lease.IsHeld);

        _server.Put(LockName, OtherHolder("there", TimeSpan.Zero, token: "breaker"));
        await WaitUntil(() => !lease.IsHeld);
        Assert.Contains(_host.Logs, l => l.Level == DeployLogLevel.Warning && l.Message.Contains("lost the lock"));
        Assert.Equal("breaker", TokenOnServer());
        await lease.DisposeAsync();
        Assert.Equal("breaker", TokenOnServer());
    }

    [Fact]
    public async Task A_run_that_reaches_one_server_under_two_names_holds_its_lock_once()
    {
        var options = Options();
        var lease = await DeployLock.AcquireAsync(_client, Project, options, _host, Timeout());
        using var alias = _server.Connect();

        var again = await DeployLock.AcquireAsync(alias, Project, options, _host, Timeout());
        await again.DisposeAsync();

        Assert.NotNull(TokenOnServer());
        await lease.DisposeAsync();
        Assert.Null(TokenOnServer());
    }

    [Fact]
    public async Task Break_frees_the_lock_it_read_and_names_its_holder()
    {
        _server.Put(LockName, OtherHolder("there", TimeSpan.Zero));

        var seen = await DeployLock.ReadAsync(_client, Project, Timeout());
        Assert.Equal(4242, seen!.Holder!.Identity.ProcessId);
        Assert.True(await DeployLock.BreakAsync(_client, seen, Timeout()));

        Assert.Null(TokenOnServer());
        Assert.Null((await DeployLock.ReadAsync(_client, Project, Timeout()))!.Holder);
    }

    [Fact]
    public async Task Break_leaves_a_lock_that_changed_hands_since_it_was_read()
    {
        _server.Put(LockName, OtherHolder("there", TimeSpan.Zero));
        var seen = await DeployLock.ReadAsync(_client, Project, Timeout());
        _server.Put(LockName, OtherHolder("elsewhere", TimeSpan.Zero, token: "new-holder"));

        Assert.False(await DeployLock.BreakAsync(_client, seen!, Timeout()));

        Assert.Equal("new-holder", TokenOnServer());
    }

    [Fact]
    public async Task A_lock_never_taken_reads_as_absent()
    {
        Assert.Null(await DeployLock.ReadAsync(_client, Project, Timeout()));
    }

    [Fact]
    public async Task The_locks_of_a_run_are_taken_in_server_name_order_and_freed_when_one_is_held_elsewhere()
    {
        using var other = new FakeProfileServer();
        using var transportB = other.Connect();
        using var b = new LxdClient(transportB.Transport, new LxdClientOptions { RemoteName = "b" }, ownsTransport: false);
        using var a = new LxdClient(_client.Transport, new LxdClientOptions { RemoteName = "a" }, ownsTransport: false);
        other.Put(LockName, OtherHolder("there", TimeSpan.Zero));

        var e = await Assert.ThrowsAsync<DeployLockedException>(() => DeployLock.AcquireAllAsync(new[] { b, a }, Project, Options(), _host, Timeout()));

        Assert.Equal("b", e.Server);
        Assert.Contains(_server.Requests, r => r.Method == "POST"); // a was taken first...
        Assert.NotNull(_server.ConfigOf(LockName));
        Assert.Null(TokenOnServer()); // ...and freed when b could not be
        Assert.Equal("other-token", other.ConfigOf(LockName)!["user.lxdcompose.lock.token"]);
    }

    [Theory]
    [InlineData("web", null, "lxdcompose-lock.web")]
    [InlineData("web", "team-a", "lxdcompose-lock.web.team-a")]
    public void The_lock_profile_is_named_after_the_compose_project_and_the_lxd_project(string project, string? lxdProject, string expected) =>
        Assert.Equal(expected, DeployLock.ProfileNameOf(project, lxdProject));

    [Fact]
    public void A_project_name_with_other_characters_gets_a_distinct_safe_profile_name()
    {
        var a = DeployLock.ProfileNameOf("my project/1", null);
        var b = DeployLock.ProfileNameOf("my project:1", null);
        Assert.NotEqual(a, b);
        Assert.Matches("^lxdcompose-lock\\.[A-Za-z0-9_-]+$", a);
        Assert.StartsWith("lxdcompose-lock.my-project-1-", a);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    private sealed class AlwaysAlive : IProcessProbe
    {
        public DateTimeOffset? StartTimeOf(int processId) => HolderStart;
    }
}
