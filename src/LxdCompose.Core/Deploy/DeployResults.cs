namespace LxdCompose.Deploy;

/// <summary>What a deploy did to one node.</summary>
public enum NodeAction
{
    Unchanged,
    Created,
    Started,
    Upgraded,
    Stopped,
    Destroyed,
    /// <summary>The node was not there (stop/destroy) or was not reached because of an earlier failure.</summary>
    Skipped,
    Failed,
}

/// <summary>One node's outcome of apply, stop or destroy.</summary>
public sealed class NodeResult
{
    public string Project { get; init; } = string.Empty;
    public string Group { get; init; } = string.Empty;
    /// <summary>The instance name (prefix applied).</summary>
    public string Node { get; init; } = string.Empty;
    public string Remote { get; init; } = string.Empty;
    public NodeAction Action { get; init; }
    /// <summary>The instance status afterwards (<c>Running</c>, <c>Stopped</c>), or <c>Absent</c>.</summary>
    public string State { get; init; } = string.Empty;
    public string? IPv4 { get; init; }
    public int HooksRun { get; init; }
    public int FilesSynced { get; init; }
    public TimeSpan Duration { get; init; }
    /// <summary>The failure that stopped this node, if any.</summary>
    public string? Error { get; init; }

    public override string ToString() => $"{Node}: {Action} ({State})";
}

/// <summary>Everything a deploy run produced: per-node results and the failures that stopped a group.</summary>
public sealed class DeployOutcome
{
    public List<NodeResult> Results { get; } = new();
    public List<DeployFailure> Failures { get; } = new();
    public bool Succeeded => Failures.Count == 0;
}

/// <summary>A failure with where it happened.</summary>
public sealed record DeployFailure(string Project, string? Group, string? Node, Exception Exception);
