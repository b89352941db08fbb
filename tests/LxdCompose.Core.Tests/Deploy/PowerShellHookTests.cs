using System.Collections.Concurrent;
using LxdCompose.Deploy;
using LxdCompose.Loading;
using LxdCompose.Lxd.Config;
using LxdCompose.Specs;
using LxdCompose.Tests.Loading;
using Xunit;

namespace LxdCompose.Tests.Deploy;

/// <summary>
/// The Core side of PowerShell host hooks: which runner a host hook goes to, the variables it gets, how its result
/// becomes out2var or a failure. The runner here records requests; the PowerShell one is tested by Pester.
/// </summary>
public sealed class PowerShellHookTests
{
    /// <summary>Records each request, writes the lines it is given and answers with a fixed result.</summary>
    private sealed class RecordingRunner : IPowerShellHookRunner
    {
        public ConcurrentQueue<PowerShellHookRequest> Requests { get; } = new();
        public Func<PowerShellHookRequest, PowerShellHookResult> Answer { get; init; } = r => new PowerShellHookResult(0, string.Empty, string.Empty);
        public string[] Lines { get; init; } = Array.Empty<string>();

        public Task<PowerShellHookResult> RunAsync(PowerShellHookRequest request, CancellationToken cancellationToken)
        {
            Requests.Enqueue(request);
            foreach (var line in Lines)
            {
                request.Output(HookStream.Stdout, line);
            }

            return Task.FromResult(Answer(request));
        }
    }

    [Theory]
    [InlineData(new[] { "pwsh:runspace" }, PowerShellHookScope.NewRunspace)]
    [InlineData(new[] { "pwsh:session" }, PowerShellHookScope.CallerSession)]
    [InlineData(new[] { "/bin/bash", "-c" }, null)]
    [InlineData(new[] { "pwsh", "-NoProfile", "-Command" }, null)]
    [InlineData(new string[0], null)]
    public void Only_the_pwsh_entrypoints_select_a_PowerShell_scope(string[] entrypoint, PowerShellHookScope? expected) =>
        Assert.Equal(expected, HostHookEntrypoints.ScopeOf(entrypoint));

    [Fact]
    public void Off_Windows_a_host_hook_without_entrypoint_defaults_to_bash_and_options_start_from_that_default()
    {
        var expected = OperatingSystem.IsWindows() ? new[] { "pwsh:runspace" } : new[] { "/bin/bash", "-c" };
        Assert.Equal(expected, HostHookEntrypoints.PlatformDefault);
        Assert.Equal(expected, new DeployOptions().DefaultHostEntrypoint);
    }

    [Fact]
    public void Variables_keep_their_types_follow_the_environment_names_and_the_filter()
    {
        var project = new LxdProject
        {
            Name = "p",
            Description = "d",
            ShellEnvsFilter = new[] { "secret" },
            Vars = new[]
            {
                DeployLabKit.Env(("page-owner", "ops"), ("port", 8080L), ("ratio", 1.5), ("on", true),
                    ("map", new Dictionary<string, object?> { ["b"] = 1L, ["a"] = "x" }), ("list", new List<object?> { "x", 2L }),
                    ("secret", "hidden")),
            },
        };

        var variables = HookVariables.Build(project, ProjectVariables.Merge(project), "/conf");

        Assert.Equal("ops", variables["page_owner"]);
        Assert.False(variables.ContainsKey("page-owner"));
        Assert.Equal(8080L, variables["port"]);
        Assert.Equal(1.5, variables["ratio"]);
        Assert.Equal(true, variables["on"]);
        Assert.Equal(new List<object?> { "x", 2L }, Assert.IsType<List<object?>>(variables["list"]));
        Assert.Equal(1L, Assert.IsType<Dictionary<string, object?>>(variables["map"])["b"]);
        Assert.False(variables.ContainsKey("secret"));
        Assert.False(variables.ContainsKey("HOME")); // PowerShell has its own $HOME
        Assert.Equal(("/conf", "/conf"), (variables["LXD_CONF"], variables["INCUS_CONF"]));
        var projectMap = Assert.IsType<Dictionary<string, object?>>(variables["project"]);
        Assert.Equal("p", projectMap["name"]);
        Assert.False(projectMap.ContainsKey("vars"));
        var all = Assert.IsType<Dictionary<string, object?>>(variables[HookVariables.AllVariables]);
        Assert.Equal("ops", all["page-owner"]);
        Assert.False(all.ContainsKey("secret"));
        Assert.False(HookVariables.Build(project, ProjectVariables.Merge(project), null).ContainsKey("LXD_CONF"));
    }

