using LxdCompose.Lxd;

namespace LxdCompose.Deploy;

/// <summary>
/// After a failed apply, deletes the instances that run created (or recreated), so a retry starts clean: asking for
/// the clean-up (<c>-CleanupOnFailure</c>) approves deleting what an approved creation made. No hooks run: the nodes
/// never finished their creation sequence. A node that cannot be deleted (its server gone) gets a Failed
/// result and a failure in <c>outcome</c>; nothing is thrown.
/// </summary>
public static class ApplyCleanup
{
    public static async Task<IReadOnlyList<NodeResult>> RemoveCreatedAsync(ApplyPlan plan, DeployOutcome outcome, LxdConnections connections,
        IDeployHost host, CancellationToken cancellationToken)
    {
        var touched = outcome.Results
            .Where(r => r.Action is NodeAction.Created or NodeAction.Upgraded or NodeAction.Replaced
                        || (r.Action == NodeAction.Failed && plan.Nodes.Any(n => n.Node == r.Node && CreatesInstance(n.Action))))
            .Select(r => r.Node)
            .ToHashSet(StringComparer.Ordinal);
        var removed = new List<NodeResult>();
        foreach (var group in plan.Groups)
        {
            var client = connections.ForGroup(group.Spec);
            foreach (var node in group.Nodes.Where(n => touched.Contains(n.Node)))
            {
                string? error = null;
                try
                {
                    host.Log(DeployLogLevel.Information, $"Cleaning up {node.Node} on {client.DisplayName} after the failure.");
                    await client.Instances.DeleteAsync(node.Node, cancellationToken).ConfigureAwait(false);
                }
                catch (LxdNotFoundException)
                {
                    // never created: nothing to clean
                }
                catch (Exception e) when (DeployFailures.IsDeployFailure(e))
                {
                    // The server that failed the apply may be gone too: the node stays, and the run says so.
                    var failure = DeployFailures.Normalize(e, node.Remote);
                    error = $"not cleaned up: {failure.Message}";
                    outcome.Failures.Add(new DeployFailure(node.Project, node.Group, node.Node,
                        new DeployException($"Cleaning up {node.Node} after the failure failed; delete it by hand: {failure.Message}", node.Node,
                            failure, failure is LxdConnectionException ? DeployProblem.Unreachable : DeployProblem.Failed)));
                }

                var result = new NodeResult
                {
                    Project = node.Project, Group = node.Group, Node = node.Node, Remote = node.Remote,
                    Action = error is null ? NodeAction.Destroyed : NodeAction.Failed, State = error is null ? "Absent" : "Unknown",
                    Error = error,
                };
                removed.Add(result);
                host.NodeFinished(result);
            }
        }

        return removed;
    }

    /// <summary>Whether the action makes a new instance (what a clean-up may delete).</summary>
    private static bool CreatesInstance(PlannedAction action) => action is PlannedAction.Create or PlannedAction.Upgrade or PlannedAction.Replace;
}
