using LxdCompose.Deploy;
using LxdCompose.Lxd;
using LxdCompose.Tests.Lxd;
using Xunit;

namespace LxdCompose.Tests.Deploy;

/// <summary>The quick start on the lab: apply, apply again, upgrade, stop, start, destroy — one set of containers.</summary>
[Collection(LabCollection.Name)]
[Trait("Category", "Lab")]
public sealed class QuickstartDeployTests
{
    private const string Prefix = "t-qs";

    private static readonly string[] ApplyOrderOfFreshProject =
    {
        "pre-project",
        // group web: two new nodes
        "pre-group",
        "pre-node-creation", "post-node-creation", "pre-node-sync", "post-node-sync",
        "pre-node-creation", "post-node-creation", "pre-node-sync", "post-node-sync",
        "post-group",
        // group edge on the second server
        "pre-group", "pre-node-creation", "post-node-creation", "pre-node-sync", "post-node-sync", "post-group",
        // group tools: the probe
        "pre-group", "pre-node-creation", "post-node-creation", "pre-node-sync", "post-node-sync", "post-group",
        "post-project",
    };

    [Fact]
    public async Task The_quickstart_deploys_reapplies_upgrades_stops_and_is_destroyed()
    {
        var lab = LabEnvironment.Load();
        var root = DeployLabKit.CopyQuickstart(lab);
        var log = Path.Combine(root, "events.log");
        var specs = DeployLabKit.Load(root, Prefix);
        Assert.DoesNotContain(specs.Diagnostics, d => d.Severity == LxdCompose.Specs.DiagnosticSeverity.Error);
        var env = DeployLabKit.Env(("events_log", log));
        var options = new DeployOptions { ExtraVars = new[] { env } };
        var token = LabFixture.Timeout(600);
        // What an interrupted earlier run may have left.
        await DeployLabKit.ShutdownAsync(specs, "quickstart", ShutdownKind.Destroy, options, new RecordingDeployHost(), token);
        File.Delete(log);
        try
        {
            // 1. fresh apply
            var host = new RecordingDeployHost();
            var (plan, first) = await DeployLabKit.ApplyAsync(specs, "quickstart", options, host, token);
            Assert.True(first.Succeeded, string.Join("\n", first.Failures.Select(f => f.Exception.ToString())));
            Assert.All(plan.Nodes, n => Assert.Equal(PlannedAction.Create, n.Action));
            Assert.Equal(new[] { "t-qs-web1", "t-qs-web2", "t-qs-edge1", "t-qs-probe" }, first.Results.Select(r => r.Node));
            Assert.All(first.Results, r => Assert.Equal(NodeAction.Created, r.Action));
            Assert.All(first.Results, r => Assert.Equal("Running", r.State));
            Assert.Equal("vm2", first.Results.Single(r => r.Node == "t-qs-edge1").Remote);
            Assert.Equal(3, first.Results.Single(r => r.Node == "t-qs-web1").FilesSynced); // index.html, style.css, motd
            Assert.NotNull(first.Results.Single(r => r.Node == "t-qs-probe").IPv4);
            Assert.Equal(ApplyOrderOfFreshProject, File.ReadAllLines(log));

            // out2var: the probe's report (title and heading: 2 matches) reached the tools group's hook on edge1 (second server)
            Assert.True(host.Output.Any(l => l.Node == "t-qs-edge1" && l.Event == "post-group" && l.Text == "web checked by the probe 2"),
                string.Join("\n", host.Output));
            // each result was reported as its node finished, in outcome order: web1's long before the tools group's hooks
            Assert.Equal(first.Results, host.Results);
            var timeline = host.Timeline.ToList();
            Assert.True(timeline.IndexOf("result:t-qs-web1") < timeline.IndexOf("output:t-qs-edge1:web checked by the probe 2"), string.Join("\n", timeline));
            Assert.True(timeline.IndexOf("result:t-qs-edge1") < timeline.IndexOf("output:t-qs-edge1:web checked by the probe 2"), string.Join("\n", timeline));
            // progress: project (1) > group (10, 13, 16) > node (11, 14, 17), every activity completed
            host.AssertProgressNestedAndCompleted();
            var progress = host.ProgressRecords.ToList();
            Assert.Equal(new[] { -1 }, progress.Where(p => p.ActivityId == 1).Select(p => p.ParentId).Distinct());
            Assert.Equal(new[] { 10, 13, 16 }, progress.Where(p => p.ParentId == 1).Select(p => p.ActivityId).Distinct().Order());
            Assert.Equal(new[] { "Node t-qs-web1", "Node t-qs-web2" }, progress.Where(p => p.ParentId == 10).Select(p => p.Activity).Distinct());
            // the compiled page was pushed
            using (var client = LxdConnector.Connect(DeployLabKit.ConfigOf(root), "local"))
            {
                var page = System.Text.Encoding.UTF8.GetString(await client.Files.ReadAllBytesAsync("t-qs-web2", "/srv/www/index.html", token));
                Assert.Contains("Served by web2 (web) of project quickstart on port 8080", page);
                var appConf = System.Text.Encoding.UTF8.GetString(await client.Files.ReadAllBytesAsync("t-qs-probe", "/etc/quickstart/app.conf", token));
                Assert.Equal(QuickstartTemplateEngineTests.ExpectedAppConf("quickstart", "scriban", "probe", "probe"), appConf);
                var instance = await client.Instances.GetAsync("t-qs-web1", token);
                Assert.Equal("web", instance.Config["user.role"]);
                Assert.Equal("64MB", instance.Config["limits.memory"]);
                Assert.Contains("quickstart-small", instance.Profiles);
                var probe = await client.Instances.GetAsync("t-qs-probe", token);
                Assert.False(probe.Config.ContainsKey("user.role") && probe.Config["user.role"] == "web"); // no config leaking between nodes
            }

            // 2. apply again: nothing is recreated
            File.Delete(log);
            var (again, second) = await DeployLabKit.ApplyAsync(specs, "quickstart", options, new RecordingDeployHost(), token);
            Assert.True(second.Succeeded, string.Join("\n", second.Failures.Select(f => f.Exception.Message)));
            Assert.All(again.Nodes, n => Assert.Equal(PlannedAction.Unchanged, n.Action));
            Assert.All(second.Results, r => Assert.Equal(NodeAction.Unchanged, r.Action));
            Assert.DoesNotContain("pre-node-creation", File.ReadAllLines(log));

            // 3. upgrade the tools group only
            File.Delete(log);
            var upgrade = new DeployOptions { ExtraVars = new[] { env }, Upgrade = true, Groups = new GroupFilter(new[] { "tools" }) };
            var (_, upgraded) = await DeployLabKit.ApplyAsync(specs, "quickstart", upgrade, new RecordingDeployHost(), token);
            Assert.True(upgraded.Succeeded, string.Join("\n", upgraded.Failures.Select(f => f.Exception.Message)));
            Assert.Equal(NodeAction.Upgraded, Assert.Single(upgraded.Results).Action);
            Assert.Equal(
                new[] { "pre-project", "pre-group", "pre-node-upgrade", "pre-node-creation", "post-node-creation", "post-node-upgrade",
                        "pre-node-sync", "post-node-sync", "post-group", "post-project" },
                File.ReadAllLines(log));

            // 4. stop the web group, then apply starts it again
            File.Delete(log);
            var web = new DeployOptions { ExtraVars = new[] { env }, Groups = new GroupFilter(new[] { "web" }) };
            var stopHost = new RecordingDeployHost();
            var stopped = await DeployLabKit.ShutdownAsync(specs, "quickstart", ShutdownKind.Stop, web, stopHost, token);
            Assert.True(stopped.Succeeded, string.Join("\n", stopped.Failures.Select(f => f.Exception.Message)));
            Assert.Equal(stopped.Results, stopHost.Results);
            stopHost.AssertProgressNestedAndCompleted();
            Assert.Contains(stopHost.ProgressRecords, p => p is { ParentId: 10, Activity: "Node t-qs-web2", Completed: true });
            Assert.All(stopped.Results, r => Assert.Equal((NodeAction.Stopped, "Stopped"), (r.Action, r.State)));
            Assert.Equal(
                new[] { "pre-project-shutdown", "pre-group-shutdown", "pre-node-shutdown", "post-node-shutdown", "pre-node-shutdown",
                        "post-node-shutdown", "post-group-shutdown", "post-project-shutdown" },
                File.ReadAllLines(log));
            var (restartPlan, restarted) = await DeployLabKit.ApplyAsync(specs, "quickstart", web, new RecordingDeployHost(), token);
            Assert.True(restarted.Succeeded, string.Join("\n", restarted.Failures.Select(f => f.Exception.Message)));
            Assert.All(restartPlan.Nodes, n => Assert.Equal(PlannedAction.Start, n.Action));
            Assert.All(restarted.Results, r => Assert.Equal((NodeAction.Started, "Running"), (r.Action, r.State)));
        }
        finally
        {
            // 5. destroy everything
            var destroyed = await DeployLabKit.ShutdownAsync(specs, "quickstart", ShutdownKind.Destroy, options, new RecordingDeployHost(), token);
            Assert.True(destroyed.Succeeded, string.Join("\n", destroyed.Failures.Select(f => f.Exception.Message)));
            Assert.All(destroyed.Results, r => Assert.Equal(NodeAction.Destroyed, r.Action));
            Directory.Delete(root, true);
        }
    }
}

