// Deploy benchmark on the LXD lab (issue 5). Phase 1: 20 busybox nodes, each with 3 hooks and 2 synced files, applied
// by the deploy engine from a generated spec, against lxc-deploy.sh doing the same with lxc launch/exec/file push;
// ratio LxdCompose / lxc (goal <= 1.0). Phase 2: the same 20 nodes split over two servers, ThrottleLimit 2 against
// ThrottleLimit 1; ratio parallel / sequential (goal <= 0.6). Containers are removed before and after every run, untimed.
// Usage: dotnet run -c Release --project bench/deploy [-- NODES ROUNDS]
using System.Diagnostics;
using System.Globalization;
using LxdCompose.Deploy;
using LxdCompose.Loading;
using LxdCompose.Lxd;
using LxdCompose.Lxd.Config;

var nodes = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2;
var labEnv = Environment.GetEnvironmentVariable("LXDCOMPOSE_LAB_ENV") is { Length: > 0 } given ? given : "/var/lib/lxdcompose-lab/lab.env";
if (!File.Exists(labEnv))
{
    Console.Error.WriteLine($"the LXD lab is not up: run `sudo bash tests/lab/lab.sh up` ({labEnv} is missing)");
    return 1;
}

var lab = File.ReadAllLines(labEnv)
    .Select(l => l.Trim())
    .Where(l => l.Length > 0 && !l.StartsWith('#') && l.Contains('='))
    .ToDictionary(l => l[..l.IndexOf('=')], l => l[(l.IndexOf('=') + 1)..].Trim('"', '\''));
var confDir = lab["LXDCOMPOSE_LAB_CONF"];
var vms = lab["LXDCOMPOSE_LAB_VMS"].Split(' ', StringSplitOptions.RemoveEmptyEntries);
if (vms.Length < 2)
{
    Console.Error.WriteLine("the two-server phase needs a lab with two VMs: sudo bash tests/lab/lab.sh up --vms 2");
    return 1;
}

var image = lab["LXDCOMPOSE_LAB_IMAGE_BUSYBOX"];
var root = Path.Combine(Path.GetTempPath(), $"lxdc-deploybench-{Guid.NewGuid().ToString("N")[..6]}");
var work = BenchSpec.Write(root, confDir, vms[0], vms[1], image, nodes);
var script = Path.Combine(AppContext.BaseDirectory, "lxc-deploy.sh");
using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(30));
var token = cancel.Token;
using var clients = new LxdConnections(LxdClientConfig.Load(confDir));

Console.WriteLine($"{nodes} busybox nodes, 3 hooks and 2 synced files each; servers {vms[0]} and {vms[1]}; {rounds} round(s); {Environment.ProcessorCount} cores");
try
{
    var single = new List<(TimeSpan Ours, TimeSpan Lxc)>();
    var split = new List<(TimeSpan Parallel, TimeSpan Sequential)>();
    await RemoveAsync();
    for (var round = 1; round <= rounds; round++)
    {
        // Alternate which side goes first, so neither always meets a warmer (or busier) server.
        TimeSpan ours, lxc;
        if (round % 2 == 1)
        {
            lxc = await TimedAsync(() => RunScriptAsync(vms[0]));
            await RemoveAsync();
            ours = await TimedAsync(() => ApplyAsync(BenchSpec.SingleProject, 1));
            await RemoveAsync();
        }
        else
        {
            ours = await TimedAsync(() => ApplyAsync(BenchSpec.SingleProject, 1));
            await RemoveAsync();
            lxc = await TimedAsync(() => RunScriptAsync(vms[0]));
            await RemoveAsync();
        }

        Console.WriteLine($"round {round} one server:  LxdCompose {Seconds(ours)}, lxc script {Seconds(lxc)}, ratio {ours / lxc:0.00}");
        single.Add((ours, lxc));

        TimeSpan parallel, sequential;
        if (round % 2 == 1)
        {
            sequential = await TimedAsync(() => ApplyAsync(BenchSpec.SplitProject, 1));
            await RemoveAsync();
            parallel = await TimedAsync(() => ApplyAsync(BenchSpec.SplitProject, 2));
            await RemoveAsync();
        }
        else
        {
            parallel = await TimedAsync(() => ApplyAsync(BenchSpec.SplitProject, 2));
            await RemoveAsync();
            sequential = await TimedAsync(() => ApplyAsync(BenchSpec.SplitProject, 1));
            await RemoveAsync();
        }

        Console.WriteLine($"round {round} two servers: ThrottleLimit 2 {Seconds(parallel)}, ThrottleLimit 1 {Seconds(sequential)}, ratio {parallel / sequential:0.00}");
        split.Add((parallel, sequential));
    }

    Console.WriteLine();
    Console.WriteLine($"ratio LxdCompose / lxc script (one server):  {Median(single.Select(r => r.Ours / r.Lxc)):0.00} (median; goal <= 1.0)");
    Console.WriteLine($"ratio ThrottleLimit 2 / 1 (two servers):    {Median(split.Select(r => r.Parallel / r.Sequential)):0.00} (median; goal <= 0.6)");
    return 0;
}
finally
{
    await RemoveAsync();
    Directory.Delete(root, true);
}

