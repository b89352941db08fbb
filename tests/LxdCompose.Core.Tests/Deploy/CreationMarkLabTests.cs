using LxdCompose.Deploy;
using LxdCompose.Tests.Lxd;
using Xunit;

namespace LxdCompose.Tests.Deploy;

/// <summary>
/// The creation mark on a real server: a post-node-creation hook that fails once leaves the instance marked; the next
/// plan resumes it (not Unchanged), the next apply runs the hook again and clears the mark.
/// </summary>
[Collection(LabCollection.Name)]
[Trait("Category", "Lab")]
public sealed class CreationMarkLabTests
{
    [Fact]
    public async Task A_creation_whose_hook_failed_is_resumed_by_the_next_apply_and_then_unchanged()
    {
        var lab = LabEnvironment.Load();
        var root = DeployLabKit.NewSpecRoot(lab, "engine-mark", """
            version: "1"
            projects:
              - name: engine-mark
                groups:
                  - name: g
                    connection: local
                    nodes:
                      - name: box
                        image_source: busybox/lab
                        image_remote_server: local
                        entrypoint: ["/bin/sh", "-c"]
                        hooks:
                          - event: post-node-creation
                            commands:
                              - test -f /tmp/second-attempt || { touch /tmp/second-attempt; echo first attempt fails; exit 1; }
                              - echo creation finished
            """);
        var specs = DeployLabKit.Load(root, "engine-mark");
        var token = LabFixture.Timeout(300);
        using var admin = lab.ConnectTls(lab.Vms[0]);
        const string instance = "engine-mark-box";
        try
        {
            var (_, failed) = await DeployLabKit.ApplyAsync(specs, "engine-mark", new DeployOptions(), new RecordingDeployHost(), token);
            Assert.Equal(NodeAction.Failed, Assert.Single(failed.Results).Action);
            Assert.IsType<HookFailedException>(Assert.Single(failed.Failures).Exception);
            // The hook exited 1: a known end, recorded on the mark, so the next run finishes the node in place.
            Assert.Equal(CreationMark.Create + CreationMark.FailedSuffix, (await admin.Instances.GetAsync(instance, token)).Config[CreationMark.Key]);

            var resumed = await Plan(specs, token);
            Assert.Equal(PlannedAction.Resume, resumed.Action);

            var host = new RecordingDeployHost();
            var (_, finished) = await DeployLabKit.ApplyAsync(specs, "engine-mark", new DeployOptions(), host, token);
            Assert.True(finished.Succeeded, string.Join("\n", finished.Failures.Select(f => f.Exception.Message)));
            Assert.Equal(NodeAction.Resumed, Assert.Single(finished.Results).Action);
            Assert.Contains(host.Output, l => l.Node == instance && l.Text == "creation finished");
            Assert.DoesNotContain(CreationMark.Key, (await admin.Instances.GetAsync(instance, token)).Config.Keys);

            Assert.Equal(PlannedAction.Unchanged, (await Plan(specs, token)).Action);
        }
        finally
        {
            await DeployLabKit.ShutdownAsync(specs, "engine-mark", ShutdownKind.Destroy, new DeployOptions(), new RecordingDeployHost(), CancellationToken.None);
            Directory.Delete(root, true);
        }
    }

    private static async Task<NodePlan> Plan(LxdCompose.Loading.SpecSet specs, CancellationToken token)
    {
        var (config, resolved) = DeployClientConfig.Resolve(specs, new DeployOptions());
        using var connections = new LxdConnections(config);
        var plan = await new ApplyPlanner(specs, connections).PlanAsync(DeployLabKit.Project(specs, "engine-mark"), resolved, new RecordingDeployHost(), token);
        return Assert.Single(plan.Nodes);
    }
}
