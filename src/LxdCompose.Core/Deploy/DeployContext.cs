using LxdCompose.Loading;
using LxdCompose.Specs;

namespace LxdCompose.Deploy;

/// <summary>The state one run carries: specs (read once), options, connections, host, and the out2var/err2var values.</summary>
internal sealed class DeployContext
{
    private readonly object _gate = new();
    private readonly Dictionary<string, object?> _runtimeVars = new(StringComparer.Ordinal);

    public DeployContext(SpecSet specs, LxdProject project, DeployOptions options, LxdConnections connections, IDeployHost host,
        CancellationToken cancellationToken)
    {
        Specs = specs;
        Project = project;
        Options = options;
        Connections = connections;
        Host = host;
        CancellationToken = cancellationToken;
        // -VarsFile, -Env and a command's vars join the masked values for this run's reports.
        specs.Secrets.AddVarsBlocks(options.ExtraVars);
    }

    public SpecSet Specs { get; }
    public LxdProject Project { get; }
    public DeployOptions Options { get; }
    public LxdConnections Connections { get; }
    public IDeployHost Host { get; }
    public CancellationToken CancellationToken { get; }

    /// <summary>The block after every other: out2var/err2var results (lxd-compose writes them into the last vars block).</summary>
    public VarsBlock RuntimeBlock
    {
        get
        {
            lock (_gate)
            {
                return new VarsBlock { Envs = new Dictionary<string, object?>(_runtimeVars, StringComparer.Ordinal) };
            }
        }
    }

    /// <summary>Extra blocks for templates and hooks: vars files, --env, then the runtime block.</summary>
    public IReadOnlyList<VarsBlock> ExtraBlocks => Options.ExtraVars.Append(RuntimeBlock).ToList();

    public IReadOnlyDictionary<string, object?> Variables => ProjectVariables.Merge(Project, ExtraBlocks);

    public void SetRuntimeVariable(string name, string value)
    {
        // A hook that prints a token into a secret-named variable makes that output a secret of the run.
        Specs.Secrets.AddNamed(name, value);
        lock (_gate)
        {
            _runtimeVars[name] = value;
        }
    }

    /// <summary>The node a hook's <c>node:</c> names, as <see cref="SpecSet.FindHookNode"/> finds it.</summary>
    public (LxdNode Node, LxdGroup Group)? FindNode(string name) => Specs.FindHookNode(Project, name);
}
