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
        ParallelLanes.Of(groups, project ?? new LxdProject()).Select(l => string.Join(",", l.Select(g => g.Spec.Name))).ToArray();

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

    private static LxdHook Writes(string variable) =>
        new() { Event = HookEvents.PostNodeSync, Commands = new[] { "hostname -i" }, Out2Var = variable };

    private static LxdHook Runs(string command) => new() { Event = HookEvents.PostNodeSync, Commands = new[] { command } };

    [Fact]
    public void A_group_reading_a_variable_another_group_writes_runs_in_its_lane_after_it()
    {
        var groups = new[]
        {
            Group("db", "vm1", Writes("db_ip")), Group("other", "vm3", Runs("echo $db_ipv6 ${db_ip_old}")), Group("web", "vm2", Runs("echo ${db_ip}")),
        };
        Assert.Equal(new[] { "db,web", "other" }, Lanes(groups));
    }

    [Fact]
    public void Err2var_links_like_out2var_and_a_reader_declared_first_still_keeps_declaration_order()
    {
        var writer = new LxdHook { Event = HookEvents.PostNodeSync, Commands = new[] { "false" }, Err2Var = "why" };
        var groups = new[] { Group("reader", "vm2", Runs("test -z \"$why\"")), Group("writer", "vm1", writer) };
        Assert.Equal(new[] { "reader,writer" }, Lanes(groups));
    }

    [Fact]
    public void A_group_with_config_templates_reads_every_variable()
    {
        var templated = new GroupPlan
        {
            Spec = new LxdGroup
            {
                Name = "web", Connection = "vm2",
                Nodes = new[] { new LxdNode { Name = "web-n", ConfigTemplates = new[] { new FileMapping { Source = "t.tmpl", Destination = "out" } } } },
            },
        };
        Assert.Equal(new[] { "db,web", "x" }, Lanes(new[] { Group("db", "vm1", Writes("db_ip")), templated, Group("x", "vm3") }));
    }
}
