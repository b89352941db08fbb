using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LxdCompose.Lxd;
using LxdCompose.Lxd.Api;

namespace LxdCompose.Deploy;

/// <summary>Who takes a lock: the process, where it runs and what it runs. <see cref="RunId"/> is one per run.</summary>
public sealed record DeployLockIdentity
{
    public int ProcessId { get; init; }

    /// <summary>When the process started (UTC), so a reused process id is not taken for the holder.</summary>
    public DateTimeOffset ProcessStart { get; init; }

    public string Host { get; init; } = string.Empty;

    /// <summary>The kernel's boot id (Linux); tells a rebooted or another machine of the same name apart. Empty elsewhere.</summary>
    public string BootId { get; init; } = string.Empty;

    public string User { get; init; } = string.Empty;

    /// <summary>What runs, e.g. <c>Invoke-LxdApply -Project web</c>.</summary>
    public string Command { get; init; } = string.Empty;

    /// <summary>One per run: a run that reaches one server under two remote names holds its lock once.</summary>
    public string RunId { get; init; } = Guid.NewGuid().ToString("N");

    /// <summary>This process, running <paramref name="command"/>.</summary>
    public static DeployLockIdentity Current(string command)
    {
        using var process = Process.GetCurrentProcess();
        return new DeployLockIdentity
        {
            ProcessId = process.Id,
            ProcessStart = new DateTimeOffset(process.StartTime.ToUniversalTime()),
            Host = Environment.MachineName,
            BootId = ProcessProbe.BootId(),
            User = Environment.UserName,
            Command = command,
        };
    }
}

/// <summary>How a run takes its locks.</summary>
public sealed record DeployLockOptions
{
    /// <summary>How long to wait for a lock another run holds; zero: fail at once.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.Zero;

    /// <summary>How often the holder renews its heartbeat.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>A holder on another host whose heartbeat is older than this is gone: its lock is taken over.</summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>First wait between two looks at a held lock; it doubles up to <see cref="MaxPollInterval"/>.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan MaxPollInterval { get; init; } = TimeSpan.FromSeconds(5);

    public DeployLockIdentity Identity { get; init; } = DeployLockIdentity.Current("LxdCompose");

    /// <summary>Whether a process of this host is alive, and since when.</summary>
    public IProcessProbe Processes { get; init; } = ProcessProbe.Instance;
}

/// <summary>Start time of a local process, or null when there is none with that id.</summary>
public interface IProcessProbe
{
    DateTimeOffset? StartTimeOf(int processId);
}

/// <summary>The processes of this machine.</summary>
public sealed class ProcessProbe : IProcessProbe
{
    public static ProcessProbe Instance { get; } = new();

    public DateTimeOffset? StartTimeOf(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return process.HasExited ? null : new DateTimeOffset(process.StartTime.ToUniversalTime());
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return null; // no such process, or it ended while we looked
        }
    }

    internal static string BootId()
    {
        try
        {
            return File.Exists("/proc/sys/kernel/random/boot_id") ? File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim() : string.Empty;
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }
}

/// <summary>The record a held lock carries: who holds it, since when, and its last heartbeat.</summary>
public sealed record DeployLockHolder(DeployLockIdentity Identity, DateTimeOffset Since, DateTimeOffset Heartbeat, string Token)
{
    public override string ToString()
    {
        var command = Identity.Command.Length == 0 ? string.Empty : $" ({Identity.Command})";
        return $"process {Identity.ProcessId}{command} of user '{Identity.User}' on host '{Identity.Host}', since " +
            $"{Since.ToString("u", CultureInfo.InvariantCulture)} (last heartbeat {Heartbeat.ToString("u", CultureInfo.InvariantCulture)})";
    }
}

/// <summary>A lock as read from a server: its profile, its holder (null: free) and the ETag it was read with.</summary>
public sealed record DeployLockState(string Project, string Server, string? LxdProject, string LockName, DeployLockHolder? Holder, string? ETag);

