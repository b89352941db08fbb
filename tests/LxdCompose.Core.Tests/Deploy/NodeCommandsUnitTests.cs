using LxdCompose.Deploy;
using LxdCompose.Tests.Deploy.FakeServer;
using Xunit;

namespace LxdCompose.Tests.Deploy;

/// <summary>
/// The node commands against in-memory servers: a node created or synced alone (with and without its hooks, nothing of
/// the other nodes), a command run in a node with its exit code, and the instances matched with the spec nodes.
/// </summary>
public sealed class NodeCommandsUnitTests
{
    private const string TwoNodes = """
        version: "1"
        profiles:
          - name: extra
            config:
              limits.cpu: "1"
        projects:
          - name: p
            vars:
              - envs:
                  greeting: hi
            hooks:
              - event: pre-node-creation
                node: host
                commands: ["true"]
              - event: post-node-creation
                commands: [creation-hook]
              - event: post-node-sync
                commands: [sync-hook]
              - event: post-group
                commands: [group-hook]
            groups:
              - name: g
                common_profiles: [extra]
                nodes:
                  - name: n1
                    image_source: img
                  - name: n2
                    image_source: img
        """;

    private static NodeCommands Commands(FakeDeploy run) => new(run.Specs, run.Connections);

    private static (LxdCompose.Specs.LxdGroup Group, LxdCompose.Specs.LxdNode Node) NodeOf(FakeDeploy run, string name)
    {
        var group = run.Project.Groups.Single();
        return (group, group.Nodes.Single(n => n.Name == name));
    }

    [Fact]
    public async Task A_node_is_created_alone_without_its_hooks()
    {
        using var run = new FakeDeploy(TwoNodes);
        var (group, node) = NodeOf(run, "n1");

        var result = await Commands(run).CreateAsync(run.Project, group, node, new DeployOptions(), runHooks: false, run.Host, CancellationToken.None);

        Assert.Equal(NodeAction.Created, result.Action);
        Assert.Equal(0, result.HooksRun);
        var calls = run.TakeCalls();
        Assert.Contains("create n1", calls);
        Assert.Contains("start n1", calls);
        Assert.Contains(calls, c => c.StartsWith("create ", StringComparison.Ordinal) && c.EndsWith(" extra", StringComparison.Ordinal));
        Assert.DoesNotContain(calls, c => c.StartsWith("exec", StringComparison.Ordinal));
        Assert.DoesNotContain(calls, c => c.Contains("n2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_its_hooks_a_created_node_runs_its_creation_hooks_and_no_sync_or_group_hook()
    {
        using var run = new FakeDeploy(TwoNodes);
        var (group, node) = NodeOf(run, "n1");

        var result = await Commands(run).CreateAsync(run.Project, group, node, new DeployOptions(), runHooks: true, run.Host, CancellationToken.None);

        Assert.Equal(2, result.HooksRun);
        Assert.Equal(new[] { "exec n1 creation-hook" }, run.TakeCalls().Where(c => c.StartsWith("exec", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task An_existing_node_is_not_created_again()
    {
        using var run = new FakeDeploy(TwoNodes);
        run.Server.WithInstance("n1", "Running");
        var (group, node) = NodeOf(run, "n1");

        var result = await Commands(run).CreateAsync(run.Project, group, node, new DeployOptions(), runHooks: true, run.Host, CancellationToken.None);

        Assert.Equal(NodeAction.Unchanged, result.Action);
        Assert.Empty(run.TakeCalls());
    }

    [Theory]
    [InlineData(false, new string[0])]
    [InlineData(true, new[] { "exec n1 sync-hook" })]
    public async Task A_sync_runs_the_sync_hooks_only_when_asked(bool runHooks, string[] execs)
    {
        using var run = new FakeDeploy(TwoNodes);
        run.Server.WithInstance("n1", "Running");
        var (group, node) = NodeOf(run, "n1");

        var result = await Commands(run).SyncAsync(run.Project, group, node, new DeployOptions(), runHooks, run.Host, CancellationToken.None);

        Assert.Equal(NodeAction.Synced, result.Action);
        Assert.Equal(execs, run.TakeCalls().Where(c => c.StartsWith("exec", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_sync_of_a_node_that_does_not_exist_fails_as_not_found_and_changes_nothing()
    {
        using var run = new FakeDeploy(TwoNodes);
        var (group, node) = NodeOf(run, "n1");

        var failure = await Assert.ThrowsAsync<DeployException>(() =>
            Commands(run).SyncAsync(run.Project, group, node, new DeployOptions(), runHooks: true, run.Host, CancellationToken.None));

        Assert.Equal(DeployProblem.NotFound, failure.Problem);
        Assert.Empty(run.TakeCalls());
    }

    [Fact]
    public async Task An_exec_returns_the_exit_code_and_output_and_streams_only_when_asked()
    {
        using var run = new FakeDeploy(TwoNodes);
        run.Server.WithInstance("n1", "Running");
        run.Server.ExecRule = (_, command, _) => Task.FromResult(command == "false" ? 5 : 0);
        var (group, node) = NodeOf(run, "n1");

        var failed = await Commands(run).ExecAsync(run.Project, group, node, "false", new DeployOptions(), streamOutput: false, run.Host, CancellationToken.None);
        Assert.Equal(5, failed.ExitCode);
        Assert.Equal("false\n", failed.Stdout);
        Assert.Empty(run.Host.Output);

        var streamed = await Commands(run).ExecAsync(run.Project, group, node, "echo $greeting", new DeployOptions(), streamOutput: true, run.Host,
            CancellationToken.None);
        Assert.Equal(0, streamed.ExitCode);
        Assert.Contains(run.Host.Output, line => line.Node == "n1" && line.Event == NodeCommands.ExecEvent && line.Text == "echo $greeting");
    }

    [Fact]
    public async Task Listed_instances_are_matched_with_the_spec_nodes_on_the_same_remote()
    {
        using var run = new FakeDeploy(TwoNodes);
        run.Server.WithInstance("n1", "Running").WithInstance("stray", "Stopped");

        var listed = await Commands(run).ListAsync(run.Specs.Projects.ToList(), new[] { "local" }, CancellationToken.None);

        Assert.Equal(new[] { ("n1", true, "p", "g", "n1"), ("stray", false, "", "", "") },
            listed.Select(i => (i.Name, i.InSpecs, i.Project, i.Group, i.NodeName)));
        Assert.Equal(new[] { "local" }, Commands(run).RemotesOf(run.Specs.Projects));
    }
}
