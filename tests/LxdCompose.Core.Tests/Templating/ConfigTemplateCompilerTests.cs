using LxdCompose.Loading;
using LxdCompose.Specs;
using LxdCompose.Templating;
using LxdCompose.Tests.Loading;
using Xunit;

namespace LxdCompose.Tests.Templating;

/// <summary>config_templates compiled as lxd-compose compile does: paths, variables, filters, engines.</summary>
public sealed class ConfigTemplateCompilerTests : IDisposable
{
    private readonly TempSpecs _t = new();

    public void Dispose() => _t.Dispose();

    private const string Env = """
        version: "1"
        template_engine: {engine: scriban}
        projects:
        - name: p
          vars:
          - envs: {greeting: hello, shared: from-vars, project: shadowed, env_base_dir: shadowed}
          - envs: {greeting: hi}
          config_templates:
          - {source: tpl/project.tmpl, dst: out/project.txt}
          groups:
          - name: g1
            config_templates:
            - {source: tpl/group.tmpl, dst: out/group.txt}
            nodes:
            - name: n1
              image_source: alpine/3.19
              labels: {shared: from-label, role: web}
              config_templates:
              - {source: tpl/node.tmpl, dst: out/n1.txt}
              - {source: tpl/node.tmpl, dst: /ABS/n1-abs.txt}
            - name: n2
              image_source: alpine/3.19
              source_dir: nodes/n2
              config_templates:
              - {source: node.tmpl, dst: n2.txt}
          - name: g2
            nodes:
            - name: n3
              image_source: alpine/3.19
              config_templates:
              - {source: other/n3.tmpl, dst: out/n3.txt}
        """;

    private SpecSet Load(string env = Env)
    {
        var abs = _t.PathOf("abs");
        _t.Env(env.Replace("/ABS", abs, StringComparison.Ordinal))
            .Write("envs/tpl/project.tmpl", "{{ project.name }} {{ greeting }} {{ env_base_dir }} {{ group == null }}")
            .Write("envs/tpl/group.tmpl", "{{ group.name }}/{{ project.groups.size }}/{{ node == null }}")
            .Write("envs/tpl/node.tmpl", "{{ node.name }} {{ group.name }} {{ shared }} {{ role }} {{ node.image_source }} {{ node.labels.role }}")
            .Write("envs/nodes/n2/node.tmpl", "{{ node.name }} {{ node.source_dir }} {{ shared }} {{ role == null }}")
            .Write("envs/other/n3.tmpl", "{{ node.name }}");
        var specs = _t.Load();
        Assert.Empty(_t.Problems(specs));
        return specs;
    }

    private string Read(string relative) => File.ReadAllText(_t.PathOf(relative));

    [Fact]
    public void Compiles_project_group_and_node_templates_in_order_with_their_variables()
    {
        var specs = Load();
        var outcomes = new ConfigTemplateCompiler(specs).Compile(specs.Projects.Single()).ToList();
        Assert.All(outcomes, o => Assert.Null(o.Error));
        var envs = _t.PathOf("envs");
        Assert.Equal(new[]
        {
            ("", "", "envs/out/project.txt"), ("g1", "", "envs/out/group.txt"), ("g1", "n1", "envs/out/n1.txt"),
            ("g1", "n1", "abs/n1-abs.txt"), ("g1", "n2", "envs/nodes/n2/n2.txt"), ("g2", "n3", "envs/out/n3.txt"),
        }, outcomes.Select(o => (o.Result!.Group, o.Result.Node, SpecTestKit.Relative(o.Result.Destination, _t.Root))));
        Assert.All(outcomes, o => Assert.Equal(("p", "scriban"), (o.Result!.Project, o.Result.Engine)));

        // project and env_base_dir override variables of the same name; later vars blocks win.
        Assert.Equal($"p hi {envs} true", Read("envs/out/project.txt"));
        Assert.Equal("g1/2/true", Read("envs/out/group.txt"));
        // Labels override variables; the group stays visible to node templates (as lxd-compose compile).
        Assert.Equal("n1 g1 from-label web alpine/3.19 web", Read("envs/out/n1.txt"));
        Assert.Equal(Read("envs/out/n1.txt"), Read("abs/n1-abs.txt"));
        // Labels of an earlier node do not leak into the next node.
        Assert.Equal("n2 nodes/n2 from-vars true", Read("envs/nodes/n2/n2.txt"));
    }

