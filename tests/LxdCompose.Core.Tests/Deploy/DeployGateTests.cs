using LxdCompose.Deploy;
using LxdCompose.Loading;
using LxdCompose.Specs;
using LxdCompose.Tests.Loading;
using Xunit;

namespace LxdCompose.Tests.Deploy;

/// <summary>The gate every deploy run passes first: the problems of the projects it acts on, and whether it may start.</summary>
public class DeployGateTests
{
    private static readonly ValidationOptions Plain = new();

    private static IReadOnlyList<string> GateProblems(SpecSet specs, string project, string root, ValidationOptions? options = null) =>
        SpecTestKit.Problems(DeployGate.Problems(specs, new[] { specs.FindProject(project)! }, options ?? Plain), root);

    [Fact]
    public void A_project_is_judged_by_the_problems_of_its_own_environment_file_not_by_another_files()
    {
        var specs = SpecTestKit.LoadFixture("validate-template-engine");
        var root = SpecTestKit.FixtureDir("validate-template-engine");

        Assert.Equal(new[] { "Error TemplateEngineInvalid envs/a.yml:8:17" }, GateProblems(specs, "no-engine", root));
        // A project of an environment file with an error is refused with it, though the error is another project's.
        Assert.Equal(new[] { "Error TemplateEngineInvalid envs/b.yml:5:9" }, GateProblems(specs, "no-templates-no-engine-needed", root));
        Assert.True(DeployGate.Refuses(DeployGate.Problems(specs, new[] { specs.FindProject("no-engine")! }, Plain)));
    }

    [Fact]
    public void An_unlisted_connection_counts_only_for_the_groups_the_run_acts_on()
    {
        var specs = SpecTestKit.LoadFixture("validate-unknown-remote");
        var root = SpecTestKit.FixtureDir("validate-unknown-remote");
        var project = new[] { specs.FindProject("p")! };

        // A run on the group of vm1 never connects to the others' servers (a VM a script registers later).
        Assert.Empty(SpecTestKit.Problems(DeployGate.Problems(specs, project, Plain, new GroupFilter(new[] { "on-vm1" })), root));
        // The image server a node of an acted-on group names still counts.
        Assert.Equal(new[] { "Error UnknownRemote envs/env.yml:21:13" },
            SpecTestKit.Problems(DeployGate.Problems(specs, project, Plain, new GroupFilter(new[] { "images-from" })), root));
        Assert.Equal(new[] { "Error UnknownRemote envs/env.yml:9:9" },
            SpecTestKit.Problems(DeployGate.Problems(specs, project, Plain, new GroupFilter(new[] { "local-is-not-listed", "on-vm1" })), root));
        // Every group: every unlisted connection.
        Assert.Equal(4, DeployGate.Problems(specs, project, Plain).Count(p => p.Code == ValidationCodes.UnknownRemote));
    }

    [Fact]
    public void Config_level_problems_stop_every_project()
    {
        var specs = SpecTestKit.LoadFixture("validate-client-config-dir");
        var root = SpecTestKit.FixtureDir("validate-client-config-dir");
        foreach (var project in specs.Projects)
        {
            Assert.Equal(new[] { "Error ClientConfigDirNotFound .lxd-compose.yml:2:16" }, GateProblems(specs, project.Name, root));
        }
    }

    [Fact]
    public void Warnings_pass_the_gate_and_strict_makes_them_refuse()
    {
        var specs = SpecTestKit.LoadFixture("validate-undeclared-profile");
        var project = specs.Projects.First();
        var plain = DeployGate.Problems(specs, new[] { project }, Plain);
        var strict = DeployGate.Problems(specs, new[] { project }, new ValidationOptions { Strict = true });

        Assert.NotEmpty(plain);
        Assert.All(plain, p => Assert.Equal(DiagnosticSeverity.Warning, p.Severity));
        Assert.False(DeployGate.Refuses(plain));
        Assert.Equal(plain.Select(p => (p.Code, p.Location)), strict.Select(p => (p.Code, p.Location)));
        Assert.True(DeployGate.Refuses(strict));
    }

    [Fact]
    public void Problems_in_files_a_project_includes_count_and_other_environments_warnings_do_not()
    {
        using var specs = new TempSpecs()
            .Env("projects:\n  - name: p\n    include_groups_files: [groups/g.yml]\n")
            .Write("envs/groups/g.yml", "name: g\nnodes:\n  - name: under_score\n")
            .Env("projects:\n  - name: other\n    unknown_key: 1\n    groups: []\n", "other.yml");
        var loaded = specs.Load();

        Assert.Equal(new[] { "Error InvalidInstanceName envs/groups/g.yml:3:5" }, GateProblems(loaded, "p", specs.Root));
        Assert.Equal(new[] { "Warning UnknownKey envs/other.yml:3:5" }, GateProblems(loaded, "other", specs.Root));
    }

    [Fact]
    public void The_nodes_prefix_of_the_run_is_what_is_judged()
    {
        using var specs = new TempSpecs().Env("projects:\n  - name: p\n    groups:\n      - name: g\n        nodes:\n          - name: probe-d01-a\n");
        Assert.Empty(GateProblems(specs.Load(), "p", specs.Root));
        Assert.Equal(new[] { "Error InvalidInstanceName envs/env.yml:6:13" }, GateProblems(specs.Load(nodesPrefix: "probe_"), "p", specs.Root));
    }

    [Fact]
    public void Templates_are_compiled_with_the_runs_extra_variables()
    {
        using var specs = new TempSpecs()
            .Env("template_engine: { engine: mottainai }\nprojects:\n  - name: p\n    groups:\n      - name: g\n        nodes:\n" +
                 "          - name: n1\n            config_templates:\n              - { source: t.tmpl, dst: out/t }\n")
            .Write("envs/t.tmpl", "release={{ .release | trim }}\n");
        var loaded = specs.Load();
        var extra = new ValidationOptions
        {
            ExtraVars = [new VarsBlock { Envs = new Dictionary<string, object?> { ["release"] = "2" } }],
        };

        Assert.True(DeployGate.Refuses(DeployGate.Problems(loaded, loaded.Projects.ToList(), Plain)));
        Assert.Empty(DeployGate.Problems(loaded, loaded.Projects.ToList(), extra));
    }
}
