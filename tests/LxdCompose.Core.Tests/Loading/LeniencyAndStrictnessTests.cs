using LxdCompose.Loading;
using LxdCompose.Specs;
using Xunit;

namespace LxdCompose.Tests.Loading;

/// <summary>Lenient like yaml.v3 into Go structs where the public corpus needs it; strict where lxd-compose loses data.</summary>
public sealed class LeniencyAndStrictnessTests : IDisposable
{
    private readonly TempSpecs _t = new();

    public void Dispose() => _t.Dispose();

    [Fact]
    public void Unknown_keys_are_ignored_with_a_warning_naming_key_and_position()
    {
        _t.Env("""
            projects:
              - name: p
                groups:
                  - name: g
                    entrypoint: [/bin/sh]
                    nodes:
                      - name: n
                        ephemeral: true
            """);
        var specs = _t.Load();
        Assert.Single(specs.Environments);
        // Inner objects finish first, so the node's key is reported before the group's.
        Assert.Equal(new[] { "Warning UnknownKey envs/env.yml:8:13", "Warning UnknownKey envs/env.yml:5:9" },
            _t.Problems(specs, DiagnosticSeverity.Verbose));
        Assert.Contains("'ephemeral' in node 'n'", specs.Diagnostics[0].Message);
        Assert.Contains("'entrypoint' in group 'g'", specs.Diagnostics[1].Message);
    }

    [Fact]
    public void Non_string_scalars_keep_their_raw_text_in_string_fields_and_maps()
    {
        var env = _t.Env("""
            version: 1
            projects:
              - name: 0x1F
                description: 1.50
                groups:
                  - name: g
                    config: { limits.cpu: 2, security.nesting: yes, x: 1.0, y: ~ }
                    nodes:
                      - name: n
                        labels: { server_id: 017, flag: true }
            """).LoadSingle();
        Assert.Equal("1", env.Version);
        var project = Assert.Single(env.Projects);
        Assert.Equal(("0x1F", "1.50"), (project.Name, project.Description));
        var group = Assert.Single(project.Groups);
        Assert.Equal(new Dictionary<string, string>
        {
            ["limits.cpu"] = "2", ["security.nesting"] = "yes", ["x"] = "1.0", ["y"] = string.Empty,
        }, group.Config);
        Assert.Equal(("017", "true"), (group.Nodes[0].Labels["server_id"], group.Nodes[0].Labels["flag"]));
    }

    [Fact]
    public void Null_values_are_empty()
    {
        var env = _t.Env("""
            include_commands_files:
            projects:
              - name: p
                include_env_files:
                groups:
                  - name: g
                    hooks:
                    nodes:
                      - name: n
                        profiles:
                        labels:
                        wait_ip:
            """).LoadSingle();
        Assert.Empty(env.IncludeCommandsFiles);
        var group = env.Projects[0].Groups[0];
        Assert.Empty(group.Hooks);
        Assert.Empty(group.Nodes[0].Profiles);
        Assert.Empty(group.Nodes[0].Labels);
        Assert.Equal(0, group.Nodes[0].WaitIp);
    }

    [Theory]
    [InlineData("yes", true)]
    [InlineData("On", true)]
    [InlineData("y", true)]
    [InlineData("TRUE", true)]
    [InlineData("no", false)]
    [InlineData("off", false)]
    [InlineData("False", false)]
    public void Bool_fields_accept_yaml_1_1_words(string word, bool expected)
    {
        var env = _t.Env($"projects: [{{name: p, groups: [{{name: g, ephemeral: {word}}}]}}]\n").LoadSingle();
        Assert.Equal(expected, env.Projects[0].Groups[0].Ephemeral);
    }