    [Fact]
    public async Task Pwsh_entrypoints_go_to_the_hosts_runner_with_scope_script_and_variables_and_output_is_attributed()
    {
        using var temp = new TempSpecs();
        temp.Env("""
            version: "1"
            projects:
              - name: psh
                vars:
                  - envs:
                      count: 3
                hooks:
                  - event: pre-project
                    node: host
                    entrypoint: ["pwsh:session"]
                    commands:
                      - New-VM -Name web
                  - event: post-project
                    node: host
                    entrypoint: ["pwsh:runspace"]
                    commands:
                      - Get-Date
            """);
        var runner = new RecordingRunner { Lines = new[] { "line one" } };
        var host = new RecordingDeployHost { PowerShellHooks = runner };

        var outcome = await RunAsync(temp, "psh", new DeployOptions(), host);

        Assert.True(outcome.Succeeded, string.Join("\n", outcome.Failures.Select(f => f.Exception.Message)));
        var requests = runner.Requests.ToList();
        Assert.Equal(new[] { ("pre-project", PowerShellHookScope.CallerSession, "New-VM -Name web"), ("post-project", PowerShellHookScope.NewRunspace, "Get-Date") },
            requests.Select(r => (r.Event, r.Scope, r.Script)));
        Assert.Equal(3L, requests[0].Variables["count"]);
        Assert.Equal(new[] { ("host", "pre-project", "line one"), ("host", "post-project", "line one") },
            host.Output.Select(l => (l.Node, l.Event, l.Text)));
    }

    [Fact]
    public async Task Out2var_of_a_PowerShell_hook_reaches_a_later_shell_hook()
    {
        using var temp = new TempSpecs();
        var file = temp.PathOf("seen.txt");
        // The second hook is a process that reads its environment: a POSIX shell, or Windows PowerShell on Windows.
        var (shell, write) = OperatingSystem.IsWindows()
            ? ("[\"powershell\", \"-NoProfile\", \"-Command\"]", "[IO.File]::WriteAllText($env:file, $env:vm_ip + '|' + $env:vm_err)")
            : ("[\"/bin/sh\", \"-c\"]", "printf '%s|%s' \"$vm_ip\" \"$vm_err\" > \"$file\"");
        temp.Env($$"""
            version: "1"
            projects:
              - name: psh
                vars:
                  - envs:
                      file: "{{file}}"
                hooks:
                  - event: pre-project
                    node: host
                    entrypoint: ["pwsh:session"]
                    out2var: vm_ip
                    err2var: vm_err
                    commands:
                      - (New-VM).Guest.IPAddress[0]
                  - event: post-project
                    node: host
                    entrypoint: {{shell}}
                    commands:
                      - |
                        {{write}}
            """);
        var runner = new RecordingRunner { Answer = _ => new PowerShellHookResult(0, "198.18.0.9\n", "a warning\n") };

        var outcome = await RunAsync(temp, "psh", new DeployOptions(), new RecordingDeployHost { PowerShellHooks = runner });

        Assert.True(outcome.Succeeded, string.Join("\n", outcome.Failures.Select(f => f.Exception.Message)));
        Assert.Equal("198.18.0.9\n|a warning\n", File.ReadAllText(file));
    }

