using LxdCompose.Specs;
using Xunit;

namespace LxdCompose.Tests.Loading;

/// <summary>lxd-compose's own pkg/specs/definition_test.go cases (reference §8.5), as facts about our loader.</summary>
public sealed class DefinitionTests : IDisposable
{
    private readonly TempSpecs _t = new();

    public void Dispose() => _t.Dispose();

    [Fact]
    public void Environment1_version_and_template_engine_with_everything_else_empty()
    {
        var env = _t.Env("version: \"1\"\ntemplate_engine:\n  engine: \"jinja2\"\n", "file1.yml").LoadSingle();
        Assert.Equal(("1", _t.PathOf("envs/file1.yml"), "jinja2"), (env.Version, env.File, env.TemplateEngine.Engine));
        Assert.Empty(env.TemplateEngine.Opts);
        Assert.Empty(env.Commands);
        Assert.Empty(env.IncludeCommandsFiles);
        Assert.Empty(env.Projects);
        Assert.Empty(env.Profiles);
        Assert.Null(env.PackExtra);
    }

    [Fact]
    public void Envs_convert_env1_flat_string_values()
    {
        var vars = _t.Env("projects: [{name: p, vars: [{envs: {key1: \"value1\", key2: \"value2\"}}]}]\n")
            .LoadSingle().Projects[0].Vars[0];
        Assert.Equal(new Dictionary<string, object?> { ["key1"] = "value1", ["key2"] = "value2" }, vars.Envs);
        Assert.False(vars.Encrypted);
        Assert.Equal(string.Empty, vars.EncryptedContent);
    }

    [Fact]
    public void Group1_fields_with_an_empty_connection_type_and_no_node_hooks()
    {
        _t.Env("""
            projects:
              - name: p
                include_groups_files: [groups/group1.yml]
            """).Write("envs/groups/group1.yml", """
            name: "group1"
            description: "description1"
            connection: "local"
            common_profiles:
              - profile1
              - profile2
            ephemeral: false
            hooks:
              - event: pre-node-creation
                commands:
                  - echo 1
                  - echo 2
            nodes:
              - name: node1
                image_source: "sabayon"
            """);
        var group = Assert.Single(_t.LoadSingle().Projects[0].Groups);
        Assert.Equal(("group1", "description1", "local", string.Empty), (group.Name, group.Description, group.Connection, group.ConnectionType));
        Assert.Equal(new[] { "profile1", "profile2" }, group.CommonProfiles);
        Assert.False(group.Ephemeral);
        var hook = Assert.Single(group.Hooks);
        Assert.Equal((HookEvents.PreNodeCreation, string.Empty), (hook.Event, hook.Node));
        Assert.Equal(new[] { "echo 1", "echo 2" }, hook.Commands);
        Assert.Empty(group.Config);
        var node = Assert.Single(group.Nodes);
        Assert.Equal(("node1", "sabayon"), (node.Name, node.ImageSource));
        Assert.Empty(node.Hooks);
    }

    [Fact]
    public void A_node_deploys_to_its_groups_connection_not_to_its_image_server()
    {
        var project = _t.Env("""
            projects:
              - name: p
                groups:
                  - name: edge
                    connection: vm2
                    nodes:
                      - name: edge1
                        image_source: busybox/lab
                        image_remote_server: imgsrv
                  - name: web
                    nodes:
                      - name: web1
                        image_source: busybox/lab
            """).LoadSingle().Projects[0];
        var edge1 = project.Groups[0].Nodes[0];
        Assert.Equal(("vm2", "imgsrv"), (edge1.Connection, edge1.ImageRemoteServer));
        // No connection: the default remote, as for the group.
        Assert.Equal(string.Empty, project.Groups[1].Nodes[0].Connection);
    }

    [Fact]
    public void Envs_convert_env2_nested_maps_keep_integer_values()
    {
        var envs = _t.Env("""
            projects:
              - name: p
                vars:
                  - envs:
                      key1: "value1"
                      key2:
                        complex:
                          arg2: 10
            """).LoadSingle().Projects[0].Vars[0].Envs;
        Assert.Equal("value1", envs["key1"]);
        var key2 = Assert.IsType<Dictionary<string, object?>>(envs["key2"]);
        var complex = Assert.IsType<Dictionary<string, object?>>(Assert.Single(key2).Value);
        Assert.Equal("complex", key2.Keys.Single());
        Assert.Equal(new KeyValuePair<string, object?>("arg2", 10L), Assert.Single(complex));
    }
}
