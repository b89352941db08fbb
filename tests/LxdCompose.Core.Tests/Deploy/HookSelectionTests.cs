using LxdCompose.Deploy;
using LxdCompose.Specs;
using Xunit;

namespace LxdCompose.Tests.Deploy;

public class HookSelectionTests
{
    private static LxdHook Hook(string ev, string node = "", string name = "", params string[] flags) =>
        new() { Event = ev, Node = node, Commands = new[] { name }, Flags = flags };

    private static (LxdProject, LxdGroup, LxdNode) Spec(LxdHook[] projectHooks, LxdHook[] groupHooks, LxdHook[] nodeHooks,
        string prefix = "")
    {
        var node = new LxdNode { Name = "web1", NamePrefix = prefix, Hooks = nodeHooks };
        var other = new LxdNode { Name = "web2" };
        var group = new LxdGroup { Name = "g", Hooks = groupHooks, Nodes = new[] { node, other } };
        var project = new LxdProject { Name = "p", Hooks = projectHooks, Groups = new[] { group } };
        return (project, group, node);
    }

    private static string[] Describe(IEnumerable<TargetedHook> hooks) =>
        hooks.Select(h => $"{h.Hook.Commands[0]}@{h.Target}").ToArray();

    [Fact]
    public void Node_event_merges_project_then_group_then_node_in_declaration_order()
    {
        var (project, group, node) = Spec(
            new[] { Hook(HookEvents.PostNodeSync, name: "p1"), Hook(HookEvents.PostNodeSync, "host", "p2") },
            new[] { Hook(HookEvents.PostNodeSync, "*", "g1"), Hook(HookEvents.PreNodeSync, name: "other-event") },
            new[] { Hook(HookEvents.PostNodeSync, name: "n1"), Hook(HookEvents.PostNodeSync, "host", "n2") });

        Assert.Equal(new[] { "p1@web1", "p2@host", "g1@web1", "n1@web1", "n2@host" },
            Describe(HookSelection.ForNodeEvent(HookEvents.PostNodeSync, project, group, node)));
    }

    [Fact]
    public void Project_and_group_hooks_aimed_at_another_node_are_dropped_for_this_node()
    {
        var (project, group, node) = Spec(
            new[] { Hook(HookEvents.PostNodeCreation, "web2", "to-web2"), Hook(HookEvents.PostNodeCreation, "web1", "to-web1") },
            Array.Empty<LxdHook>(), Array.Empty<LxdHook>());

        Assert.Equal(new[] { "to-web1@web1" },
            Describe(HookSelection.ForNodeEvent(HookEvents.PostNodeCreation, project, group, node)));
    }

    [Fact]
    public void A_hook_naming_the_node_matches_its_name_or_its_prefixed_instance_name()
    {
        var (project, group, node) = Spec(
            new[] { Hook(HookEvents.PreNodeSync, "web1", "by-name"), Hook(HookEvents.PreNodeSync, "ci-web1", "by-instance") },
            Array.Empty<LxdHook>(), Array.Empty<LxdHook>(), prefix: "ci");

        Assert.Equal(new[] { "by-name@ci-web1", "by-instance@ci-web1" },
            Describe(HookSelection.ForNodeEvent(HookEvents.PreNodeSync, project, group, node)));
    }

    [Fact]
    public void Pre_project_keeps_only_host_hooks_and_post_project_keeps_all()
    {
        var (project, _, _) = Spec(
            new[] { Hook(HookEvents.PreProject, "host", "h"), Hook(HookEvents.PreProject, name: "ignored"),
                    Hook(HookEvents.PostProject, name: "all"), Hook(HookEvents.PostProject, "web2", "named") },
            Array.Empty<LxdHook>(), Array.Empty<LxdHook>());

        Assert.Equal(new[] { "h" }, HookSelection.ForProjectEvent(HookEvents.PreProject, project).Select(h => h.Commands[0]));
        Assert.Equal(new[] { "all", "named" },
            HookSelection.ForProjectEvent(HookEvents.PostProject, project).Select(h => h.Commands[0]));
    }

    [Fact]
    public void Group_event_takes_project_hooks_before_group_hooks_with_their_own_targets()
    {
        var (project, group, _) = Spec(
            new[] { Hook(HookEvents.PreGroup, "host", "p-host") },
            new[] { Hook(HookEvents.PreGroup, name: "g-all"), Hook(HookEvents.PreGroup, "web2", "g-web2") },
            Array.Empty<LxdHook>());

        var hooks = HookSelection.ForGroupEvent(HookEvents.PreGroup, project, group);
        Assert.Equal(new[] { "p-host@host", "g-all@every node", "g-web2@web2" },
            hooks.Select(h => $"{h.Commands[0]}@{HookTarget.Of(h)}"));
    }
}

public class FilterTests
{
    private static LxdHook Hook(bool disable = false, params string[] flags) =>
        new() { Event = HookEvents.PostNodeSync, Disable = disable, Flags = flags };

    [Theory]
    // enabled, disabled, hook flags, hook disabled → runs (lxd-compose §3.3, rule by rule)
    [InlineData("", "", "", false, true)]          // no flags anywhere: runs
    [InlineData("", "", "", true, false)]          // disabled hook, no enabled flag: skipped
    [InlineData("x", "", "x", true, true)]         // disabled hook runs when an enabled flag names it
    [InlineData("x", "", "", false, false)]        // once a flag is enabled, unflagged hooks are skipped
    [InlineData("x", "", "y", false, false)]       // ... and hooks without a matching flag
    [InlineData("x", "", "y,x", false, true)]      // one matching flag is enough
    [InlineData("", "x", "x", false, false)]       // a disabled flag skips the hook
    [InlineData("", "x", "y", false, true)]        // other flags still run
    [InlineData("", "x", "", false, true)]         // unflagged hooks still run
    [InlineData("y", "x", "x,y", false, false)]    // disable wins over enable
    public void Flag_filter_follows_lxd_compose(string enabled, string disabled, string flags, bool hookDisabled, bool runs)
    {
        static string[] Split(string s) => s.Length == 0 ? Array.Empty<string>() : s.Split(',');
        var filter = new FlagFilter(Split(enabled), Split(disabled));
        Assert.Equal(runs, filter.ShouldRun(Hook(hookDisabled, Split(flags))));
    }

    [Theory]
    [InlineData("", "", "web", true)]
    [InlineData("web", "", "web", true)]
    [InlineData("web", "", "db", false)]
    [InlineData("", "web", "web", false)]
    [InlineData("web*", "web2", "web2", false)]    // disable wins
    [InlineData("web*", "", "web2", true)]         // wildcards
    [InlineData("nginx?-group", "", "nginx1-group", true)]
    [InlineData("[ab]*", "", "cdn", false)]
    [InlineData("web", "", "WEB", true)]           // PowerShell's case-insensitive names
    public void Group_filter_enables_disables_and_takes_wildcards(string enabled, string disabled, string group, bool included)
    {
        var filter = new GroupFilter(enabled.Length == 0 ? null : new[] { enabled }, disabled.Length == 0 ? null : new[] { disabled });
        Assert.Equal(included, filter.Includes(group));
    }

    [Fact]
    public void Wildcard_escape_makes_special_characters_literal()
    {
        Assert.Matches(Wildcard.ToRegex("a`*b"), "a*b");
        Assert.DoesNotMatch(Wildcard.ToRegex("a`*b"), "axxb");
    }
}
