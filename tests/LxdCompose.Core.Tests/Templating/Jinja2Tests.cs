using LxdCompose.Specs;
using LxdCompose.Templating;
using LxdCompose.Templating.Jinja2;
using LxdCompose.Tests.Loading;
using Xunit;

namespace LxdCompose.Tests.Templating;

/// <summary>
/// The jinja2 engine runs the real j2 (Debian package j2cli, installed by .ci/run). These tests need it in PATH.
/// </summary>
public sealed class Jinja2Tests : IDisposable
{
    private readonly TempSpecs _t = new();

    public void Dispose() => _t.Dispose();

    private static void RequireJ2() =>
        Assert.True(
            (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
                .Any(d => File.Exists(Path.Combine(d, "j2"))),
            "j2 (j2cli) is not in PATH: install it (apt-get install j2cli; .ci/run does) to test the jinja2 engine");

    [Fact]
    public void Renders_the_lxd_compose_peer_test_input()
    {
        RequireJ2();
        var engine = new Jinja2TemplateEngine(new ConfigTemplateEngineOptions());
        var vars = new Dictionary<string, object?> { ["key1"] = "value1", ["key2"] = "value2" };
        // lxd-compose's jinja2_test.go.disable input and expected output.
        Assert.Equal("\nk1: \"value1\"\nk2: \"value2\"\n",
            engine.Render("\nk1: \"{{ key1 }}\"\nk2: \"{{ key2 }}\"\n", "/t/test.j2", vars));
    }

    [Fact]
    public void Compiles_config_templates_with_spec_objects_under_yaml_names_and_typed_values()
    {
        RequireJ2();
        _t.Env("""
            template_engine: {engine: jinja2}
            projects:
            - name: p
              vars:
              - envs: {port: 8080, flag: "yes", items: [a, b], nested: {k: v}, version: "017"}
              groups:
              - name: g
                nodes:
                - name: web1
                  image_source: alpine/3.19
                  labels: {role: front}
                  config_templates:
                  - {source: t.j2, dst: out/web1.conf}
            """)
            .Write("envs/t.j2",
                "{{ node.name }} {{ node.image_source }} {{ node.labels.role }} {{ role }} {{ project.name }} {{ group.name }}\n" +
                "{{ port + 1 }} {{ flag }} {{ items | join(',') }} {{ nested.k }} {{ version }}\n");
        var specs = _t.Load();
        var outcomes = new ConfigTemplateCompiler(specs).Compile(specs.Projects.Single()).ToList();
        Assert.Null(Assert.Single(outcomes).Error);
        Assert.Equal("jinja2", outcomes[0].Result!.Engine);
        Assert.Equal("web1 alpine/3.19 front front p g\n8081 yes a,b v 017\n", File.ReadAllText(_t.PathOf("envs/out/web1.conf")));
    }

    [Fact]
    public void A_j2_error_is_reported_at_the_template_line()
    {
        RequireJ2();
        var engine = new Jinja2TemplateEngine(new ConfigTemplateEngineOptions());
        var e = Assert.Throws<SpecException>(() =>
            engine.Render("line1\n{% if %}\n", "/t/broken.j2", new Dictionary<string, object?>()));
        Assert.Equal((TemplateCodes.TemplateRenderError, "/t/broken.j2", 2), (e.Diagnostic.Code, e.Diagnostic.File, e.Diagnostic.Line));
        Assert.Contains("j2 failed", e.Message);
        Assert.DoesNotContain("source.j2", e.Message);
    }

    [Fact]
    public void Opts_are_passed_to_j2()
    {
        RequireJ2();
        var strict = new Jinja2TemplateEngine(new ConfigTemplateEngineOptions());
        Assert.Throws<SpecException>(() => strict.Render("[{{ nothing }}]", "/t/u.j2", new Dictionary<string, object?>()));
        var lenient = new Jinja2TemplateEngine(new ConfigTemplateEngineOptions { Opts = new[] { "--undefined" } });
        Assert.Equal("[]", lenient.Render("[{{ nothing }}]", "/t/u.j2", new Dictionary<string, object?>()));
    }

    [Fact]
    public void A_missing_j2_is_a_clear_error()
    {
        var engine = new Jinja2TemplateEngine(new ConfigTemplateEngineOptions { Jinja2Command = "j2-does-not-exist" });
        var e = Assert.Throws<SpecException>(() => engine.Render("x", "/t/a.j2", new Dictionary<string, object?>()));
        Assert.Equal((TemplateCodes.Jinja2NotFound, "/t/a.j2"), (e.Diagnostic.Code, e.Diagnostic.File));
        Assert.Contains("apt-get install j2cli", e.Message);
        Assert.Contains("scriban", e.Message);
    }

    [Fact]
    public void A_non_yaml_include_env_file_becomes_the_data_file()
    {
        RequireJ2();
        _t.Env("""
            template_engine: {engine: jinja2}
            projects:
            - name: p
              include_env_files: [vars/data.json]
              vars:
              - envs: {who: ignored}
              config_templates:
              - {source: t.j2, dst: out.txt}
            """)
            .Write("envs/vars/data.json", "{\"who\": \"json\"}")
            .Write("envs/t.j2", "{{ who }}");
        var specs = _t.Load();
        var outcome = Assert.Single(new ConfigTemplateCompiler(specs).Compile(specs.Projects.Single()));
        Assert.Null(outcome.Error);
        Assert.Equal("json", File.ReadAllText(_t.PathOf("envs/out.txt")));
    }
}