    [Fact]
    public async Task An_injected_default_sends_hooks_without_entrypoint_to_PowerShell_and_an_explicit_entrypoint_still_wins()
    {
        using var temp = new TempSpecs();
        var file = temp.PathOf("shell.txt");
        // The explicit entrypoint: a POSIX shell, or Windows PowerShell (a process too) on Windows.
        var (shell, write) = OperatingSystem.IsWindows()
            ? ("[\"powershell\", \"-NoProfile\", \"-Command\"]", $"[IO.File]::WriteAllText('{file}', \"shell`n\")")
            : ("[\"/bin/sh\", \"-c\"]", $"echo shell > '{file}'");
        temp.Env($$"""
            version: "1"
            projects:
              - name: psh
                hooks:
                  - event: pre-project
                    node: host
                    commands:
                      - Write-Output default
                  - event: pre-project
                    node: host
                    entrypoint: {{shell}}
                    commands:
                      - |
                        {{write}}
            """);
        var runner = new RecordingRunner();

        var outcome = await RunAsync(temp, "psh", new DeployOptions { DefaultHostEntrypoint = new[] { HostHookEntrypoints.NewRunspace } },
            new RecordingDeployHost { PowerShellHooks = runner });

        Assert.True(outcome.Succeeded, string.Join("\n", outcome.Failures.Select(f => f.Exception.Message)));
        var request = Assert.Single(runner.Requests);
        Assert.Equal(("Write-Output default", PowerShellHookScope.NewRunspace), (request.Script, request.Scope));
        Assert.Equal("shell\n", File.ReadAllText(file));
    }

    [Fact]
    public async Task A_failing_PowerShell_hook_fails_like_a_shell_hook_with_exit_code_and_stderr_tail()
    {
        using var temp = new TempSpecs();
        temp.Env(HookSpec("pwsh:runspace", "throw 'no VM'"));
        var runner = new RecordingRunner { Answer = _ => new PowerShellHookResult(1, "partial\n", "no VM\n") };

        var outcome = await RunAsync(temp, "psh", new DeployOptions(), new RecordingDeployHost { PowerShellHooks = runner });

        var error = Assert.IsType<HookFailedException>(Assert.Single(outcome.Failures).Exception);
        Assert.Equal(("host", "pre-project", "throw 'no VM'", 1, "no VM"), (error.Node, error.Event, error.Command, error.ExitCode, error.StderrTail));
    }

    [Fact]
    public async Task A_PowerShell_hook_that_cannot_start_fails_with_exit_code_minus_one()
    {
        using var temp = new TempSpecs();
        temp.Env(HookSpec("pwsh:session", "if ("));
        var runner = new FailingRunner();

        var outcome = await RunAsync(temp, "psh", new DeployOptions(), new RecordingDeployHost { PowerShellHooks = runner });

        var error = Assert.IsType<HookFailedException>(Assert.Single(outcome.Failures).Exception);
        Assert.Equal((-1, "does not parse"), (error.ExitCode, error.StderrTail));
        Assert.Contains("could not run", error.Message);
    }

    [Fact]
    public async Task Without_a_PowerShell_runner_the_hook_fails_and_says_where_it_can_run()
    {
        using var temp = new TempSpecs();
        temp.Env(HookSpec("pwsh:runspace", "Get-Date"));

        var outcome = await RunAsync(temp, "psh", new DeployOptions(), new RecordingDeployHost());

        var error = Assert.IsType<HookFailedException>(Assert.Single(outcome.Failures).Exception);
        Assert.Equal(-1, error.ExitCode);
        Assert.Contains("LxdCompose module", error.StderrTail);
    }

