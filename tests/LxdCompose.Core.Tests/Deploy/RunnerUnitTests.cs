using LxdCompose.Deploy;
using LxdCompose.Specs;
using LxdCompose.Tests.Deploy.FakeServer;
using Xunit;

namespace LxdCompose.Tests.Deploy;

/// <summary>The planner and the runner against in-memory servers: plan items, approvals, clean-up, destroy, cancellation, the creation mark.</summary>
public sealed class RunnerUnitTests
{
    private const string TwoNodes = """
        version: "1"
        profiles:
          - name: extra
            config:
              limits.cpu: "1"
        projects:
          - name: p
            hooks:
              - event: post-node-creation
                commands: [creation-hook]
              - event: post-node-sync
                commands: [sync-hook]
            groups:
              - name: g
                common_profiles: [extra]
                nodes:
                  - name: n1
                    image_source: img
                  - name: n2
                    image_source: img
        """;

    [Fact]
    public async Task The_plan_holds_every_change_before_anything_changes()
    {
        using var run = new FakeDeploy(TwoNodes);

        var plan = await run.PlanAsync();

        Assert.Equal(new[]
        {
            (PlanItemKind.CreateProfile, "profile extra on local"),
            (PlanItemKind.CopyImage, "img on local"),
            (PlanItemKind.Node, "n1"),
            (PlanItemKind.Node, "n2"),
        }, plan.Items.Select(i => (i.Kind, i.Target)));
        Assert.Equal("Create and start the instance (2 hook(s): post-node-creation, post-node-sync)", plan.Items[2].Description);
        Assert.Empty(run.TakeCalls());
        // The identity is stable: planning again gives the same ids.
        Assert.Equal(plan.Items.Select(i => i.Id), (await run.PlanAsync()).Items.Select(i => i.Id));
    }

    [Fact]
    public async Task Exactly_the_approved_items_run()
    {
        using var run = new FakeDeploy(TwoNodes);
        var approver = new DecidingApprover(item => item.Kind != PlanItemKind.CreateProfile && item.Target != "n2");

        var report = await run.ApplyAsync(approver);

        Assert.Equal(4, approver.Asked.Count);
        Assert.Equal(new[]
        {
            "copy image " + FakeDeploy.Fingerprint, "alias img " + FakeDeploy.Fingerprint,
            "create n1", "start n1", "exec n1 creation-hook", "update n1", "exec n1 sync-hook",
        }, run.TakeCalls());
        Assert.Equal(new[] { ("n1", NodeAction.Created), ("n2", NodeAction.Skipped) }, report.Outcome.Results.Select(r => (r.Node, r.Action)));
        Assert.True(report.Outcome.Succeeded);
    }

    [Fact]
    public async Task Nothing_approved_nothing_runs()
    {
        using var run = new FakeDeploy(TwoNodes);

        var report = await run.ApplyAsync(DecidingApprover.None);

        Assert.False(report.Ran);
        Assert.Empty(report.Outcome.Results);
        Assert.Empty(run.TakeCalls());
        Assert.Empty(run.Host.ProgressRecords);
    }

    [Fact]
    public async Task Cleanup_on_failure_deletes_only_what_this_run_created()
    {
        using var run = new FakeDeploy(TwoNodes.Replace("          - name: n1", "          - name: n0\n            image_source: img\n          - name: n1"));
        run.Server.WithImage(FakeDeploy.Fingerprint, "img").WithInstance("n0", "Running");
        run.Server.InstanceTable["n0"].Profiles = new() { "extra" }; // as the spec wants it: no drift
        run.Server.FailCreate.Add("n2");

        var report = await run.ApplyAsync(run: new ApplyRunOptions { CleanupOnFailure = true });

        Assert.False(report.Outcome.Succeeded);
        var calls = run.TakeCalls();
        Assert.Contains("delete n1", calls);
        Assert.DoesNotContain("delete n0", calls);
        Assert.Equal(new[] { "n0" }, run.Server.InstanceTable.Keys);
        Assert.Equal(new[] { ("n0", NodeAction.Unchanged), ("n1", NodeAction.Created), ("n2", NodeAction.Failed), ("n1", NodeAction.Destroyed), ("n2", NodeAction.Destroyed) },
            report.Outcome.Results.Select(r => (r.Node, r.Action)));
    }

