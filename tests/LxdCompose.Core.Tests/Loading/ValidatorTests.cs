using LxdCompose.Loading;
using LxdCompose.Specs;
using Xunit;

namespace LxdCompose.Tests.Loading;

/// <summary>One fixture per validation rule (Fixtures/validate-*), asserting exactly the expected problems and positions.</summary>
public sealed class ValidatorTests
{
    private static (SpecSet Specs, IReadOnlyList<SpecDiagnostic> Problems, string Root) Validate(string rule)
    {
        var specs = SpecTestKit.LoadFixture("validate-" + rule);
        Assert.Empty(SpecTestKit.Problems(specs.Diagnostics, SpecTestKit.FixtureDir("validate-" + rule)));
        return (specs, SpecValidator.Validate(specs), SpecTestKit.FixtureDir("validate-" + rule));
    }

    private static IReadOnlyList<string> Run(string rule)
    {
        var (_, problems, root) = Validate(rule);
        return problems.Select(d => SpecTestKit.Describe(d, root)).ToList();
    }

    public static TheoryData<string> RuleFixtures()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.GetDirectories(Path.Combine(AppContext.BaseDirectory, "Fixtures"), "validate-*").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(dir));
        }

        return data;
    }

    /// <summary>Each fixture's expected-problems.txt (shared with the Pester tests of Test-LxdEnvironment), exactly.</summary>
    [Theory]
    [MemberData(nameof(RuleFixtures))]
    public void Each_rule_fixture_reports_exactly_its_expected_problems(string fixture)
    {
        var root = SpecTestKit.FixtureDir(fixture);
        var expected = File.ReadAllLines(Path.Combine(root, "expected-problems.txt"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'));
        var problems = SpecValidator.Problems(SpecTestKit.LoadFixture(fixture));
        Assert.Equal(expected, SpecTestKit.Problems(problems, root));
    }

    [Fact]
    public void A_clean_environment_has_no_problems_and_shutdown_and_upgrade_events_are_fine_on_groups_and_nodes() =>
        Assert.Empty(Run("clean"));

    [Fact]
    public void Duplicate_commands_across_environments_are_reported_at_the_second_occurrence()
    {
        var (_, problems, root) = Validate("duplicate-command");
        var problem = Assert.Single(problems);
        Assert.Equal("Error DuplicateCommand envs/b.yml:2:5", SpecTestKit.Describe(problem, root));
        Assert.Contains($"first declared at {Path.Combine(root, "envs", "a.yml")}:2:5", problem.Message);
    }

    [Fact]
    public void Commands_need_a_project_and_apply_alias_true() =>
        Assert.Equal(new[]
        {
            "Error CommandWithoutProject envs/env.yml:2:5",
            "Error CommandApplyAliasDisabled envs/env.yml:4:5",
            "Error CommandApplyAliasDisabled envs/env.yml:6:5",
        }, Run("command-fields"));

    [Fact]
    public void Duplicate_projects_across_environments()
    {
        var (_, problems, root) = Validate("duplicate-project");
        var problem = Assert.Single(problems);
        Assert.Equal("Error DuplicateProject envs/b.yml:3:5", SpecTestKit.Describe(problem, root));
        Assert.Equal("web", problem.Project);
    }

    [Fact]
    public void Duplicate_groups_across_projects()
    {
        var (_, problems, root) = Validate("duplicate-group");
        var problem = Assert.Single(problems);
        Assert.Equal("Error DuplicateGroup envs/env.yml:8:9", SpecTestKit.Describe(problem, root));
        Assert.Equal(("p2", "g"), (problem.Project, problem.Group));
    }

    [Fact]
    public void Duplicate_nodes_are_found_by_their_final_instance_name()
    {
        var (_, problems, root) = Validate("duplicate-node");
        // "web" + "x" collides with "web-x"; "db" collides with the "-"-prefixed "db".
        Assert.Equal(new[] { "Error DuplicateNode envs/env.yml:11:13", "Error DuplicateNode envs/env.yml:12:13" },
            problems.Select(d => SpecTestKit.Describe(d, root)));
        Assert.Equal(("p", "g2", "web-x"), (problems[0].Project, problems[0].Group, problems[0].Node));
        Assert.Contains($"first declared at {Path.Combine(root, "envs", "env.yml")}:6:13", problems[0].Message);
    }

    [Fact]
    public void Duplicate_nodes_are_checked_after_the_cli_prefix()
    {
        // With --nodes-prefix the two "db" nodes differ: one gets "ci-db", the other opts out with "-".
        var specs = SpecTestKit.LoadFixture("validate-duplicate-node", nodesPrefix: "ci");
        Assert.DoesNotContain(SpecValidator.Validate(specs), d => d.Code == ValidationCodes.DuplicateNode && d.Node == "db");
    }

    [Fact]
    public void Pre_project_and_pre_group_hooks_of_a_project_must_run_on_the_host() =>
        Assert.Equal(new[]
        {
            "Error ProjectHookNotOnHost envs/env.yml:4:9",
            "Error ProjectHookNotOnHost envs/env.yml:7:9",
        }, Run("project-hook-host"));

    [Fact]
    public void Node_hooks_run_on_their_node_or_the_host_only()
    {
        var (_, problems, root) = Validate("node-hook-target");
        Assert.Equal(new[] { "Error NodeHookTarget envs/env.yml:8:17", "Error NodeHookTarget envs/env.yml:10:17" },
            problems.Select(d => SpecTestKit.Describe(d, root)));
        Assert.Equal(("p", "g", "n1"), (problems[0].Project, problems[0].Group, problems[0].Node));
    }

    [Fact]
    public void Events_are_checked_against_their_level()
    {
        var (_, problems, root) = Validate("hook-levels");
        Assert.Equal(new[]
        {
            "Error HookEventNotAllowed envs/env.yml:6:13",
            "Error HookEventNotAllowed envs/env.yml:8:13",
            "Error HookEventNotAllowed envs/env.yml:14:17",
            "Error HookEventNotAllowed envs/env.yml:15:17",
        }, problems.Select(d => SpecTestKit.Describe(d, root)));
        Assert.Contains("move the hook to the project level", problems[0].Message);
        Assert.Contains("move the hook to the project or group level", problems[2].Message);
    }

    [Fact]
    public void Unknown_and_missing_hook_events_list_the_valid_events()
    {
        var (_, problems, root) = Validate("unknown-hook-event");
        Assert.Equal(new[]
        {
            "Error UnknownHookEvent envs/env.yml:4:9",
            "Error UnknownHookEvent envs/env.yml:8:13",
            "Error UnknownHookEvent envs/env.yml:12:17",
        }, problems.Select(d => SpecTestKit.Describe(d, root)));
        Assert.Contains("unknown event 'post-node-postnode'", problems[0].Message);
        Assert.Contains(string.Join(", ", HookEvents.All), problems[0].Message);
        Assert.Contains("has no event", problems[1].Message);
    }

    [Fact]
    public void Instance_names_follow_lxd_rules()
    {
        var (_, problems, root) = Validate("instance-names");
        Assert.Equal(new[]
        {
            "Error InvalidInstanceName envs/env.yml:7:13",
            "Error InvalidInstanceName envs/env.yml:8:13",
            "Error InvalidInstanceName envs/env.yml:9:13",
            "Error InvalidInstanceName envs/env.yml:10:13",
            "Error InvalidInstanceName envs/env.yml:11:13",
        }, problems.Select(d => SpecTestKit.Describe(d, root)));
        Assert.Contains("starts with a digit", problems[0].Message);
        Assert.Contains("contains '_'", problems[1].Message);
        Assert.Contains("ends with a dash", problems[2].Message);
        Assert.Contains("is empty", problems[3].Message);
        Assert.Contains("65 characters long", problems[4].Message);
    }

    [Fact]
    public void Profile_names_follow_lxd_rules() =>
        Assert.Equal(new[]
        {
            "Error InvalidProfileName envs/env.yml:3:5",
            "Error InvalidProfileName envs/env.yml:4:5",
            "Error InvalidProfileName envs/env.yml:5:5",
        }, Run("profile-names"));

    [Fact]
    public void Profiles_not_declared_by_the_environment_are_warnings_except_default()
    {
        var (_, problems, root) = Validate("undeclared-profile");
        Assert.Equal(new[]
        {
            "Warning UndeclaredProfile envs/env.yml:6:9",
            "Warning UndeclaredProfile envs/env.yml:9:13",
        }, problems.Select(d => SpecTestKit.Describe(d, root)));
        Assert.Contains("'missing-common'", problems[0].Message);
        Assert.Contains("'missing-node'", problems[1].Message);
    }

    [Theory]
    [InlineData("a", null)]
    [InlineData("web-1", null)]
    [InlineData("A1-b2", null)]
    [InlineData("-a", "starts with a digit or a dash")]
    [InlineData("a.b", "contains '.'")]
    [InlineData("é", "contains 'é'")]
    public void Instance_name_rules(string name, string? problem)
    {
        var actual = LxdNames.InstanceNameProblem(name);
        if (problem is null)
        {
            Assert.Null(actual);
        }
        else
        {
            Assert.Contains(problem, actual);
        }
    }

    [Fact]
    public void Sixty_three_characters_is_the_limit()
    {
        Assert.Null(LxdNames.InstanceNameProblem("a" + new string('b', 62)));
        Assert.NotNull(LxdNames.InstanceNameProblem("a" + new string('b', 63)));
    }
}
