using System.Globalization;
using System.Text.RegularExpressions;
using LxdCompose.Lxd;
using LxdCompose.Lxd.Api;

namespace LxdCompose.Maintenance;

public enum NodeBackupAction
{
    /// <summary>The copy was made.</summary>
    Created,

    /// <summary>A copy of that day already exists: left as it is (lxd-compose skips it too).</summary>
    Exists,

    /// <summary>The node has no instance on its server: nothing to copy.</summary>
    NoInstance,

    /// <summary>An older copy deleted to keep -MaxBackups.</summary>
    Deleted,

    /// <summary>The node's instance was replaced by a copy of the backup.</summary>
    Restored,
}

/// <summary>One backup copy of a node's instance (<c>&lt;instance&gt;-YYYYMMDD</c> on the node's server).</summary>
public sealed class NodeBackupResult
{
    public string Project { get; init; } = string.Empty;
    public string Group { get; init; } = string.Empty;
    public string Node { get; init; } = string.Empty;
    public string Instance { get; init; } = string.Empty;
    public string Remote { get; init; } = string.Empty;
    /// <summary>The copy's instance name.</summary>
    public string Backup { get; init; } = string.Empty;
    public NodeBackupAction Action { get; init; }
    /// <summary>The copy's profiles (after -RemoveProfile).</summary>
    public IReadOnlyList<string> Profiles { get; init; } = Array.Empty<string>();

    public override string ToString() => Backup.Length > 0 ? Backup : Instance;
}

/// <summary>
/// lxd-compose backup: copies an instance to <c>&lt;name&gt;-YYYYMMDD</c> on its own server (stopped, only the instance,
/// no snapshots), optionally without some profiles, then keeps only the newest backups; and the way back: an instance
/// replaced by a copy of one of its backups.
/// </summary>
public static class NodeBackup
{
    public const string DateFormat = "yyyyMMdd";

    /// <summary>The backup name of <paramref name="instance"/> on <paramref name="day"/>.</summary>
    public static string BackupName(string instance, DateOnly day) => $"{instance}-{day.ToString(DateFormat, CultureInfo.InvariantCulture)}";

    /// <summary>The backups of <paramref name="instance"/> among <paramref name="names"/>, oldest first (the date sorts as text).</summary>
    public static IReadOnlyList<string> BackupsOf(string instance, IEnumerable<string> names)
    {
        var pattern = new Regex("^" + Regex.Escape(instance) + @"-\d{8}$", RegexOptions.CultureInvariant);
        return names.Where(n => pattern.IsMatch(n)).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The backups to delete so that <paramref name="maxBackups"/> are left (0: no limit), oldest first.</summary>
    public static IReadOnlyList<string> Surplus(IReadOnlyList<string> backupsOldestFirst, int maxBackups) =>
        maxBackups <= 0 || backupsOldestFirst.Count <= maxBackups
            ? Array.Empty<string>()
            : backupsOldestFirst.Take(backupsOldestFirst.Count - maxBackups).ToList();

    /// <summary>The request that copies <paramref name="source"/> to <paramref name="name"/> with these profiles.</summary>
    internal static LxdInstanceCreateRequest CopyRequest(LxdInstance source, string name, IReadOnlyList<string> profiles) => new()
    {
        Name = name,
        Type = source.Type,
        Description = source.Description,
        Profiles = profiles.ToList(),
        Ephemeral = false, // a backup must outlive a stop
        Source = new LxdInstanceSource
        {
            Type = "copy",
            Source = source.Name,
            InstanceOnly = true,
            Live = false,
            AllowInconsistent = true,
        },
    };

    /// <summary>
    /// Copies the instance to today's backup (unless it exists), then deletes the oldest backups beyond
    /// <paramref name="maxBackups"/>. Results: the copy (Created, Exists or NoInstance), then each deleted backup.
    /// </summary>
    public static async Task<IReadOnlyList<NodeBackupResult>> BackupAsync(ILxdServer server, NodeBackupTarget target, DateOnly day,
        IReadOnlyCollection<string> removeProfiles, int maxBackups, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(target);
        var results = new List<NodeBackupResult>();
        var source = await server.Instances.TryGetAsync(target.Instance, cancellationToken).ConfigureAwait(false);
        if (source is null)
        {
            results.Add(target.Result(NodeBackupAction.NoInstance, string.Empty, Array.Empty<string>()));
            return results;
        }

        var name = BackupName(target.Instance, day);
        var existing = await server.Instances.TryGetAsync(name, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            results.Add(target.Result(NodeBackupAction.Exists, name, existing.Profiles));
        }
        else
        {
            var profiles = source.Profiles.Where(p => !removeProfiles.Contains(p)).ToList();
            var copy = await server.Instances.CreateAsync(CopyRequest(source, name, profiles), cancellationToken).ConfigureAwait(false);
            results.Add(target.Result(NodeBackupAction.Created, name, copy.Profiles));
        }

        var all = await server.Instances.ListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var old in Surplus(BackupsOf(target.Instance, all.Select(i => i.Name)), maxBackups))
        {
            await server.Instances.DeleteAsync(old, cancellationToken).ConfigureAwait(false);
            results.Add(target.Result(NodeBackupAction.Deleted, old, Array.Empty<string>()));
        }

        return results;
    }

