using LxdCompose.Security;
using LxdCompose.Specs;

namespace LxdCompose.Loading;

/// <summary>Everything loaded from one config: the environments that loaded cleanly, and what went wrong with the rest.</summary>
public sealed class SpecSet
{
    private readonly Dictionary<LxdProject, LxdEnvironment> _environmentOfProject = new(ReferenceEqualityComparer.Instance);

    public SpecSet(ComposeConfig config, IReadOnlyList<LxdEnvironment> environments, IReadOnlyList<SpecDiagnostic> diagnostics)
    {
        Config = config;
        Environments = environments;
        Diagnostics = diagnostics;
        foreach (var env in environments)
        {
            foreach (var project in env.Projects)
            {
                _environmentOfProject[project] = env;
            }
        }
    }

    public ComposeConfig Config { get; }

    /// <summary>
    /// The values every report of this load masks (encrypted and <c>secret: true</c> vars, the render secrets file,
    /// secret-named values); a run adds the extra vars it is given and the secret-named variables its hooks write.
    /// </summary>
    public SecretValues Secrets { get; init; } = SecretValues.None;

    /// <summary>Only fully loaded environments; a file with an error is excluded whole.</summary>
    public IReadOnlyList<LxdEnvironment> Environments { get; }

    /// <summary>Load problems: Error (file excluded), Warning, Verbose.</summary>
    public IReadOnlyList<SpecDiagnostic> Diagnostics { get; }

    public IEnumerable<LxdProject> Projects => Environments.SelectMany(e => e.Projects);
    public IEnumerable<LxdGroup> Groups => Projects.SelectMany(p => p.Groups);
    public IEnumerable<LxdNode> Nodes => Groups.SelectMany(g => g.Nodes);
    public IEnumerable<LxdCommand> Commands => Environments.SelectMany(e => e.Commands);

    /// <summary>The environment declaring <paramref name="project"/>, or its original's for a derived copy (WithHooksAppended).</summary>
    public LxdEnvironment EnvironmentOf(LxdProject project) =>
        _environmentOfProject.TryGetValue(project, out var env)
            ? env
            : Environments.FirstOrDefault(e => e.File == project.EnvironmentFile && e.Projects.Any(p => p.Name == project.Name))
              ?? throw new ArgumentException($"project '{project.Name}' is not part of this spec set", nameof(project));

    /// <summary>The first project of that name across environments, in load order (as lxd-compose).</summary>
    public LxdProject? FindProject(string name) =>
        Projects.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal));

    /// <summary>
    /// The node a hook's <c>node:</c> names, by instance name or name: first in <paramref name="project"/>, then across
    /// every loaded project (a hook may aim at another project's node, as in lxd-compose). lxd-compose takes the first
    /// match anywhere, so a node name repeated in another project could send a node's own hook to that project's server.
    /// </summary>
    public (LxdNode Node, LxdGroup Group)? FindHookNode(LxdProject project, string name) =>
        FindIn(project.Groups, name) ?? FindIn(Groups, name);

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
