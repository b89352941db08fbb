using LxdCompose.Specs;

namespace LxdCompose.Templating;

/// <summary>
/// Spec objects as template data with the key names of the YAML spec, as lxd-compose's jinja2 engine sees them
/// (yaml.v3 marshalling of its structs: <c>omitempty</c> fields left out when empty; <c>groups</c>, <c>nodes</c>,
/// <c>hooks</c>, <c>image_source</c>, hook <c>node</c> always present).
/// </summary>
public static class SpecObjectShapes
{
    /// <summary>Converts spec objects anywhere in <paramref name="value"/>; other values are returned as they are.</summary>
    public static object? ToData(object? value) => value switch
    {
        LxdProject p => Project(p),
        LxdGroup g => Group(g),
        LxdNode n => Node(n),
        LxdHook h => Hook(h),
        _ => value,
    };

    public static Dictionary<string, object?> Project(LxdProject p)
    {
        var map = new Shape().Always("name", p.Name).Omit("description", p.Description)
            .Omit("include_groups_files", p.IncludeGroupsFiles).Omit("include_env_files", p.IncludeEnvFiles)
            .Omit("include_hooks_files", p.IncludeHooksFiles)
            .Omit("vars", p.Vars.Select(Vars).ToList()).Omit("shell_envs_filter", p.ShellEnvsFilter)
            .Always("groups", p.Groups.Select(Group).ToList()).Omit("nodes_prefix", p.NodesPrefix)
            .Always("hooks", p.Hooks.Select(Hook).ToList())
            .Omit("config_templates", p.ConfigTemplates.Select(Mapping).ToList());
        return map.Map;
    }

    public static Dictionary<string, object?> Group(LxdGroup g) =>
        new Shape().Always("name", g.Name).Omit("description", g.Description).Omit("connection", g.Connection)
            .Omit("connection_type", g.ConnectionType).Omit("common_profiles", g.CommonProfiles)
            .Omit("config", Strings(g.Config)).Omit("ephemeral", g.Ephemeral)
            .Always("nodes", g.Nodes.Select(Node).ToList()).Omit("nodes_prefix", g.NodesPrefix)
            .Always("hooks", g.Hooks.Select(Hook).ToList()).Omit("include_hooks_files", g.IncludeHooksFiles)
            .Omit("config_templates", g.ConfigTemplates.Select(Mapping).ToList()).Map;

    public static Dictionary<string, object?> Node(LxdNode n) =>
        new Shape().Always("name", n.Name).Omit("name_prefix", n.NamePrefix).Always("image_source", n.ImageSource)
            .Omit("image_remote_server", n.ImageRemoteServer).Omit("labels", Strings(n.Labels))
            .Omit("config", Strings(n.Config)).Omit("source_dir", n.SourceDir).Omit("entrypoint", n.Entrypoint)
            .Omit("config_templates", n.ConfigTemplates.Select(Mapping).ToList())
            .Omit("sync_resources", n.SyncResources.Select(Mapping).ToList()).Omit("profiles", n.Profiles)
            .Always("hooks", n.Hooks.Select(Hook).ToList()).Omit("include_hooks_files", n.IncludeHooksFiles)
            .Omit("wait_ip", n.WaitIp).Map;

    public static Dictionary<string, object?> Hook(LxdHook h) =>
        new Shape().Always("event", h.Event).Always("node", h.Node).Omit("commands", h.Commands)
            .Omit("out2var", h.Out2Var ?? string.Empty).Omit("err2var", h.Err2Var ?? string.Empty)
            .Omit("entrypoint", h.Entrypoint).Omit("flags", h.Flags).Omit("disable", h.Disable)
            .Omit("uid", h.Uid).Omit("gid", h.Gid).Omit("cwd", h.Cwd ?? string.Empty)
            .Omit("timeout", h.Timeout?.TotalSeconds).Map;

    private static Dictionary<string, object?> Vars(VarsBlock v) =>
        new Shape().Omit("envs", v.Envs.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal))
            .Omit("encrypted", v.Encrypted).Omit("enc_content", v.EncryptedContent).Map;

    private static Dictionary<string, object?> Mapping(FileMapping m) =>
        new Shape().Always("source", m.Source).Always("dst", m.Destination).Map;

    private static Dictionary<string, object?> Strings(IReadOnlyDictionary<string, string> map) =>
        map.ToDictionary(e => e.Key, e => (object?)e.Value, StringComparer.Ordinal);

    /// <summary>Builds a map field by field; <c>Omit</c> leaves out what Go's omitempty leaves out.</summary>
    private sealed class Shape
    {
        public Dictionary<string, object?> Map { get; } = new(StringComparer.Ordinal);

        public Shape Always(string key, object? value)
        {
            Map[key] = Plain(value);
            return this;
        }

        public Shape Omit(string key, object? value)
        {
            var empty = value switch
            {
                null => true,
                string s => s.Length == 0,
                bool b => !b,
                long l => l == 0,
                System.Collections.ICollection c => c.Count == 0,
                _ => false,
            };
            if (!empty)
            {
                Map[key] = Plain(value);
            }

            return this;
        }

        private static object? Plain(object? value) => value switch
        {
            IReadOnlyList<string> strings => strings.Cast<object?>().ToList(),
            uint u => (long)u,
            _ => value,
        };
    }
}
