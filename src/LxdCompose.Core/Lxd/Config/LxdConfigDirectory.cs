namespace LxdCompose.Lxd.Config;

/// <summary>Finds the lxc/incus client configuration directory the way lxd-compose does.</summary>
public static class LxdConfigDirectory
{
    /// <summary>
    /// An explicit directory (e.g. <c>general.lxd_confdir</c>) wins; then <c>$LXD_CONF</c>, <c>$INCUS_CONF</c>,
    /// <c>~/.config/incus</c> if it exists, <c>~/.config/lxc</c> if it exists, the snap's <c>~/snap/lxd/common/config</c> if
    /// it exists; else <c>~/.config/lxc</c> (which need not exist: a missing config.yml means built-in defaults).
    /// </summary>
    public static string Resolve(string? explicitDirectory, Func<string, string?>? environment = null, string? home = null, Func<string, bool>? directoryExists = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        directoryExists ??= Directory.Exists;
        if (!string.IsNullOrWhiteSpace(explicitDirectory))
        {
            return ExpandHome(explicitDirectory, environment, home);
        }

        foreach (var variable in new[] { "LXD_CONF", "INCUS_CONF" })
        {
            if (environment(variable) is { Length: > 0 } value)
            {
                return ExpandHome(value, environment, home);
            }
        }

        var userHome = HomeOf(environment, home);
        var incus = Path.Combine(userHome, ".config", "incus");
        var lxc = Path.Combine(userHome, ".config", "lxc");
        var snap = Path.Combine(userHome, "snap", "lxd", "common", "config");
        foreach (var candidate in new[] { incus, lxc, snap })
        {
            if (directoryExists(candidate))
            {
                return candidate;
            }
        }

        return lxc;
    }

    private static string HomeOf(Func<string, string?> environment, string? home) =>
        home ?? (environment("HOME") is { Length: > 0 } fromEnvironment ? fromEnvironment : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    private static string ExpandHome(string path, Func<string, string?> environment, string? home) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(HomeOf(environment, home), path.Length > 2 ? path[2..] : string.Empty)
            : path;
}
