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

        AssertNoLoadErrors(specs);
        Assert.Equal((22, 24, 41, 42, 199, 23), Counts(specs));
    }

    [SharedCorpusFact]
    public void Galaxy_with_funtoo_has_the_documented_counts()
    {
        var specs = LoadGalaxyWithFuntoo();

        AssertNoLoadErrors(specs);
        Assert.Equal((24, 27, 45, 46, 229, 28), Counts(specs));
    }

    [SharedCorpusFact]
    public void Validation_reports_exactly_the_seven_documented_problems()
    {
        var (lxdCompose, ours) = Validate(LoadGalaxy());

        Assert.Equal(SevenProblems().OrderBy(p => p, StringComparer.Ordinal), lxdCompose);
        Assert.Equal(OurExtraProblems(), ours);
    }

    [SharedCorpusFact]
    public void Validation_with_funtoo_adds_the_duplicated_reposcan_command()
    {
        var (lxdCompose, ours) = Validate(LoadGalaxyWithFuntoo());

        var expected = SevenProblems().Append("DuplicateCommand reposcan-mark-testing-kits").OrderBy(p => p, StringComparer.Ordinal);
        Assert.Equal(expected, lxdCompose);
        Assert.Equal(OurExtraProblems(), ours);
    }

    /// <summary>
    /// Errors of lxd-compose's validate rules, and those of our extra checks (docs/differences.md): the galaxy's only
    /// extra ones are the two project hooks of oracledb on the non-existent event post-node-postnode (§1.3).
    /// </summary>
    private static (List<string> LxdCompose, List<string> Ours) Validate(SpecSet specs)
    {
        var galaxy = SharedCorpus.Galaxy!;
        var extraCodes = new[]
        {
            ValidationCodes.UnknownHookEvent, ValidationCodes.InvalidInstanceName, ValidationCodes.InvalidProfileName,
            ValidationCodes.UndeclaredProfile,
        };
        var errors = SpecValidator.Validate(specs).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        List<string> Select(bool extra) => errors.Where(d => extraCodes.Contains(d.Code) == extra)
            .Select(d => Describe(d, galaxy)).OrderBy(p => p, StringComparer.Ordinal).ToList();
        return (Select(false), Select(true));
    }

    private static List<string> OurExtraProblems() =>
        ["UnknownHookEvent post-node-postnode", "UnknownHookEvent post-node-postnode"];

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

    /// <summary>No errors; the only warnings are for the malformed hooks file of §1.5 (a hook without a hooks: list).</summary>
    private static void AssertNoLoadErrors(SpecSet specs)
    {
        var problems = specs.Diagnostics
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .Where(d => !(d.Severity == DiagnosticSeverity.Warning && d.File.EndsWith("get-reg.yml", StringComparison.Ordinal)))
            .Select(d => d.ToString()).ToList();
        Assert.True(problems.Count == 0, "load problems:\n" + string.Join("\n", problems));
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
