using LxdCompose.Lxd.Api;
using LxdCompose.Specs;

namespace LxdCompose.Deploy;

/// <summary>
/// Compares declared profiles, networks, storage pools, network ACLs and certificates with the server's. A profile is compared whole (LXD adds
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

    /// <summary>
    /// A network ACL: description and config as a network's; the egress and ingress rules compared whole, each list as
    /// LXD keeps it (a rule without a state is enabled).
    /// </summary>
    public static IReadOnlyList<FieldChange> Compare(LxdNetworkAcl declared, ServerNetworkAcl live)
    {
        var changes = new List<FieldChange>();
        AddDescription(changes, declared.Description, live.Description);
        changes.AddRange(MapChanges("config.", declared.Config, live.Config, declaredKeysOnly: true, _ => true));
        AddRules(changes, "egress", declared.Egress, live.Egress);
        AddRules(changes, "ingress", declared.Ingress, live.Ingress);
        return changes;
    }

    /// <summary>
    /// A trusted certificate, found by name: its type, restriction, projects and fingerprint. LXD has no update of a
    /// trusted certificate's content, so a change of fingerprint is not in place.
    /// </summary>
    public static IReadOnlyList<FieldChange> Compare(LxdCertificate declared, string declaredFingerprint, ServerCertificate live)
    {
        var changes = new List<FieldChange>();
        if (!string.Equals(declaredFingerprint, live.Fingerprint, StringComparison.OrdinalIgnoreCase))
        {
            changes.Add(new FieldChange("fingerprint", live.Fingerprint, declaredFingerprint, false)
            {
                ReplaceReason = "the server trusts another certificate under this name",
            });
        }

        var type = declared.Type.Length > 0 ? declared.Type : "client";
        if (!string.Equals(type, live.Type, StringComparison.Ordinal))
        {
            changes.Add(new FieldChange("type", live.Type, type, true));
        }

        if (declared.Restricted != live.Restricted)
        {
            changes.Add(new FieldChange("restricted", Text(live.Restricted), Text(declared.Restricted), true));
        }

        var declaredProjects = string.Join(",", declared.Projects.Order(StringComparer.Ordinal));
        var liveProjects = string.Join(",", live.Projects.Order(StringComparer.Ordinal));
        if (declared.Restricted && declaredProjects != liveProjects)
        {
            changes.Add(new FieldChange("projects", liveProjects, declaredProjects, true));
        }

        return changes;
    }

    /// <summary>
    /// A network's forwards, by listen address: every declared one, and with <paramref name="extraOnServer"/> those only
    /// the server has (the sync deletes them).
    /// </summary>
    public static IReadOnlyList<FieldChange> CompareForwards(LxdNetwork declared, IReadOnlyList<ServerNetworkForward> live, bool extraOnServer)
    {
        var byAddress = live.ToDictionary(f => f.ListenAddress, StringComparer.Ordinal);
        var changes = new List<FieldChange>();
        foreach (var forward in declared.Forwards)
        {
            var old = byAddress.TryGetValue(forward.ListenAddress, out var l) ? Format(l) : null;
            var @new = Format(ToServerForward(declared, forward));
            if (old != @new)
            {
                changes.Add(new FieldChange("forwards." + forward.ListenAddress, old, @new, true));
            }
        }

        if (extraOnServer)
        {
            var declaredAddresses = declared.Forwards.Select(f => f.ListenAddress).ToHashSet(StringComparer.Ordinal);
            changes.AddRange(live.Where(f => !declaredAddresses.Contains(f.ListenAddress))
                .Select(f => new FieldChange("forwards." + f.ListenAddress, Format(f), null, true)));
        }

        return changes;
    }

    /// <summary>A declared forward as LXD takes it (lxd-compose's default description when it has none).</summary>
    public static ServerNetworkForward ToServerForward(LxdNetwork network, LxdNetworkForward forward) => new()
    {
        ListenAddress = forward.ListenAddress,
        Description = forward.Description.Length > 0 ? forward.Description : $"Network forward for ip {forward.ListenAddress} created by lxd-compose",
        Config = forward.Config.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal),
        Ports = forward.Ports.Select(p => new ServerNetworkForwardPort
        {
            Description = p.Description,
            Protocol = p.Protocol.Length > 0 ? p.Protocol : "tcp",
            ListenPort = p.ListenPort,
            TargetPort = p.TargetPort,
            TargetAddress = p.TargetAddress,
        }).ToList(),
    };

    /// <summary>A declared ACL rule as LXD keeps it.</summary>
    public static ServerNetworkAclRule ToServerRule(LxdAclRule rule) => new()
    {
        Action = rule.Action,
        State = rule.State.Length > 0 ? rule.State : "enabled",
        Description = rule.Description,
        Source = rule.Source,
        Destination = rule.Destination,
        Protocol = rule.Protocol,
        SourcePort = rule.SourcePort,
        DestinationPort = rule.DestinationPort,
        IcmpType = rule.IcmpType,
        IcmpCode = rule.IcmpCode,
    };

    private static void AddRules(List<FieldChange> changes, string field, IReadOnlyList<LxdAclRule> declared, IReadOnlyList<ServerNetworkAclRule> live)
    {
        var old = Format(live);
        var @new = Format(declared.Select(ToServerRule).ToList());
        if (old != @new)
        {
            changes.Add(new FieldChange(field, old.Length > 0 ? old : null, @new.Length > 0 ? @new : null, true));
        }
    }

    private static string Format(IReadOnlyList<ServerNetworkAclRule> rules) => string.Join(" | ", rules.Select(r =>
        string.Join(" ", new[]
        {
            r.Action, r.State, Part("src", r.Source), Part("dst", r.Destination), Part("proto", r.Protocol), Part("sport", r.SourcePort),
            Part("dport", r.DestinationPort), Part("icmp_type", r.IcmpType), Part("icmp_code", r.IcmpCode), Part("desc", r.Description),
        }.Where(x => x.Length > 0))));

    private static string Format(ServerNetworkForward forward) =>
        string.Join(" ", new[]
        {
            Part("desc", forward.Description),
            string.Join(",", forward.Config.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}={e.Value}")),
            string.Join(",", forward.Ports.Select(p => $"{p.Protocol}:{p.ListenPort}->{p.TargetAddress}:{p.TargetPort}")),
        }.Where(x => x.Length > 0));

    private static string Part(string name, string value) => value.Length > 0 ? $"{name}={value}" : string.Empty;

    private static string Text(bool value) => value ? "true" : "false";

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
