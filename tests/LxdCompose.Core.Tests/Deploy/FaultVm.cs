using System.Diagnostics;
using System.Text.Json;
using LxdCompose.Lxd;
using LxdCompose.Tests.Lxd;

namespace LxdCompose.Tests.Deploy;

/// <summary>
/// The fault tests' own LXD "VM", vm9: frozen, killed and restarted by <c>lab.sh</c> (freeze, thaw, kill, restart), which
/// refuses those faults on the VMs of <c>up</c> that every other test uses. Added on first use (about 5 s) and left
/// running for the next fault test; <c>lab.sh up</c> and <c>down</c> remove it, so a CI run starts without it.
/// </summary>
internal static class FaultVm
{
    public const string Name = "vm9";

    private static readonly SemaphoreSlim Gate = new(1, 1);

    /// <summary>vm9 running and answering (added, thawed or restarted as needed); the lab as lab.env then describes it.</summary>
    public static async Task<LabEnvironment> EnsureAsync(CancellationToken token)
    {
        LabEnvironment.Load(); // the contract's failure when the lab is not up
        await Gate.WaitAsync(token);
        try
        {
            var added = LabEnvironment.Parse(File.ReadAllLines(LabEnvironment.EnvFile))
                .TryGetValue("LXDCOMPOSE_LAB_ADDED_VMS", out var names) && names.Split(' ').Contains(Name);
            await LabAsync(added ? "restart" : "add", token);
        }
        finally
        {
            Gate.Release();
        }

        return LabEnvironment.Load();
    }

    /// <summary><c>lab.sh COMMAND vm9</c>; fails with its output when it fails.</summary>
    public static async Task LabAsync(string command, CancellationToken token)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { LabScript, command, Name })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(token);
        var error = process.StandardError.ReadToEndAsync(token);
        await process.WaitForExitAsync(token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"lab.sh {command} {Name} exited with {process.ExitCode}: {await output}{await error}");
        }
    }

    /// <summary>The shell command a host hook runs to put vm9 into a fault (freeze, kill) in the middle of a run.</summary>
    public static string HookCommand(string fault) => $"bash {LabScript} {fault} {Name}";

    public static string LabScript => Path.Combine(DeployLabKit.RepositoryRoot(), "tests", "lab", "lab.sh");

    /// <summary>A spec root whose client config has vm9 as the remote <c>vm9</c> (besides the usual local/vm2/imgsrv).</summary>
    public static string NewSpecRoot(LabEnvironment lab, string prefix, string env)
    {
        var root = DeployLabKit.NewSpecRoot(lab, prefix, env,
            $"  {Name}:\n    addr: {lab.Address(Name)}\n    protocol: lxd\n    public: false\n    auth_type: tls\n");
        File.Copy(Path.Combine(lab.ConfigDirectory, "servercerts", Name + ".crt"), Path.Combine(root, "lxd-conf", "servercerts", Name + ".crt"), true);
        return root;
    }

    /// <summary>A client of vm9 over its unix socket.</summary>
    public static LxdClient Connect(LabEnvironment lab) => LxdConnector.ConnectSocket(lab.Socket(Name));

    /// <summary>Waits until vm9 runs no operation any more: what it was doing when it froze or died has settled.</summary>
    public static async Task WaitSettledAsync(LxdClient client, CancellationToken token)
    {
        var delay = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            var response = await client.Transport.RequestAsync(HttpMethod.Get, "/1.0/operations?recursion=1", null, token);
            if (!(response.Metadata.ValueKind == JsonValueKind.Object && response.Metadata.TryGetProperty("running", out var running)
                    && running.ValueKind == JsonValueKind.Array && running.GetArrayLength() > 0))
            {
                return;
            }

            await Task.Delay(delay, token);
            delay = TimeSpan.FromMilliseconds(Math.Min(1000, delay.TotalMilliseconds * 2));
        }
    }

    /// <summary>The instances of vm9 whose names start with <paramref name="prefix"/>.</summary>
    public static async Task<IReadOnlyList<string>> InstancesAsync(LxdClient client, string prefix, CancellationToken token) =>
        (await client.Instances.ListAsync(token)).Select(i => i.Name).Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).ToList();

    /// <summary>The lines of a file in an instance (empty when it is missing).</summary>
    public static async Task<string[]> LinesAsync(LxdClient client, string instance, string path, CancellationToken token)
    {
        var result = await client.Exec.RunCapturedAsync(instance, new LxdExecRequest(new[] { "/bin/sh", "-c", $"cat {path} 2>/dev/null; true" }), token);
        return result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
