namespace LxdCompose.Deploy;

/// <summary>What a deploy did to one node.</summary>
public enum NodeAction
{
    Unchanged,
    Created,
    Started,
    Upgraded,
    /// <summary>Updated in place to match the spec (<see cref="PlannedAction.Update"/>).</summary>
    Updated,
    /// <summary>Deleted and created again because it differed in a way LXD cannot change (<see cref="PlannedAction.Replace"/>).</summary>
    Replaced,
    /// <summary>An unfinished creation was finished (<see cref="PlannedAction.Resume"/>).</summary>
    Resumed,
    Stopped,
    Destroyed,
    /// <summary>The node was not there (stop/destroy) or was not reached because of an earlier failure.</summary>
    Skipped,
    Failed,
    /// <summary>Its config templates and sync_resources were pushed again (Sync-LxdNode).</summary>
    Synced,
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

/// <summary>
/// Passes results to <see cref="IDeployHost.NodeFinished"/> in group order while groups finish in any order: the results
/// of the first unfinished group go out at once, those of later groups when every group before them has finished.
/// </summary>
internal sealed class OrderedResultStream
{
    private readonly object _gate = new();
    private readonly IDeployHost _host;
    private readonly List<NodeResult>[] _waiting;
    private readonly bool[] _finished;
    private int _head;

    public OrderedResultStream(IDeployHost host, int groups)
    {
        _host = host;
        _waiting = Enumerable.Range(0, groups).Select(_ => new List<NodeResult>()).ToArray();
        _finished = new bool[groups];
    }

    public void Add(int group, NodeResult result)
    {
        lock (_gate)
        {
            if (group == _head)
            {
                _host.NodeFinished(result);
            }
            else
            {
                _waiting[group].Add(result);
            }
        }
    }

    public void Finish(int group)
    {
        lock (_gate)
        {
            _finished[group] = true;
            while (_head < _finished.Length && _finished[_head])
            {
                _head++;
                if (_head < _waiting.Length)
                {
                    _waiting[_head].ForEach(_host.NodeFinished);
                    _waiting[_head].Clear();
                }
            }
        }
    }
}
