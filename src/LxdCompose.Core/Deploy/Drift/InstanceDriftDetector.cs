using LxdCompose.Lxd.Api;

namespace LxdCompose.Deploy;

/// <summary>
/// Compares what the spec wants of an instance with the instance as the server returns it. Only the instance's own
/// <c>config</c> and <c>devices</c> are compared (not the expanded ones, which carry its profiles' values), its profile
/// list in order (LXD applies profiles in that order), <c>ephemeral</c>, and its image.
/// </summary>
public static class InstanceDriftDetector
{
    /// <summary>
    /// Config key prefixes the server writes on its own, so they never count as drift: <c>volatile.*</c> (LXD's and
    /// Incus's internal state: MAC addresses, idmaps, uuids, last power state, base image), <c>image.*</c> (copied from
    /// the image's properties at creation) and <c>user.lxdcompose.*</c> (the engine's own marks on its instances).
    /// </summary>
    public static IReadOnlyList<string> IgnoredConfigPrefixes { get; } = new[] { "volatile.", "image.", "user.lxdcompose." };

    /// <summary>
    /// Config keys LXD accepts on a running container but reads only when it starts it (their "live update" is "no"):
    /// changing one on an existing container would leave it running with the old value while its config shows the new
    /// one, and the idmap keys shift the ownership of every file in it. The container is replaced instead.
    /// </summary>
    public static IReadOnlyList<string> StartOnlyConfigKeys { get; } = new[]
    {
        "security.privileged", "security.idmap.base", "security.idmap.isolated", "security.idmap.size", "raw.idmap", "raw.lxc", "raw.seccomp",
        "security.devlxd", "security.devlxd.images",
    };

    /// <summary>Prefixes of config keys LXD reads only when it starts a container, as <see cref="StartOnlyConfigKeys"/>.</summary>
    public static IReadOnlyList<string> StartOnlyConfigPrefixes { get; } = new[] { "security.syscalls.", "limits.kernel.", "nvidia." };

    /// <summary>The config key holding the fingerprint of the image the instance was created from.</summary>
    public const string BaseImageKey = "volatile.base_image";

    /// <summary>
    /// The config key apply writes at creation with the spec's <c>image_source</c>. The image is compared by what the spec
    /// names, not by fingerprint: a newer build behind the same alias is not drift (<c>-Upgrade</c> takes it), an edited
    /// <c>image_source</c> is.
    /// </summary>
    public const string ImageSourceKey = "user.lxdcompose.image";

    public static bool IsIgnoredConfigKey(string key) => IgnoredConfigPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal));

    public static bool IsStartOnlyConfigKey(string key) =>
        StartOnlyConfigKeys.Contains(key, StringComparer.Ordinal) || StartOnlyConfigPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal));

    public static InstanceDrift Compare(DesiredInstance desired, LxdInstance live)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(live);
        var changes = new List<FieldChange>();
        if (ImageChange(desired, live) is { } image)
        {
            changes.Add(image);
        }

        if (desired.Ephemeral != live.Ephemeral)
        {
            // LXD changes it on a running container (checked on LXD 5.0 and Incus 6.0).
            changes.Add(new FieldChange("ephemeral", Bool(live.Ephemeral), Bool(desired.Ephemeral), true));
        }

        if (!desired.Profiles.SequenceEqual(live.Profiles, StringComparer.Ordinal))
        {
            changes.Add(new FieldChange("profiles", string.Join(", ", live.Profiles), string.Join(", ", desired.Profiles), true));
        }

        changes.AddRange(ConfigChanges(desired.Config, live.Config));
        changes.AddRange(DeviceChanges(desired.Devices, live.Devices));
        return changes.Count == 0 ? InstanceDrift.None : new InstanceDrift(changes);
    }

    /// <summary>A device's keys as one value, <c>key=value</c> sorted by key, for <see cref="FieldChange.Old"/>/<see cref="FieldChange.New"/>.</summary>
    public static string FormatDevice(IReadOnlyDictionary<string, string> device) =>
        string.Join(",", device.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}={e.Value}"));

    private static FieldChange? ImageChange(DesiredInstance desired, LxdInstance live)
    {
        // An instance apply did not create (made by lxd-compose, by hand, a copy) does not say what it was made from.
        if (desired.ImageSource is not { Length: > 0 } wanted || !live.Config.TryGetValue(ImageSourceKey, out var actual) || actual.Length == 0)
        {
            return null;
        }

        return string.Equals(actual, wanted, StringComparison.Ordinal)
            ? null
            : new FieldChange("image", actual, wanted, false) { ReplaceReason = "an instance cannot change the image it was made from" };
    }

    private static IEnumerable<FieldChange> ConfigChanges(IReadOnlyDictionary<string, string> desired, IReadOnlyDictionary<string, string> live)
    {
        var keys = desired.Keys.Concat(live.Keys).Where(k => !IsIgnoredConfigKey(k)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            var old = live.TryGetValue(key, out var l) ? l : null;
            var @new = desired.TryGetValue(key, out var d) ? d : null;
            if (old == @new)
            {
                continue;
            }

            var startOnly = IsStartOnlyConfigKey(key);
            yield return new FieldChange("config." + key, old, @new, !startOnly)
            {
                ReplaceReason = startOnly ? $"LXD reads {key} only when it starts the container" : null,
            };
        }
    }

    private static IEnumerable<FieldChange> DeviceChanges(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> desired,
        IReadOnlyDictionary<string, Dictionary<string, string>> live)
    {
        var names = desired.Keys.Concat(live.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var name in names)
        {
            IReadOnlyDictionary<string, string>? old = live.TryGetValue(name, out var l) ? l : null;
            var @new = desired.TryGetValue(name, out var d) ? d : null;
            if (old is not null && @new is not null && SameMap(old, @new))
            {
                continue;
            }

            // LXD adds, removes and changes devices of a running container, but refuses to move its root disk to
            // another pool: that takes a new instance.
            var movesRoot = old is not null && @new is not null && IsRootDisk(old) && IsRootDisk(@new) && Value(old, "pool") != Value(@new, "pool");
            yield return new FieldChange("devices." + name, old is null ? null : FormatDevice(old), @new is null ? null : FormatDevice(@new), !movesRoot)
            {
                ReplaceReason = movesRoot ? $"LXD cannot move the root disk {name} of an existing container" : null,
            };
        }
    }

    private static bool IsRootDisk(IReadOnlyDictionary<string, string> device) => Value(device, "type") == "disk" && Value(device, "path") == "/";

    private static string? Value(IReadOnlyDictionary<string, string> map, string key) => map.TryGetValue(key, out var v) ? v : null;

    private static bool SameMap(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(e => b.TryGetValue(e.Key, out var v) && v == e.Value);

    private static string Bool(bool value) => value ? "true" : "false";
}
