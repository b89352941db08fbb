using LxdCompose.Specs;

namespace LxdCompose.Deploy;

/// <summary>Choices of one apply, stop or destroy run (lxd-compose's flags).</summary>
public sealed record DeployOptions
{
    public GroupFilter Groups { get; init; } = GroupFilter.All;
    public FlagFilter Flags { get; init; } = FlagFilter.None;

    /// <summary><c>--vars-file</c> blocks, then the <c>--env</c> block; they override the project's vars.</summary>
    public IReadOnlyList<VarsBlock> ExtraVars { get; init; } = Array.Empty<VarsBlock>();

    public bool SkipSync { get; init; }

    /// <summary>How many servers apply works on at once: groups of different servers run in parallel, each server's
    /// groups in order. 1 (default): strictly lxd-compose's sequential order.</summary>
    public int ThrottleLimit { get; init; } = 1;

    /// <summary>Recreate nodes that exist (pre/post-node-upgrade hooks around it).</summary>
    public bool Upgrade { get; init; }

    /// <summary>
    /// Update the declared profiles, networks and storage pools the run uses when they differ on the server. Without it
    /// they are left alone and the plan shows them as drifted: other projects' instances may use them.
    /// </summary>
    public bool UpdateResources { get; init; }

    /// <summary>The client config directory (lxc/incus style); hooks on the host get it as LXD_CONF/INCUS_CONF.</summary>
    public string ConfigDirectory { get; init; } = string.Empty;

    /// <summary>Whether <see cref="ConfigDirectory"/> was given by <c>general.lxd_confdir</c> (then exported to host hooks).</summary>
    public bool ExportConfigDirectory { get; init; }

    /// <summary>
    /// lxd-compose's P2P mode (<c>general.p2pmode</c>, <c>--p2p-mode</c>): <c>image_source</c> is looked up on every remote
    /// of the client config, <c>image_remote_server</c> ignored, and the newest match (by <c>created_at</c>) is used.
    /// </summary>
    public bool P2PMode { get; init; }

    /// <summary><c>general.lxd_local_disable</c>: the P2P search leaves out the <c>local</c> remote.</summary>
    public bool LocalDisable { get; init; }

    /// <summary>How long the P2P search waits for one remote (connecting and each request) before it warns and goes on without it.</summary>
    public TimeSpan ImageSearchTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Longest time one hook command may run when its hook has no <c>timeout</c> key (<c>-HookTimeout</c>); null: no
    /// limit of its own (a command in a container is still bounded by <see cref="OperationTimeout"/>). An overrun
    /// command is stopped (on the server, or its process tree on the host) and fails the run with
    /// <see cref="DeployProblem.Timeout"/>.
    /// </summary>
    public TimeSpan? HookTimeout { get; init; }

    /// <summary>
    /// Longest wait for one LXD operation (create, start, stop, delete, exec, image copy; <c>-OperationTimeout</c>). On
    /// expiry the operation is cancelled on the server where LXD allows it, then the step fails.
    /// </summary>
    public TimeSpan OperationTimeout { get; init; } = DefaultOperationTimeout;

    public static readonly TimeSpan DefaultOperationTimeout = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Longest time a server may stay silent: one REST call, and each step of an operation wait beyond the step's own
    /// length. A frozen daemon (SIGSTOP, a hung host) fails the run after about this long instead of minutes.
    /// </summary>
    public TimeSpan RequestTimeout { get; init; } = DefaultRequestTimeout;

    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Longest time a node may take to get an IPv4 address when it has <c>wait_ip</c>; null: its <c>wait_ip</c>.</summary>
    public TimeSpan? WaitIpOverride { get; init; }

    /// <summary>
    /// The entrypoint of a host hook that names none: <see cref="HostHookEntrypoints.PlatformDefault"/> unless the
    /// caller chooses (e.g. <c>pwsh:runspace</c> to run every such hook in PowerShell).
    /// </summary>
    public IReadOnlyList<string> DefaultHostEntrypoint { get; init; } = HostHookEntrypoints.PlatformDefault;

    /// <summary>
    /// How long an apply, stop or destroy waits for the project's lock on a server another run holds
    /// (<see cref="DeployLock"/>); zero (default): fail at once, naming the holder.
    /// </summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.Zero;
}