    [Theory]
    [InlineData("ephemeral: maybe", "6:20", "expected a boolean (true/false), found 'maybe'")]
    [InlineData("ephemeral: [true]", "6:20", "expected a boolean (true/false), found a list")]
    [InlineData("connection: [local]", "6:21", "expected a string, found a list")]
    [InlineData("common_profiles: default", "6:26", "expected a list, found 'default'")]
    [InlineData("config: [a, b]", "6:17", "expected a map, found a list")]
    [InlineData("config: { a: { b: c } }", "6:22", "expected a string, found a map")]
    [InlineData("nodes: { name: n }", "6:16", "expected a list, found a map")]
    [InlineData("nodes: [ plain ]", "6:18", "expected a map, found 'plain'")]
    public void Type_mismatches_are_errors_with_position_and_expected_type(string line, string position, string message)
    {
        _t.Env($"""
            version: "1"
            projects:
              - name: p
                groups:
                  - name: g
                    {line}
            """);
        var specs = _t.Load();
        Assert.Empty(specs.Environments);
        Assert.Equal(new[] { $"Error TypeMismatch envs/env.yml:{position}", "Error EnvironmentExcluded envs/env.yml:0:0" },
            _t.Problems(specs));
        Assert.EndsWith(message, specs.Diagnostics[0].Message);
    }

    [Theory]
    [InlineData("wait_ip: soon", "TypeMismatch", "expected an integer")]
    [InlineData("wait_ip: 1.5", "TypeMismatch", "expected an integer")]
    [InlineData("wait_ip: 0x10", null, null)]
    [InlineData("wait_ip: 1_000", null, null)]
    public void Integer_fields(string line, string? code, string? message)
    {
        _t.Env($"""
            projects:
              - name: p
                groups:
                  - name: g
                    nodes:
                      - name: n
                        {line}
            """);
        var specs = _t.Load();
        if (code is null)
        {
            Assert.Contains(Assert.Single(specs.Nodes).WaitIp, new long[] { 16, 1000 });
            return;
        }

        Assert.Equal($"Error {code} envs/env.yml:7:22", _t.Problems(specs)[0]);
        Assert.Contains(message!, specs.Diagnostics[0].Message);
    }

    [Fact]
    public void Hook_uid_out_of_uint32_range_is_an_error()
    {
        _t.Env("projects: [{name: p, hooks: [{event: pre-project, node: host, uid: -1}]}]\n");
        var specs = _t.Load();
        Assert.Equal("Error ValueOutOfRange envs/env.yml:1:68", _t.Problems(specs)[0]);
    }

    [Fact]
    public void Duplicate_keys_are_errors_with_position()
    {
        _t.Env("""
            projects:
              - name: p
                name: q
            """);
        var specs = _t.Load();
        Assert.Empty(specs.Environments);
        Assert.Equal("Error YamlDuplicateKey envs/env.yml:3:5", _t.Problems(specs)[0]);
        Assert.Contains("already defined at line 2", specs.Diagnostics[0].Message);
    }

    [Fact]
    public void Yaml_syntax_errors_are_errors_with_position()
    {
        _t.Env("projects:\n  - name: [unclosed\n");
        var specs = _t.Load();
        Assert.Empty(specs.Environments);
        var error = specs.Diagnostics[0];
        Assert.Equal(("YamlSyntax", DiagnosticSeverity.Error), (error.Code, error.Severity));
        Assert.True(error.Line >= 2, $"line {error.Line}");
    }

    [Fact]
    public void A_broken_file_is_excluded_whole_and_the_others_still_load()
    {
        _t.Env("projects: [{name: good}]\n", "a.yml")
            .Env("projects: [{name: half, groups: [{name: g}]}, {name: bad, groups: {oops: 1}}]\n", "b.yml")
            .Env("projects: [{name: also-good}]\n", "c.yml");
        var specs = _t.Load();
        Assert.Equal(new[] { "good", "also-good" }, specs.Projects.Select(p => p.Name));
        Assert.Equal(new[] { "Error TypeMismatch envs/b.yml:1:67", "Error EnvironmentExcluded envs/b.yml:0:0" },
            _t.Problems(specs));
    }

    [Fact]
    public void A_missing_include_is_an_error_at_the_entry_that_names_it()
    {
        _t.Env("""
            projects:
              - name: p
                include_groups_files:
                  - groups/missing.yml
            """);
        var specs = _t.Load();
        Assert.Empty(specs.Environments);
        Assert.Equal("Error IncludeNotFound envs/env.yml:4:9", _t.Problems(specs)[0]);
        Assert.Contains(_t.PathOf(Path.Combine("envs", "groups", "missing.yml")), specs.Diagnostics[0].Message);
    }

