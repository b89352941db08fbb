// Compares our client with the lxc CLI on the same container in the same run: exec round trips and small file
// pushes over HTTPS to the lab's first VM. Prints each timing and the ratio lxc / ours. Needs the lab (lab.env) and lxc.
using System.Diagnostics;
using LxdCompose.Lxd;
using LxdCompose.Lxd.Api;
using LxdCompose.Lxd.Config;

var rounds = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 200;
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
var vm = lab["LXDCOMPOSE_LAB_VMS"].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
var container = $"lxdc-bench-{Guid.NewGuid().ToString("N")[..6]}";
using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(30));
var token = cancel.Token;

using var client = LxdConnector.Connect(LxdClientConfig.Load(confDir), vm);
var image = await client.Images.FindAsync(lab["LXDCOMPOSE_LAB_IMAGE_BUSYBOX"], token) ?? throw new InvalidOperationException("busybox image missing");
await client.Instances.CreateAsync(new LxdInstanceCreateRequest { Name = container, Source = LxdInstances.LocalSource(image.Fingerprint) }, token);
await client.Instances.StartAsync(container, token);
var payload = new byte[512];
new Random(1).NextBytes(payload);
var payloadFile = Path.Combine(Path.GetTempPath(), container + ".bin");
await File.WriteAllBytesAsync(payloadFile, payload, token);

try
{
    // Warm up both sides once (connection pool, lxc's own start-up caches).
    await client.Exec.RunCapturedAsync(container, new LxdExecRequest(new[] { "true" }), token);
    Lxc("exec", $"{vm}:{container}", "--", "true");

    var ourExec = await TimeAsync(async () =>
    {
        var result = await client.Exec.RunCapturedAsync(container, new LxdExecRequest(new[] { "echo", "hi" }), token);
        if (result.ExitCode != 0 || result.Stdout != "hi\n")
        {
            throw new InvalidOperationException("unexpected exec result");
        }
    });
    var lxcExec = await TimeAsync(() => { Lxc("exec", $"{vm}:{container}", "--", "echo", "hi"); return Task.CompletedTask; });
    var ourPush = await TimeAsync(() => client.Files.PushBytesAsync(container, "/tmp/bench.bin", payload, null, token));
    var lxcPush = await TimeAsync(() => { Lxc("file", "push", payloadFile, $"{vm}:{container}/tmp/bench-lxc.bin"); return Task.CompletedTask; });

    Report("exec round trip", ourExec, lxcExec);
    Report("small file push", ourPush, lxcPush);
    return 0;
}
finally
{
    File.Delete(payloadFile);
    await client.Instances.DeleteAsync(container, CancellationToken.None);
}

async Task<TimeSpan> TimeAsync(Func<Task> once)
{
    var watch = Stopwatch.StartNew();
    for (var i = 0; i < rounds; i++)
    {
        await once();
    }

    return watch.Elapsed;
}

void Report(string what, TimeSpan ours, TimeSpan lxc) =>
    Console.WriteLine(
        $"{what,-16}: LxdCompose {ours.TotalMilliseconds / rounds,7:0.00} ms, lxc {lxc.TotalMilliseconds / rounds,7:0.00} ms per call ({rounds} calls); lxc/ours = {lxc / ours:0.0}x");

void Lxc(params string[] arguments)
{
    var start = new ProcessStartInfo("lxc") { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var argument in arguments)
    {
        start.ArgumentList.Add(argument);
    }

    start.Environment["LXD_CONF"] = confDir;
    using var process = Process.Start(start)!;
    process.StandardOutput.ReadToEnd();
    var errors = process.StandardError.ReadToEnd();
    process.WaitForExit();
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"lxc {string.Join(' ', arguments)} failed: {errors}");
    }
}
