using LxdCompose.Deploy;
using LxdCompose.Lxd.Config;
using LxdCompose.Specs;
using LxdCompose.Tests.Loading;
using Xunit;

namespace LxdCompose.Tests.Deploy;

/// <summary>Hook environment, instance config, sync sources and host-only runs — no LXD needed.</summary>
public sealed class DeployUnitTests
{
    private static LxdProject Project(params VarsBlock[] vars) => new()
    {
        Name = "p",
        Description = "d",
        Vars = vars,
        ShellEnvsFilter = new[] { "secret" },
    };

    [Fact]
    public void Hook_environment_follows_lxd_compose_rules()
    {
        var project = Project(DeployLabKit.Env(
            ("page-owner", "ops"), ("port", 8080L), ("big", 18446744073709551615UL), ("ratio", 1.5), ("on", true),
            ("map", new Dictionary<string, object?> { ["b"] = 1L, ["a"] = "<x>" }), ("list", new List<object?> { "x", 2L }),
            ("secret", "hidden"), ("role", "from-vars")));
        var node = new LxdNode { Name = "n1", ImageSource = "busybox/lab", Labels = new Dictionary<string, string> { ["role"] = "web" } };

        var env = HookEnvironment.Build(project, LxdCompose.Loading.ProjectVariables.Merge(project), node);

        Assert.Equal("ops", env["page_owner"]);
        Assert.False(env.ContainsKey("page-owner"));
        Assert.Equal("8080", env["port"]);
        Assert.Equal("18446744073709551615", env["big"]);
        Assert.Equal("1.5", env["ratio"]);
        Assert.Equal("true", env["on"]);
        Assert.Equal("{\"a\":\"\\u003cx\\u003e\",\"b\":1}", env["map"]);
        Assert.Equal("[\"x\",2]", env["list"]);
        Assert.False(env.ContainsKey("secret"));
        Assert.Equal("web", env["role"]); // labels override variables
        Assert.Equal("/", env["HOME"]);
        Assert.Equal("{\"groups\":[],\"hooks\":[],\"name\":\"p\",\"description\":\"d\"}".Length, env["project"].Length);
        Assert.Contains("\"name\":\"p\"", env["project"]);
        Assert.DoesNotContain("vars", env["project"]);
        Assert.Contains("\"image_source\":\"busybox/lab\"", env["node"]);
    }

    [Fact]
    public void A_variable_named_HOME_wins_over_the_default()
    {
        var project = Project(DeployLabKit.Env(("HOME", "/srv")));
        Assert.Equal("/srv", HookEnvironment.Build(project, LxdCompose.Loading.ProjectVariables.Merge(project), null)["HOME"]);
    }

    [Fact]
    public void Instance_config_is_group_then_node_then_labels_without_leaking_between_nodes()
    {
        var group = new LxdGroup { Config = new Dictionary<string, string> { ["limits.memory"] = "64MB", ["user.role"] = "none" } };
        var first = new LxdNode { Name = "a", Config = new Dictionary<string, string> { ["limits.memory"] = "128MB" }, Labels = new Dictionary<string, string> { ["role"] = "web" } };
        var second = new LxdNode { Name = "b" };

        var a = ApplyPlanner.InstanceConfig(group, first);
        var b = ApplyPlanner.InstanceConfig(group, second);

        Assert.Equal(("128MB", "web"), (a["limits.memory"], a["user.role"]));
        Assert.Equal(("64MB", "none"), (b["limits.memory"], b["user.role"]));
    }

    [Fact]
    public void Sync_sources_resolve_against_source_dir_and_keep_a_trailing_slash()
    {
        var env = new LxdEnvironment { File = "/specs/envs/env.yml" };
        var node = new LxdNode
        {
            SourceDir = "nodefiles",
            SyncResources = new[]
            {
                new FileMapping { Source = "www/", Destination = "/srv/www/" },
                new FileMapping { Source = "motd", Destination = "/etc/motd" },
                new FileMapping { Source = "/abs/file", Destination = "/x" },
            },
        };

        var sources = ApplyPlanner.SyncSources(env, node).Select(m => m.Source).ToList();

        Assert.Equal(new[] { "/specs/envs/nodefiles/www/", "/specs/envs/nodefiles/motd", "/abs/file" }, sources);
    }

