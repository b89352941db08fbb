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
        Breakdown parallelParts = null!, sequentialParts = null!;
        if (round % 2 == 1)
        {
            sequential = await TimedAsync(async () => sequentialParts = await ApplyAsync(BenchSpec.SplitProject, 1));
            await RemoveAsync();
            parallel = await TimedAsync(async () => parallelParts = await ApplyAsync(BenchSpec.SplitProject, 2));
            await RemoveAsync();
        }
        else
        {
            parallel = await TimedAsync(async () => parallelParts = await ApplyAsync(BenchSpec.SplitProject, 2));
            await RemoveAsync();
            sequential = await TimedAsync(async () => sequentialParts = await ApplyAsync(BenchSpec.SplitProject, 1));
            await RemoveAsync();
        }

        Console.WriteLine($"round {round} two servers: ThrottleLimit 2 {Seconds(parallel)}, ThrottleLimit 1 {Seconds(sequential)}, ratio {parallel / sequential:0.00}");
        Console.WriteLine($"    ThrottleLimit 1: {sequentialParts}");
        Console.WriteLine($"    ThrottleLimit 2: {parallelParts}");
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
async Task<Breakdown> ApplyAsync(string project, int throttleLimit)
{
    var watch = Stopwatch.StartNew();
    var cpu = CpuSample.Take(vms.Take(2));
    var specs = SpecLoader.Load(new LoadOptions { WorkingDirectory = work, EnvironmentVariables = new Dictionary<string, string>() });
    var (config, options) = DeployClientConfig.Resolve(specs, new DeployOptions { ThrottleLimit = throttleLimit });
    using var connections = new LxdConnections(config);
    var host = new SilentDeployHost();
    var spec = specs.FindProject(project) ?? throw new InvalidOperationException($"{project} did not load: {string.Join("; ", specs.Diagnostics)}");
    var plan = await new ApplyPlanner(specs, connections).PlanAsync(spec, options, host, token);
    var planned = watch.Elapsed;
    var outcome = await new ApplyExecutor(specs, connections).ExecuteAsync(plan, PlanApproval.All(plan.Items), host, token);
    var executed = watch.Elapsed - planned;
    if (!outcome.Succeeded || outcome.Results.Count != nodes || outcome.Results.Any(r => r.HooksRun != 3 || r.FilesSynced != 2))
    {
        throw new InvalidOperationException("apply did not do the whole job: " +
            string.Join("; ", outcome.Failures.Select(f => f.Exception.Message)
                .Concat(outcome.Results.Select(r => $"{r.Node} {r.Action} hooks {r.HooksRun} files {r.FilesSynced}"))));
    }

    // A group's lane: the sum of its nodes' durations (these groups have no group hooks).
    var lanes = outcome.Results.GroupBy(r => r.Group).Select(g => TimeSpan.FromTicks(g.Sum(r => r.Duration.Ticks))).ToList();
    return new Breakdown(planned, executed, lanes, CpuSample.Take(vms.Take(2)).Since(cpu));
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

/// <summary>Where an apply's time went: load and plan, execution, each group's lane, and who used the CPU meanwhile.</summary>
internal sealed record Breakdown(TimeSpan LoadAndPlan, TimeSpan Execute, IReadOnlyList<TimeSpan> Lanes, CpuUse Cpu)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture,
            $"load+plan {LoadAndPlan.TotalSeconds:0.00} s, execute {Execute.TotalSeconds:0.00} s, " +
            $"group lanes {string.Join(" + ", Lanes.Select(l => l.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)))} s; {Cpu}");
}

/// <summary>CPU seconds over an interval: the whole machine's busy time, the lab daemons' (with their reaped helpers), ours.</summary>
internal sealed record CpuUse(double Wall, double MachineBusy, double Daemons, double Ours)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture,
            $"CPU busy {MachineBusy:0.0} of {Wall * Environment.ProcessorCount:0.0} core-s: LXD daemons {Daemons:0.0}, " +
            $"this process {Ours:0.0}, everything else {MachineBusy - Daemons - Ours:0.0}");
}

/// <summary>CPU counters from /proc: the machine (/proc/stat), the LXD daemons of the lab VMs, this process.</summary>
internal sealed record CpuSample(double Busy, double Total, double Daemons, double Ours, long Timestamp)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    public static CpuSample Take(IEnumerable<string> vms)
    {
        var ours = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        if (!File.Exists("/proc/stat"))
        {
            return new CpuSample(0, 0, 0, ours, Stopwatch.GetTimestamp());
        }

        // cpu user nice system idle iowait irq softirq steal: idle and iowait are not busy.
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var total = fields.Take(8).Sum();
        var markers = vms.Select(vm => $"/vms/{vm}/").ToList();
        double daemons = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (!cmdline.StartsWith("lxd ", StringComparison.Ordinal) || !markers.Any(m => cmdline.Contains(m, StringComparison.Ordinal)))
                {
                    continue;
                }

                // utime stime cutime cstime are fields 14-17; the command name (field 2) may hold spaces, so count after ')'.
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var after = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                daemons += after.Skip(11).Take(4).Sum(f => long.Parse(f, CultureInfo.InvariantCulture)) / TicksPerSecond;
            }
            catch (IOException)
            {
                // the process ended meanwhile
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return new CpuSample((total - fields[3] - fields[4]) / TicksPerSecond, total / TicksPerSecond, daemons, ours, Stopwatch.GetTimestamp());
    }

    public CpuUse Since(CpuSample earlier) =>
        new(Stopwatch.GetElapsedTime(earlier.Timestamp, Timestamp).TotalSeconds, Busy - earlier.Busy, Daemons - earlier.Daemons, Ours - earlier.Ours);
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