/// <summary>
/// The quick start's config templates in lxd-compose's engines, mottainai and jinja2 (tmpl-*.yml); the scriban twin is
/// the probe's, checked by the quick start's own test.
/// </summary>
[Collection(LabCollection.Name)]
[Trait("Category", "Lab")]
public sealed class QuickstartTemplateEngineTests
{
    private const string Prefix = "t-qe";

    /// <summary>What each engine's app.conf template gives for its node; the three templates differ only in syntax.</summary>
    internal static string ExpectedAppConf(string project, string engine, string node, string role) =>
        $"# {project}: compiled by {engine} for {node} ({role})\nlisten 9090;\nupstream web1;\nupstream web2;\ncache off;\ngzip on;\n";

    [Fact]
    public async Task Each_engine_compiles_the_same_configuration_that_reaches_its_container()
    {
        var lab = LabEnvironment.Load();
        var root = DeployLabKit.CopyQuickstart(lab);
        var specs = DeployLabKit.Load(root, Prefix);
        Assert.DoesNotContain(specs.Diagnostics, d => d.Severity == LxdCompose.Specs.DiagnosticSeverity.Error);
        var options = new DeployOptions { ExtraVars = new[] { DeployLabKit.Env(("events_log", Path.Combine(root, "events.log"))) } };
        var token = LabFixture.Timeout(600);
        var cases = new (string Project, string Engine, string Node, string Role, DeployOptions Options)[]
        {
            ("tmpl-mottainai", "mottainai", "conf-mottainai", "config", options),
            ("tmpl-jinja2", "jinja2", "conf-jinja2", "config", options),
        };
        foreach (var c in cases)
        {
            await DeployLabKit.ShutdownAsync(specs, c.Project, ShutdownKind.Destroy, c.Options, new RecordingDeployHost(), token);
        }

        try
        {
            using var client = LxdConnector.Connect(DeployLabKit.ConfigOf(root), "local");
            foreach (var c in cases)
            {
                var host = new RecordingDeployHost();
                var (_, outcome) = await DeployLabKit.ApplyAsync(specs, c.Project, c.Options, host, token);
                Assert.True(outcome.Succeeded, string.Join("\n", outcome.Failures.Select(f => f.Exception.ToString())));
                var instance = $"{Prefix}-{c.Node}";
                var result = Assert.Single(outcome.Results);
                Assert.Equal((instance, NodeAction.Created), (result.Node, result.Action));

                // templates see the node's spec name, without the prefix (as lxd-compose: Name, not GetName())
                var expected = ExpectedAppConf(c.Project, c.Engine, c.Node, c.Role);
                var pushed = System.Text.Encoding.UTF8.GetString(await client.Files.ReadAllBytesAsync(instance, "/etc/quickstart/app.conf", token));
                Assert.Equal(expected, pushed);
                Assert.Equal(expected, File.ReadAllText(Path.Combine(root, "envs", "files", $"app-{c.Engine}.conf")));
                // the node's post-node-sync hook checked the file in the container and printed it
                Assert.Contains(host.Output, l => l.Node == instance && l.Event == "post-node-sync" && l.Text == "upstream web2;");
            }

            // apply again: nothing recreated, the templates compiled and pushed again
            var (again, second) = await DeployLabKit.ApplyAsync(specs, "tmpl-jinja2", options, new RecordingDeployHost(), token);
            Assert.True(second.Succeeded, string.Join("\n", second.Failures.Select(f => f.Exception.Message)));
            Assert.Equal(PlannedAction.Unchanged, Assert.Single(again.Nodes).Action);
            Assert.Equal((NodeAction.Unchanged, 1), (second.Results[0].Action, second.Results[0].FilesSynced));
        }
        finally
        {
            foreach (var c in cases)
            {
                var destroyed = await DeployLabKit.ShutdownAsync(specs, c.Project, ShutdownKind.Destroy, c.Options, new RecordingDeployHost(), token);
                Assert.True(destroyed.Succeeded, string.Join("\n", destroyed.Failures.Select(f => f.Exception.Message)));
            }
            Directory.Delete(root, true);
        }
    }
}

