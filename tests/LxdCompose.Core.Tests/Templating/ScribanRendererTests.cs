using LxdCompose.Loading;
using LxdCompose.Specs;
using LxdCompose.Templating;
using LxdCompose.Templating.Scriban;
using LxdCompose.Tests.Loading;
using Xunit;

namespace LxdCompose.Tests.Templating;

/// <summary>render_engine: scriban — spec files rendered by Scriban with the values as <c>values</c>.</summary>
public sealed class ScribanRendererTests : IDisposable
{
    private readonly TempSpecs _t = new();

    public void Dispose() => _t.Dispose();

    private TempSpecs ScribanConfig(string values, string extra = "")
    {
        return _t.Write(".lxd-compose.yml", "env_dirs: [envs]\nrender_engine: scriban\nrender_values_file: values.yaml\n" + extra)
            .Write("values.yaml", values);
    }

    private static string Render(string text, string values = "{}", IReadOnlyList<NamedTemplate>? templates = null)
    {
        using var t = new TempSpecs();
        t.Write("values.yaml", values);
        var map = RenderContext.ReadYamlMap(t.PathOf("values.yaml"), "values");
        var dirs = new List<string>();
        if (templates is not null)
        {
            foreach (var template in templates)
            {
                t.Write(Path.Combine("tpl", template.Name + ".yaml"), template.Text);
            }

            dirs.Add(t.PathOf("tpl"));
        }

        return new ScribanSpecRenderer(RenderContext.Create(map, null, null, dirs)).Render("/specs/f.yml", text);
    }

    [Fact]
    public void The_loader_renders_every_spec_file_with_scriban_when_configured()
    {
        ScribanConfig("project: web\nnodes: [n1, n2]\nimage: alpine/3.19\n")
            .Env("projects:\n- name: {{ values.project }}\n  include_groups_files: [groups/g.yml]\n")
            .Write("envs/groups/g.yml",
                "name: grp\nnodes:\n{{- for n in values.nodes }}\n- name: {{ n }}\n  image_source: {{ values.image }}\n{{- end }}\n");
        var specs = _t.Load();
        Assert.Empty(_t.Problems(specs));
        Assert.Equal("web", specs.Projects.Single().Name);
        Assert.Equal(new[] { ("n1", "alpine/3.19"), ("n2", "alpine/3.19") },
            specs.Nodes.Select(n => (n.Name, n.ImageSource)));
    }

    [Fact]
    public void Overrides_given_to_the_loader_reach_the_templates()
    {
        ScribanConfig("name: fromfile\n").Env("projects: [{name: '{{ values.name }}'}]\n");
        var specs = SpecLoader.Load(new LoadOptions
        {
            WorkingDirectory = _t.Root,
            EnvironmentVariables = SpecTestKit.NoEnvironment,
            RenderValues = RenderValueOverrides.Empty.Then(RenderValueOverrides.ParseAssignment("name=overridden")),
        });
        Assert.Equal("overridden", specs.Projects.Single().Name);
    }

