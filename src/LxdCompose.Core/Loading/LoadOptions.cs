using LxdCompose.Templating;

namespace LxdCompose.Loading;

/// <summary>Where and how to load specs; mirrors lxd-compose's global flags that affect loading.</summary>
public sealed class LoadOptions
{
    /// <summary>Explicit config file; else env <c>LXD_COMPOSE_CONFIG</c>; else <c>.lxd-compose.yml</c> in <see cref="WorkingDirectory"/>.</summary>
    public string? ConfigPath { get; init; }

    /// <summary>Base for a relative <see cref="ConfigPath"/> and for the config lookup (PowerShell passes its location).</summary>
    public string WorkingDirectory { get; init; } = Environment.CurrentDirectory;

    /// <summary>Like <c>--nodes-prefix</c>: prefixes every node whose <c>name_prefix</c> is empty.</summary>
    public string? NodesPrefix { get; init; }

    /// <summary><c>LXD_COMPOSE_*</c> variables; null reads the process environment.</summary>
    public IReadOnlyDictionary<string, string>? EnvironmentVariables { get; init; }

    /// <summary>
    /// Render engine for spec files when the config enables it; null picks the config's <c>render_engine</c>
    /// (<see cref="TemplateEngines.SpecRendererFor"/>).
    /// </summary>
    public ISpecRenderer? Renderer { get; init; }

    /// <summary>
    /// Like <c>--key</c>: the base64 encryption key, instead of the config's <c>security.key</c>/<c>keyfile</c>. Wins
    /// over <see cref="KeyFile"/>.
    /// </summary>
    public string? Key { get; init; }

    /// <summary>Like <c>--keyfile</c>: a file holding the base64 key (relative to <see cref="WorkingDirectory"/>); wins over the config.</summary>
    public string? KeyFile { get; init; }

    /// <summary>Overrides of the render values files (<c>--render-env</c> and ours); later layers win.</summary>
    public RenderValueOverrides? RenderValues { get; init; }

    /// <summary>
    /// Like <c>--lxd-config-dir</c>: the lxc/incus client configuration directory, over <c>general.lxd_confdir</c> and
    /// its environment variable (relative to <see cref="WorkingDirectory"/>).
    /// </summary>
    public string? LxdConfigDirectory { get; init; }
}
