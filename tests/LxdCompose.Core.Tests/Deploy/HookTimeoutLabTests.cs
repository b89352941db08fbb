using System.Diagnostics;
using LxdCompose.Deploy;
using LxdCompose.Lxd;
using LxdCompose.Tests.Lxd;
using Xunit;

namespace LxdCompose.Tests.Deploy;

/// <summary>
/// A hook command that overruns its <c>timeout</c> (or <c>-HookTimeout</c>) fails the run with a Timeout naming hook,
/// node, event and limit, and is really gone afterwards: on LXD and on Incus, in the container, not only on the client.
/// </summary>
[Collection(LabCollection.Name)]
[Trait("Category", "Lab")]
public sealed class HookTimeoutLabTests
{
    /// <summary>A shell that forks: sleep is a child of sh, so killing only sh would leave it running.</summary>
    private const string Overrun = "sleep 271; echo late";

    [Theory]
    [InlineData("local", "lxd")]
    [InlineData("incus1", "incus")]
    public async Task A_container_hook_past_its_timeout_fails_as_Timeout_and_its_processes_are_gone(string remote, string kind)
    {
        var lab = LabEnvironment.Load();
        var prefix = LabFixture.UniqueName("tmo");
        var root = DeployLabKit.NewSpecRoot(lab, prefix, $$"""
            version: "1"
            projects:
              - name: {{prefix}}
                groups:
                  - name: g
                    connection: {{remote}}
                    nodes:
                      - name: box
                        image_source: busybox/lab
                        image_remote_server: {{remote}}
                        entrypoint: ["/bin/sh", "-c"]
                        hooks:
                          - event: post-node-creation
                            timeout: 2
                            commands:
                              - "{{Overrun}}"
            """, IncusRemote(lab));
        CopyIncusCertificate(lab, root);
        var specs = DeployLabKit.Load(root, prefix);
        var token = LabFixture.Timeout(180);
        var instance = prefix + "-box";
        try
        {
            var clock = Stopwatch.StartNew();
            var (_, outcome) = await DeployLabKit.ApplyAsync(specs, prefix, new DeployOptions(), new RecordingDeployHost(), token);
            clock.Stop();

            var timeout = Assert.IsType<HookTimeoutException>(Assert.Single(outcome.Failures).Exception);
            Assert.Equal(DeployProblem.Timeout, timeout.Problem);
            Assert.Equal((instance, "post-node-creation", TimeSpan.FromSeconds(2)), (timeout.Node, timeout.Event, timeout.Limit));
            Assert.Contains("2 s", timeout.Message, StringComparison.Ordinal);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"the run took {clock.Elapsed} ({kind})");

            using var client = LxdConnector.Connect(DeployLabKit.ConfigOf(root), remote);
            var ps = await client.Exec.RunCapturedAsync(instance, new LxdExecRequest(new[] { "/bin/sh", "-c", "ps" }), token);
            Assert.DoesNotContain("sleep 271", ps.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            await DeployLabKit.ShutdownAsync(specs, prefix, ShutdownKind.Destroy, new DeployOptions(), new RecordingDeployHost(), token);
            Directory.Delete(root, true);
        }
    }

    [Fact]
    public async Task A_host_hook_past_the_runs_HookTimeout_fails_as_Timeout_and_its_process_tree_is_killed()
    {
        var lab = LabEnvironment.Load();
        var prefix = LabFixture.UniqueName("tmo");
        var marker = Path.Combine(Path.GetTempPath(), prefix + ".pid");
        var root = DeployLabKit.NewSpecRoot(lab, prefix, $$"""
            version: "1"
            projects:
              - name: {{prefix}}
                hooks:
                  - event: pre-project
                    node: host
                    entrypoint: ["/bin/sh", "-c"]
                    commands:
                      - "sleep 272 & echo $! > {{marker}}; wait"
                groups:
                  - name: g
                    connection: local
                    nodes:
                      - name: box
                        image_source: busybox/lab
                        image_remote_server: local
            """);
        var specs = DeployLabKit.Load(root, prefix);
        try
        {
            var (_, outcome) = await DeployLabKit.ApplyAsync(specs, prefix, new DeployOptions { HookTimeout = TimeSpan.FromSeconds(1.5) },
                new RecordingDeployHost(), LabFixture.Timeout(120));

            var timeout = Assert.IsType<HookTimeoutException>(Assert.Single(outcome.Failures).Exception);
            Assert.Equal(("host", "pre-project", TimeSpan.FromSeconds(1.5)), (timeout.Node, timeout.Event, timeout.Limit));
            var child = int.Parse(File.ReadAllText(marker).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            // SIGKILL is delivered asynchronously: wait a bounded while for the child to be gone (or a zombie).
            var deadline = Stopwatch.StartNew();
            while (IsRunning(child) && deadline.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(50);
            }

            Assert.False(IsRunning(child), $"the hook's child {child} still runs");
        }
        finally
        {
            File.Delete(marker);
            Directory.Delete(root, true);
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            return !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The lab's Incus server as the remote <c>incus1</c> of a spec root's client config.</summary>
    private static string IncusRemote(LabEnvironment lab) =>
        $"  incus1:\n    addr: {lab.IncusAddress}\n    protocol: incus\n    public: false\n    auth_type: tls\n";

    private static void CopyIncusCertificate(LabEnvironment lab, string root) =>
        File.Copy(Path.Combine(lab.ConfigDirectory, "servercerts", "incus1.crt"), Path.Combine(root, "lxd-conf", "servercerts", "incus1.crt"), true);
}
