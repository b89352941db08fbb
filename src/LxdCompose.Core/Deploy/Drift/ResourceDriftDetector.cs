using LxdCompose.Lxd.Api;
using LxdCompose.Specs;

namespace LxdCompose.Deploy;

/// <summary>
/// Compares declared profiles, networks and storage pools with the server's. A profile is compared whole (LXD adds
/// nothing to it): every config key and device. Networks and pools are compared on the keys their declaration sets:
/// LXD fills in the rest at creation (a bridge's generated addresses, a pool's <c>source</c> and size), so a key the
/// declaration leaves out is the server's default, not drift. A description counts when the declaration has one.
/// </summary>
public static class ResourceDriftDetector
{
    public static IReadOnlyList<FieldChange> Compare(LxdProfile declared, ServerProfile live)
    {
        var changes = new List<FieldChange>();
        AddDescription(changes, declared.Description, live.Description);
        changes.AddRange(MapChanges("config.", declared.Config, live.Config, declaredKeysOnly: false, _ => true));
        var names = declared.Devices.Keys.Concat(live.Devices.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var old = live.Devices.TryGetValue(name, out var l) ? InstanceDriftDetector.FormatDevice(l) : null;
            var @new = declared.Devices.TryGetValue(name, out var d) ? InstanceDriftDetector.FormatDevice(d) : null;
            if (old != @new)
            {
                changes.Add(new FieldChange("devices." + name, old, @new, true));
            }
        }

        return changes;
    }

    public static IReadOnlyList<FieldChange> Compare(LxdNetwork declared, ServerNetwork live)
    {
        var changes = new List<FieldChange>();
        if (declared.Type.Length > 0 && !string.Equals(declared.Type, live.Type, StringComparison.Ordinal))
        {
            changes.Add(new FieldChange("type", live.Type, declared.Type, false) { ReplaceReason = "LXD cannot change the type of a network" });
        }

        AddDescription(changes, declared.Description, live.Description);
        changes.AddRange(MapChanges("config.", declared.Config, live.Config, declaredKeysOnly: true, _ => true));
        return changes;
    }

    public static IReadOnlyList<FieldChange> Compare(LxdStoragePool declared, ServerStoragePool live)
    {
        var changes = new List<FieldChange>();
        if (declared.Driver.Length > 0 && !string.Equals(declared.Driver, live.Driver, StringComparison.Ordinal))
        {
            changes.Add(new FieldChange("driver", live.Driver, declared.Driver, false) { ReplaceReason = "LXD cannot change the driver of a storage pool" });
        }

        AddDescription(changes, declared.Description, live.Description);
        // LXD refuses to change where a pool keeps its data.
        changes.AddRange(MapChanges("config.", declared.Config, live.Config, declaredKeysOnly: true, key => key != "source"));
        return changes;
    }

    private static void AddDescription(List<FieldChange> changes, string declared, string live)
    {
        if (declared.Length > 0 && !string.Equals(declared, live, StringComparison.Ordinal))
        {
            changes.Add(new FieldChange("description", live, declared, true));
        }
    }

    private static IEnumerable<FieldChange> MapChanges(string prefix, IReadOnlyDictionary<string, string> declared, IReadOnlyDictionary<string, string> live,
        bool declaredKeysOnly, Func<string, bool> inPlace)
    {
        var keys = (declaredKeysOnly ? declared.Keys : declared.Keys.Concat(live.Keys))
            .Where(k => !k.StartsWith("volatile.", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            var old = live.TryGetValue(key, out var l) ? l : null;
            var @new = declared.TryGetValue(key, out var d) ? d : null;
            if (old != @new)
            {
                var changeable = inPlace(key);
                yield return new FieldChange(prefix + key, old, @new, changeable)
                {
                    ReplaceReason = changeable ? null : $"LXD cannot change {key} of an existing object",
                };
            }
        }
    }
}
