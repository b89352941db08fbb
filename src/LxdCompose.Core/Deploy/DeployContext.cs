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
        lock (_gate)
        {
            _runtimeVars[name] = value;
        }
    }

    /// <summary>
    /// A node by instance name or name: first in the project being applied, then across every loaded project (a hook
    /// may aim at another project's node, as in lxd-compose). lxd-compose takes the first match anywhere, so a node name
    /// repeated in another project could send a node's own hook to that project's server.
    /// </summary>
    public (LxdNode Node, LxdGroup Group)? FindNode(string name) =>
        FindIn(Project.Groups, name) ?? FindIn(Specs.Groups, name);

    private static (LxdNode Node, LxdGroup Group)? FindIn(IEnumerable<LxdGroup> groups, string name)
    {
        var candidates = groups.SelectMany(g => g.Nodes.Select(n => (Node: n, Group: g))).ToList();
        var byInstance = candidates.FirstOrDefault(c => c.Node.InstanceName == name);
        if (byInstance.Node is not null)
        {
            return byInstance;
        }

        var byName = candidates.FirstOrDefault(c => c.Node.Name == name);
        return byName.Node is not null ? byName : null;
    }
}