    [PosixShellFact]
    public async Task Host_hooks_run_without_any_group_and_out2var_reaches_later_hooks_and_templates()
    {
        using var temp = new TempSpecs();
        var output = temp.PathOf("out.txt");
        temp.Write("envs/templates/t.tmpl", "greeting={{ greeting }}");
        temp.Env($$"""
            version: "1"
            template_engine:
              engine: scriban
            projects:
              - name: hosty
                vars:
                  - envs:
                      out: "{{output}}"
                config_templates:
                  - source: templates/t.tmpl
                    dst: compiled.txt
                hooks:
                  - event: pre-project
                    node: host
                    out2var: greeting
                    commands:
                      - printf hello
                  - event: post-project
                    node: host
                    commands:
                      - echo "$greeting from $LXD_CONF" > "$out"
                  - event: post-project
                    node: host
                    flags: [never]
                    commands:
                      - exit 1
            """);
        var specs = temp.Load();
        var confDir = temp.PathOf("conf");
        Directory.CreateDirectory(confDir);
        File.WriteAllText(Path.Combine(confDir, "config.yml"), "default-remote: local\nremotes: {}\n");
        using var connections = new LxdConnections(LxdClientConfig.Load(confDir));
        var project = specs.FindProject("hosty")!;
        var options = new DeployOptions { Flags = new FlagFilter(disabled: new[] { "never" }), ConfigDirectory = confDir, ExportConfigDirectory = true };
        var host = new RecordingDeployHost();

        var outcome = (await new DeployRunner(specs, connections).ApplyAsync(project, options, new ApplyRunOptions(), ApproveAll.Instance, host,
            CancellationToken.None)).Outcome;

        Assert.True(outcome.Succeeded, string.Join("\n", outcome.Failures.Select(f => f.Exception.Message)));
        Assert.Equal($"hello from {confDir}\n", File.ReadAllText(output));
        Assert.Equal("greeting=hello", File.ReadAllText(temp.PathOf("envs/compiled.txt")));
        Assert.Contains(host.ProgressRecords, p => p.Completed);
    }

    [PosixShellFact]
    public async Task A_failing_host_hook_is_reported_with_its_exit_code()
    {
        using var temp = new TempSpecs();
        temp.Env("""
            version: "1"
            projects:
              - name: failing
                hooks:
                  - event: pre-project
                    node: host
                    commands:
                      - echo visible; echo "no such thing" >&2; exit 7
            """);
        var specs = temp.Load();
        var confDir = temp.PathOf("conf");
        Directory.CreateDirectory(confDir);
        File.WriteAllText(Path.Combine(confDir, "config.yml"), "default-remote: local\nremotes: {}\n");
        using var connections = new LxdConnections(LxdClientConfig.Load(confDir));
        var host = new RecordingDeployHost();

        var outcome = (await new DeployRunner(specs, connections).ApplyAsync(specs.FindProject("failing")!, new DeployOptions(), new ApplyRunOptions(),
            ApproveAll.Instance, host, CancellationToken.None)).Outcome;

        var error = Assert.IsType<HookFailedException>(Assert.Single(outcome.Failures).Exception);
        Assert.Equal(("host", "pre-project", 7, "no such thing"), (error.Node, error.Event, error.ExitCode, error.StderrTail));
        Assert.Contains(host.Output, l => l is { Node: "host", Event: "pre-project", Stream: HookStream.Stdout, Text: "visible" });
    }

    [PosixShellFact]
    public async Task Cancelling_stops_a_running_host_hook_at_once()
    {
        using var temp = new TempSpecs();
        temp.Env("""
            version: "1"
            projects:
              - name: slow
                hooks:
                  - event: pre-project
                    node: host
                    commands:
                      - echo started; sleep 60
            """);
        var specs = temp.Load();
        var confDir = temp.PathOf("conf");
        Directory.CreateDirectory(confDir);
        File.WriteAllText(Path.Combine(confDir, "config.yml"), "default-remote: local\nremotes: {}\n");
        using var connections = new LxdConnections(LxdClientConfig.Load(confDir));
        using var cancel = new CancellationTokenSource();
        var host = new RecordingDeployHost();
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var run = new DeployRunner(specs, connections).ApplyAsync(specs.FindProject("slow")!, new DeployOptions(), new ApplyRunOptions(),
            ApproveAll.Instance, host, cancel.Token);
        while (!host.Output.Any(l => l.Text == "started") && !run.IsCompleted)
        {
            await Task.Delay(20);
        }

        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"cancellation took {watch.Elapsed}");
    }
}
