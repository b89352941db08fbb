using LxdCompose.Specs;
using LxdCompose.Templating;

namespace LxdCompose.Deploy;

/// <summary>
/// The items of an apply plan, each a function of the plan's parts: the planner lists them, the executor looks up the
/// item of what it is about to do and does it only when approved. Hooks are part of their project, group or node.
/// </summary>
public static class ApplyPlanItems
{
    /// <summary>Every item, in the order apply reaches them.</summary>
    public static IReadOnlyList<PlanItem> Of(ApplyPlan plan)
    {
        var items = new List<PlanItem>();
        void Add(PlanItem? item)
        {
            if (item is not null)
            {
                items.Add(item);
            }
        }

        Add(ProjectHooks(plan));
        Add(Templates(plan.Project, plan.Templates, null));
        foreach (var group in plan.Groups)
        {
            Add(GroupHooks(plan.Project, group));
            Add(Templates(plan.Project, group.Templates, null));
            group.StoragePoolsToCreate.Select(p => StoragePool(group, p)).ToList().ForEach(Add);
            group.NetworksToCreate.Select(n => Network(group, n)).ToList().ForEach(Add);
            group.ProfilesToCreate.Select(p => Profile(group, p)).ToList().ForEach(Add);
            ResourceUpdateStep.InOrder(group).Select(r => ResourceUpdate(group, r)).ToList().ForEach(Add);
            group.ImagesToCopy.Select(i => Image(group.Remote, i)).ToList().ForEach(Add);
            foreach (var node in group.Nodes)
            {
                Add(Node(node));
                Add(Templates(plan.Project, node.Templates, node));
            }
        }

        return items;
    }

    /// <summary>The project's pre-project and post-project hooks; null when it has none that run.</summary>
    public static PlanItem? ProjectHooks(ApplyPlan plan) =>
        plan.ProjectHooks.Count == 0 ? null
            : new PlanItem(new PlanItemId(PlanItemKind.ProjectHooks, ProjectTarget(plan.Project), "apply"),
                $"Run the project's hooks ({Count(plan.ProjectHooks)})");

    /// <summary>The group's pre-group and post-group hooks; null when it has none that run.</summary>
    public static PlanItem? GroupHooks(LxdProject project, GroupPlan group) =>
        group.Hooks.Count == 0 ? null
            : new PlanItem(new PlanItemId(PlanItemKind.GroupHooks, GroupTarget(project, group.Spec), "apply"),
                $"Run the group's hooks ({Count(group.Hooks)})");

    public static PlanItem StoragePool(GroupPlan group, LxdStoragePool pool) =>
        new(new PlanItemId(PlanItemKind.CreateStoragePool, $"storage pool {pool.Name} on {group.Remote}", pool.Name),
            $"Create the storage pool (driver {pool.Driver})");

    public static PlanItem Network(GroupPlan group, LxdNetwork network) =>
        new(new PlanItemId(PlanItemKind.CreateNetwork, $"network {network.Name} on {group.Remote}", network.Name),
            $"Create the network (type {network.Type})");

    public static PlanItem Profile(GroupPlan group, LxdProfile profile) =>
        new(new PlanItemId(PlanItemKind.CreateProfile, $"profile {profile.Name} on {group.Remote}", profile.Name), "Create the profile");

    /// <summary>An image copy to <paramref name="remote"/> (apply and fetch share it).</summary>
    public static PlanItem Image(string remote, ImagePlan image) =>
        new(new PlanItemId(PlanItemKind.CopyImage, $"{image.Source} on {remote}", image.Fingerprint), "Copy the image from " + image.Remote);

    /// <summary>A node's action with its hooks and files.</summary>
    public static PlanItem Node(NodePlan node)
    {
        var parts = new List<string>();
        if (node.Hooks.Count > 0)
        {
            parts.Add(Count(node.Hooks));
        }

        if (node.Files.Count > 0)
        {
            parts.Add($"{node.Files.Count} sync resource(s)");
        }

        var description = ActionText(node) + (parts.Count == 0 ? string.Empty : $" ({string.Join("; ", parts)})");
        return new PlanItem(new PlanItemId(PlanItemKind.Node, node.Node, node.Action.ToString()), description)
        {
            Deletes = node.Action is PlannedAction.Upgrade or PlannedAction.Replace,
        };
    }

    /// <summary>
    /// The config templates of a level; a node's are part of the node's item (they run between its pre- and
    /// post-node-sync hooks). Null without templates.
    /// </summary>
    public static PlanItem? Templates(LxdProject project, TemplatePlan? templates, NodePlan? node)
    {
        if (templates is null)
        {
            return null;
        }

        var target = templates.Level switch
        {
            ConfigTemplateLevel.Project => ProjectTarget(project),
            ConfigTemplateLevel.Group => $"group {templates.Group} of project {project.Name}",
            _ => node!.Node,
        };
        return new PlanItem(new PlanItemId(PlanItemKind.CompileTemplates, target, templates.Level.ToString()),
            $"Compile {templates.Jobs.Count} config template(s): {templates}", node is null ? null : Node(node).Id);
    }

    /// <summary>What a node's planned action does, the start of its item's description.</summary>
    public static string ActionText(PlannedAction action) => action switch
    {
        PlannedAction.Create => "Create and start the instance",
        PlannedAction.Upgrade => "Delete and recreate the instance (upgrade)",
        PlannedAction.Start => "Start the instance",
        PlannedAction.Resume => "Finish the instance's unfinished creation",
        PlannedAction.Update => "Update the instance in place",
        PlannedAction.Replace => "Delete and recreate the instance (replace)",
        _ => "Sync the instance",
    };

    /// <summary>The action text for a node: an update or a replace names the fields that differ.</summary>
    public static string ActionText(NodePlan node) => node.Action is PlannedAction.Update or PlannedAction.Replace && node.Changes.Count > 0
        ? $"{ActionText(node.Action)}: {string.Join(", ", node.Changes.Select(c => c.Field))}"
        : ActionText(node.Action);

    /// <summary>A drifted profile, network or storage pool updated to its declaration (<c>-UpdateResources</c>).</summary>
    public static PlanItem ResourceUpdate(GroupPlan group, ResourceDrift drift)
    {
        var (target, description) = ResourceUpdateStep.Confirmation(drift, group.Remote);
        return new PlanItem(new PlanItemId(PlanItemKind.UpdateResource, target, drift.Name), description);
    }

    public static string ProjectTarget(LxdProject project) => $"project {project.Name}";

    public static string GroupTarget(LxdProject project, LxdGroup group) => $"group {group.Name} of project {project.Name}";

    private static string Count(IReadOnlyList<PlannedHook> hooks) =>
        $"{hooks.Count} hook(s): {string.Join(", ", hooks.Select(h => h.Event).Distinct(StringComparer.Ordinal))}";
}
