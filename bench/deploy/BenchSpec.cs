using System.Text;

/// <summary>
/// The generated lxd-compose spec: project bench-single (all nodes on the first server) and bench-split (half on
/// each server, one group per server). Every node has the hooks and files lxc-deploy.sh does by hand.
/// </summary>
internal static class BenchSpec
{
    /// <summary>Every bench container's name starts with it; then s (single) or p (split), then the number.</summary>
    public const string NodePrefix = "lxdc-db";

    /// <summary>What lxc-deploy.sh names its nodes: the single project's names (node names must be unique across projects).</summary>
    public const string ScriptPrefix = NodePrefix + "-s";
    public const string SingleProject = "bench-single";
    public const string SplitProject = "bench-split";

    /// <summary>Writes the config, the environment and the two files to sync under <paramref name="root"/>; returns root.</summary>
    public static string Write(string root, string confDir, string firstVm, string secondVm, string image, int nodes)
    {
        var files = Path.Combine(root, "envs", "files");
        Directory.CreateDirectory(files);
        File.WriteAllText(Path.Combine(files, "a.conf"), "# bench file a\nkey_a = 1\n");
        File.WriteAllText(Path.Combine(files, "b.conf"), "# bench file b\nkey_b = 2\n");
        File.WriteAllText(Path.Combine(root, ".lxd-compose.yml"), $"general:\n  lxd_confdir: {confDir}\nenv_dirs:\n  - ./envs\n");

        var numbers = Enumerable.Range(1, nodes).Select(i => i.ToString(nodes >= 10 ? "00" : "0", System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var half = nodes / 2;
        var yaml = new StringBuilder("version: \"1\"\nprojects:\n");
        Project(yaml, SingleProject, "s", new[] { ("all", firstVm, numbers) });
        Project(yaml, SplitProject, "p", new[] { ("first", firstVm, numbers.Take(half).ToList()), ("second", secondVm, numbers.Skip(half).ToList()) });
        File.WriteAllText(Path.Combine(root, "envs", "bench.yml"), yaml.ToString());
        return root;

        void Project(StringBuilder text, string name, string tag, IEnumerable<(string Group, string Vm, List<string> Numbers)> groups)
        {
            text.Append($"  - name: {name}\n    groups:\n");
            foreach (var (group, vm, groupNumbers) in groups)
            {
                text.Append($"      - name: {group}\n        connection: {vm}\n        common_profiles: [default]\n        nodes:\n");
                foreach (var number in groupNumbers)
                {
                    text.Append($"""
                                  - name: {NodePrefix}-{tag}-{number}
                                    image_source: {image}
                                    image_remote_server: {vm}
                                    entrypoint: ["/bin/sh", "-c"]
                                    sync_resources:
                                      - source: files/a.conf
                                        dst: /srv/bench/a.conf
                                      - source: files/b.conf
                                        dst: /srv/bench/b.conf
                                    hooks:
                                      - event: post-node-creation
                                        commands: ["mkdir -p /srv/bench"]
                                      - event: pre-node-sync
                                        commands: ["echo ready > /srv/bench/state"]
                                      - event: post-node-sync
                                        commands: ["cat /srv/bench/a.conf /srv/bench/b.conf > /dev/null"]

                        """);
                }
            }
        }
    }
}
