namespace LxdCompose.Deploy;

/// <summary>
/// How the engine reports to whoever runs it. Implementations must be thread-safe: the engine calls them from worker
/// threads (the PowerShell host queues the calls and writes them on the pipeline thread).
/// </summary>
public interface IDeployHost
{
    void Log(DeployLogLevel level, string message);

    void Progress(DeployProgress progress);

    /// <summary>One line a hook command wrote (without its line break).</summary>
    void HookOutput(HookOutputLine line);

    /// <summary>
    /// A node's result, as soon as that node is done (apply, stop, destroy, clean-up): once per result, in the order of
    /// the final outcome, so with parallel groups a result waits for the groups before it. The outcome still holds every
    /// result; a host that only reads the outcome can ignore this.
    /// </summary>
    void NodeFinished(NodeResult result)
    {
    }

    /// <summary>
    /// Runs the host hooks whose entrypoint asks for PowerShell (<see cref="HostHookEntrypoints"/>); null: this host
    /// cannot, and such hooks fail.
    /// </summary>
    IPowerShellHookRunner? PowerShellHooks => null;
}

public enum DeployLogLevel
{
    Verbose,
    Information,
    Warning,
}

public enum HookStream
{
    Stdout,
    Stderr,
}

/// <summary>A progress record; <paramref name="ParentId"/> is -1 for a top-level activity.</summary>
public sealed record DeployProgress(int ActivityId, int ParentId, string Activity, string Status, int PercentComplete, bool Completed = false);

/// <summary>A line of hook output: which node (or <c>host</c>), which event, which stream.</summary>
public sealed record HookOutputLine(string Node, string Event, HookStream Stream, string Text);

/// <summary>A host that drops everything.</summary>
public sealed class SilentDeployHost : IDeployHost
{
    public static SilentDeployHost Instance { get; } = new();

    public void Log(DeployLogLevel level, string message)
    {
    }

    public void Progress(DeployProgress progress)
    {
    }

    public void HookOutput(HookOutputLine line)
    {
    }
}
