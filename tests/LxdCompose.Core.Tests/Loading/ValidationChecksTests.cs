using LxdCompose.Deploy;
using LxdCompose.Loading;
using LxdCompose.Lxd;
using LxdCompose.Lxd.Config;
using LxdCompose.Specs;
using Xunit;

namespace LxdCompose.Tests.Loading;

/// <summary>
/// The checks that keep a deploy from failing half-way (issue 12): what their messages say, -Strict, the nodes prefix,
/// and the client configuration both at validation and at connect time. Positions are asserted by the rule fixtures
/// (<see cref="ValidatorTests.Each_rule_fixture_reports_exactly_its_expected_problems"/>).
/// </summary>
public sealed class ValidationChecksTests : IDisposable
{
    private readonly TempSpecs _t = new();

    public void Dispose() => _t.Dispose();

    private static List<SpecDiagnostic> ProblemsOf(string fixture, string? nodesPrefix = null) =>
        SpecValidator.Problems(SpecTestKit.LoadFixture(fixture, nodesPrefix))
            .Where(p => p.Severity != DiagnosticSeverity.Verbose).ToList();

    [Fact]
    public void Unknown_keys_at_every_level_suggest_the_known_key()
    {
        var messages = ProblemsOf("validate-unknown-keys").Where(p => p.Code == LoadCodes.UnknownKey).Select(p => p.Message).ToList();

        Assert.Equal(new[]
        {
            "'loging' in the config file is ignored (did you mean 'logging'?)",
            "'skip_snc' in command 'up' is ignored (did you mean 'skip_sync'?)",
            "'comands' in post-node-sync hook is ignored (did you mean 'commands'?)",
            "'imge_source' in node 'n1' is ignored (did you mean 'image_source'?)",
            "'ephemeal' in group 'g' is ignored (did you mean 'ephemeral'?)",
            "'env' in vars is ignored (did you mean 'envs'?)",
            "'descriptoin' in project 'p' is ignored (did you mean 'description'?)",
            "'verison' in environment file is ignored (did you mean 'version'?)",
        }, messages.Select(m => m["unknown key ".Length..m.IndexOf(';', StringComparison.Ordinal)]));
    }

    [Fact]
    public void A_hook_whose_commands_key_is_misspelt_is_an_error_because_it_would_run_nothing()
    {
        var problem = Assert.Single(ProblemsOf("validate-unknown-keys"), p => p.Severity == DiagnosticSeverity.Error);
        Assert.Equal((ValidationCodes.HookWithoutCommands, "n1"), (problem.Code, problem.Node));
    }

