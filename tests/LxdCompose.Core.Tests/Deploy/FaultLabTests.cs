using System.Diagnostics;
using LxdCompose.Deploy;
using LxdCompose.Lxd;
using LxdCompose.Tests.Lxd;
using Xunit;

namespace LxdCompose.Tests.Deploy;

/// <summary>
/// A daemon frozen (SIGSTOP) or killed (SIGKILL, then restarted) in the middle of an apply, on the fault tests' own VM
/// (<see cref="FaultVm"/>). The faulty run fails in time; the next apply converges: the node exists once, its
/// post-node-creation hook (which appends a line to /root/created) ran to completion exactly once, nothing is half-made.
/// The fault comes from the run itself, at a known step: a host hook (flag <c>fault</c>, left out of the second apply)
/// freezes the daemon, or starts a watcher that kills it as soon as the step it waits for is under way.
/// </summary>
/// <remarks>
/// A run interrupted after LXD created the instance but before its creation hooks finished leaves an instance that only
/// the creation mark (a <c>user.lxdcompose.*</c> key cleared after post-node-creation) tells apart from a finished one:
/// these tests need it to converge in that case.
/// </remarks>
[Collection(LabCollection.Name)]
[Trait("Category", "Lab")]
public sealed class FaultLabTests
{
    /// <summary>Short, so a frozen daemon fails the run in seconds.</summary>
    private static readonly DeployOptions FaultyRun = new()
    {
        RequestTimeout = TimeSpan.FromSeconds(3),
        OperationTimeout = TimeSpan.FromSeconds(60),
    };

    private static readonly DeployOptions SecondRun = new() { Flags = new FlagFilter(disabled: new[] { "fault" }) };

    [Fact]
    public async Task A_daemon_frozen_during_a_creation_fails_the_run_within_seconds_and_the_next_apply_finishes_the_node()
    {
        await RunFaultAsync("frz", FaultVm.HookCommand("freeze"), async (outcome, elapsed, _, _) =>
        {
            var failure = Assert.Single(outcome.Failures);
            Assert.Contains("did not answer", failure.Exception.Message, StringComparison.Ordinal);
            // The request timeout (3 s) plus the hooks and the plan, not minutes.
            Assert.True(elapsed < TimeSpan.FromSeconds(30), $"the frozen run took {elapsed}");
            var result = Assert.Single(outcome.Results);
            Assert.Equal(NodeAction.Failed, result.Action);
            await FaultVm.LabAsync("thaw", LabFixture.Timeout(30));
        });
    }

    [Fact]
    public async Task A_daemon_frozen_during_a_creation_hook_fails_the_run_within_seconds_and_says_the_command_may_have_run()
    {
        await RunFaultAsync("fhk", _ => FaultWhen("freeze", $"[ -e {Rootfs(_, "fhk")}/root/hook-started ]"), async (outcome, elapsed, _, _) =>
        {
            var failure = Assert.IsType<HookFailedException>(Assert.Single(outcome.Failures).Exception);
            Assert.Equal(DeployProblem.Timeout, failure.Problem);
            // True whatever the server does once it resumes: the hook finishes there a moment after the thaw.
            Assert.Contains("may have run there", failure.Message, StringComparison.Ordinal);
            // One operation wait step (10 s) plus the request timeout (3 s) plus the bounded kill (5 s), and the run's own steps.
            Assert.True(elapsed < TimeSpan.FromSeconds(45), $"the frozen run took {elapsed}");
            await FaultVm.LabAsync("thaw", LabFixture.Timeout(30));
        }, slowHook: "touch /root/hook-started; sleep 2");
    }

    [Fact]
    public async Task A_daemon_killed_during_a_creation_then_restarted_converges_on_the_next_apply()
    {
        await RunFaultAsync("kcr", lab => KillWhen(lab, $"""case "$(curl -s --unix-socket {lab.Socket(FaultVm.Name)} 'http://lxd/1.0/operations?recursion=1')" in *'Creating instance'*) true ;; *) false ;; esac"""),
            ExpectLostAndRestartAsync);
    }

    [Fact]
    public async Task A_daemon_killed_during_a_creation_hook_then_restarted_converges_on_the_next_apply()
    {
        await RunFaultAsync("khk", lab => KillWhen(lab, $"[ -e {Rootfs(lab, "khk")}/root/hook-started ]"), ExpectLostAndRestartAsync,
            slowHook: "touch /root/hook-started; sleep 300");
    }

