using LxdCompose.Loading;
using LxdCompose.Lxd.Config;
using LxdCompose.Specs;

namespace LxdCompose.Deploy;

/// <summary>
/// The client configuration a deploy uses: <c>general.lxd_confdir</c> (relative to the config file), else the usual
/// lookup; <c>general.p2pmode</c> and <c>general.lxd_local_disable</c> join the options.
/// </summary>
public static class DeployClientConfig
{
    public static (LxdClientConfig Config, DeployOptions Options) Resolve(SpecSet specs, DeployOptions options)
    {
        var config = Load(specs.Config);
        return (config, options with
        {
            ConfigDirectory = config.Directory,
            ExportConfigDirectory = ConfiguredDirectory(specs.Config) is not null,
            P2PMode = options.P2PMode || specs.Config.General.P2PMode,
            LocalDisable = options.LocalDisable || specs.Config.General.LxdLocalDisable,
        });
    }

    /// <summary>The absolute directory <c>general.lxd_confdir</c> names, or null when it is not set.</summary>
    public static string? ConfiguredDirectory(ComposeConfig config)
    {
        var configured = config.General.LxdConfDir;
        return configured.Length == 0 ? null
            : Path.IsPathRooted(configured) ? configured
            : Path.GetFullPath(Path.Combine(config.BaseDirectory, configured));
    }

    /// <summary>
    /// The client configuration of <paramref name="compose"/>. A configured <c>general.lxd_confdir</c> must exist, and
    /// then only the servers its config.yml lists can be reached: lxc's built-in <c>local</c> (the host's own socket) is
    /// dropped, so that a remote missing from the file fails instead of silently reaching another server. Without a
    /// configured directory the usual lookup and lxc's built-ins apply. Throws <see cref="Lxd.LxdConfigException"/>.
    /// </summary>
    public static LxdClientConfig Load(ComposeConfig compose)
    {
        ArgumentNullException.ThrowIfNull(compose);
        var configured = ConfiguredDirectory(compose);
        if (configured is not null && !Directory.Exists(configured))
        {
            throw new Lxd.LxdConfigException(
                $"The client configuration directory '{compose.General.LxdConfDir}' set by general.lxd_confdir " +
                $"({compose.General.LxdConfDirLocation}) does not exist (looked for {configured}); create it (Add-LxdRemote " +
                "writes it) or fix general.lxd_confdir.")
            { Target = configured };
        }

        var config = LxdClientConfig.Load(LxdConfigDirectory.Resolve(configured));
        return configured is null ? config : config.WithoutBuiltInServers();
    }

    /// <summary>
    /// Why <paramref name="group"/>'s <c>connection</c> cannot be reached with <paramref name="config"/>, or null: a
    /// remote name (or, when empty, the default remote) must be one of the config's servers; <c>unix:</c> paths are
    /// sockets and need no remote.
    /// </summary>
    public static string? ConnectionProblem(LxdClientConfig config, LxdGroup group)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(group);
        if (Lxd.LxdConnector.RemoteOf(config, group.Connection) is not { } name)
        {
            return null;
        }

        var servers = config.Remotes.Values.Where(r => r.IsApiServer).Select(r => r.Name).Order(StringComparer.Ordinal).ToList();
        if (config.Remotes.TryGetValue(name, out var remote))
        {
            return remote.IsApiServer ? null
                : $"the remote '{name}' of {config.ConfigFile} is a {remote.Protocol} image server, not an LXD or Incus server";
        }

        var which = group.Connection.Length > 0 ? $"connection '{name}'" : $"default remote '{name}' (it has no connection)";
        var file = config.FileExists ? config.ConfigFile : $"{config.ConfigFile} (which does not exist)";
        return $"the {which} of group '{group.Name}' is not in {file}{Spelling.DidYouMean(name, servers)}; " +
            $"its servers: {(servers.Count == 0 ? "none" : string.Join(", ", servers))}";
    }
}
