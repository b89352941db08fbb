using Xunit;

namespace LxdCompose.Tests.Loading;

/// <summary>Node name prefixes: name_prefix, "-", --nodes-prefix, and the project/group nodes_prefix lxd-compose never applies.</summary>
public sealed class NodePrefixTests : IDisposable
{
    private readonly TempSpecs _t = new();

    public NodePrefixTests() => _t.Env("""
        projects:
          - name: p
            nodes_prefix: proj
            groups:
              - name: plain
                nodes:
                  - name: a
                  - name: b
                    name_prefix: own
                  - name: c
                    name_prefix: "-"
              - name: prefixed
                nodes_prefix: grp
                nodes:
                  - name: d
          - name: q
            groups:
              - name: bare
                nodes:
                  - name: e
        """);

    public void Dispose() => _t.Dispose();

    private IReadOnlyList<string> InstanceNames(string? cliPrefix) =>
        _t.LoadSingle(cliPrefix).Projects.SelectMany(p => p.Groups).SelectMany(g => g.Nodes).Select(n => n.InstanceName).ToList();

    [Fact]
    public void Project_and_group_nodes_prefix_apply_to_nodes_without_their_own_prefix() =>
        Assert.Equal(new[] { "proj-a", "own-b", "c", "grp-d", "e" }, InstanceNames(null));

    [Fact]
    public void The_cli_prefix_wins_over_project_and_group_but_not_over_name_prefix_or_dash() =>
        Assert.Equal(new[] { "ci-a", "own-b", "c", "ci-d", "ci-e" }, InstanceNames("ci"));

    [Fact]
    public void The_written_prefix_is_kept_and_the_name_is_unchanged()
    {
        var nodes = _t.LoadSingle("ci").Projects[0].Groups[0].Nodes;
        Assert.Equal(new[] { ("a", "ci"), ("b", "own"), ("c", "-") }, nodes.Select(n => (n.Name, n.NamePrefix)));
    }
}
