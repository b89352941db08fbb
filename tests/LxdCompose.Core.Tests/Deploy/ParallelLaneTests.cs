using LxdCompose.Deploy;
using LxdCompose.Specs;
using Xunit;

namespace LxdCompose.Tests.Deploy;

/// <summary>Which groups -ThrottleLimit may run side by side: only those with no server and no hook target in common.</summary>
public sealed class ParallelLaneTests
{
    private static GroupPlan Group(string name, string connection, params LxdHook[] nodeHooks) => new()
    {
        Spec = new LxdGroup
        {
            Name = name,
            Connection = connection,
            Nodes = new[] { new LxdNode { Name = name + "-n", Hooks = nodeHooks } },
        },
    };

    private static LxdHook Aimed(string node) => new() { Event = HookEvents.PostNodeSync, Node = node, Commands = new[] { "true" } };

    private static string[] Lanes(IReadOnlyList<GroupPlan> groups, LxdProject? project = null) =>
        ApplyExecutor.ParallelLanes(groups, project ?? new LxdProject()).Select(l => string.Join(",", l.Select(g => g.Spec.Name))).ToArray();

    [Fact]
    public void Groups_on_different_servers_are_separate_lanes_and_one_server_keeps_declaration_order()
    {
        var groups = new[] { Group("a", "local"), Group("b", "vm2"), Group("c", "local") };
        Assert.Equal(new[] { "a,c", "b" }, Lanes(groups));
    }

    [Fact]
    public void A_hook_naming_a_node_of_another_group_keeps_both_groups_in_one_lane_in_order()
    {
        var groups = new[] { Group("a", "local"), Group("b", "vm2", Aimed("a-n")), Group("c", "vm3") };
        Assert.Equal(new[] { "a,b", "c" }, Lanes(groups));
    }

    [Fact]
    public void Group_hooks_count_as_well_as_node_hooks()
    {
        var b = Group("b", "vm2");
        var withGroupHook = new GroupPlan { Spec = new LxdGroup { Name = "b", Connection = "vm2", Nodes = b.Spec.Nodes, Hooks = new[] { Aimed("c-n") } } };
        Assert.Equal(new[] { "a", "b,c" }, Lanes(new[] { Group("a", "local"), withGroupHook, Group("c", "vm3") }));
    }

    [Fact]
    public void A_project_hook_naming_a_node_links_every_group_to_that_node()
    {
        var project = new LxdProject { Hooks = new[] { Aimed("b-n") } };
        Assert.Equal(new[] { "a,b,c" }, Lanes(new[] { Group("a", "local"), Group("b", "vm2"), Group("c", "vm3") }, project));
    }

    [Fact]
    public void Host_and_every_node_targets_do_not_link_groups()
    {
        var groups = new[] { Group("a", "local", Aimed("host"), Aimed(""), Aimed("*")), Group("b", "vm2") };
        Assert.Equal(new[] { "a", "b" }, Lanes(groups));
    }
}
