using LxdCompose.Specs;

namespace LxdCompose.Deploy;

/// <summary>
/// Which hooks run for an event, and where (lxd-compose §3.1): project hooks, then group hooks, then node hooks, each in
/// declaration order. A hook aimed at a node carries that node as its target; host hooks keep <c>host</c>.
/// </summary>
public static class HookSelection
{
    /// <summary>
    /// Hooks of <paramref name="hookEvent"/> declared on the project and the group (project first), for a group-scope
    /// event such as pre-group: every target kind is kept, the caller runs <c>""</c>/<c>*</c> hooks on every node in scope.
    /// </summary>
    public static IReadOnlyList<LxdHook> ForGroupEvent(string hookEvent, LxdProject project, LxdGroup group) =>
        OfEvent(project.Hooks, hookEvent).Concat(OfEvent(group.Hooks, hookEvent)).ToList();

    /// <summary>Project hooks of a project-scope event (pre-project keeps only host hooks, as lxd-compose).</summary>
    public static IReadOnlyList<LxdHook> ForProjectEvent(string hookEvent, LxdProject project)
    {
        var hooks = OfEvent(project.Hooks, hookEvent);
        return hookEvent == HookEvents.PreProject
            ? hooks.Where(h => h.Node == HookTargets.Host).ToList()
            : hooks.ToList();
    }

    /// <summary>
    /// Hooks of a node event for one node (GetNodeHooks4Event): project and group hooks aimed at every node or at this
    /// node (by name or instance name) become aimed at this node; host hooks stay on the host; hooks aimed at other
    /// nodes are dropped; then the node's own hooks.
    /// </summary>
    public static IReadOnlyList<TargetedHook> ForNodeEvent(string hookEvent, LxdProject project, LxdGroup group, LxdNode node)
    {
        var result = new List<TargetedHook>();
        foreach (var hook in OfEvent(project.Hooks, hookEvent).Concat(OfEvent(group.Hooks, hookEvent)))
        {
            if (hook.Node == HookTargets.Host)
            {
                result.Add(new TargetedHook(hook, HookTarget.OnHost));
            }
            else if (IsEveryNode(hook.Node) || Names(node, hook.Node))
            {
                result.Add(new TargetedHook(hook, HookTarget.OnNode(node.InstanceName)));
            }
        }

        foreach (var hook in OfEvent(node.Hooks, hookEvent))
        {
            result.Add(new TargetedHook(hook,
                hook.Node == HookTargets.Host ? HookTarget.OnHost : HookTarget.OnNode(node.InstanceName)));
        }

        return result;
    }

    /// <summary><c>""</c> and <c>*</c> both mean every node in scope.</summary>
    public static bool IsEveryNode(string target) => target.Length == 0 || target == HookTargets.Star;

    private static bool Names(LxdNode node, string target) =>
        string.Equals(node.Name, target, StringComparison.Ordinal) ||
        string.Equals(node.InstanceName, target, StringComparison.Ordinal);

    private static IEnumerable<LxdHook> OfEvent(IEnumerable<LxdHook> hooks, string hookEvent) =>
        hooks.Where(h => string.Equals(h.Event, hookEvent, StringComparison.Ordinal));
}

/// <summary>Where one hook runs: on the host, on one named node, or on every node in scope.</summary>
public sealed record HookTarget(HookTargetKind Kind, string Node)
{
    public static HookTarget OnHost { get; } = new(HookTargetKind.Host, HookTargets.Host);
    public static HookTarget EveryNode { get; } = new(HookTargetKind.EveryNode, string.Empty);

    public static HookTarget OnNode(string instanceName) => new(HookTargetKind.Node, instanceName);

    /// <summary>The target a hook names by itself, before a node scope narrows it.</summary>
    public static HookTarget Of(LxdHook hook) =>
        hook.Node == HookTargets.Host ? OnHost
        : HookSelection.IsEveryNode(hook.Node) ? EveryNode
        : OnNode(hook.Node);

    public override string ToString() => Kind switch
    {
        HookTargetKind.Host => "host",
        HookTargetKind.EveryNode => "every node",
        _ => Node,
    };
}

public enum HookTargetKind
{
    Host,
    EveryNode,
    Node,
}

public sealed record TargetedHook(LxdHook Hook, HookTarget Target);
