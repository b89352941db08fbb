using System.Net.Sockets;
using LxdCompose.Deploy;
using LxdCompose.Loading;
using LxdCompose.Lxd;
using LxdCompose.Lxd.Config;
using LxdCompose.Tests.Loading;
using LxdCompose.Tests.Lxd;
using Xunit;

namespace LxdCompose.Tests.Deploy;

/// <summary>
/// What still fails at deploy time (a server error, a daemon killed mid-call), against a fake LXD on a unix socket: each
/// failure is a per-node result and a <see cref="DeployFailure"/> (never an exception out of the run), and
/// -CleanupOnFailure deletes what the run created.
/// </summary>
public sealed class DeployConnectionLossTests : IDisposable
{
    private const string Image = "abcdef0123456789";
    private readonly TempSpecs _specs = new();
    private readonly List<string> _deleted = new();

    public void Dispose() => _specs.Dispose();

    /// <summary>A fake LXD that creates, starts and deletes what it is asked to, and answers <paramref name="onCreate"/> for a creation.</summary>
    private FakeLxdServer Server(Func<string, FakeResponse> onCreate) =>
        new(request =>
        {
            var path = Uri.UnescapeDataString(request.PathAndQuery.Split('?')[0]);
            switch (request.Method)
            {
                case "POST" when path == "/1.0/instances":
                    return onCreate(System.Text.Json.JsonDocument.Parse(request.Body).RootElement.GetProperty("name").GetString()!);
                case "PUT" when path.EndsWith("/state", StringComparison.Ordinal):
                    return FakeResponse.Sync();
                case "DELETE" when path.StartsWith("/1.0/instances/", StringComparison.Ordinal):
                    lock (_deleted)
                    {
                        _deleted.Add(path["/1.0/instances/".Length..]);
                    }

                    return FakeResponse.Sync();
                case "GET" when path.StartsWith("/1.0/instances/", StringComparison.Ordinal) && path.EndsWith("/state", StringComparison.Ordinal):
                    return FakeResponse.Sync("""{"status":"Running","status_code":103,"network":{}}""");
                case "GET" when path.StartsWith("/1.0/instances/", StringComparison.Ordinal):
                    var name = path["/1.0/instances/".Length..];
                    return FakeResponse.Sync($$"""{"name":"{{name}}","status":"Running","status_code":103,"type":"container","config":{},"devices":{},"profiles":["default"]}""");
                case "GET" when path == "/1.0":
                    return FakeResponse.Sync("""{"api_extensions":[],"environment":{"server":"lxd","server_version":"5.21"},"auth":"trusted"}""");
                default:
                    return FakeResponse.Error(404, "not found");
            }
        });

    /// <summary>Plans the creation of n1 and n2 in one group on the fake server, as the planner would for absent nodes.</summary>
    private (SpecSet Specs, ApplyPlan Plan, LxdConnections Connections) PlanOn(FakeLxdServer server)
    {
        var specs = _specs.Env($$"""
            projects:
              - name: p
                groups:
                  - name: g
                    connection: "unix:{{server.SocketPath}}"
                    connection_type: lxd-6
                    nodes:
                      - name: n1
                      - name: n2
            """).Write("conf/config.yml", "remotes: {}\n").Load();
        var project = specs.FindProject("p")!;
        var group = project.Groups[0];
        var remote = "unix:" + server.SocketPath;
        var plan = new ApplyPlan
        {
            Project = project,
            Groups =
            [
                new GroupPlan
                {
                    Spec = group, Remote = remote,
                    Nodes = group.Nodes.Select(n => new NodePlan
                    {
                        Project = "p", Group = "g", Node = n.InstanceName, Remote = remote, Action = PlannedAction.Create, CurrentState = "Absent",
                        Image = new ImagePlan("img", remote, string.Empty, "lxd", Image, false), Spec = n,
                    }).ToList(),
                },
            ],
        };
        return (specs, plan, new LxdConnections(LxdClientConfig.Load(_specs.PathOf("conf"))));
    }