    [Fact]
    public void An_error_inside_an_included_file_excludes_the_environment_and_points_into_the_included_file()
    {
        _t.Env("include_profiles_files: [profiles/p.yml]\n")
            .Write("envs/profiles/p.yml", "name: p\nconfig: [x]\n");
        var specs = _t.Load();
        Assert.Empty(specs.Environments);
        Assert.Equal(new[] { "Error TypeMismatch envs/profiles/p.yml:2:9", "Error EnvironmentExcluded envs/env.yml:0:0" },
            _t.Problems(specs));
    }

    [Fact]
    public void An_empty_include_is_a_warning_and_adds_nothing()
    {
        _t.Env("include_profiles_files: [profiles/empty.yml]\n").Write("envs/profiles/empty.yml", "# nothing\n");
        var specs = _t.Load();
        Assert.Empty(Assert.Single(specs.Environments).Profiles);
        Assert.Equal(new[] { "Warning IncludeEmpty envs/env.yml:1:26" }, _t.Problems(specs));
    }

    [Fact]
    public void A_hooks_file_that_is_a_bare_hook_object_gives_zero_hooks_and_a_warning()
    {
        _t.Env("""
            projects:
              - name: p
                groups:
                  - name: g
                    include_hooks_files: [hooks/get-reg.yml]
            """).Write("envs/hooks/get-reg.yml", "event: post-node-sync\ncommands:\n  - echo hi\n");
        var specs = _t.Load();
        Assert.Empty(Assert.Single(specs.Groups).Hooks);
        Assert.Equal(new[] { "Warning HooksFileWithoutHooksKey envs/hooks/get-reg.yml:1:1" }, _t.Problems(specs));
    }

    [Fact]
    public void Command_envs_accept_the_nested_and_the_flat_form()
    {
        var env = _t.Env("""
            commands:
              - name: nested
                envs:
                  envs:
                    key1: value1
              - name: flat
                envs:
                  key2: value2
            """).LoadSingle();
        Assert.Equal("value1", env.Commands[0].Envs!.Envs["key1"]);
        Assert.Equal("value2", env.Commands[1].Envs!.Envs["key2"]);
    }

    [Fact]
    public void Vars_envs_keep_yaml_v3_typing()
    {
        var env = _t.Env("""
            projects:
              - name: p
                vars:
                  - envs:
                      octal: 017
                      big: 1_000
                      hex: 0x10
                      word: yes
                      date: 2024-01-02
                      huge: 18446744073709551615
                      quoted: "42"
                      none: ~
            """).LoadSingle();
        var envs = env.Projects[0].Vars[0].Envs;
        Assert.Equal(15L, envs["octal"]);
        Assert.Equal(1000L, envs["big"]);
        Assert.Equal(16L, envs["hex"]);
        Assert.Equal("yes", envs["word"]);
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 0, 0, 0, TimeSpan.Zero), envs["date"]);
        Assert.Equal(ulong.MaxValue, envs["huge"]);
        Assert.Equal("42", envs["quoted"]);
        Assert.Null(envs["none"]);
    }

    [Fact]
    public void Merge_keys_clone_nodes_as_the_docs_recommend()
    {
        var env = _t.Env("""
            projects:
              - name: p
                groups:
                  - name: g
                    nodes:
                      - &base
                        name: mongo1
                        image_source: alpine/edge
                      - <<: *base
                        name: mongo2
            """).LoadSingle();
        var nodes = env.Projects[0].Groups[0].Nodes;
        Assert.Equal(new[] { ("mongo1", "alpine/edge"), ("mongo2", "alpine/edge") }, nodes.Select(n => (n.Name, n.ImageSource)));
        Assert.Equal(new SourceLocation(_t.PathOf("envs/env.yml"), 9, 13), nodes[1].Location);
    }

    [Fact]
    public void An_empty_environment_file_loads_with_nothing_in_it()
    {
        _t.Env("# only a comment\n");
        var specs = _t.Load();
        Assert.Empty(Assert.Single(specs.Environments).Projects);
        Assert.Equal(LoadCodes.EmptyEnvironment, Assert.Single(specs.Diagnostics).Code);
    }
}
