using LxdCompose.Specs;

namespace LxdCompose.Deploy;

/// <summary>
/// What stop or destroy will do, built from the specs alone (it reads no server, so -WhatIf contacts none): per
/// enabled group its shutdown hooks, per node its shutdown hooks and the stop or delete. A node that turns out to be
/// absent is skipped when the plan runs.
/// </summary>
public sealed class ShutdownPlan
{
    private IReadOnlyList<PlanItem>? _items;

    public LxdProject Project { get; init; } = new();
    public ShutdownKind Kind { get; init; }
    public DeployOptions Options { get; init; } = new();
    public IReadOnlyList<LxdGroup> Groups { get; init; } = Array.Empty<LxdGroup>();

    /// <summary>Every change, in the order the run makes them: project hooks, then per group its item and its nodes' items.</summary>
    public IReadOnlyList<PlanItem> Items => _items ??= BuildItems();

    public static ShutdownPlan For(LxdProject project, ShutdownKind kind, DeployOptions options) => new()
    {
        Project = project, Kind = kind, Options = options, Groups = project.Groups.Where(options.Groups.Includes).ToList(),
    };

    /// <summary>The project's pre/post-project-shutdown hooks; null when it has none that run.</summary>
    public PlanItem? ProjectHooks()
    {
        var count = HookSelection.ForProjectEvent(HookEvents.PreProjectShutdown, Project)
            .Concat(HookSelection.ForProjectEvent(HookEvents.PostProjectShutdown, Project))
            .Count(Options.Flags.ShouldRun);
        return count == 0 ? null
            : new PlanItem(new PlanItemId(PlanItemKind.ProjectHooks, ApplyPlanItems.ProjectTarget(Project), Verb), $"Run the project's shutdown hooks ({count})");
    }

    /// <summary>A group: its shutdown hooks; the parent of its nodes' items.</summary>
    public PlanItem Group(LxdGroup group) =>
        new(new PlanItemId(PlanItemKind.GroupHooks, $"{ApplyPlanItems.GroupTarget(Project, group)} ({group.Nodes.Count} node(s))", Verb),
            Kind == ShutdownKind.Destroy ? "Run the shutdown hooks, stop and delete the instances" : "Run the shutdown hooks and stop the instances")
        {
            Deletes = Kind == ShutdownKind.Destroy,
        };

    /// <summary>A node: its shutdown hooks and the stop or delete.</summary>
    public PlanItem Node(LxdGroup group, LxdNode node) =>
        new(new PlanItemId(PlanItemKind.ShutdownNode, node.InstanceName, Verb),
            Kind == ShutdownKind.Destroy ? "Stop and delete the instance" : "Stop the instance", Group(group).Id)
        {
            Deletes = Kind == ShutdownKind.Destroy,
        };

    private string Verb => Kind == ShutdownKind.Destroy ? "destroy" : "stop";

    private IReadOnlyList<PlanItem> BuildItems()
    {
        var items = new List<PlanItem>();
        if (ProjectHooks() is { } hooks)
        {
            items.Add(hooks);
        }

        foreach (var group in Groups)
        {
            items.Add(Group(group));
            items.AddRange(group.Nodes.Select(n => Node(group, n)));
        }

        return items;
    }
}