    [Fact]
    public async Task A_daemon_killed_mid_call_fails_that_node_with_a_connection_error_and_cleanup_reports_what_it_could_not_delete()
    {
        FakeLxdServer? server = null;
        server = Server(name =>
        {
            if (name == "n2")
            {
                server!.StopListening(); // the daemon dies while creating n2: this call and every later one fail
                return FakeResponse.Drop;
            }

            return FakeResponse.Sync();
        });
        using var _ = server;
        var (specs, plan, connections) = PlanOn(server);
        using var __ = connections;
        var host = new RecordingDeployHost();

        var outcome = await new ApplyExecutor(specs, connections).ExecuteAsync(plan, PlanApproval.All(plan.Items), host, LabFixture.Timeout(60));
        var removed = await ApplyCleanup.RemoveCreatedAsync(plan, outcome, connections, host, LabFixture.Timeout(60));

        Assert.Equal(new[] { ("n1", NodeAction.Created), ("n2", NodeAction.Failed) }, outcome.Results.Take(2).Select(r => (r.Node, r.Action)));
        var lost = outcome.Failures[0];
        Assert.Equal(("g", "n2"), (lost.Group, lost.Node));
        Assert.IsType<LxdConnectionException>(lost.Exception);
        // Both nodes this run created (or tried to) are on a dead server: each is a Failed cleanup result and a failure.
        Assert.Equal(new[] { ("n1", NodeAction.Failed), ("n2", NodeAction.Failed) }, removed.Select(r => (r.Node, r.Action)));
        Assert.All(removed, r => Assert.StartsWith("not cleaned up: ", r.Error, StringComparison.Ordinal));
        Assert.Equal(new[] { "n1", "n2" }, outcome.Failures.Skip(1).Select(f => f.Node));
        Assert.All(outcome.Failures.Skip(1), f => Assert.Equal(DeployProblem.Unreachable, Assert.IsType<DeployException>(f.Exception).Problem));
    }

    [Fact]
    public async Task A_server_error_fails_that_node_and_cleanup_deletes_what_the_run_created()
    {
        using var server = Server(name => name == "n2" ? FakeResponse.Error(400, "Invalid instance name") : FakeResponse.Sync());
        var (specs, plan, connections) = PlanOn(server);
        using var _ = connections;
        var host = new RecordingDeployHost();

        var outcome = await new ApplyExecutor(specs, connections).ExecuteAsync(plan, PlanApproval.All(plan.Items), host, LabFixture.Timeout(60));
        var removed = await ApplyCleanup.RemoveCreatedAsync(plan, outcome, connections, host, LabFixture.Timeout(60));

        Assert.Equal(new[] { ("n1", NodeAction.Created), ("n2", NodeAction.Failed) }, outcome.Results.Select(r => (r.Node, r.Action)));
        var refused = Assert.Single(outcome.Failures);
        Assert.Equal(400, Assert.IsType<LxdApiException>(refused.Exception).StatusCode);
        Assert.Contains("Invalid instance name", outcome.Results[1].Error);
        Assert.Equal(new[] { ("n1", NodeAction.Destroyed), ("n2", NodeAction.Destroyed) }, removed.Select(r => (r.Node, r.Action)));
        Assert.Equal(new[] { "n1", "n2" }, _deleted);
    }

    [Fact]
    public void A_lost_connection_is_reported_as_a_connection_error_naming_the_server()
    {
        var raw = new IOException("Transport endpoint is not connected", new SocketException((int)SocketError.NotConnected));

        Assert.True(DeployFailures.IsDeployFailure(raw));
        var reported = Assert.IsType<LxdConnectionException>(DeployFailures.Normalize(raw, "vm2"));
        Assert.Equal("vm2", reported.Target);
        Assert.Contains("The connection to vm2 was lost", reported.Message, StringComparison.Ordinal);
        Assert.Same(raw, reported.InnerException);
        Assert.False(DeployFailures.IsDeployFailure(new InvalidOperationException("a bug")));
    }
}