/// <summary>Another run holds the lock of a project on a server, and did not let go within the timeout.</summary>
public sealed class DeployLockedException : DeployException
{
    public DeployLockedException(string composeProject, string server, string lockName, DeployLockHolder holder, TimeSpan waited)
        : base(Describe(composeProject, server, lockName, holder, waited), server, problem: DeployProblem.Locked)
    {
        ComposeProject = composeProject;
        Server = server;
        LockName = lockName;
        Holder = holder;
    }

    public string ComposeProject { get; }

    public string Server { get; }

    /// <summary>The profile on the server that carries the lock.</summary>
    public string LockName { get; }

    public DeployLockHolder Holder { get; }

    private static string Describe(string project, string server, string lockName, DeployLockHolder holder, TimeSpan waited) =>
        $"Project '{project}' is locked on {server} by {holder}" +
        (waited > TimeSpan.Zero ? $"; waited {waited.TotalSeconds:0.#} s. " : ". ") +
        "Let that run finish, or wait for it with -LockTimeout. If that run is gone, break the lock with " +
        $"Unlock-LxdProject -Project {project} -Remote {server} -Force (profile '{lockName}').";
}

/// <summary>
/// One run at a time per compose project and server. The lock is a profile on the server (in the client's LXD
/// project), named <see cref="ProfileNameOf"/>, whose <c>user.lxdcompose.lock.*</c> keys name the holder: both LXD and
/// Incus create a profile atomically (a second POST fails) and replace it only when the ETag still matches, so two
/// runs on two machines cannot both take it. A free lock is the profile without holder keys; it is never deleted on
/// release, because a DELETE is not conditional and could remove a lock another run just took.
/// </summary>
public static class DeployLock
{
    public const string KeyPrefix = "user.lxdcompose.lock.";
    private const string TokenKey = KeyPrefix + "token";
    private const string ProjectKey = KeyPrefix + "project";

