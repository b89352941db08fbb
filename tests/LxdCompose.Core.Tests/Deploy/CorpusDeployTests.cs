using LxdCompose.Deploy;
using LxdCompose.Loading;
using LxdCompose.Lxd;
using LxdCompose.Specs;
using LxdCompose.Tests.Loading;
using LxdCompose.Tests.Lxd;
using Xunit;

namespace LxdCompose.Tests.Deploy;

/// <summary>
/// The galaxy's envs/lxd-testing/test-bootstrap.yml, loaded where it lies in ../shared, deployed for real on the lab
/// with render values that point its range at the lab's busybox image (Fixtures/corpus-deploy). Its only hook (a
/// post-node-creation probe) runs under /bin/bash, which busybox lacks and which the spec gives no node entrypoint
/// to replace: enabling a flag no hook carries leaves every unflagged hook out, as lxd-compose's --enable-flag does.
/// </summary>
[Collection(LabCollection.Name)]
[Trait("Category", "Lab")]
public sealed class CorpusDeployTests
{
    private const string Prefix = "t-cb";
    private const string Project = "lxd-test-bootstrap";
    private const string ProfileStandIn = "net-mottainai0";

    /// <summary>No hook of test-bootstrap.yml carries it, so with it enabled all of them are left out.</summary>
    private static readonly FlagFilter BusyboxFlags = new(enabled: new[] { "lab-busybox" });

    [SharedCorpusFact]
    public async Task Test_bootstrap_deploys_busybox_nodes_on_the_lab_and_is_destroyed()
    {
        var lab = LabEnvironment.Load();
        var root = DeployLabKit.NewTempDir("t-cb");
        var specs = LoadTestBootstrap(lab, root);
        var project = DeployLabKit.Project(specs, Project);
        Assert.Equal(new[] { "test-bootstrap-busybox-imgsrv", "test-bootstrap-busybox-local" }, project.Groups.Select(g => g.Name));

        var options = new DeployOptions { Flags = BusyboxFlags };
        var token = LabFixture.Timeout(300);
        // What an interrupted earlier run may have left.
        await DeployLabKit.ShutdownAsync(specs, Project, ShutdownKind.Destroy, options, new RecordingDeployHost(), token);
        using var vm = lab.ConnectTls(lab.Vms[0]); // the remote "local" of the written lxd-conf
        var profileCreated = await EnsureProfileStandInAsync(vm, token);
        try
        {
            // Without the flag the plan holds the bash probe for each node: the flag is what keeps it out.
            var (config, resolved) = DeployClientConfig.Resolve(specs, new DeployOptions());
            using (var connections = new LxdConnections(config))
            {
                var unfiltered = await new ApplyPlanner(specs, connections).PlanAsync(project, resolved, new RecordingDeployHost(), token);
                Assert.All(unfiltered.Nodes, n => Assert.Equal("post-node-creation", Assert.Single(n.Hooks).Event));
            }

            var host = new RecordingDeployHost();
            var (plan, outcome) = await DeployLabKit.ApplyAsync(specs, Project, options, host, token);
            Assert.True(outcome.Succeeded, string.Join("\n", outcome.Failures.Select(f => f.Exception.ToString())));
            Assert.All(plan.Nodes, n => Assert.Equal((PlannedAction.Create, 0), (n.Action, n.Hooks.Count)));
            Assert.Equal(new[] { "imgsrv", "local" }, plan.Nodes.Select(n => n.Image!.Remote));
            Assert.Equal(new[] { "t-cb-test-dhcp-busybox-imgsrv", "t-cb-test-dhcp-busybox-local" }, outcome.Results.Select(r => r.Node));
            Assert.All(outcome.Results, r => Assert.Equal((NodeAction.Created, "Running", "local", 0), (r.Action, r.State, r.Remote, r.HooksRun)));

            foreach (var result in outcome.Results)
            {
                var instance = await vm.Instances.GetAsync(result.Node, token);
                Assert.True(instance.IsRunning, $"{result.Node} is {instance.Status}");
                Assert.True(instance.Ephemeral); // `ephemeral: {{ $.Values.ephemeral | default true }}`
                Assert.Equal(new[] { "default", ProfileStandIn }, instance.Profiles);
                // it really runs the lab's busybox
                var exec = await vm.Exec.RunCapturedAsync(result.Node, new LxdExecRequest(new[] { "cat", "/etc/os-release" }), token);
                Assert.Equal(0, exec.ExitCode);
                Assert.Contains("ID=busybox", exec.Stdout, StringComparison.Ordinal);
            }
        }
        finally
        {
            var destroyed = await DeployLabKit.ShutdownAsync(specs, Project, ShutdownKind.Destroy, options, new RecordingDeployHost(), token);
            if (profileCreated)
            {
                await DeleteProfileWhenUnusedAsync(vm, token);
            }

            Directory.Delete(root, true);
            Assert.True(destroyed.Succeeded, string.Join("\n", destroyed.Failures.Select(f => f.Exception.Message)));
        }

        var left = (await vm.Instances.ListAsync(token)).Select(i => i.Name);
        Assert.DoesNotContain(left, n => n.StartsWith(Prefix + "-", StringComparison.Ordinal));
    }

    /// <summary>
    /// A config of our own in <paramref name="root"/>: the corpus' lxd-testing folder as it is, the galaxy's render
    /// defaults with our values on top, and the lab's client configuration.
    /// </summary>
    private static SpecSet LoadTestBootstrap(LabEnvironment lab, string root)
    {
        var galaxy = SharedCorpus.Galaxy!;
        var fixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", "corpus-deploy");
        DeployLabKit.WriteLabConf(lab, Path.Combine(root, "lxd-conf"));
        File.WriteAllText(Path.Combine(root, ".lxd-compose.yml"), $"""
            general:
              lxd_confdir: ./lxd-conf
            render_default_file: {Path.Combine(galaxy, "render", "default.yaml")}
            render_values_file: {Path.Combine(fixture, "busybox-values.yml")}
            env_dirs:
              - {Path.Combine(galaxy, "envs", "lxd-testing")}
            """);
        var specs = DeployLabKit.Load(root, Prefix);
        Assert.DoesNotContain(specs.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal(Path.Combine(galaxy, "envs", "lxd-testing", "test-bootstrap.yml"), DeployLabKit.Project(specs, Project).EnvironmentFile);
        return specs;
    }

    /// <summary>
    /// test-bootstrap.yml's groups name the profile net-mottainai0, which the galaxy declares elsewhere with a NIC on
    /// its own 172.18.10.0/23 bridge; the lab allows only 198.18.0.0/15. An empty stand-in is enough: the lab's default
    /// profile gives eth0 on the VM's bridge. Returns whether this test created it.
    /// </summary>
    private static async Task<bool> EnsureProfileStandInAsync(LxdClient vm, CancellationToken token)
    {
        if (await vm.Profiles.ExistsAsync(ProfileStandIn, token))
        {
            return false;
        }

        await vm.Profiles.CreateAsync(new LxdCompose.Lxd.Api.ServerProfile
        {
            Name = ProfileStandIn, Description = "LxdCompose test stand-in for the galaxy's net-mottainai0",
        }, token);
        return true;
    }

    private static async Task DeleteProfileWhenUnusedAsync(LxdClient vm, CancellationToken token)
    {
        var profile = await vm.Profiles.TryGetAsync(ProfileStandIn, token);
        if (profile is not null && (profile.UsedBy is null || profile.UsedBy.Count == 0))
        {
            await vm.Profiles.DeleteAsync(ProfileStandIn, token);
        }
    }
}
