using LxdCompose.Deploy;
using LxdCompose.Tests.Lxd;
using Xunit;

namespace LxdCompose.Tests.Deploy;

/// <summary>Image resolution on a server that lacks the image: an LXD project with its own image store.</summary>
[Collection(LabCollection.Name)]
[Trait("Category", "Lab")]
public sealed class ImageCopyTests
{
    /// <summary>The lab specs plus a remote "proj": the first VM seen through the test's LXD project, with its own image store.</summary>
    private static void WriteProjectSpecs(string root, LabEnvironment lab, LabProject project, string env)
    {
        DeployLabKit.WriteSpecRoot(root, lab, env,
            $"  proj:\n    addr: {lab.Address(lab.Vms[0])}\n    protocol: lxd\n    public: false\n    auth_type: tls\n    project: {project.Name}\n");
        // Same server as "local", so the same pinned certificate.
        File.Copy(Path.Combine(root, "lxd-conf", "servercerts", "local.crt"), Path.Combine(root, "lxd-conf", "servercerts", "proj.crt"));
    }

    [Fact]
    public async Task An_image_missing_on_the_target_is_copied_once_for_all_nodes_and_then_found_present()
    {
        var lab = LabEnvironment.Load();
        using var admin = lab.ConnectTls(lab.Vms[0]);
        await using var project = await LabProject.CreateAsync(admin, lab, lab.Vms[0], ownImages: true);
        var root = DeployLabKit.NewTempDir("t-img");
        try
        {
            WriteProjectSpecs(root, lab, project, """
                version: "1"
                projects:
                  - name: t-img
                    groups:
                      - name: g
                        connection: proj
                        nodes:
                          - name: a
                            image_source: busybox/lab
                            image_remote_server: imgsrv
                          - name: b
                            image_source: busybox/lab
                            image_remote_server: imgsrv
                """);
            var specs = DeployLabKit.Load(root, "t-i");
            var token = LabFixture.Timeout(300);
            var host = new RecordingDeployHost();

            var (plan, outcome) = await DeployLabKit.ApplyAsync(specs, "t-img", new DeployOptions(), host, token);

            Assert.True(outcome.Succeeded, string.Join("\n", outcome.Failures.Select(f => f.Exception.Message)));
            var copy = Assert.Single(Assert.Single(plan.Groups).ImagesToCopy);
            Assert.Equal(("busybox/lab", "imgsrv", true), (copy.Source, copy.Remote, copy.CopyNeeded));
            Assert.Single(host.Logs, l => l.Message.StartsWith("Copying image", StringComparison.Ordinal));
            // the copy is a progress activity of its own under the group's (10), completed at the end
            var imageProgress = host.ProgressRecords.Where(p => p.Activity.StartsWith("Image busybox/lab", StringComparison.Ordinal)).ToList();
            Assert.All(imageProgress, p => Assert.Equal((12, 10), (p.ActivityId, p.ParentId)));
            Assert.True(imageProgress[^1].Completed);
            host.AssertProgressNestedAndCompleted();
            Assert.All(outcome.Results, r => Assert.Equal(NodeAction.Created, r.Action));
            var alias = await project.Client.Images.GetAliasAsync("busybox/lab", token);
            Assert.Equal(copy.Fingerprint, alias.Target);

            var (config, resolved) = DeployClientConfig.Resolve(specs, new DeployOptions());
            using var connections = new LxdConnections(config);
            var fetched = (await new DeployRunner(specs, connections).FetchAsync(DeployLabKit.Project(specs, "t-img"), resolved, null, ApproveAll.Instance,
                new RecordingDeployHost(), token)).Results;
            Assert.Equal(("Present", copy.Fingerprint), (Assert.Single(fetched).Action, fetched[0].Fingerprint));
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }

    [Fact]
    public async Task Testing_images_creates_and_deletes_a_container_on_the_groups_server_with_the_test_profiles()
    {
        var lab = LabEnvironment.Load();
        using var admin = lab.ConnectTls(lab.Vms[0]);
        await using var project = await LabProject.CreateAsync(admin, lab, lab.Vms[0], ownImages: true);
        var root = DeployLabKit.NewTempDir("t-imgtest");
        try
        {
            // Two remotes on one server: the container must be created through the group's remote "proj" (lxd-compose
            // bug #15 passed the connection name as image server instead).
            WriteProjectSpecs(root, lab, project, """
                version: "1"
                projects:
                  - name: t-imgtest
                    groups:
                      - name: g
                        connection: proj
                        nodes:
                          - name: a
                            image_source: busybox/lab
                            image_remote_server: imgsrv
                """);
            var specs = DeployLabKit.Load(root, "t-it");
            var token = LabFixture.Timeout(300);
            var (config, resolved) = DeployClientConfig.Resolve(specs, new DeployOptions());
            using var connections = new LxdConnections(config);
            var target = DeployLabKit.Project(specs, "t-imgtest");

            // A profile the server lacks: the creation fails, which shows the test profiles are used.
            var runner = new DeployRunner(specs, connections);
            var failed = await runner.FetchAsync(target, resolved, new ImageTest(new[] { "t-no-such-profile" }), ApproveAll.Instance,
                new RecordingDeployHost(), token);
            Assert.IsAssignableFrom<LxdCompose.Lxd.LxdException>(failed.Failure?.Exception);
            Assert.Empty(await project.Client.Instances.ListAsync(token));

            var host = new RecordingDeployHost();
            var fetched = Assert.Single((await runner.FetchAsync(target, resolved, new ImageTest(new[] { "default" }), ApproveAll.Instance, host, token))
                .Results);

            Assert.Equal(("Present", true, "proj"), (fetched.Action, fetched.Tested, fetched.Remote)); // copied by the first attempt
            Assert.Single(host.Logs, l => l.Message.StartsWith("Creating the test container test-image-", StringComparison.Ordinal));
            Assert.Single(host.Logs, l => l.Message.StartsWith("Deleted the test container test-image-", StringComparison.Ordinal));
            Assert.Empty(await project.Client.Instances.ListAsync(token));

            // Declined: neither copied nor tested.
            var approver = DecidingApprover.None;
            var declined = Assert.Single((await runner.FetchAsync(target, resolved, new ImageTest(Array.Empty<string>()), approver,
                new RecordingDeployHost(), token)).Results);
            Assert.False(declined.Tested);
            Assert.Equal(PlanItemKind.TestImage, Assert.Single(approver.Asked).Kind);
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }
}
