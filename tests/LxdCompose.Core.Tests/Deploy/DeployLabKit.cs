using System.Collections.Concurrent;
using LxdCompose.Deploy;
using LxdCompose.Loading;
using LxdCompose.Lxd.Config;
using LxdCompose.Specs;
using LxdCompose.Tests.Lxd;

namespace LxdCompose.Tests.Deploy;

/// <summary>Approves the plan items <see cref="Decide"/> approves and records every item it was asked about.</summary>
internal sealed class DecidingApprover(Func<PlanItem, bool> decide) : IPlanApprover
{
    public static DecidingApprover None => new(_ => false);

    public ConcurrentQueue<PlanItem> Asked { get; } = new();

    public Func<PlanItem, bool> Decide { get; } = decide;

    public Task<PlanApproval> ApproveAsync(IReadOnlyList<PlanItem> items, CancellationToken cancellationToken) =>
        Task.FromResult(PlanApproval.Decide(items, item =>
        {
            Asked.Enqueue(item);
            return Decide(item);
        }));
}

/// <summary>A deploy host that records everything, for assertions.</summary>
internal sealed class RecordingDeployHost : IDeployHost
{
    public ConcurrentQueue<(DeployLogLevel Level, string Message)> Logs { get; } = new();
    public ConcurrentQueue<HookOutputLine> Output { get; } = new();
    public ConcurrentQueue<DeployProgress> ProgressRecords { get; } = new();
    public ConcurrentQueue<NodeResult> Results { get; } = new();
    /// <summary>Results and hook output lines in the order they were reported: <c>result:&lt;node&gt;</c>, <c>output:&lt;node&gt;:&lt;text&gt;</c>.</summary>
    public ConcurrentQueue<string> Timeline { get; } = new();
    public IPowerShellHookRunner? PowerShellHooks { get; init; }

    public void Log(DeployLogLevel level, string message) => Logs.Enqueue((level, message));
    public void Progress(DeployProgress progress) => ProgressRecords.Enqueue(progress);

    public void HookOutput(HookOutputLine line)
    {
        Output.Enqueue(line);
        Timeline.Enqueue($"output:{line.Node}:{line.Text}");
    }

    public void NodeFinished(NodeResult result)
    {
        Results.Enqueue(result);
        Timeline.Enqueue("result:" + result.Node);
    }

    /// <summary>
    /// Fails unless every activity's last record is a Completed one and every parent is an activity that was reported
    /// (or -1).
    /// </summary>
    public void AssertProgressNestedAndCompleted()
    {
        var records = ProgressRecords.ToList();
        Xunit.Assert.NotEmpty(records);
        var ids = records.Select(r => r.ActivityId).ToHashSet();
        Xunit.Assert.All(records, r => Xunit.Assert.True(r.ParentId == -1 || ids.Contains(r.ParentId), $"{r} has an unknown parent"));
        Xunit.Assert.All(records.GroupBy(r => r.ActivityId), g => Xunit.Assert.True(g.Last().Completed, $"activity {g.Key} ends with {g.Last()}"));
    }
}

