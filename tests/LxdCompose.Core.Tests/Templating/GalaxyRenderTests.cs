using LxdCompose.Loading;
using LxdCompose.Specs;
using LxdCompose.Tests.Loading;
using Xunit;

namespace LxdCompose.Tests.Templating;

/// <summary>
/// The whole galaxy through the Go render engine, with its own config and render/default.yaml: the counts and the
/// validate problems of galaxy-and-templates.md §1.2–§1.5 and §4.2 (hooks counted on projects, groups and nodes,
/// after includes; commands of the environments, after include_commands_files).
/// </summary>
public sealed class GalaxyRenderTests : IDisposable
{
    private readonly TempSpecs _t = new();

    public void Dispose() => _t.Dispose();

    [SharedCorpusFact]
    public void Galaxy_loads_with_its_own_config_and_the_documented_counts()
    {
        var specs = LoadGalaxy();

        AssertNoLoadErrors(specs, galaxyConfig: true);
        Assert.Equal((22, 24, 41, 42, 199, 23), Counts(specs));
    }

    [SharedCorpusFact]
    public void Galaxy_with_funtoo_has_the_documented_counts()
    {
        var specs = LoadGalaxyWithFuntoo();

        AssertNoLoadErrors(specs, galaxyConfig: false);
        Assert.Equal((24, 27, 45, 46, 229, 28), Counts(specs));
    }

    [SharedCorpusFact]
    public void Validation_reports_exactly_the_seven_documented_problems()
    {
        var (lxdCompose, ours) = Validate(LoadGalaxy());

        Assert.Equal(SevenProblems().OrderBy(p => p, StringComparer.Ordinal), lxdCompose);
        Assert.Equal(OurExtraProblems(galaxyConfig: true), ours);
    }

    [SharedCorpusFact]
    public void Validation_with_funtoo_adds_the_duplicated_reposcan_command()
    {
        var (lxdCompose, ours) = Validate(LoadGalaxyWithFuntoo());

        var expected = SevenProblems().Append("DuplicateCommand reposcan-mark-testing-kits").OrderBy(p => p, StringComparer.Ordinal);
        Assert.Equal(expected, lxdCompose);
        Assert.Equal(OurExtraProblems(galaxyConfig: false), ours);
    }

    /// <summary>
    /// Errors of lxd-compose's validate rules, and those of our extra checks (docs/differences.md): the two project
    /// hooks of oracledb on the non-existent event post-node-postnode (§1.3), a pre-project hook without commands,
    /// remotes its lxd-conf does not list, and sync sources the galaxy does not ship (certificates and
    /// downloads made by hand, a website directory of the author's machine).
    /// </summary>
    private static (List<string> LxdCompose, List<string> Ours) Validate(SpecSet specs)
    {
        var galaxy = SharedCorpus.Galaxy!;
        var lxdComposeCodes = new[]
        {
            ValidationCodes.DuplicateCommand, ValidationCodes.CommandWithoutProject, ValidationCodes.CommandApplyAliasDisabled,
            ValidationCodes.DuplicateProject, ValidationCodes.DuplicateGroup, ValidationCodes.DuplicateNode,
            ValidationCodes.ProjectHookNotOnHost, ValidationCodes.NodeHookTarget, ValidationCodes.HookEventNotAllowed,
        };
        var errors = SpecValidator.Validate(specs).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        List<string> Select(bool extra) => errors.Where(d => lxdComposeCodes.Contains(d.Code) != extra)
            .Select(d => Describe(d, galaxy)).OrderBy(p => p, StringComparer.Ordinal).ToList();
        return (Select(false), Select(true));
    }

    /// <param name="galaxyConfig">The galaxy's own config, whose lxd_confdir lacks the remote 'ironman' of a group's
    /// connection and the remote 'mottainai' of sonar-ce's image_remote_server (the funtoo variant's config names no
    /// lxd_confdir, so its remotes are the machine's and are not checked).</param>
    private static List<string> OurExtraProblems(bool galaxyConfig) =>
    [
        "HookWithoutCommands pre-project",
        "SyncSourceNotFound ../docker-registry/files/dr.crt",
        "SyncSourceNotFound ../docker-registry/files/dr.crt",
        "SyncSourceNotFound ../lxd-conf/",
        "SyncSourceNotFound ../mottainai-server/files/certs/server.crt",
        "SyncSourceNotFound /local/website/dir",
        "SyncSourceNotFound V982063-01.zip",
        "SyncSourceNotFound files/certbot/",
        "SyncSourceNotFound linuxamd64_12102_database_1of2.zip",
        "SyncSourceNotFound linuxamd64_12102_database_2of2.zip",
        "UnknownHookEvent post-node-postnode",
        "UnknownHookEvent post-node-postnode",
        .. galaxyConfig ? new[] { "UnknownRemote ironman", "UnknownRemote mottainai" } : [],
    ];

