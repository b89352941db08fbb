using LxdCompose.Deploy;
using LxdCompose.Tests.Lxd;
using Xunit;

namespace LxdCompose.Tests.Deploy;

/// <summary>A node's hooks run on that node's own server, even when another project has a node of the same name.</summary>
[Collection(LabCollection.Name)]
[Trait("Category", "Lab")]
public sealed class NodeLookupTests
{
    [Fact]
    public async Task A_node_hook_runs_on_its_own_server_when_another_project_reuses_the_node_name()
    {
        var lab = LabEnvironment.Load();
        static string Project(string project, string remote) =>
            $"  - name: {project}\n    groups:\n      - name: {project}-g\n        connection: {remote}\n        nodes:\n" +
            "          - name: dup\n            image_source: busybox/lab\n            image_remote_server: local\n" +
            "            entrypoint: [\"/bin/sh\", \"-c\"]\n            hooks:\n              - event: post-node-creation\n" +
            "                commands: [\"hostname\"]\n";
        // The first project (never applied here) lives on "local"; the applied one on "vm2".
        var root = DeployLabKit.NewSpecRoot(lab, "t-lookup",
            "version: \"1\"\nprojects:\n" + Project("t-lookup-a", "local") + Project("t-lookup-b", "vm2"));
        var specs = DeployLabKit.Load(root, "t-lk");
        var token = LabFixture.Timeout(300);
        var host = new RecordingDeployHost();
        try
        {
            var (_, outcome) = await DeployLabKit.ApplyAsync(specs, "t-lookup-b", new DeployOptions(), host, token);

            Assert.Empty(outcome.Failures);
            Assert.Equal(("t-lk-dup", NodeAction.Created, "vm2"), outcome.Results.Select(r => (r.Node, r.Action, r.Remote)).Single());
            Assert.Contains(host.Output, l => l is { Node: "t-lk-dup", Event: "post-node-creation", Text: "t-lk-dup" });
        }
        finally
        {
            await DeployLabKit.ShutdownAsync(specs, "t-lookup-b", ShutdownKind.Destroy, new DeployOptions(), new RecordingDeployHost(), token);
            Directory.Delete(root, true);
        }
    }
}