// Load, plan and apply in this process, as Invoke-LxdApply does; the first round includes the engine's JIT.
async Task ApplyAsync(string project, int throttleLimit)
{
    var specs = SpecLoader.Load(new LoadOptions { WorkingDirectory = work, EnvironmentVariables = new Dictionary<string, string>() });
    var (config, options) = DeployClientConfig.Resolve(specs, new DeployOptions { ThrottleLimit = throttleLimit });
    using var connections = new LxdConnections(config);
    var host = new SilentDeployHost();
    var spec = specs.FindProject(project) ?? throw new InvalidOperationException($"{project} did not load: {string.Join("; ", specs.Diagnostics)}");
    var plan = await new ApplyPlanner(specs, connections).PlanAsync(spec, options, host, token);
    var outcome = await new ApplyExecutor(specs, connections).ExecuteAsync(plan, host, token);
    if (!outcome.Succeeded || outcome.Results.Count != nodes || outcome.Results.Any(r => r.HooksRun != 3 || r.FilesSynced != 2))
    {
        throw new InvalidOperationException("apply did not do the whole job: " +
            string.Join("; ", outcome.Failures.Select(f => f.Exception.Message).Concat(outcome.Results.Select(r => $"{r.Node} {r.Action} hooks {r.HooksRun} files {r.FilesSynced}"))));
    }
}

async Task RunScriptAsync(string remote)
{
    var start = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
    foreach (var argument in new[] { script, remote, BenchSpec.ScriptPrefix, nodes.ToString(CultureInfo.InvariantCulture), work + "/envs/files", image })
    {
        start.ArgumentList.Add(argument);
    }

    start.Environment["LXD_CONF"] = confDir;
    using var process = Process.Start(start)!;
    var stderr = process.StandardError.ReadToEndAsync(token);
    await process.StandardOutput.ReadToEndAsync(token);
    await process.WaitForExitAsync(token);
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"lxc-deploy.sh failed ({process.ExitCode}): {await stderr}");
    }
}

// Every bench container on both servers, several at a time (untimed).
async Task RemoveAsync()
{
    foreach (var vm in vms.Take(2))
    {
        var client = clients.ForRemote(vm);
        var names = (await client.Instances.ListAsync(token)).Select(i => i.Name).Where(n => n.StartsWith(BenchSpec.NodePrefix + "-", StringComparison.Ordinal));
        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = token },
            async (name, ct) => await client.Instances.DeleteAsync(name, ct));
    }
}

static async Task<TimeSpan> TimedAsync(Func<Task> run)
{
    var watch = Stopwatch.StartNew();
    await run();
    return watch.Elapsed;
}

static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.00 s", CultureInfo.InvariantCulture);

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

/// <summary>The engine's reports are not needed here; hook output is dropped, every action is allowed.</summary>
internal sealed class SilentDeployHost : IDeployHost
{
    public void Log(DeployLogLevel level, string message)
    {
    }

    public void Progress(DeployProgress progress)
    {
    }

    public void HookOutput(HookOutputLine line)
    {
    }

    public bool ShouldProcess(string target, string action) => true;
}
