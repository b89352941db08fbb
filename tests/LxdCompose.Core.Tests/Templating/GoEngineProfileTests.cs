using LxdCompose.Specs;
using LxdCompose.Templating;
using LxdCompose.Templating.Helm;
using LxdCompose.Templating.Mottainai;
using LxdCompose.Tests.Loading;
using Xunit;

namespace LxdCompose.Tests.Templating;

/// <summary>
/// The two Go-template profiles: the render engine (Helm) and the mottainai config-template engine. lxd-compose's
/// own tests (reference §8.1–§8.3) as facts, and the engine-profile traps 5–7 of galaxy-and-templates.md.
/// </summary>
public sealed class GoEngineProfileTests : IDisposable
{
    private readonly TempSpecs _t = new();

    public void Dispose() => _t.Dispose();

    // ---- lxd-compose pkg/helpers/render/render_test.go (§8.1) ----

    [Fact]
    public void Render2_user_values_win_named_templates_are_tpl_names_and_defines_are_global()
    {
        _t.Write("templates/file1.yaml", "\nval: \"1\"\n")
            .Write("templates/file2.yaml", "\n{{- define \"def1\" }}\n- test test test\n{{- end }}\n");
        var context = RenderContext.Create(
            new Dictionary<string, object?> { ["v"] = "value2" },
            new Dictionary<string, object?> { ["v"] = "valuev" }, null, [_t.PathOf("templates")]);

        var output = new HelmSpecRenderer(context).Render("spec.yml",
            "\n{{ .Values.v }}\n{{- include \"tpl/file1\" . }}\n{{- template \"def1\" . }}\n");

        Assert.Equal("\nvalue2\nval: \"1\"\n\n- test test test\n", output);
    }

    [Fact]
    public void Render1_include_of_a_named_template_with_default_values()
    {
        _t.Write("templates/file1.yaml", "\nval: \"1\"\n");
        var context = RenderContext.Create(new Dictionary<string, object?>(),
            new Dictionary<string, object?> { ["v"] = "valuev" }, null, [_t.PathOf("templates")]);

        var output = new HelmSpecRenderer(context).Render("spec.yml", "\n{{ .Values.v }}\n{{- include \"tpl/file1\" . }}\n");

        Assert.Equal("\nvaluev\nval: \"1\"\n\n", output);
    }

    // ---- lxd-compose pkg/template/mottainai_test.go and mottainai_template_test.go (§8.2, §8.3) ----

    [Fact]
    public void Mottainai_compilation1_and_2_project_variables_at_the_root_and_index()
    {
        var variables = new Dictionary<string, object?>
        {
            ["key1"] = "value1",
            ["key2"] = "value2",
            ["key3"] = new Dictionary<string, object?> { ["f1"] = "foo", ["f2"] = "foo2" },
            ["project"] = new LxdProject { Name = "project1" },
        };
        var engine = new MottainaiConfigTemplateEngine();

        Assert.Equal("\nk1: \"value1\"\nk2: \"value2\"\n",
            engine.Render("\nk1: \"{{ .key1 }}\"\nk2: \"{{ .key2 }}\"\n", "t.tmpl", variables));
        Assert.Equal("\nk1: \"value1\"\nk2: \"value2\"\nk3: foo\n",
            engine.Render("\nk1: \"{{ .key1 }}\"\nk2: \"{{ .key2 }}\"\nk3: {{ $f := index .key3 \"f1\" }}{{ $f }}\n", "t.tmpl", variables));
    }

    [Fact]
    public void Mottainai_template_draw_and_values_loaded_from_yaml_keep_their_types()
    {
        var engine = new MottainaiConfigTemplateEngine();
        Assert.Equal("test", engine.Render("{{.EmailFrom}}", "t.tmpl", new Dictionary<string, object?> { ["EmailFrom"] = "test" }));

        _t.Write("values.yaml", "values:\n  image: 1\n  images: [image1, image2]\n");
        var values = Assert.IsType<Dictionary<string, object?>>(RenderContext.ReadYamlMap(_t.PathOf("values.yaml"), "values")["values"]);
        Assert.Equal(1L, values["image"]);
        Assert.Equal(new List<object?> { "image1", "image2" }, values["images"]);
        Assert.Equal("1 [image1 image2] true", engine.Render("{{ .image }} {{ .images }} {{ isInt .image }}", "t.tmpl", values));
    }

    // ---- the render engine's profile ----