    [Fact]
    public async Task Destroy_after_apply_deletes_the_approved_nodes_once_the_apply_succeeded()
    {
        using var run = new FakeDeploy(TwoNodes);
        var approver = new DecidingApprover(item => !(item.Kind == PlanItemKind.ShutdownNode && item.Target == "n2"));

        var report = await run.ApplyAsync(approver, new ApplyRunOptions { DestroyAfter = true });

        Assert.True(report.Outcome.Succeeded);
        Assert.Contains(approver.Asked, i => i.Kind == PlanItemKind.ShutdownNode && i.Target == "n1" && i.Deletes);
        var calls = run.TakeCalls();
        Assert.Equal("delete n1", calls[^1]);
        Assert.DoesNotContain("delete n2", calls);
        Assert.Equal(new[] { "n2" }, run.Server.InstanceTable.Keys);
        Assert.Equal(new[] { ("n1", NodeAction.Created), ("n2", NodeAction.Created), ("n1", NodeAction.Destroyed), ("n2", NodeAction.Skipped) },
            report.Outcome.Results.Select(r => (r.Node, r.Action)));
    }

    [Fact]
    public async Task Cancelling_mid_run_stops_before_the_next_node_and_the_next_plan_makes_the_unfinished_creation_again()
    {
        using var run = new FakeDeploy(TwoNodes);
        var hookStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        run.Server.ExecRule = async (_, command, token) =>
        {
            if (command == "creation-hook")
            {
                hookStarted.TrySetResult();
                await Task.Delay(Timeout.Infinite, token);
            }

            return 0;
        };
        using var cancel = new CancellationTokenSource();

        var applying = run.ApplyAsync(token: cancel.Token);
        await hookStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => applying);
        Assert.DoesNotContain("create n2", run.TakeCalls());
        // Cancelled: a hook may have half run, so the instance is not resumed in place but made again.
        Assert.Equal(CreationMark.Create, run.Server.InstanceTable["n1"].Config[CreationMark.Key]);
        var next = (await run.PlanAsync()).Nodes.First();
        Assert.Equal(PlannedAction.Replace, next.Action);
        Assert.Equal(CreationMark.Create, next.Unfinished);
        Assert.DoesNotContain(next.Hooks, h => h.Event is HookEvents.PreNodeUpgrade or HookEvents.PostNodeUpgrade);
    }

    [Fact]
    public async Task A_failed_creation_hook_leaves_the_mark_and_the_next_run_resumes_the_node()
    {
        using var run = new FakeDeploy(TwoNodes);
        var failures = 1;
        run.Server.ExecRule = (instance, command, _) =>
            Task.FromResult(instance == "n1" && command == "creation-hook" && Interlocked.Decrement(ref failures) >= 0 ? 1 : 0);

        var first = await run.ApplyAsync();

        Assert.False(first.Outcome.Succeeded);
        // The hook's end is known (it exited 1): the mark says so, and the next run finishes the node in place.
        Assert.Equal(CreationMark.Create + CreationMark.FailedSuffix, run.Server.InstanceTable["n1"].Config[CreationMark.Key]);
        var plan = await run.PlanAsync();
        Assert.Equal(new[] { ("n1", PlannedAction.Resume), ("n2", PlannedAction.Create) }, plan.Nodes.Select(n => (n.Node, n.Action)));
        Assert.StartsWith("Finish the instance's unfinished creation", plan.Items.Single(i => i.Target == "n1").Description, StringComparison.Ordinal);
        run.Server.InstanceTable["n1"].Status = "Stopped";
        run.TakeCalls();

        var second = await run.ApplyAsync();

        Assert.True(second.Outcome.Succeeded);
        var calls = run.TakeCalls();
        Assert.Equal(new[] { "start n1", "exec n1 creation-hook", "update n1", "exec n1 sync-hook" }, calls.Take(4));
        Assert.DoesNotContain("create n1", calls);
        Assert.DoesNotContain(CreationMark.Key, run.Server.InstanceTable["n1"].Config.Keys);
        Assert.Equal(NodeAction.Resumed, second.Outcome.Results[0].Action);
        Assert.All((await run.PlanAsync()).Nodes, n => Assert.Equal(PlannedAction.Unchanged, n.Action));
    }

    [Fact]
    public async Task An_unfinished_creation_that_cannot_be_started_is_planned_for_deletion_and_created_again()
    {
        using var run = new FakeDeploy(TwoNodes);
        run.Server.WithImage(FakeDeploy.Fingerprint, "img").WithInstance("n1", "Error", (CreationMark.Key, CreationMark.Create));

        var plan = await run.PlanAsync();
        Assert.Equal(PlannedAction.Replace, plan.Nodes.First().Action);
        Assert.True(plan.Items.Single(i => i.Target == "n1").Deletes);

        var report = await run.ApplyAsync();

        Assert.True(report.Outcome.Succeeded);
        Assert.Equal(new[] { "create profile extra", "delete n1", "create n1", "start n1", "exec n1 creation-hook" }, run.TakeCalls().Take(5));
        Assert.DoesNotContain(CreationMark.Key, run.Server.InstanceTable["n1"].Config.Keys);
    }

    [Fact]
    public async Task Stop_and_destroy_plans_read_no_server_and_run_only_approved_nodes()
    {
        using var run = new FakeDeploy(TwoNodes);
        run.Server.WithInstance("n1", "Running").WithInstance("n2", "Running");
        var plan = ShutdownPlan.For(run.Project, ShutdownKind.Destroy, new DeployOptions());

        Assert.Equal(new[] { (PlanItemKind.GroupHooks, "group g of project p (2 node(s))"), (PlanItemKind.ShutdownNode, "n1"), (PlanItemKind.ShutdownNode, "n2") },
            plan.Items.Select(i => (i.Kind, i.Target)));
        Assert.Empty(run.TakeCalls());

        var report = await run.Runner.ShutdownAsync(run.Project, ShutdownKind.Destroy, new DeployOptions(), new DecidingApprover(i => i.Target != "n2"),
            run.Host, CancellationToken.None);

        Assert.Equal(new[] { "delete n1" }, run.TakeCalls());
        Assert.Equal(new[] { ("n1", NodeAction.Destroyed), ("n2", NodeAction.Skipped) }, report.Outcome.Results.Select(r => (r.Node, r.Action)));
    }

    [Fact]
    public async Task A_declined_group_item_leaves_its_nodes_unasked_and_alone()
    {
        using var run = new FakeDeploy(TwoNodes);
        run.Server.WithInstance("n1", "Running");
        var approver = new DecidingApprover(i => i.Kind != PlanItemKind.GroupHooks);

        var report = await run.Runner.ShutdownAsync(run.Project, ShutdownKind.Stop, new DeployOptions(), approver, run.Host, CancellationToken.None);

        Assert.Equal(PlanItemKind.GroupHooks, Assert.Single(approver.Asked).Kind);
        Assert.False(report.Ran);
        Assert.Empty(run.TakeCalls());
    }

    [Fact]
    public async Task Config_templates_are_plan_items_per_level_and_a_declined_one_is_not_compiled()
    {
        using var run = new FakeDeploy(TwoNodes.Replace("          - name: n2\n            image_source: img",
            "          - name: n2\n            image_source: img\n            config_templates:\n              - { source: t.tmpl, dst: n2.txt }")
            .Replace("    groups:", "    config_templates:\n      - { source: t.tmpl, dst: project.txt }\n    groups:")
            .Replace("version: \"1\"", "version: \"1\"\ntemplate_engine:\n  engine: scriban"));
        File.WriteAllText(run.PathOf("envs/t.tmpl"), "compiled");
        var plan = await run.PlanAsync();
        var templates = plan.Items.Where(i => i.Kind == PlanItemKind.CompileTemplates).ToList();
        Assert.Equal(new[] { ("project p", (PlanItemId?)null), ("n2", ApplyPlanItems.Node(plan.Nodes.Last()).Id) },
            templates.Select(t => (t.Target, t.Parent)));

        var report = await run.ApplyAsync(new DecidingApprover(i => !(i.Kind == PlanItemKind.CompileTemplates && i.Target == "n2")));

        Assert.True(report.Outcome.Succeeded, string.Join("\n", report.Outcome.Failures.Select(f => f.Exception.Message)));
        Assert.Equal("compiled", File.ReadAllText(run.PathOf("envs/project.txt")));
        Assert.False(File.Exists(run.PathOf("envs/n2.txt")));
    }
}