/// <summary>-ThrottleLimit: groups on different servers at the same time, results and per-group order kept.</summary>
[Collection(LabCollection.Name)]
[Trait("Category", "Lab")]
public sealed class ParallelApplyTests
{
    [Fact]
    public async Task With_a_throttle_limit_the_servers_are_read_side_by_side_into_the_same_plan()
    {
        var lab = LabEnvironment.Load();
        var root = DeployLabKit.CopyQuickstart(lab);
        try
        {
            var specs = DeployLabKit.Load(root, "t-qpp");
            var project = DeployLabKit.Project(specs, "quickstart");
            var token = LabFixture.Timeout(120);

            async Task<ApplyPlan> PlanAsync(int throttleLimit)
            {
                var (config, resolved) = DeployClientConfig.Resolve(specs, new DeployOptions { ThrottleLimit = throttleLimit });
                using var connections = new LxdConnections(config);
                return await new ApplyPlanner(specs, connections).PlanAsync(project, resolved, new RecordingDeployHost(), token);
            }

            static string Describe(ApplyPlan plan) => string.Join("\n", plan.Groups.Select(g =>
                $"{g.Index} {g.Spec.Name} on {g.Remote}: " + string.Join(", ", g.Nodes.Select(n => $"{n.Node} {n.Action} {n.Image} {n.Hooks.Count}"))));

            var sequential = await PlanAsync(1);
            var parallel = await PlanAsync(3);

            Assert.Equal(new[] { "web", "edge", "tools" }, parallel.Groups.Select(g => g.Spec.Name));
            Assert.Equal(Describe(sequential), Describe(parallel));
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }

    [Fact]
    public async Task Groups_on_different_servers_are_applied_in_parallel_with_results_in_plan_order()
    {
        var lab = LabEnvironment.Load();
        var root = DeployLabKit.CopyQuickstart(lab);
        var log = Path.Combine(root, "events.log");
        var specs = DeployLabKit.Load(root, "t-qp");
        var options = new DeployOptions
        {
            ExtraVars = new[] { DeployLabKit.Env(("events_log", log)) },
            Groups = new GroupFilter(new[] { "web", "edge" }),
            ThrottleLimit = 2,
        };
        var token = LabFixture.Timeout(600);
        await DeployLabKit.ShutdownAsync(specs, "quickstart", ShutdownKind.Destroy, options, new RecordingDeployHost(), token);
        File.Delete(log);
        try
        {
            var host = new RecordingDeployHost();
            var (_, outcome) = await DeployLabKit.ApplyAsync(specs, "quickstart", options, host, token);

            Assert.True(outcome.Succeeded, string.Join("\n", outcome.Failures.Select(f => f.Exception.Message)));
            Assert.Equal(new[] { "t-qp-web1", "t-qp-web2", "t-qp-edge1" }, outcome.Results.Select(r => r.Node));
            Assert.Equal(outcome.Results, host.Results); // reported in plan order although edge ran beside web
            Assert.All(outcome.Results, r => Assert.Equal(NodeAction.Created, r.Action));
            Assert.Equal(8, outcome.Results[0].HooksRun); // counted per node, not mixed with the other lane
            var events = File.ReadAllLines(log);
            Assert.Equal(("pre-project", "post-project"), (events[0], events[^1]));
            Assert.Equal(2, events.Count(e => e == "pre-group"));
            Assert.Equal(3, events.Count(e => e == "pre-node-creation"));
            // both groups' progress ids were in use
            Assert.Contains(host.ProgressRecords, p => p.ActivityId == 10);
            Assert.Contains(host.ProgressRecords, p => p.ActivityId == 13);
            host.AssertProgressNestedAndCompleted();
        }
        finally
        {
            var destroyed = await DeployLabKit.ShutdownAsync(specs, "quickstart", ShutdownKind.Destroy, options, new RecordingDeployHost(), token);
            Assert.True(destroyed.Succeeded, string.Join("\n", destroyed.Failures.Select(f => f.Exception.Message)));
            Directory.Delete(root, true);
        }
    }
}
