using LxdCompose.Loading;
using LxdCompose.Lxd.Config;

namespace LxdCompose.Deploy;

/// <summary>
/// The client configuration a deploy uses: <c>general.lxd_confdir</c> (relative to the config file), else the usual
/// lookup; <c>general.p2pmode</c> and <c>general.lxd_local_disable</c> join the options.
/// </summary>
public static class DeployClientConfig
{
    public static (LxdClientConfig Config, DeployOptions Options) Resolve(SpecSet specs, DeployOptions options)
    {
        var configured = specs.Config.General.LxdConfDir;
        var explicitDirectory = configured.Length == 0 ? null
            : Path.IsPathRooted(configured) ? configured
            : Path.GetFullPath(Path.Combine(specs.Config.BaseDirectory, configured));
        var directory = LxdConfigDirectory.Resolve(explicitDirectory);
        var config = LxdClientConfig.Load(directory);
        return (config, options with
        {
            ConfigDirectory = directory,
            ExportConfigDirectory = explicitDirectory is not null,
            P2PMode = options.P2PMode || specs.Config.General.P2PMode,
            LocalDisable = options.LocalDisable || specs.Config.General.LxdLocalDisable,
        });
    }
}
