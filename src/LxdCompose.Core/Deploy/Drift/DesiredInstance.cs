using LxdCompose.Specs;

namespace LxdCompose.Deploy;

/// <summary>
/// What the spec wants of an instance: the config apply creates it with (group config, node config, then
/// <c>user.&lt;label&gt;</c>), its profiles in order, its own devices, whether it is ephemeral, and the image the spec
/// names (<c>image_source</c>; null: the image is not compared).
/// </summary>
public sealed record DesiredInstance(
    string Name,
    IReadOnlyDictionary<string, string> Config,
    IReadOnlyList<string> Profiles,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Devices,
    bool Ephemeral,
    string? ImageSource)
{
    /// <summary>The profile LXD gives an instance created without a profile list, as apply creates a node without profiles.</summary>
    public const string DefaultProfile = "default";

    /// <summary>A node as apply creates it: lxd-compose nodes declare no devices of their own.</summary>
    public static DesiredInstance Of(LxdGroup group, LxdNode node)
    {
        var profiles = group.CommonProfiles.Concat(node.Profiles).ToList();
        return new DesiredInstance(
            node.InstanceName,
            ApplyPlanner.InstanceConfig(group, node),
            profiles.Count == 0 ? new[] { DefaultProfile } : profiles,
            new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal),
            group.Ephemeral,
            node.ImageSource);
    }
}