    /// <summary>
    /// The backup a restore uses: <paramref name="backup"/> when given (a name, or a date <c>YYYYMMDD</c>), else the newest.
    /// Throws <see cref="LxdNotFoundException"/> when there is none.
    /// </summary>
    public static async Task<string> FindBackupAsync(ILxdServer server, string instance, string? backup, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        var all = await server.Instances.ListAsync(cancellationToken).ConfigureAwait(false);
        var backups = BackupsOf(instance, all.Select(i => i.Name));
        if (string.IsNullOrEmpty(backup))
        {
            return backups.Count > 0 ? backups[^1]
                : throw new LxdNotFoundException($"{server.DisplayName} has no backup of {instance} ({instance}-YYYYMMDD).") { Target = instance };
        }

        var name = Regex.IsMatch(backup, @"^\d{8}$") ? $"{instance}-{backup}" : backup;
        return backups.Contains(name) ? name
            : throw new LxdNotFoundException(
                $"{server.DisplayName} has no backup '{name}' of {instance}; its backups: {(backups.Count == 0 ? "none" : string.Join(", ", backups))}.")
            { Target = name };
    }

    /// <summary>
    /// Replaces the instance by a copy of <paramref name="backup"/>: the instance (when there is one) is stopped and
    /// deleted, the backup copied to its name with the backup's profiles, and started when the instance ran. The backup
    /// stays as it is.
    /// </summary>
    public static async Task<NodeBackupResult> RestoreAsync(ILxdServer server, NodeBackupTarget target, string backup, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(target);
        var source = await server.Instances.GetAsync(backup, cancellationToken).ConfigureAwait(false);
        var current = await server.Instances.TryGetAsync(target.Instance, cancellationToken).ConfigureAwait(false);
        if (current is not null)
        {
            await server.Instances.DeleteAsync(target.Instance, cancellationToken).ConfigureAwait(false);
        }

        var restored = await server.Instances.CreateAsync(CopyRequest(source, target.Instance, source.Profiles), cancellationToken).ConfigureAwait(false);
        if (current?.IsRunning == true)
        {
            await server.Instances.StartAsync(target.Instance, cancellationToken).ConfigureAwait(false);
        }

        return target.Result(NodeBackupAction.Restored, backup, restored.Profiles);
    }
}

/// <summary>A node whose instance is backed up or restored, and the remote its group uses.</summary>
public sealed record NodeBackupTarget(string Project, string Group, string Node, string Instance, string Remote)
{
    internal NodeBackupResult Result(NodeBackupAction action, string backup, IReadOnlyList<string> profiles) => new()
    {
        Project = Project, Group = Group, Node = Node, Instance = Instance, Remote = Remote, Backup = backup, Action = action, Profiles = profiles,
    };
}