    [Fact]
    public void Compiled_files_are_readable_by_their_owner_only_even_when_they_existed_before()
    {
        var specs = Load();
        _t.Write("envs/out/n1.txt", "older content");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_t.PathOf("envs/out/n1.txt"), (UnixFileMode)Convert.ToInt32("644", 8));
        }

        var outcomes = new ConfigTemplateCompiler(specs).Compile(specs.Projects.Single()).ToList();

        Assert.All(outcomes, o => Assert.Null(o.Error));
        Assert.Equal(6, outcomes.Count);
        Assert.NotEqual("older content", Read("envs/out/n1.txt"));
        if (!OperatingSystem.IsWindows())
        {
            foreach (var outcome in outcomes)
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(outcome.Job.Destination));
            }
        }
    }

    [Fact]
    public void An_absolute_source_is_joined_with_the_env_dir_as_lxd_compose_does()
    {
        var specs = Load(Env.Replace("tpl/project.tmpl", "/tpl/project.tmpl", StringComparison.Ordinal));
        var job = new ConfigTemplateCompiler(specs).Plan(specs.Projects.Single())[0].Jobs.Single();
        Assert.Equal(_t.PathOf("envs/tpl/project.tmpl"), job.Source);
        Assert.Equal(_t.PathOf("envs/out/project.txt"), job.Destination);
    }

    [Fact]
    public void Source_prefixes_and_group_filters_select_templates()
    {
        var specs = Load();
        var project = specs.Projects.Single();
        var bySource = new ConfigTemplateCompiler(specs, new ConfigTemplateCompileOptions { SourcePrefixes = new[] { "tpl/n", "other" } })
            .Plan(project).SelectMany(s => s.Jobs).Select(j => j.Destination).ToList();
        Assert.Equal(new[] { _t.PathOf("envs/out/n1.txt"), _t.PathOf("abs/n1-abs.txt"), _t.PathOf("envs/out/n3.txt") }, bySource);

        string[] Groups(ConfigTemplateCompileOptions o) =>
            new ConfigTemplateCompiler(specs, o).Plan(project).SelectMany(s => s.Jobs).Select(j => j.Group).Distinct().ToArray();
        Assert.Equal(new[] { "", "g2" }, Groups(new() { EnabledGroups = new[] { "g2" } }));
        Assert.Equal(new[] { "", "g2" }, Groups(new() { DisabledGroups = new[] { "g1" } }));
        Assert.Equal(new[] { "" }, Groups(new() { EnabledGroups = new[] { "g1" }, DisabledGroups = new[] { "g1" } }));
    }

    [Fact]
    public void Extra_vars_blocks_come_after_the_project_vars()
    {
        var specs = Load();
        var extra = new[] { new VarsBlock { Envs = new Dictionary<string, object?> { ["greeting"] = "from --env" } } };
        var stage = new ConfigTemplateCompiler(specs, new ConfigTemplateCompileOptions { ExtraVars = extra }).Plan(specs.Projects.Single())[0];
        Assert.Equal("from --env", stage.Variables["greeting"]);
        Assert.Same(specs.Projects.Single(), stage.Variables["project"]);
    }

    [Fact]
    public void Node_templates_run_in_parallel_and_every_failure_is_reported_with_its_position()
    {
        var env = Env.Replace("- {source: tpl/node.tmpl, dst: /ABS/n1-abs.txt}",
            "- {source: tpl/bad.tmpl, dst: out/bad.txt}\n      - {source: tpl/missing.tmpl, dst: out/m.txt}", StringComparison.Ordinal);
        var specs = Load(env);
        _t.Write("envs/tpl/bad.tmpl", "ok\n{{ node.nothing.deeper }}");
        var outcomes = new ConfigTemplateCompiler(specs, new ConfigTemplateCompileOptions { Concurrency = 2 })
            .Compile(specs.Projects.Single()).ToList();
        // The node stage with failures is the last one run: n2 and g2 are not compiled.
        Assert.Equal(new[] { "out/project.txt", "out/group.txt", "out/n1.txt", "out/bad.txt", "out/m.txt" },
            outcomes.Select(o => o.Job.Template.Destination));
        var bad = outcomes[3].Error!;
        Assert.Equal((TemplateCodes.TemplateRenderError, _t.PathOf("envs/tpl/bad.tmpl"), 2), (bad.Diagnostic.Code, bad.Diagnostic.File, bad.Diagnostic.Line));
        var missing = outcomes[4].Error!;
        Assert.Equal((TemplateCodes.TemplateSourceNotFound, _t.PathOf("envs/env.yml")), (missing.Diagnostic.Code, missing.Diagnostic.File));
        Assert.True(missing.Diagnostic.Line > 0);
        Assert.NotNull(outcomes[2].Result);
    }

    [Fact]
    public void An_invalid_engine_is_an_error_even_without_templates()
    {
        _t.Env("template_engine: {engine: go}\nprojects: [{name: p}]\n");
        var specs = _t.Load();
        var e = Assert.Throws<SpecException>(() => new ConfigTemplateCompiler(specs).Plan(specs.Projects.Single()));
        Assert.Equal((TemplateCodes.TemplateEngineInvalid, _t.PathOf("envs/env.yml"), 1), (e.Diagnostic.Code, e.Diagnostic.File, e.Diagnostic.Line));
        Assert.Contains("mottainai, jinja2, scriban", e.Message);
    }

    [Fact]
    public void Mottainai_templates_see_variables_at_the_root_and_spec_objects_by_go_field_names()
    {
        _t.Env("template_engine: {engine: mottainai}\n" +
               "projects: [{name: p, vars: [{envs: {x: 1}}], config_templates: [{source: a.tmpl, dst: a.txt}],\n" +
               "  groups: [{name: g, nodes: [{name: n1, image_source: img, labels: {role: web},\n" +
               "    config_templates: [{source: n.tmpl, dst: n.txt}]}]}]}]\n")
            .Write("envs/a.tmpl", "{{ .x }} {{ .project.Name }} {{ len .project.Groups }} {{ .missing }}")
            .Write("envs/n.tmpl", "{{ .node.Name }} {{ .node.ImageSource }} {{ .node.Labels.role }} {{ .role }} {{ .group.Name }}");
        var specs = _t.Load();
        var outcomes = new ConfigTemplateCompiler(specs).Compile(specs.Projects.Single()).ToList();
        Assert.All(outcomes, o => Assert.Null(o.Error));
        Assert.Equal("1 p 1 <no value>", File.ReadAllText(_t.PathOf("envs/a.txt")));
        Assert.Equal("n1 img web web g", File.ReadAllText(_t.PathOf("envs/n.txt")));
    }

    [Fact]
    public void Mottainai_errors_carry_the_template_position()
    {
        _t.Env("template_engine: {engine: mottainai}\nprojects: [{name: p, config_templates: [{source: a.tmpl, dst: a.txt}]}]\n")
            .Write("envs/a.tmpl", "ok\n  {{ .project.image_source }}");
        var specs = _t.Load();
        var outcome = new ConfigTemplateCompiler(specs).Compile(specs.Projects.Single()).Single();
        // Go positions a field chain at its last link.
        Assert.Equal((TemplateCodes.TemplateRenderError, _t.PathOf("envs/a.tmpl"), 2, 14),
            (outcome.Error!.Diagnostic.Code, outcome.Error.Diagnostic.File, outcome.Error.Diagnostic.Line, outcome.Error.Diagnostic.Column));
        Assert.Contains("can't evaluate field image_source", outcome.Error.Message);
        Assert.False(File.Exists(_t.PathOf("envs/a.txt")));
    }

    [Fact]
    public void Spec_objects_are_shaped_with_yaml_key_names_and_omitempty()
    {
        var specs = Load();
        var node = SpecObjectShapes.Node(specs.Nodes.First());
        Assert.Equal(new[] { "name", "image_source", "labels", "config_templates", "hooks" }, node.Keys);
        var template = Assert.IsType<Dictionary<string, object?>>(Assert.IsType<List<Dictionary<string, object?>>>(node["config_templates"])[0]);
        Assert.Equal(new[] { "source", "dst" }, template.Keys);
        var project = SpecObjectShapes.Project(specs.Projects.Single());
        Assert.Equal(new[] { "name", "vars", "groups", "hooks", "config_templates" }, project.Keys);
    }
}