/// <summary>Copies of examples/quickstart (or hand-written specs) with an lxd-conf for the lab, and helpers to run them.</summary>
internal static class DeployLabKit
{
    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "examples", "quickstart")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("examples/quickstart not found above " + AppContext.BaseDirectory);
    }

    public static string NewTempDir(string prefix)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>The quick start copied to a temp folder (without generated files), with lxd-conf for the lab.</summary>
    public static string CopyQuickstart(LabEnvironment lab)
    {
        var source = Path.Combine(RepositoryRoot(), "examples", "quickstart");
        var target = NewTempDir("t-qs");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative.StartsWith("lxd-conf", StringComparison.Ordinal))
            {
                continue;
            }

            var destination = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }

        WriteLabConf(lab, Path.Combine(target, "lxd-conf"));
        return target;
    }

    /// <summary>What New-QuickstartConf.ps1 writes: local = first VM, vm2 = second VM, imgsrv, images (the lab's simplestreams server), and the lab's certificates.</summary>
    public static void WriteLabConf(LabEnvironment lab, string destination, string? extraRemotes = null)
    {
        var labConfig = lab.LoadConfig();
        var first = lab.Vms[0];
        var second = lab.Vms.Count > 1 ? lab.Vms[1] : lab.Vms[0];
        Directory.CreateDirectory(Path.Combine(destination, "servercerts"));
        var yaml = new System.Text.StringBuilder("default-remote: local\nremotes:\n");
        foreach (var (name, vm) in new[] { ("local", first), ("vm2", second) })
        {
            yaml.Append($"  {name}:\n    addr: {lab.Address(vm)}\n    protocol: lxd\n    public: false\n    auth_type: tls\n");
            File.Copy(Path.Combine(lab.ConfigDirectory, "servercerts", vm + ".crt"), Path.Combine(destination, "servercerts", name + ".crt"), true);
        }

        yaml.Append($"  imgsrv:\n    addr: {labConfig.GetRemote("imgsrv").Address}\n    protocol: lxd\n    public: true\n");
        File.Copy(Path.Combine(lab.ConfigDirectory, "servercerts", "imgsrv.crt"), Path.Combine(destination, "servercerts", "imgsrv.crt"), true);
        // lxc's built-in "images" is a public server; the lab's simplestreams server stands in, so no test can reach out.
        yaml.Append($"  images:\n    addr: {labConfig.GetRemote("myserver").Address}\n    protocol: simplestreams\n    public: true\n");
        File.Copy(Path.Combine(lab.ConfigDirectory, "servercerts", "myserver.crt"), Path.Combine(destination, "servercerts", "images.crt"), true);
        yaml.Append(extraRemotes ?? string.Empty);
        foreach (var file in new[] { "client.crt", "client.key" })
        {
            File.Copy(Path.Combine(lab.ConfigDirectory, file), Path.Combine(destination, file), true);
        }

        File.WriteAllText(Path.Combine(destination, "config.yml"), yaml.ToString());
    }

    /// <summary>A new spec folder for one lab test, written by <see cref="WriteSpecRoot"/>. Returns the folder.</summary>
    public static string NewSpecRoot(LabEnvironment lab, string prefix, string env, string? extraRemotes = null)
    {
        var root = NewTempDir(prefix);
        WriteSpecRoot(root, lab, env, extraRemotes);
        return root;
    }

    /// <summary>
    /// Writes into <paramref name="root"/>: the lab's client config (plus <paramref name="extraRemotes"/>), a
    /// .lxd-compose.yml pointing at it, and <paramref name="env"/> as envs/env.yml.
    /// </summary>
    public static void WriteSpecRoot(string root, LabEnvironment lab, string env, string? extraRemotes = null)
    {
        WriteLabConf(lab, Path.Combine(root, "lxd-conf"), extraRemotes);
        File.WriteAllText(Path.Combine(root, ".lxd-compose.yml"), "general:\n  lxd_confdir: ./lxd-conf\nenv_dirs: [envs]\n");
        Directory.CreateDirectory(Path.Combine(root, "envs"));
        File.WriteAllText(Path.Combine(root, "envs", "env.yml"), env);
    }

    public static SpecSet Load(string root, string nodesPrefix) =>
        SpecLoader.Load(new LoadOptions
        {
            WorkingDirectory = root,
            NodesPrefix = nodesPrefix,
            EnvironmentVariables = new Dictionary<string, string>(),
        });

    public static VarsBlock Env(params (string Key, object? Value)[] pairs) =>
        new() { Envs = pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal) };

    /// <summary>Plans and applies like Invoke-LxdApply; returns the plan and the outcome.</summary>
    public static async Task<(ApplyPlan Plan, DeployOutcome Outcome)> ApplyAsync(SpecSet specs, string project, DeployOptions options,
        IDeployHost host, CancellationToken token)
    {
        var (config, resolved) = DeployClientConfig.Resolve(specs, options);
        using var connections = new LxdConnections(config, resolved);
        var plan = await new ApplyPlanner(specs, connections).PlanAsync(Project(specs, project), resolved, host, token);
        var outcome = await new ApplyExecutor(specs, connections).ExecuteAsync(plan, PlanApproval.All(plan.Items), host, token);
        return (plan, outcome);
    }

    public static async Task<DeployOutcome> ShutdownAsync(SpecSet specs, string project, ShutdownKind kind, DeployOptions options,
        IDeployHost host, CancellationToken token)
    {
        var (config, resolved) = DeployClientConfig.Resolve(specs, options);
        using var connections = new LxdConnections(config, resolved);
        var plan = ShutdownPlan.For(Project(specs, project), kind, resolved);
        return await new ShutdownExecutor(specs, connections).ExecuteAsync(plan, PlanApproval.All(plan.Items), host, token);
    }

    public static LxdProject Project(SpecSet specs, string name) =>
        specs.FindProject(name) ?? throw new Xunit.Sdk.XunitException($"project {name} did not load:\n" + string.Join("\n", specs.Diagnostics));

    public static LxdClientConfig ConfigOf(string root) => LxdClientConfig.Load(Path.Combine(root, "lxd-conf"));
}