    [Fact]
    public void The_validator_reports_pwsh_entrypoints_that_cannot_work_and_accepts_host_ones()
    {
        using var temp = new TempSpecs();
        temp.Env("""
            version: "1"
            projects:
              - name: psh
                hooks:
                  - event: pre-project
                    node: host
                    entrypoint: ["pwsh:session"]
                    commands: [ok]
                  - event: post-project
                    node: host
                    entrypoint: ["pwsh:typo"]
                    commands: [x]
                  - event: post-project
                    node: host
                    entrypoint: ["pwsh:runspace", "-NoProfile"]
                    commands: [x]
                groups:
                  - name: g
                    connection: local
                    nodes:
                      - name: n1
                        image_source: busybox/lab
                    hooks:
                      - event: post-node-sync
                        entrypoint: ["pwsh:runspace"]
                        commands: [x]
            """);
        var specs = temp.Load();

        var problems = SpecValidator.Validate(specs).Select(d => SpecTestKit.Describe(d, temp.Root)).ToList();

        Assert.Equal(new[]
        {
            "Error PowerShellEntrypoint envs/env.yml:9:9",
            "Error PowerShellEntrypoint envs/env.yml:13:9",
            "Error PowerShellEntrypoint envs/env.yml:24:13",
        }, problems);
    }

    private sealed class FailingRunner : IPowerShellHookRunner
    {
        public Task<PowerShellHookResult> RunAsync(PowerShellHookRequest request, CancellationToken cancellationToken) =>
            throw new PowerShellHookStartException("does not parse");
    }

    [Theory]
    [InlineData("host", "[\"pwsh:runspace\", \"-NoProfile\"]", null, "takes no arguments")]
    [InlineData("\"\"", "[\"pwsh:session\"]", null, "needs 'node: host'")]
    [InlineData("host", null, "pwsh:nope", "is not a PowerShell entrypoint")]
    public async Task Apply_refuses_a_wrong_PowerShell_entrypoint_before_running_anything(string node, string? entrypoint,
        string? defaultEntrypoint, string problem)
    {
        using var temp = new TempSpecs();
        temp.Env($$"""
            version: "1"
            projects:
              - name: psh
                hooks:
                  - event: post-project
                    node: {{node}}
            {{(entrypoint is null ? string.Empty : $"        entrypoint: {entrypoint}\n")}}        commands:
                      - Get-Date
            """);
        var runner = new RecordingRunner();
        var options = defaultEntrypoint is null ? new DeployOptions() : new DeployOptions { DefaultHostEntrypoint = new[] { defaultEntrypoint } };

        var outcome = await RunAsync(temp, "psh", options, new RecordingDeployHost { PowerShellHooks = runner });

        var error = Assert.IsType<HookFailedException>(Assert.Single(outcome.Failures).Exception);
        Assert.Equal((-1, "post-project", "Get-Date"), (error.ExitCode, error.Event, error.Command));
        Assert.Contains(problem, error.StderrTail);
        Assert.Contains(".yml:", error.StderrTail); // where the hook is
        Assert.Empty(runner.Requests);
    }

    private static string HookSpec(string entrypoint, string command) => $$"""
        version: "1"
        projects:
          - name: psh
            hooks:
              - event: pre-project
                node: host
                entrypoint: ["{{entrypoint}}"]
                commands:
                  - "{{command}}"
        """;

    private static async Task<DeployOutcome> RunAsync(TempSpecs temp, string project, DeployOptions options, RecordingDeployHost host)
    {
        var specs = temp.Load();
        var confDir = temp.PathOf("conf");
        Directory.CreateDirectory(confDir);
        File.WriteAllText(Path.Combine(confDir, "config.yml"), "default-remote: local\nremotes: {}\n");
        using var connections = new LxdConnections(LxdClientConfig.Load(confDir));
        return (await new DeployRunner(specs, connections).ApplyAsync(specs.FindProject(project)!, options, new ApplyRunOptions(), ApproveAll.Instance,
            host, CancellationToken.None)).Outcome;
    }
}