    [Fact]
    public async Task A_daemon_killed_during_a_file_push_then_restarted_converges_on_the_next_apply()
    {
        await RunFaultAsync("kps", lab => KillWhen(lab, $"[ -e {Rootfs(lab, "kps")}/srv/big/blob0.bin ]"), async (outcome, elapsed, lab, root) =>
        {
            await ExpectLostAndRestartAsync(outcome, elapsed, lab, root);
        }, push: true);
    }

    [Theory]
    [InlineData("freeze")]
    [InlineData("kill")]
    public async Task Lab_sh_refuses_faults_on_the_VMs_that_other_tests_use(string fault)
    {
        var lab = LabEnvironment.Load();
        var vm = lab.Vms[0];
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { FaultVm.LabScript, fault, vm })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains("only on a VM that add made", error, StringComparison.Ordinal);
        using var client = lab.ConnectUnix(vm);
        Assert.NotNull(await client.GetServerAsync(LabFixture.Timeout(10), refresh: true));
    }

    private static async Task ExpectLostAndRestartAsync(DeployOutcome outcome, TimeSpan elapsed, LabEnvironment lab, string root)
    {
        Assert.False(outcome.Succeeded, "the daemon was not killed during the run (the watcher missed the step)");
        // The lost connection, directly or as the reason a hook command could not finish.
        var failure = Assert.Single(outcome.Failures).Exception;
        Assert.True(Chain(failure).Any(e => e is LxdConnectionException), failure.ToString());
        Assert.Equal(NodeAction.Failed, Assert.Single(outcome.Results).Action);
        await FaultVm.LabAsync("restart", LabFixture.Timeout(120));
    }

    /// <summary>
    /// Applies with a fault hook before the node's creation, lets <paramref name="afterFault"/> check the failed run and
    /// bring the daemon back, waits for the daemon to settle, applies again without the fault and checks convergence.
    /// </summary>
    private static Task RunFaultAsync(string name, string faultCommand, Func<DeployOutcome, TimeSpan, LabEnvironment, string, Task> afterFault) =>
        RunFaultAsync(name, _ => faultCommand, afterFault);

    private static async Task RunFaultAsync(string name, Func<LabEnvironment, string> faultCommand,
        Func<DeployOutcome, TimeSpan, LabEnvironment, string, Task> afterFault, string slowHook = "", bool push = false)
    {
        var token = LabFixture.Timeout(400);
        var lab = await FaultVm.EnsureAsync(token);
        var prefix = "fault-" + name;
        var instance = prefix + "-box";
        var root = FaultVm.NewSpecRoot(lab, prefix, $$"""
            version: "1"
            projects:
              - name: {{prefix}}
                groups:
                  - name: g
                    connection: {{FaultVm.Name}}
                    nodes:
                      - name: box
                        image_source: busybox/lab
                        image_remote_server: {{FaultVm.Name}}
                        entrypoint: ["/bin/sh", "-c"]
            {{(push ? "            sync_resources:\n              - source: big/\n                dst: /srv/big/\n" : string.Empty)}}
                        hooks:
                          - event: pre-node-creation
                            node: host
                            flags: [fault]
                            entrypoint: ["/bin/sh", "-c"]
                            commands:
                              - {{Quoted(faultCommand(lab))}}
            {{(slowHook.Length > 0 ? "              - event: post-node-creation\n                flags: [fault]\n                commands:\n                  - " + Quoted(slowHook) + "\n" : string.Empty)}}
                          - event: post-node-creation
                            commands:
                              - echo created >> /root/created
            """);
        if (push)
        {
            Directory.CreateDirectory(Path.Combine(root, "envs", "big"));
            // The watcher fires when the first blob appears; the others keep the push going while the kill lands, which
            // under load takes longer than one blob's push.
            for (var i = 0; i < BlobCount; i++)
            {
                using var blob = File.Create(Path.Combine(root, "envs", "big", $"blob{i}.bin"));
                blob.SetLength(BlobSize); // sparse: nothing to write here, 64 MiB to push
            }
        }

        var specs = DeployLabKit.Load(root, prefix);
        using var client = FaultVm.Connect(lab);
        try
        {
            await DeleteInstancesAsync(client, prefix); // what an aborted earlier run left
            var clock = Stopwatch.StartNew();
            var (_, faulty) = await DeployLabKit.ApplyAsync(specs, prefix, FaultyRun, new RecordingDeployHost(), token);
            clock.Stop();
            StopWatcher();
            await afterFault(faulty, clock.Elapsed, lab, root);
            await FaultVm.WaitSettledAsync(client, token);

            var (_, second) = await DeployLabKit.ApplyAsync(specs, prefix, SecondRun, new RecordingDeployHost(), token);

            Assert.True(second.Succeeded, string.Join("\n", second.Failures.Select(f => f.Exception.Message)));
            Assert.Equal(new[] { instance }, await FaultVm.InstancesAsync(client, prefix, token));
            Assert.Equal("Running", (await client.Instances.GetAsync(instance, token)).Status);
            Assert.Equal(new[] { "created" }, await FaultVm.LinesAsync(client, instance, "/root/created", token));
            if (push)
            {
                var size = await client.Exec.RunCapturedAsync(instance, new LxdExecRequest(new[] { "/bin/sh", "-c", $"wc -c < /srv/big/blob{BlobCount - 1}.bin" }), token);
                Assert.Equal(BlobSize.ToString(System.Globalization.CultureInfo.InvariantCulture), size.Stdout.Trim());
            }
        }
        finally
        {
            StopWatcher();
            await FaultVm.EnsureAsync(LabFixture.Timeout(120));
            using var cleanup = FaultVm.Connect(lab);
            await DeleteInstancesAsync(cleanup, prefix);
            Directory.Delete(root, true);
        }
    }

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }

    private static async Task DeleteInstancesAsync(LxdClient client, string prefix)
    {
        foreach (var leftover in await FaultVm.InstancesAsync(client, prefix, LabFixture.Timeout(30)))
        {
            await client.Instances.DeleteAsync(leftover, LabFixture.Timeout(60));
        }
    }

    private const long BlobSize = 64L * 1024 * 1024;

    private const int BlobCount = 4;

    /// <summary>
    /// A host hook command that returns at once and leaves a watcher behind (<see cref="FaultWhen"/>): it kills vm9's daemon as soon as
    /// <paramref name="condition"/> (a shell test) holds, and gives up after 60 s.
    /// </summary>
    private static string KillWhen(LabEnvironment lab, string condition) => FaultWhen("kill", condition);

    /// <summary>The same for any fault of <c>lab.sh</c> (freeze, kill).</summary>
    private static string FaultWhen(string fault, string condition) =>
        $"nohup sh -c '{EscapeSingle($"echo $$ > {WatcherPidFile}; end=$(($(date +%s) + 60)); until {condition}; do [ $(date +%s) -gt $end ] && exit 1; done; {FaultVm.HookCommand(fault)}")}' >/dev/null 2>&1 &";

    /// <summary>Where the watcher of the running test writes its pid (the tests of the lab collection run one at a time).</summary>
    private static readonly string WatcherPidFile = Path.Combine(Path.GetTempPath(), "lxdcompose-fault-watcher.pid");

    /// <summary>Ends a watcher that did not fire, so that it cannot kill the daemon in a later run.</summary>
    private static void StopWatcher()
    {
        if (File.Exists(WatcherPidFile) && int.TryParse(File.ReadAllText(WatcherPidFile).Trim(), out var pid))
        {
            try
            {
                using var watcher = Process.GetProcessById(pid);
                if (watcher.ProcessName == "sh")
                {
                    watcher.Kill();
                    watcher.WaitForExit(TimeSpan.FromSeconds(10));
                }
            }
            catch (ArgumentException)
            {
                // it fired (or gave up) and is gone
            }
        }

        File.Delete(WatcherPidFile);
    }

    /// <summary>The host path of a fault test's container root (vm9's dir pool).</summary>
    private static string Rootfs(LabEnvironment lab, string name) =>
        Path.Combine(Path.GetDirectoryName(lab.Socket(FaultVm.Name))!, "storage-pools", "default", "containers", $"fault-{name}-box", "rootfs");

    private static string EscapeSingle(string text) => text.Replace("'", "'\\''", StringComparison.Ordinal);

    /// <summary>A YAML double-quoted scalar.</summary>
    private static string Quoted(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
