using LxdCompose.Deploy;
using LxdCompose.Tests.Lxd;
using Xunit;

namespace LxdCompose.Tests.Deploy;

/// <summary>What a failed apply reports on the lab: failing hook, missing image, missing profile, unreachable remote.</summary>
[Collection(LabCollection.Name)]
[Trait("Category", "Lab")]
public sealed class DeployFailureTests
{
    /// <summary>A busybox node as a list item indented for a group's nodes: list.</summary>
    private static string Node(string name) =>
        $"          - name: {name}\n            image_source: busybox/lab\n            image_remote_server: local\n" +
        "            entrypoint: [\"/bin/sh\", \"-c\"]\n";

    private static string WriteSpecs(LabEnvironment lab, string env) =>
        DeployLabKit.NewSpecRoot(lab, "t-fail", env,
            "  dead:\n    addr: https://127.0.0.1:1\n    protocol: lxd\n    public: false\n    auth_type: tls\n");

    [Fact]
    public async Task A_failing_hook_stops_its_group_and_names_node_event_command_exit_code_and_stderr()
    {
        var lab = LabEnvironment.Load();
        var root = WriteSpecs(lab, """
            version: "1"
            projects:
              - name: t-fail
                hooks:
                  - event: pre-node-sync
                    node: ""
                    entrypoint: ["/bin/sh", "-c"]
                    commands:
                      - echo starting; echo "broken config in /etc/app.conf" >&2; exit 3
                groups:
                  - name: g1
                    connection: local
                    nodes:

            """ + Node("n1") + Node("n2") + """
                  - name: g2
                    connection: local
                    nodes:

            """ + Node("n3"));
        var specs = DeployLabKit.Load(root, "t-f");
        var token = LabFixture.Timeout(300);
        var host = new RecordingDeployHost();
        try
        {
            var (_, outcome) = await DeployLabKit.ApplyAsync(specs, "t-fail", new DeployOptions(), host, token);

            var failure = Assert.Single(outcome.Failures);
            Assert.Equal(("g1", "t-f-n1"), (failure.Group, failure.Node));
            var hook = Assert.IsType<HookFailedException>(failure.Exception);
            Assert.Equal(("t-f-n1", "pre-node-sync", 3), (hook.Node, hook.Event, hook.ExitCode));
            Assert.Contains("exit 3", hook.Command);
            Assert.Equal("broken config in /etc/app.conf", hook.StderrTail);
            Assert.Contains("t-f-n1", hook.Message);
            Assert.Contains("exited with code 3", hook.Message);
            Assert.Equal(
                new[] { ("t-f-n1", NodeAction.Failed), ("t-f-n2", NodeAction.Skipped), ("t-f-n3", NodeAction.Skipped) },
                outcome.Results.Select(r => (r.Node, r.Action)));
            Assert.Contains(host.Output, l => l is { Node: "t-f-n1", Stream: HookStream.Stdout, Text: "starting" });
        }
        finally
        {
            var destroyed = await DeployLabKit.ShutdownAsync(specs, "t-fail", ShutdownKind.Destroy, new DeployOptions(), new RecordingDeployHost(), token);
            Assert.Contains(destroyed.Results, r => r is { Node: "t-f-n1", Action: NodeAction.Destroyed });
            Assert.Contains(destroyed.Results, r => r is { Node: "t-f-n2", Action: NodeAction.Skipped, State: "Absent" });
            Directory.Delete(root, true);
        }
    }

    [Theory]
    [InlineData("image_source: t-missing/none", "", "local", "no image found with alias or fingerprint 't-missing/none' on remote 'local'")]
    [InlineData("", "common_profiles: [t-missing-profile]", "local", "profile 't-missing-profile' is not on remote 'local' and no environment declares it")]
    [InlineData("", "", "dead", "cannot read the state of remote 'dead'")]
    public async Task Planning_fails_before_anything_changes(string imageLine, string groupLine, string connection, string expected)
    {
        var lab = LabEnvironment.Load();
        var image = imageLine.Length > 0 ? imageLine : "image_source: busybox/lab";
        var root = WriteSpecs(lab, $"""
            version: "1"
            projects:
              - name: t-plan
                groups:
                  - name: g
                    connection: {connection}
                    {groupLine}
                    nodes:
                      - name: p1
                        {image}
                        image_remote_server: local
            """);
        try
        {
            var specs = DeployLabKit.Load(root, "t-p");
            var error = await Assert.ThrowsAsync<DeployException>(() =>
                DeployLabKit.ApplyAsync(specs, "t-plan", new DeployOptions(), new RecordingDeployHost(), LabFixture.Timeout(120)));
            Assert.Contains(expected, error.Message);
            using var client = LxdCompose.Lxd.LxdConnector.Connect(DeployLabKit.ConfigOf(root), "local");
            Assert.Null(await client.Instances.TryGetAsync("t-p-p1", LabFixture.Timeout()));
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }
}