    [Fact]
    public void Helm_missing_keys_print_nothing_and_every_no_value_text_is_removed()
    {
        Assert.Equal("a=, b=x, c=", Helm("a={{ .Values.missing }}, b=x<no value>, c={{ tpl \"{{ .nothing }}\" . }}"));
    }

    [Fact]
    public void Helm_field_of_a_missing_parent_is_an_error_with_position_and_a_hint()
    {
        var e = Assert.Throws<SpecException>(() => Helm("ok: 1\nbad: {{ .Values.a.b.c }}\n"));
        Assert.Equal((TemplateCodes.TemplateRenderError, "spec.yml", 2), (e.Diagnostic.Code, e.Diagnostic.File, e.Diagnostic.Line));
        Assert.Contains("at <.Values.a.b.c>: nil pointer evaluating interface {}.b", e.Diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("guard it with if/with", e.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Helm_top_level_names_chart_template_files_and_a_nil_release()
    {
        Assert.Equal("tpl true tpl/templates tpl/templates 0 ",
            Helm("{{ .Chart.Name }} {{ .Chart.IsRoot }} {{ .Template.Name }} {{ .Template.BasePath }} {{ len .Files }} {{ .Release }}"));
        var e = Assert.Throws<SpecException>(() => Helm("{{ .Release.Name }}"));
        Assert.Contains("nil pointer evaluating interface {}.Name", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Helm_undefined_variable_is_a_parse_error_at_the_spec_file_line_and_column()
    {
        var text = string.Concat(Enumerable.Repeat("# comment\n", 40)) + "     key: {{ $privileged_containers }}\n";
        var e = Assert.Throws<SpecException>(() => Helm(text, file: "envs/nginx.yml"));
        Assert.Equal("envs/nginx.yml:41:14: undefined variable \"$privileged_containers\"", e.Diagnostic.ToString());
        Assert.Equal(TemplateCodes.TemplateParseError, e.Diagnostic.Code);
    }

    [Fact]
    public void Helm_a_failing_named_template_aborts_every_render_even_unused_but_helpers_are_not_executed()
    {
        _t.Write("templates/_helpers.yaml", "{{ .Values.x.y }}\n{{ define \"ok\" }}fine{{ end }}\n");
        var context = RenderContext.Create(new Dictionary<string, object?>(), null, null, [_t.PathOf("templates")]);
        Assert.Equal("fine", new HelmSpecRenderer(context).Render("a.yml", "{{ template \"ok\" }}"));

        _t.Write("templates/broken.yaml", "line\n{{ .Values.x.y }}\n");
        context = RenderContext.Create(new Dictionary<string, object?>(), null, null, [_t.PathOf("templates")]);
        var renderer = new HelmSpecRenderer(context);
        for (var i = 0; i < 2; i++)
        {
            var e = Assert.Throws<SpecException>(() => renderer.Render("a.yml", "plain: text\n"));
            Assert.Equal((_t.PathOf("templates/broken.yaml"), 2), (e.Diagnostic.File, e.Diagnostic.Line));
        }
    }

    [Fact]
    public void Helm_error_inside_an_included_template_points_at_that_file_and_names_the_include()
    {
        _t.Write("templates/part.yaml", "{{ define \"part\" }}\n{{ fail \"stop here\" }}\n{{ end }}\n");
        var context = RenderContext.Create(new Dictionary<string, object?>(), null, null, [_t.PathOf("templates")]);
        var e = Assert.Throws<SpecException>(() => new HelmSpecRenderer(context).Render("/specs/a.yml", "a: 1\nb: {{ include \"part\" . }}\n"));
        Assert.Equal((_t.PathOf("templates/part.yaml"), 2), (e.Diagnostic.File, e.Diagnostic.Line));
        Assert.Contains("stop here", e.Diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("(included from /specs/a.yml:2:", e.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Helm_each_file_gets_its_own_copy_of_the_values()
    {
        var renderer = new HelmSpecRenderer(RenderContext.Create(
            new Dictionary<string, object?> { ["a"] = "1" }, null, null, Array.Empty<string>()));
        Assert.Equal("2", renderer.Render("one.yml", "{{ $_ := set .Values \"a\" \"2\" }}{{ .Values.a }}"));
        Assert.Equal("1", renderer.Render("two.yml", "{{ .Values.a }}"));
    }

    [Fact]
    public void Helm_a_define_in_the_spec_file_is_visible_to_named_templates_of_the_same_render()
    {
        _t.Write("templates/uses.yaml", "{{ define \"wrapper\" }}[{{ template \"inner\" }}]{{ end }}");
        var renderer = new HelmSpecRenderer(RenderContext.Create(new Dictionary<string, object?>(), null, null, [_t.PathOf("templates")]));
        Assert.Equal("[x]", renderer.Render("a.yml", "{{ define \"inner\" }}x{{ end }}{{ include \"wrapper\" . }}"));
        Assert.Equal("[y]", renderer.Render("b.yml", "{{ define \"inner\" }}y{{ end }}{{ include \"wrapper\" . }}"));
    }

    // ---- the mottainai profile ----

    [Fact]
    public void Mottainai_missing_keys_print_no_value_also_under_a_missing_parent()
    {
        var engine = new MottainaiConfigTemplateEngine();
        Assert.Equal("<no value> <no value>", engine.Render("{{ .undefined }} {{ .undefined.sub }}", "t.tmpl",
            new Dictionary<string, object?>()));
    }

    [Fact]
    public void Mottainai_spec_objects_show_go_field_names_only()
    {
        var node = new LxdNode { Name = "n1", ImageSource = "alpine", Labels = new Dictionary<string, string> { ["role"] = "db" } };
        var project = new LxdProject
        {
            Name = "p",
            IncludeGroupsFiles = ["g.yml"],
            Vars = [new VarsBlock { Envs = new Dictionary<string, object?> { ["k"] = "v" } }],
        };
        var variables = new Dictionary<string, object?> { ["node"] = node, ["project"] = project };
        var engine = new MottainaiConfigTemplateEngine();

        Assert.Equal("n1 alpine db g.yml v",
            engine.Render("{{ with .node }}{{ .Name }} {{ .ImageSource }} {{ .Labels.role }}{{ end }} " +
                          "{{ index .project.IncludeGroupFiles 0 }} {{ (index .project.Environments 0).EnvVars.k }}",
                "t.tmpl", variables));
        var e = Assert.Throws<SpecException>(() => engine.Render("x\n{{ .node.image_source }}", "/t/a.tmpl", variables));
        Assert.Equal(("/t/a.tmpl", 2), (e.Diagnostic.File, e.Diagnostic.Line));
        Assert.Contains("can't evaluate field image_source", e.Message, StringComparison.Ordinal);
        // Our model's extra members (positions, file names) are not Go fields.
        Assert.Throws<SpecException>(() => engine.Render("{{ .node.Location }}", "t.tmpl", variables));
    }

    [Fact]
    public void Mottainai_uses_sprig_v2_and_the_mottainai_join()
    {
        var engine = new MottainaiConfigTemplateEngine();
        var variables = new Dictionary<string, object?> { ["l"] = new List<object?> { "a", "b" } };
        Assert.Equal("10 a,b", engine.Render("{{ int \"010\" }} {{ join (cast2StringArray .l) \",\" }}", "t.tmpl", variables));
    }

    [Fact]
    public void Expand_runs_both_go_engines_with_their_data_layout()
    {
        _t.Write("templates/item.yaml", "{{ define \"item\" }}- {{ . }}{{ end }}");
        var helm = TemplateExpander.Expand(new TemplateExpansion
        {
            Engine = ExpansionEngine.Helm,
            Text = "{{ include \"item\" .Values.name }} {{ .Values.port }}",
            Data = new Dictionary<string, object?> { ["name"] = "web" },
            Defaults = new Dictionary<string, object?> { ["port"] = 80L },
            TemplatesDirectories = [_t.PathOf("templates")],
        });
        Assert.Equal("- web 80", helm);

        var mottainai = TemplateExpander.Expand(new TemplateExpansion
        {
            Engine = ExpansionEngine.Mottainai,
            Text = "{{ .name }} {{ .port }} {{ .missing }}",
            Data = new Dictionary<string, object?> { ["name"] = "web" },
            Defaults = new Dictionary<string, object?> { ["port"] = 80L },
        });
        Assert.Equal("web 80 <no value>", mottainai);
    }

    private static string Helm(string text, IReadOnlyDictionary<string, object?>? values = null, string file = "spec.yml") =>
        new HelmSpecRenderer(RenderContext.Create(values ?? new Dictionary<string, object?>(), null, null, Array.Empty<string>()))
            .Render(file, text);
}
