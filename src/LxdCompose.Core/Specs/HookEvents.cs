namespace LxdCompose.Specs;

/// <summary>The 16 hook events of lxd-compose, and where each may be declared.</summary>
public static class HookEvents
{
    public const string PreProject = "pre-project";
    public const string PreGroup = "pre-group";
    public const string PreNodeCreation = "pre-node-creation";
    public const string PostNodeCreation = "post-node-creation";
    public const string PreNodeSync = "pre-node-sync";
    public const string PostNodeSync = "post-node-sync";
    public const string PostGroup = "post-group";
    public const string PostProject = "post-project";
    public const string PreProjectShutdown = "pre-project-shutdown";
    public const string PostProjectShutdown = "post-project-shutdown";
    public const string PreGroupShutdown = "pre-group-shutdown";
    public const string PostGroupShutdown = "post-group-shutdown";
    public const string PreNodeShutdown = "pre-node-shutdown";
    public const string PostNodeShutdown = "post-node-shutdown";
    public const string PreNodeUpgrade = "pre-node-upgrade";
    public const string PostNodeUpgrade = "post-node-upgrade";

    /// <summary>All events, in the order apply/destroy/upgrade reach them.</summary>
    public static IReadOnlyList<string> All { get; } = new[]
    {
        PreProject, PreGroup, PreNodeCreation, PostNodeCreation, PreNodeSync, PostNodeSync, PostGroup, PostProject,
        PreProjectShutdown, PostProjectShutdown, PreGroupShutdown, PostGroupShutdown, PreNodeShutdown,
        PostNodeShutdown, PreNodeUpgrade, PostNodeUpgrade,
    };

    /// <summary>Events that run once per node; valid at project, group and node level.</summary>
    public static IReadOnlyList<string> NodeEvents { get; } = new[]
    {
        PreNodeCreation, PostNodeCreation, PreNodeSync, PostNodeSync,
        PreNodeShutdown, PostNodeShutdown, PreNodeUpgrade, PostNodeUpgrade,
    };

    /// <summary>Events that run once per group; valid at project and group level.</summary>
    public static IReadOnlyList<string> GroupEvents { get; } = new[]
    {
        PreGroup, PostGroup, PreGroupShutdown, PostGroupShutdown,
    };

    /// <summary>Events that run once per project; valid at project level only.</summary>
    public static IReadOnlyList<string> ProjectEvents { get; } = new[]
    {
        PreProject, PostProject, PreProjectShutdown, PostProjectShutdown,
    };

    public static bool IsKnown(string name) => All.Contains(name, StringComparer.Ordinal);
}

/// <summary>Special values of a hook's <c>node</c> field.</summary>
public static class HookTargets
{
    /// <summary>Empty target: every node in scope (the default).</summary>
    public const string AllNodes = "";
    public const string Star = "*";
    public const string Host = "host";
}