    [Fact]
    public void Strict_makes_every_warning_an_error_and_keeps_codes_and_positions()
    {
        var specs = SpecTestKit.LoadFixture("validate-unknown-keys");
        var plain = SpecValidator.Problems(specs).Where(p => p.Severity != DiagnosticSeverity.Verbose).ToList();
        var strict = SpecValidator.Problems(specs, new ValidationOptions { Strict = true })
            .Where(p => p.Severity != DiagnosticSeverity.Verbose).ToList();

        Assert.Equal(8, plain.Count(p => p.Severity == DiagnosticSeverity.Warning));
        Assert.All(strict, p => Assert.Equal(DiagnosticSeverity.Error, p.Severity));
        Assert.Equal(plain.Select(p => (p.Code, p.Location)), strict.Select(p => (p.Code, p.Location)));
        Assert.EndsWith("(a warning, an error with -Strict)", strict[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Instance_names_are_checked_with_the_nodes_prefix_given_at_load()
    {
        // Without a prefix only the issue's probe_d01_b and 66-character name are wrong; "probe" makes the
        // 58-character name 64 long, "probe_" makes every prefixed name contain '_'. name_prefix "-" opts out.
        Assert.Equal(new[] { "probe_d01_b", "a23456789012345678901234567890123456789012345678901234567890123456" },
            InvalidNames(null));
        Assert.Equal(new[]
        {
            "probe-probe_d01_b", "probe-a23456789012345678901234567890123456789012345678901234567890123456",
            "probe-b234567890123456789012345678901234567890123456789012345678",
        }, InvalidNames("probe"));
        Assert.Equal(4, InvalidNames("probe_").Count);
        Assert.DoesNotContain("opted-out", InvalidNames("probe_"));

        var prefixed = ProblemsOf("validate-instance-names-prefix", "probe").Last();
        Assert.Contains("instance name 'probe-b234567890123456789012345678901234567890123456789012345678' (node " +
            "'b234567890123456789012345678901234567890123456789012345678' with the prefix 'probe')", prefixed.Message);
        Assert.Contains("64 characters long", prefixed.Message);

        static List<string?> InvalidNames(string? prefix) => ProblemsOf("validate-instance-names-prefix", prefix)
            .Where(p => p.Code == ValidationCodes.InvalidInstanceName).Select(p => p.Node).ToList();
    }

    [Fact]
    public void A_hook_may_name_a_node_of_another_project_but_not_a_node_nobody_declares()
    {
        var problems = ProblemsOf("validate-hook-node");
        Assert.Equal(new[] { "web2", "wbe1" }, problems.Select(p => p.Message.Split('\'')[3]));
        Assert.All(problems, p => Assert.Contains("(did you mean 'web1'?)", p.Message));
        // The engine's own lookup finds the other project's node, so the validator and apply agree.
        var specs = SpecTestKit.LoadFixture("validate-hook-node");
        Assert.Equal("other", specs.FindHookNode(specs.FindProject("p")!, "db1")?.Node.Project);
    }

    [Fact]
    public void Unknown_hook_events_suggest_the_event_meant()
    {
        var problem = Assert.Single(ProblemsOf("validate-hook-event-typo"));
        Assert.Contains("unknown event 'post-node-creaton' (did you mean 'post-node-creation'?)", problem.Message);
    }

    [Fact]
    public void Out2var_and_err2var_must_be_variable_names()
    {
        var problems = ProblemsOf("validate-hook-commands").Where(p => p.Code == ValidationCodes.InvalidVariableName).ToList();
        Assert.Contains("out2var 'my-var' is not a variable name", problems[0].Message);
        Assert.Contains("err2var '1x' is not a variable name", problems[1].Message);
    }

    [Fact]
    public void Sync_sources_are_resolved_as_apply_resolves_them()
    {
        var specs = SpecTestKit.LoadFixture("validate-sync-sources");
        var env = specs.Environments.Single();
        var n2 = specs.Nodes.Single(n => n.Name == "n2");
        var missing = ProblemsOf("validate-sync-sources").Single(p => p.Node == "n2");

        // n2's source_dir is the base of its relative sources, for apply and for the check alike.
        Assert.Contains($"looked for {ApplyPlanner.SyncSources(env, n2)[1].Source};", missing.Message);
        Assert.Contains(Path.Combine("envs", "node-src", "files", "app.conf"), missing.Message);
    }

    [Fact]
    public void A_missing_sync_source_that_a_host_hook_may_write_first_is_a_warning()
    {
        var warning = Assert.Single(ProblemsOf("validate-sync-sources"), p => p.Severity == DiagnosticSeverity.Warning);
        Assert.Equal("n3", warning.Node);
        Assert.Contains("a host hook runs before the sync and may create it", warning.Message);
    }

    [Fact]
    public void Config_templates_are_compiled_with_the_project_variables_and_report_the_template_position()
    {
        var problems = ProblemsOf("validate-config-templates");
        Assert.Contains("config template source 'templates/missing.tmpl' does not exist", problems[0].Message);
        Assert.Contains("function \"nosuchfunction\" not defined", problems[2].Message);
        Assert.Contains($"config_templates entry at {SpecTestKit.FixtureDir("validate-config-templates")}/envs/env.yml:18:17",
            problems[2].Message);
        Assert.Equal("n1", problems[2].Node);
    }

    [Fact]
    public void Templates_see_the_deploy_extra_variables_and_an_empty_string_for_out2var_names()
    {
        _t.Env("""
            template_engine: { engine: mottainai }
            projects:
              - name: p
                hooks:
                  - { event: post-node-creation, commands: [hostname -i], out2var: vm_ip }
                config_templates:
                  - { source: t.tmpl, dst: out/t }
            """).Write("envs/t.tmpl", "ip={{ .vm_ip | trim }} release={{ .release | trim }}\n");
        var specs = _t.Load();

        // release comes only with the deploy's -Env: without it trim gets nothing, as a deploy without it would.
        var missing = Assert.Single(SpecValidator.Validate(specs));
        Assert.Equal(LxdCompose.Templating.TemplateCodes.TemplateRenderError, missing.Code);
        // Column 46 is release's trim: vm_ip's, before it, had its empty string.
        Assert.Equal((1, 46), (missing.Line, missing.Column));
        Assert.Contains("at <trim>: invalid value; expected string", missing.Message);
        var withEnv = new ValidationOptions { ExtraVars = [new VarsBlock { Envs = new Dictionary<string, object?> { ["release"] = "2" } }] };
        Assert.Empty(SpecValidator.Validate(specs, withEnv));
    }

    [Fact]
    public void Config_templates_need_a_template_engine_and_a_misspelt_one_is_named()
    {
        var problems = ProblemsOf("validate-template-engine");
        Assert.Contains("project 'no-engine' has config_templates but its environment file names no template engine", problems[0].Message);
        Assert.Contains("unknown template engine 'mottainia' (did you mean 'mottainai'?)", problems[1].Message);
    }

    [Fact]
    public void An_environment_that_includes_itself_is_an_error_naming_the_chain()
    {
        var cycles = ProblemsOf("validate-include-cycle").Where(p => p.Code == LoadCodes.IncludeCycle).ToList();
        Assert.Contains("include itself: a.yml -> a.yml;", cycles[0].Message);
        Assert.Contains("include itself: b.yml -> groups/g.yml -> b.yml;", cycles[1].Message);
    }

    [Fact]
    public void A_negative_wait_ip_is_out_of_range()
    {
        var problem = ProblemsOf("validate-wait-ip")[0];
        Assert.Equal("'wait_ip' is -5, outside the allowed range (0 or more); use a value in that range", problem.Message);
    }

    [Fact]
    public void A_missing_client_configuration_directory_is_an_error_when_validating_and_when_connecting()
    {
        var specs = SpecTestKit.LoadFixture("validate-client-config-dir");
        var problem = Assert.Single(SpecValidator.Validate(specs));
        Assert.Contains("'./nonexistent' (general.lxd_confdir) does not exist", problem.Message);

        var e = Assert.Throws<LxdConfigException>(() => DeployClientConfig.Resolve(specs, new DeployOptions()));
        Assert.Contains("'./nonexistent' set by general.lxd_confdir", e.Message);
        Assert.Contains(Path.Combine(SpecTestKit.FixtureDir("validate-client-config-dir"), "nonexistent"), e.Message);
    }

    [Fact]
    public void The_client_configuration_directory_may_come_from_the_environment_variable()
    {
        _t.Env("projects: [{name: p, groups: [{name: g, connection: local}]}]\n");
        var specs = _t.Load(environment: new Dictionary<string, string> { ["LXD_COMPOSE_GENERAL__LXD_CONFDIR"] = "/nonexistent-lxdc" });

        var problem = Assert.Single(SpecValidator.Validate(specs));
        Assert.Equal((ValidationCodes.ClientConfigDirNotFound, "$env:LXD_COMPOSE_GENERAL__LXD_CONFDIR"), (problem.Code, problem.File));
        Assert.Contains("'/nonexistent-lxdc'", problem.Message);
    }

    [Fact]
    public void A_connection_missing_from_the_configured_config_yml_fails_at_connect_time_naming_remote_and_file()
    {
        var specs = SpecTestKit.LoadFixture("validate-unknown-remote");
        var (config, _) = DeployClientConfig.Resolve(specs, new DeployOptions());
        using var connections = new LxdConnections(config);
        var local = specs.Groups.Single(g => g.Name == "local-is-not-listed");

        // No silent fallback: lxc's built-in "local" (the host's own socket) is not one of this directory's servers.
        var e = Assert.Throws<LxdConfigException>(() => connections.ForGroup(local));
        Assert.Contains("The remote 'local' is not in", e.Message);
        Assert.Contains(Path.Combine(SpecTestKit.FixtureDir("validate-unknown-remote"), "lxd-conf", "config.yml"), e.Message);
        Assert.Null(DeployClientConfig.ConnectionProblem(config, specs.Groups.Single(g => g.Name == "default-remote")));
        Assert.Null(DeployClientConfig.ConnectionProblem(config, specs.Groups.Single(g => g.Name == "on-socket")));
    }

    [Fact]
    public void Without_a_configured_directory_lxc_built_in_local_remote_still_works()
    {
        var empty = Directory.CreateDirectory(_t.PathOf("no-config-yml")).FullName;
        var builtIns = LxdClientConfig.Load(empty);
        var group = new LxdGroup { Name = "g", Connection = "local" };

        Assert.Null(DeployClientConfig.ConnectionProblem(builtIns, group));
        Assert.Null(DeployClientConfig.ConnectionProblem(builtIns, new LxdGroup { Name = "g" }));
        var onlyWritten = builtIns.WithoutBuiltInServers();
        Assert.Contains("which does not exist", DeployClientConfig.ConnectionProblem(onlyWritten, group));
        Assert.True(onlyWritten.Remotes.ContainsKey("images"));
    }
}
