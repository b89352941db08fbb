using LxdCompose.Deploy;
using LxdCompose.Tests.Lxd;
using Xunit;

namespace LxdCompose.Tests.Deploy;

/// <summary>Image resolution on a server that lacks the image: an LXD project with its own image store.</summary>
[Collection(LabCollection.Name)]
public sealed class ImageCopyTests
{
    [Fact]
    public async Task An_image_missing_on_the_target_is_copied_once_for_all_nodes_and_then_found_present()
    {
        var lab = LabEnvironment.Load();
        using var admin = lab.ConnectTls(lab.Vms[0]);
        await using var project = await LabProject.CreateAsync(admin, lab, lab.Vms[0], ownImages: true);
        var root = DeployLabKit.NewTempDir("t-img");
        try
        {
            DeployLabKit.WriteLabConf(lab, Path.Combine(root, "lxd-conf"),
                $"  proj:\n    addr: {lab.Address(lab.Vms[0])}\n    protocol: lxd\n    public: false\n    auth_type: tls\n    project: {project.Name}\n");
            File.Copy(Path.Combine(root, "lxd-conf", "servercerts", "local.crt"), Path.Combine(root, "lxd-conf", "servercerts", "proj.crt"));
            File.WriteAllText(Path.Combine(root, ".lxd-compose.yml"), "general:\n  lxd_confdir: ./lxd-conf\nenv_dirs: [envs]\n");
            Directory.CreateDirectory(Path.Combine(root, "envs"));
            File.WriteAllText(Path.Combine(root, "envs", "env.yml"), """
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
            Assert.All(outcome.Results, r => Assert.Equal(NodeAction.Created, r.Action));
            var alias = await project.Client.Images.GetAliasAsync("busybox/lab", token);
            Assert.Equal(copy.Fingerprint, alias.Target);

            var (config, resolved) = DeployClientConfig.Resolve(specs, new DeployOptions());
            using var connections = new LxdConnections(config);
            var fetched = await ImageFetcher.FetchAsync(DeployLabKit.Project(specs, "t-img"), resolved, connections, new RecordingDeployHost(), token);
            Assert.Equal(("Present", copy.Fingerprint), (Assert.Single(fetched).Action, fetched[0].Fingerprint));
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }
}
