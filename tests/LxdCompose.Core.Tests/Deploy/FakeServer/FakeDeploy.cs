using LxdCompose.Deploy;
using LxdCompose.Loading;
using LxdCompose.Lxd.Config;
using LxdCompose.Specs;
using LxdCompose.Tests.Loading;

namespace LxdCompose.Tests.Deploy.FakeServer;

/// <summary>
/// Specs in a temp folder, a client config whose remote <c>images</c> (the default image_remote_server) and default
/// server are in-memory servers, and the runner over them: the whole deploy sequence without a daemon.
/// </summary>
internal sealed class FakeDeploy : IDisposable
{
    public const string Fingerprint = "f00dcafe0123456789abcdef0123456789abcdef0123456789abcdef01234567";

    private readonly TempSpecs _temp = new();

    public FakeDeploy(string env)
    {
        _temp.Env(env);
        var confDir = _temp.PathOf("conf");
        Directory.CreateDirectory(confDir);
        // Never dialled: the connections hand out in-memory servers.
        File.WriteAllText(Path.Combine(confDir, "config.yml"),
            "default-remote: local\nremotes:\n  images:\n    addr: https://127.0.0.1:9\n    protocol: lxd\n    public: true\n");
        Specs = _temp.Load();
        Connections = new LxdConnections(LxdClientConfig.Load(confDir),
            (connection, _) => connection == "images" ? ImageServer : Server);
    }

    /// <summary>The server the groups deploy to.</summary>
    public InMemoryServer Server { get; } = new("local");

    /// <summary>The image remote: it has the image <c>img</c>.</summary>
    public InMemoryServer ImageServer { get; } = new InMemoryServer("images").WithImage(Fingerprint, "img");

    public SpecSet Specs { get; }
    public LxdConnections Connections { get; }
    public RecordingDeployHost Host { get; } = new();
    public DeployRunner Runner => new(Specs, Connections);
    public LxdProject Project => Specs.FindProject("p") ?? throw new InvalidOperationException(string.Join("\n", Specs.Diagnostics));

    public string PathOf(string relative) => _temp.PathOf(relative);

    public Task<ApplyPlan> PlanAsync(DeployOptions? options = null) =>
        Runner.PlanApplyAsync(Project, options ?? new DeployOptions(), Host, CancellationToken.None);

    public Task<RunReport> ApplyAsync(IPlanApprover? approver = null, ApplyRunOptions? run = null, CancellationToken token = default) =>
        Runner.ApplyAsync(Project, new DeployOptions(), run ?? new ApplyRunOptions(), approver ?? ApproveAll.Instance, Host, token);

    /// <summary>The server's calls so far, and forgets them.</summary>
    public List<string> TakeCalls()
    {
        var calls = new List<string>();
        while (Server.Calls.TryDequeue(out var call))
        {
            calls.Add(call);
        }

        return calls;
    }

    public void Dispose()
    {
        Connections.Dispose();
        _temp.Dispose();
    }
}