    [SharedCorpusFact]
    public void Render_constructs_of_the_galaxy_give_the_documented_objects()
    {
        var specs = LoadGalaxy();

        // range $k, $v := .Values.lxd_testing... generates 10 groups; default true on a bool keeps ephemeral true.
        var bootstrap = specs.Projects.Single(p => p.EnvironmentFile.EndsWith("test-bootstrap.yml", StringComparison.Ordinal));
        Assert.Equal(10, bootstrap.Groups.Count);
        Assert.All(bootstrap.Groups, g => Assert.Single(g.Nodes));

        // mongo-rs: range $i := until (.Values.mongo.replicaset_nodes | int) with $ inside and add1.
        var mongo = specs.Projects.Single(p => p.EnvironmentFile.EndsWith("mongo-rs.yml", StringComparison.Ordinal));
        Assert.Single(mongo.Groups.SelectMany(g => g.Nodes));

        // psql-data.yml: print "…/" $slot "/" builds paths without spaces around the int.
        var psqlData = specs.Environments.SelectMany(e => e.Profiles).Single(p => p.Name == "psql-data");
        Assert.DoesNotContain(psqlData.Devices.Values.SelectMany(d => d.Values), v => v.Contains(" /", StringComparison.Ordinal));

        // The rendered text never keeps template actions or Go's "<no value>".
        var texts = specs.Projects.SelectMany(p => p.Groups).SelectMany(g => g.Nodes)
            .SelectMany(n => n.Hooks.SelectMany(h => h.Commands).Append(n.ImageSource).Append(n.Name));
        Assert.DoesNotContain(texts, t => t.Contains("{{", StringComparison.Ordinal) || t.Contains("<no value>", StringComparison.Ordinal));
    }

    private static List<string> SevenProblems() =>
    [
        "CommandApplyAliasDisabled mongo-master-key",
        "CommandApplyAliasDisabled mongo-create-client-key",
        "CommandApplyAliasDisabled mongo-test-crypto",
        "CommandApplyAliasDisabled mongo::check-status",
        "DuplicateGroup mottainai-agents",
        "DuplicateNode mysql1",
        "DuplicateNode lxd-test-unpriv-1",
    ];

    /// <summary>Code and the object's name, taken from the message's first quoted name.</summary>
    private static string Describe(SpecDiagnostic d, string galaxy)
    {
        var start = d.Message.IndexOf('\'', StringComparison.Ordinal);
        var end = start < 0 ? -1 : d.Message.IndexOf('\'', start + 1);
        var name = end > start ? d.Message[(start + 1)..end] : d.Message;
        Assert.StartsWith(galaxy, d.File, StringComparison.Ordinal);
        return $"{d.Code} {name}";
    }

    /// <summary>
    /// No errors; the only warnings are for the malformed hooks file of §1.5 (a hook without a hooks: list) and for the
    /// keys written at the wrong level, which lxd-compose ignores: logging's push_progressbar under general, a group's
    /// ephemeral on two nodes, a node's entrypoint on the ten test-bootstrap groups (push_progressbar is in the galaxy's
    /// own config, which the funtoo variant replaces).
    /// </summary>
    private static void AssertNoLoadErrors(SpecSet specs, bool galaxyConfig)
    {
        var problems = specs.Diagnostics
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .Where(d => !(d.Severity == DiagnosticSeverity.Warning && d.File.EndsWith("get-reg.yml", StringComparison.Ordinal)))
            .Where(d => d.Code != LoadCodes.UnknownKey)
            .Select(d => d.ToString()).ToList();
        Assert.True(problems.Count == 0, "load problems:\n" + string.Join("\n", problems));
        var unknownKeys = specs.Diagnostics.Where(d => d.Code == LoadCodes.UnknownKey)
            .Select(d => System.Text.RegularExpressions.Regex.Match(d.Message, @"^unknown key '([^']*)' in (\w+)"))
            .Select(m => $"{m.Groups[1].Value} in {m.Groups[2].Value}").Order(StringComparer.Ordinal);
        Assert.Equal(Enumerable.Repeat("entrypoint in group", 10).Concat(Enumerable.Repeat("ephemeral in node", 2))
            .Concat(galaxyConfig ? ["push_progressbar in general"] : Array.Empty<string>()), unknownKeys);
        Assert.Contains(specs.Diagnostics, d => d.File.EndsWith(Path.Combine("docker-registry", "hooks", "get-reg.yml"), StringComparison.Ordinal));
    }

    private static (int Environments, int Projects, int Groups, int Nodes, int Hooks, int Commands) Counts(SpecSet specs) =>
        (specs.Environments.Count,
            specs.Projects.Count(),
            specs.Groups.Count(),
            specs.Nodes.Count(),
            specs.Projects.Sum(p => p.Hooks.Count + p.Groups.Sum(g => g.Hooks.Count + g.Nodes.Sum(n => n.Hooks.Count))),
            specs.Commands.Count());

    private static SpecSet LoadGalaxy()
    {
        var galaxy = SharedCorpus.Galaxy!;
        return SpecLoader.Load(new LoadOptions
        {
            ConfigPath = Path.Combine(galaxy, ".lxd-compose"),
            WorkingDirectory = galaxy,
            EnvironmentVariables = SpecTestKit.NoEnvironment,
        });
    }

    /// <summary>The galaxy's config with envs/funtoo added to env_dirs (a copy with absolute paths).</summary>
    private SpecSet LoadGalaxyWithFuntoo()
    {
        var galaxy = SharedCorpus.Galaxy!;
        var config = SpecLoader.LoadConfig(new LoadOptions
        {
            ConfigPath = Path.Combine(galaxy, ".lxd-compose"),
            WorkingDirectory = galaxy,
            EnvironmentVariables = SpecTestKit.NoEnvironment,
        });
        var dirs = config.EnvDirs.Select(config.Resolve).Append(Path.Combine(galaxy, "envs", "funtoo"));
        _t.Write(".lxd-compose.yml",
            $"render_default_file: {config.Resolve(config.RenderDefaultFile)}\nenv_dirs:\n" +
            string.Concat(dirs.Select(d => $"  - {d}\n")));
        return _t.Load();
    }
}
