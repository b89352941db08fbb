using LxdCompose.Deploy;
using LxdCompose.Tests.Lxd;
using Xunit;

namespace LxdCompose.Tests.Deploy;

/// <summary>Apply on a stopped node: it is started, and its hooks wait for <c>wait_ip</c> as after a creation.</summary>
[Collection(LabCollection.Name)]
[Trait("Category", "Lab")]
public sealed class StartedNodeTests
{
    [Fact]
    public async Task Sync_hooks_of_a_node_apply_starts_run_after_wait_ip_found_its_address()
    {
        var lab = LabEnvironment.Load();
        var root = DeployLabKit.NewSpecRoot(lab, "t-start", """
            version: "1"
            projects:
              - name: t-start
                groups:
                  - name: g
                    connection: local
                    nodes:
                      - name: box
                        image_source: busybox/lab
                        image_remote_server: local
                        entrypoint: ["/bin/sh", "-c"]
                        wait_ip: 30
                        hooks:
                          - event: post-node-sync
                            commands:
                              - ip -4 address show dev eth0
            """);
        var specs = DeployLabKit.Load(root, "t-start");
        var token = LabFixture.Timeout(300);
        try
        {
            var (_, created) = await DeployLabKit.ApplyAsync(specs, "t-start", new DeployOptions(), new RecordingDeployHost(), token);
            Assert.Equal(NodeAction.Created, Assert.Single(created.Results).Action);
            var stopped = await DeployLabKit.ShutdownAsync(specs, "t-start", ShutdownKind.Stop, new DeployOptions(), new RecordingDeployHost(), token);
            Assert.Equal(NodeAction.Stopped, Assert.Single(stopped.Results).Action);

            var host = new RecordingDeployHost();
            var (_, started) = await DeployLabKit.ApplyAsync(specs, "t-start", new DeployOptions(), host, token);

            Assert.Equal(NodeAction.Started, Assert.Single(started.Results).Action);
            // The container's DHCP client runs in the background at boot: without the wait the hook sees no address.
            Assert.Contains(host.Output, l => l.Node == "t-start-box" && l.Text.TrimStart().StartsWith("inet 198.18.", StringComparison.Ordinal));
        }
        finally
        {
            await DeployLabKit.ShutdownAsync(specs, "t-start", ShutdownKind.Destroy, new DeployOptions(), new RecordingDeployHost(), token);
            Directory.Delete(root, true);
        }
    }
}
