using LxdCompose.Lxd;

namespace LxdCompose.Deploy;

/// <summary>
/// After a failed apply, deletes the instances that run created (or recreated), so a retry starts clean. No hooks run:
/// the nodes never finished their creation sequence.
/// </summary>
public static class ApplyCleanup
{
    public static async Task<IReadOnlyList<NodeResult>> RemoveCreatedAsync(ApplyPlan plan, DeployOutcome outcome, LxdConnections connections,
        IDeployHost host, CancellationToken cancellationToken)
    {
        var touched = outcome.Results
            .Where(r => r.Action is NodeAction.Created or NodeAction.Upgraded
                        || (r.Action == NodeAction.Failed && plan.Nodes.Any(n => n.Node == r.Node && n.Action is PlannedAction.Create or PlannedAction.Upgrade)))
            .Select(r => r.Node)
            .ToHashSet(StringComparer.Ordinal);
        var removed = new List<NodeResult>();
        foreach (var group in plan.Groups)
        {
            var client = connections.ForGroup(group.Spec);
            foreach (var node in group.Nodes.Where(n => touched.Contains(n.Node)))
            {
                if (!host.ShouldProcess(node.Node, ShutdownExecutor.ActionText(ShutdownKind.Destroy)))
                {
                    continue;
                }

                try
                {
                    host.Log(DeployLogLevel.Information, $"Cleaning up {node.Node} on {client.DisplayName} after the failure.");
                    await client.Instances.DeleteAsync(node.Node, cancellationToken).ConfigureAwait(false);
                }
                catch (LxdNotFoundException)
                {
                    // never created: nothing to clean
                }

                var result = new NodeResult
                {
                    Project = node.Project, Group = node.Group, Node = node.Node, Remote = node.Remote, Action = NodeAction.Destroyed,
                    State = "Absent",
                };
                removed.Add(result);
                host.NodeFinished(result);
            }
        }

        return removed;
    }
}