    /// <summary>Waits for (up to <see cref="DeployLockOptions.Timeout"/>) and takes the lock of a project on a server.</summary>
    /// <exception cref="DeployLockedException">Another run still held it when the timeout ran out.</exception>
    public static async Task<DeployLease> AcquireAsync(ILxdServer server, string composeProject, DeployLockOptions options, IDeployHost host,
        CancellationToken cancellationToken)
    {
        var name = ProfileNameOf(composeProject, server.Project);
        var serverName = server.DisplayName;
        var started = DateTimeOffset.UtcNow;
        var delay = options.PollInterval;
        var watch = new HeartbeatWatch();
        var announced = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var current = await TryReadAsync(server, name, cancellationToken).ConfigureAwait(false);
            var mine = NewHolder(options.Identity);
            if (current is null)
            {
                if (await TryCreateAsync(server, name, composeProject, mine, cancellationToken).ConfigureAwait(false)
                    && await ConfirmAsync(server, name, mine, cancellationToken).ConfigureAwait(false) is { } created)
                {
                    return Held(server, name, composeProject, mine, created, options, host);
                }

                continue;
            }

            var holder = HolderOf(current.Value.Config);
            if (holder is not null && holder.Identity.RunId == options.Identity.RunId)
            {
                host.Log(DeployLogLevel.Verbose, $"The lock of project '{composeProject}' on {serverName} is already held by this run.");
                return DeployLease.AlreadyHeld;
            }

            var stale = holder is null ? null : StaleReason(holder, options, watch);
            if (holder is null || stale is not null)
            {
                if (await TryReplaceAsync(server, name, composeProject, mine, current.ETag, cancellationToken).ConfigureAwait(false)
                    && await ConfirmAsync(server, name, mine, cancellationToken).ConfigureAwait(false) is { } taken)
                {
                    if (stale is not null)
                    {
                        host.Log(DeployLogLevel.Warning, $"Took over the lock of project '{composeProject}' on {serverName} from {holder}: {stale}.");
                    }

                    return Held(server, name, composeProject, mine, taken, options, host);
                }

                continue; // another run changed it first
            }

            var waited = DateTimeOffset.UtcNow - started;
            if (waited >= options.Timeout)
            {
                throw new DeployLockedException(composeProject, serverName, name, holder, waited);
            }

            if (!announced)
            {
                host.Log(DeployLogLevel.Warning, $"Waiting up to {options.Timeout.TotalSeconds:0.#} s for the lock of project '{composeProject}' on {serverName}, held by {holder}.");
                announced = true;
            }

            var left = options.Timeout - waited;
            await Task.Delay(delay < left ? delay : left, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.MaxPollInterval.Ticks));
        }
    }

    /// <summary>
    /// Takes the lock of a project on each distinct server of a run, in a fixed order (remote name, then LXD project),
    /// so that two runs on overlapping servers cannot each hold one and wait for the other. On a failure the locks
    /// already taken are freed.
    /// </summary>
    public static async Task<DeployLeases> AcquireAllAsync(IEnumerable<ILxdServer> servers, string composeProject, DeployLockOptions options,
        IDeployHost host, CancellationToken cancellationToken)
    {
        var ordered = InLockOrder(servers);
        var held = new List<DeployLease>();
        try
        {
            foreach (var server in ordered)
            {
                held.Add(await AcquireAsync(server, composeProject, options, host, cancellationToken).ConfigureAwait(false));
            }

            return new DeployLeases(held);
        }
        catch
        {
            await new DeployLeases(held).DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Each server once, in the order runs take their locks: remote name, then LXD project.</summary>
    public static IReadOnlyList<ILxdServer> InLockOrder(IEnumerable<ILxdServer> servers) =>
        servers.Distinct().OrderBy(s => s.DisplayName, StringComparer.Ordinal).ThenBy(s => s.Project ?? string.Empty, StringComparer.Ordinal).ToList();

    /// <summary>The lock of a project on a server as it is now; null when it was never taken there.</summary>
    public static async Task<DeployLockState?> ReadAsync(ILxdServer server, string composeProject, CancellationToken cancellationToken)
    {
        var name = ProfileNameOf(composeProject, server.Project);
        var current = await TryReadAsync(server, name, cancellationToken).ConfigureAwait(false);
        return current is null ? null : new DeployLockState(composeProject, server.DisplayName, server.Project, name, HolderOf(current.Value.Config), current.ETag);
    }

    /// <summary>
    /// Breaks a lock as it was read: frees it under the ETag of <paramref name="seen"/>, so a lock that changed hands
    /// since (another run took it) is left alone. The holder, if it still runs, loses it at its next heartbeat.
    /// False when the lock changed or is gone.
    /// </summary>
    public static async Task<bool> BreakAsync(ILxdServer server, DeployLockState seen, CancellationToken cancellationToken)
    {
        try
        {
            return await TryReplaceAsync(server, seen.LockName, seen.Project, null, seen.ETag, cancellationToken).ConfigureAwait(false);
        }
        catch (LxdNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Why the holder of a lock is gone (its local process ended, its heartbeat is stale); null while it may still run.</summary>
    public static string? WhyStale(DeployLockHolder holder, DeployLockOptions options) => StaleReason(holder, options, new HeartbeatWatch());

    /// <summary>
    /// <c>lxdcompose-lock.&lt;project&gt;</c>, with the LXD project appended when the client is scoped to one (a project
    /// without its own profiles shares the default project's). A name with other characters than letters, digits,
    /// '-', '_' and '.' (or a long one) is kept readable and made unique by a hash of the original.
    /// </summary>
    public static string ProfileNameOf(string composeProject, string? lxdProject)
    {
        var name = "lxdcompose-lock." + Safe(composeProject);
        return string.IsNullOrEmpty(lxdProject) ? name : name + "." + Safe(lxdProject);
    }

    private static string Safe(string name)
    {
        if (name.Length is > 0 and <= 40 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return name;
        }

        var readable = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-').Take(24).ToArray());
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..12].ToLowerInvariant();
        return readable + "-" + hash;
    }

    private static DeployLockHolder NewHolder(DeployLockIdentity identity)
    {
        var now = DateTimeOffset.UtcNow;
        return new DeployLockHolder(identity, now, now, Guid.NewGuid().ToString("N"));
    }

    /// <summary>Why the holder is gone, or null while it may still run.</summary>
    internal static string? StaleReason(DeployLockHolder holder, DeployLockOptions options, HeartbeatWatch watch)
    {
        var us = options.Identity;
        var local = string.Equals(holder.Identity.Host, us.Host, StringComparison.OrdinalIgnoreCase)
            && (holder.Identity.BootId.Length == 0 || us.BootId.Length == 0 || holder.Identity.BootId == us.BootId);
        if (local)
        {
            var started = options.Processes.StartTimeOf(holder.Identity.ProcessId);
            if (started is null)
            {
                return $"its process {holder.Identity.ProcessId} no longer exists on this host";
            }

            // Start times are read to the tick by one and to the clock tick by another reader: a second apart is another process.
            return (started.Value - holder.Identity.ProcessStart).Duration() > TimeSpan.FromSeconds(1)
                ? $"process id {holder.Identity.ProcessId} now belongs to another process (started {started.Value.ToString("u", CultureInfo.InvariantCulture)})"
                : null;
        }

        var age = DateTimeOffset.UtcNow - holder.Heartbeat;
        if (age > options.StaleAfter)
        {
            return $"its last heartbeat is {age.TotalSeconds:0} s old (limit {options.StaleAfter.TotalSeconds:0} s)";
        }

        // Clocks of two hosts may differ: a heartbeat that has not changed while we watched is as telling.
        return watch.UnchangedFor(holder) > options.StaleAfter
            ? $"its heartbeat has not changed for {options.StaleAfter.TotalSeconds:0} s"
            : null;
    }

    private static DeployLease Held(ILxdServer server, string name, string project, DeployLockHolder mine, string? etag, DeployLockOptions options,
        IDeployHost host)
    {
        host.Log(DeployLogLevel.Verbose, $"Took the lock of project '{project}' on {server.DisplayName} (profile {name}).");
        return new DeployLease(server, name, project, mine, etag, options, host);
    }

    private static async Task<LxdVersioned<ServerProfile>?> TryReadAsync(ILxdServer server, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await server.Profiles.GetVersionedAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (LxdNotFoundException)
        {
            return null;
        }
    }

    private static async Task<bool> TryCreateAsync(ILxdServer server, string name, string project, DeployLockHolder mine,
        CancellationToken cancellationToken)
    {
        try
        {
            await server.Profiles.CreateAsync(ProfileOf(name, project, mine), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (LxdApiException) when (!cancellationToken.IsCancellationRequested)
        {
            // Another run created it first (LXD 5.0 answers 500, newer servers 409); any other refusal is rethrown.
            if (await TryReadAsync(server, name, cancellationToken).ConfigureAwait(false) is not null)
            {
                return false;
            }

            throw;
        }
    }

    internal static async Task<bool> TryReplaceAsync(ILxdServer server, string name, string project, DeployLockHolder? holder, string? etag,
        CancellationToken cancellationToken)
    {
        try
        {
            await server.Profiles.UpdateAsync(name, ProfileOf(name, project, holder), cancellationToken, etag).ConfigureAwait(false);
            return true;
        }
        catch (LxdPreconditionFailedException)
        {
            return false;
        }
    }

    /// <summary>The ETag of the lock when it carries <paramref name="mine"/>; null when another holder's token is there.</summary>
    internal static async Task<string?> ConfirmAsync(ILxdServer server, string name, DeployLockHolder mine, CancellationToken cancellationToken)
    {
        var read = await TryReadAsync(server, name, cancellationToken).ConfigureAwait(false);
        return read is not null && read.Value.Config.GetValueOrDefault(TokenKey) == mine.Token ? read.ETag ?? string.Empty : null;
    }

    internal static async Task<LxdVersioned<ServerProfile>?> ReadProfileAsync(ILxdServer server, string name, CancellationToken cancellationToken) =>
        await TryReadAsync(server, name, cancellationToken).ConfigureAwait(false);

    internal static bool IsHeldBy(ServerProfile profile, DeployLockHolder holder) => profile.Config.GetValueOrDefault(TokenKey) == holder.Token;

    /// <summary>The profile for a holder; for null, the free lock (no holder keys).</summary>
    internal static ServerProfile ProfileOf(string name, string project, DeployLockHolder? holder)
    {
        var config = new Dictionary<string, string> { [ProjectKey] = project };
        if (holder is not null)
        {
            var id = holder.Identity;
            config[TokenKey] = holder.Token;
            config[KeyPrefix + "run"] = id.RunId;
            config[KeyPrefix + "pid"] = id.ProcessId.ToString(CultureInfo.InvariantCulture);
            config[KeyPrefix + "process-start"] = Format(id.ProcessStart);
            config[KeyPrefix + "host"] = id.Host;
            config[KeyPrefix + "boot-id"] = id.BootId;
            config[KeyPrefix + "user"] = id.User;
            config[KeyPrefix + "command"] = id.Command;
            config[KeyPrefix + "since"] = Format(holder.Since);
            config[KeyPrefix + "heartbeat"] = Format(holder.Heartbeat);
        }

        return new ServerProfile
        {
            Name = name,
            Description = $"Lock of lxd-compose project {project}: one apply, stop or destroy at a time (LxdCompose)",
            Config = config,
        };
    }

    /// <summary>The holder a lock profile names; null when it is free.</summary>
    internal static DeployLockHolder? HolderOf(IReadOnlyDictionary<string, string> config)
    {
        if (!config.TryGetValue(TokenKey, out var token) || token.Length == 0)
        {
            return null;
        }

        string Get(string key) => config.GetValueOrDefault(KeyPrefix + key) ?? string.Empty;
        var identity = new DeployLockIdentity
        {
            ProcessId = int.TryParse(Get("pid"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid) ? pid : 0,
            ProcessStart = Parse(Get("process-start")),
            Host = Get("host"),
            BootId = Get("boot-id"),
            User = Get("user"),
            Command = Get("command"),
            RunId = Get("run"),
        };
        return new DeployLockHolder(identity, Parse(Get("since")), Parse(Get("heartbeat")), token);
    }

    private static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    // An unreadable time counts as very old: a record someone edited by hand is judged by the heartbeat watch.
    private static DateTimeOffset Parse(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : DateTimeOffset.MinValue;

    /// <summary>How long, by this machine's clock, a holder's heartbeat has stayed the same while we waited.</summary>
    internal sealed class HeartbeatWatch
    {
        private string? _seen;
        private DateTimeOffset _since;

        public TimeSpan UnchangedFor(DeployLockHolder holder)
        {
            var value = holder.Token + "@" + Format(holder.Heartbeat);
            var now = DateTimeOffset.UtcNow;
            if (value != _seen)
            {
                _seen = value;
                _since = now;
            }

            return now - _since;
        }
    }
}

/// <summary>
/// A held lock: renews its heartbeat in the background until disposed, then frees the lock — only if it is still
/// ours (the free record replaces ours under our ETag).
/// </summary>
public sealed class DeployLease : IAsyncDisposable
{
    /// <summary>A lease for a lock this run already holds on the same server (reached under another name): disposing it does nothing.</summary>
    internal static readonly DeployLease AlreadyHeld = new();

    private readonly ILxdServer? _server;
    private readonly string _name = string.Empty;
    private readonly string _project = string.Empty;
    private readonly DeployLockHolder? _holder;
    private readonly DeployLockOptions? _options;
    private readonly IDeployHost? _host;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _heartbeat = Task.CompletedTask;
    private string? _etag;
    private int _disposed;

    private DeployLease()
    {
    }

    internal DeployLease(ILxdServer server, string name, string project, DeployLockHolder holder, string? etag, DeployLockOptions options,
        IDeployHost host)
    {
        _server = server;
        _name = name;
        _project = project;
        _holder = holder;
        _etag = etag;
        _options = options;
        _host = host;
        _heartbeat = Task.Run(() => BeatAsync(_stop.Token));
    }

    /// <summary>The profile that carries the lock.</summary>
    public string LockName => _name;

    /// <summary>False once another run took or broke the lock while we held it.</summary>
    public bool IsHeld { get; private set; } = true;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1 || _server is null)
        {
            return;
        }

        _stop.Cancel();
        await _heartbeat.ConfigureAwait(false);
        _stop.Dispose();
        if (IsHeld)
        {
            // Dispose has no token of its own: a bounded wait, so a dead server does not hold up the end of the run.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await ReleaseAsync(timeout.Token).ConfigureAwait(false);
        }
    }

    private async Task BeatAsync(CancellationToken token)
    {
        try
        {
            while (true)
            {
                await Task.Delay(_options!.HeartbeatInterval, token).ConfigureAwait(false);
                try
                {
                    if (!await RenewAsync(token).ConfigureAwait(false))
                    {
                        return;
                    }
                }
                catch (Exception e) when (DeployFailures.IsDeployFailure(e))
                {
                    _host!.Log(DeployLogLevel.Verbose, $"The heartbeat of the lock of project '{_project}' on {_server!.DisplayName} failed, will retry: {e.Message}");
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    /// <summary>Writes a new heartbeat under our ETag; false (after a warning) when the lock is no longer ours.</summary>
    private async Task<bool> RenewAsync(CancellationToken token)
    {
        var renewed = _holder! with { Heartbeat = DateTimeOffset.UtcNow };
        while (true)
        {
            if (await DeployLock.TryReplaceAsync(_server!, _name, _project, renewed, _etag, token).ConfigureAwait(false)
                && await DeployLock.ConfirmAsync(_server!, _name, renewed, token).ConfigureAwait(false) is { } etag)
            {
                _etag = etag;
                return true;
            }

            // The ETag moved: still ours (someone edited the description) → renew on the new one; else we lost it.
            var current = await DeployLock.ReadProfileAsync(_server!, _name, token).ConfigureAwait(false);
            if (current is null || !DeployLock.IsHeldBy(current.Value, renewed))
            {
                IsHeld = false;
                var now = current is null ? "the lock was broken" : $"it is now held by {DeployLock.HolderOf(current.Value.Config)?.ToString() ?? "nobody"}";
                _host!.Log(DeployLogLevel.Warning, $"This run lost the lock of project '{_project}' on {_server!.DisplayName}: {now}.");
                return false;
            }

            _etag = current.ETag;
        }
    }

    private async Task ReleaseAsync(CancellationToken token)
    {
        try
        {
            while (true)
            {
                var current = await DeployLock.ReadProfileAsync(_server!, _name, token).ConfigureAwait(false);
                if (current is null || !DeployLock.IsHeldBy(current.Value, _holder!))
                {
                    _host!.Log(DeployLogLevel.Warning,
                        $"Did not free the lock of project '{_project}' on {_server!.DisplayName}: another run holds it or it was broken.");
                    return;
                }

                if (await DeployLock.TryReplaceAsync(_server!, _name, _project, null, current.ETag, token).ConfigureAwait(false))
                {
                    _host!.Log(DeployLogLevel.Verbose, $"Freed the lock of project '{_project}' on {_server!.DisplayName}.");
                    return;
                }
            }
        }
        catch (Exception e) when (DeployFailures.IsDeployFailure(e) || e is OperationCanceledException)
        {
            _host!.Log(DeployLogLevel.Warning, $"Could not free the lock of project '{_project}' on {_server!.DisplayName}: {e.Message}. " +
                "Its heartbeat stops now; another run takes it over once it is stale, or break it with Unlock-LxdProject.");
        }
    }
}

/// <summary>The locks of one run, freed in the reverse order of taking.</summary>
public sealed class DeployLeases : IAsyncDisposable
{
    public DeployLeases(IReadOnlyList<DeployLease> leases) => Leases = leases;

    public IReadOnlyList<DeployLease> Leases { get; }

    public async ValueTask DisposeAsync()
    {
        foreach (var lease in Leases.Reverse())
        {
            await lease.DisposeAsync().ConfigureAwait(false);
        }
    }
}