    [Fact]
    public void A_parse_error_excludes_the_environment_with_the_template_position()
    {
        ScribanConfig("a: 1\n").Env("projects: []\n# {{ values.a }}\nx: {{ if }}\n", "bad.yml").Env("projects: [{name: ok}]\n", "good.yml");
        var specs = _t.Load();
        Assert.Equal(new[] { "ok" }, specs.Projects.Select(p => p.Name));
        var error = specs.Diagnostics.First(d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal((TemplateCodes.TemplateParseError, _t.PathOf("envs/bad.yml"), 3),
            (error.Code, error.File, error.Line));
        Assert.Contains("Scriban cannot parse", error.Message);
    }

    [Fact]
    public void A_runtime_error_has_file_line_and_column()
    {
        var e = Assert.Throws<SpecException>(() => Render("a: 1\nb: {{ values.missing.deeper }}\n"));
        // Scriban points at the member it could not read: ".deeper".
        Assert.Equal((TemplateCodes.TemplateRenderError, "/specs/f.yml", 2, 22),
            (e.Diagnostic.Code, e.Diagnostic.File, e.Diagnostic.Line, e.Diagnostic.Column));
        Assert.Contains("null", e.Diagnostic.Message);
    }

    [Fact]
    public void A_parse_error_position_is_one_based()
    {
        var e = Assert.Throws<SpecException>(() => Render("line1\n  {{ x = }}\n"));
        // At the "}}" where an expression was expected.
        Assert.Equal(("/specs/f.yml", 2, 10), (e.Diagnostic.File, e.Diagnostic.Line, e.Diagnostic.Column));
    }

    [Fact]
    public void Missing_values_render_empty_and_multi_line_values_are_not_auto_indented()
    {
        Assert.Equal("a: |\n  x\ny\n|", Render("a: |\n  {{ values.text }}\n{{ values.nothing }}|", "text: \"x\\ny\"\n"));
    }

    [Fact]
    public void Sprig_helpers_take_Scriban_argument_order_the_subject_first()
    {
        const string values = "empty: ''\nname: web\nlist: [a, b]\nmap: {k: v}\nzero: 0\n";
        Assert.Equal("fallback|web|\"web\"|'web'|a,b|WEB",
            Render("{{ values.empty | sprig.default 'fallback' }}|{{ values.name | sprig.default 'x' }}|" +
                   "{{ values.name | sprig.quote }}|{{ values.name | sprig.squote }}|{{ values.list | sprig.join ',' }}|" +
                   "{{ values.name | sprig.upper }}", values));
        Assert.Equal("\n    k: v", Render("{{ values.map | sprig.toYaml | sprig.nindent 4 }}", values));
        Assert.Equal("  a\n  \n  b", Render("{{ 'a\n\nb' | sprig.indent 2 }}"));
        Assert.Equal("{\"k\":\"v\"}|[\"a\",\"b\"]", Render("{{ values.map | sprig.toJson }}|{{ values.list | sprig.toJson }}", values));
        Assert.Equal("yes|true|true|0,1,2|b|b", Render("{{ (values.zero == 1) | sprig.ternary 'no' 'yes' }}|" +
                                                  "{{ sprig.hasKey values.map 'k' }}|{{ values.map | sprig.hasKey 'k' }}|" +
                                                  "{{ 3 | sprig.until | sprig.join ',' }}|{{ ('a.b' | sprig.splitList '.')[1] }}|" +
                                                  "{{ ('a.b' | sprig.split '.')._1 }}", values));
        // A direct call writes the subject first too.
        Assert.Equal("fallback|a,b|\n    x", Render("{{ sprig.default values.empty 'fallback' }}|{{ sprig.join values.list ',' }}|" +
                                               "{{ sprig.nindent 'x' 4 }}", values));
        Assert.Equal("v", Render("{{ ('{\"k\": \"v\"}' | sprig.fromJson).k }}"));
    }

    [Fact]
    public void Gosprig_takes_Go_argument_order_and_a_pipe_fills_the_last_argument()
    {
        const string values = "empty: ''\nlist: [a, b]\nmap: {k: v}\n";
        Assert.Equal("fallback|a,b|\n    x|fallback|a,b",
            Render("{{ gosprig.default 'fallback' values.empty }}|{{ gosprig.join ',' values.list }}|{{ gosprig.nindent 4 'x' }}|" +
                   "{{ values.empty | gosprig.default 'fallback' }}|{{ values.list | gosprig.join ',' }}", values));
        // Go's pipe order: the piped 10 is the second operand.
        Assert.Equal("-7|7|true", Render("{{ 10 | gosprig.sub 3 }}|{{ 10 | sprig.sub 3 }}|{{ gosprig.hasKey values.map 'k' }}", values));
    }

    [Fact]
    public void Required_fails_with_the_message_at_the_call()
    {
        var e = Assert.Throws<SpecException>(() => Render("x\n{{ values.host | sprig.required 'host is required' }}"));
        Assert.Equal(2, e.Diagnostic.Line);
        Assert.Contains("host is required", e.Diagnostic.Message);
    }

    [Fact]
    public void Include_renders_named_templates_with_the_same_values()
    {
        var templates = new[] { new NamedTemplate("hooks", "", "- echo {{ values.name }}") };
        Assert.Equal("hooks:\n  - echo web", Render("hooks:\n{{ include 'tpl/hooks' | sprig.indent 2 }}", "name: web\n", templates));
        var e = Assert.Throws<SpecException>(() => Render("{{ include 'tpl/none' }}", "a: 1\n", templates));
        Assert.Contains("no named template 'tpl/none'", e.Diagnostic.Message);
    }

    [Fact]
    public void Runtime_errors_in_named_templates_point_into_the_template_file()
    {
        var templates = new[] { new NamedTemplate("bad", "", "ok\n{{ values.a.b.c }}") };
        var e = Assert.Throws<SpecException>(() => Render("{{ include 'tpl/bad' }}", "x: 1\n", templates));
        Assert.EndsWith(Path.Combine("tpl", "bad.yaml"), e.Diagnostic.File);
        Assert.Equal(2, e.Diagnostic.Line);
    }

    [Fact]
    public void An_unknown_render_engine_is_a_fatal_config_error()
    {
        _t.Write(".lxd-compose.yml", "env_dirs: [envs]\nrender_engine: jinja\nrender_values_file: v.yaml\n").Write("v.yaml", "a: 1\n");
        var e = Assert.Throws<SpecException>(() => _t.Load());
        Assert.Equal(TemplateCodes.RenderEngineUnknown, e.Diagnostic.Code);
        Assert.Contains("helm", e.Message);
    }

    [Fact]
    public void The_helm_engine_is_chosen_by_name_and_renders_go_templates()
    {
        _t.Write(".lxd-compose.yml", "env_dirs: [envs]\nrender_engine: helm\nrender_values_file: v.yaml\n").Write("v.yaml", "a: one\n")
            .Env("projects: [{name: '{{ .Values.a }}'}]\n");
        Assert.Equal("one", _t.LoadSingle().Projects.Single().Name);
        var helm = TemplateExpander.Expand(new TemplateExpansion
        {
            Text = "{{ .Values.a }}",
            Data = new Dictionary<string, object?> { ["a"] = "two" },
        });
        Assert.Equal("two", helm);
    }

    [Fact]
    public void Expand_with_scriban_exposes_data_as_values_and_as_globals_over_defaults()
    {
        var text = TemplateExpander.Expand(new TemplateExpansion
        {
            Engine = ExpansionEngine.Scriban,
            Text = "{{ values.a }}-{{ a }}-{{ b }}-{{ c == null }}",
            Data = new Dictionary<string, object?> { ["a"] = "1", ["c"] = null },
            Defaults = new Dictionary<string, object?> { ["b"] = 2L, ["c"] = 3L },
        });
        Assert.Equal("1-1-2-true", text);
    }
}
