using LxdCompose.GoTemplates;
using LxdCompose.Loading;
using LxdCompose.Specs;
using LxdCompose.Templating;
using LxdCompose.Templating.Helm;
using LxdCompose.Templating.Mottainai;
using LxdCompose.Templating.Scriban;
using LxdCompose.Tests.Loading;
using Xunit;

namespace LxdCompose.Tests.Limits;

/// <summary>
/// Templates that once overflowed the stack or grew without bound: each stops with TemplateLimitExceeded, naming the
/// limit, its config key and the template position; the keys under general: raise or lower the limits.
/// </summary>
public sealed class TemplateLimitsTests
{
    private static readonly IReadOnlyDictionary<string, object?> NoValues = new Dictionary<string, object?>();

    private static RenderContext EmptyContext() => RenderContext.Create(NoValues, null, null, Array.Empty<string>());

    private static SpecException Helm(string template, int stack = StackThreads.Huge) =>
        StackThreads.Run(stack, () => Assert.Throws<SpecException>(() => new HelmSpecRenderer(EmptyContext()).Render("spec.yml", template)));

    /// <param name="column">Null: any column (where the stack ran out depends on the stack).</param>
    private static void AssertLimit(SpecException e, string configKey, int line, int? column)
    {
        Assert.Equal((TemplateCodes.TemplateLimitExceeded, "spec.yml", line, column ?? e.Diagnostic.Column),
            (e.Diagnostic.Code, e.Diagnostic.File, e.Diagnostic.Line, e.Diagnostic.Column));
        Assert.Contains("general." + configKey, e.Message);
    }

    [Fact]
    public void A_helm_template_that_includes_itself_stops_at_depth_1000()
    {
        const string template = "{{ define \"r\" }}{{ include \"r\" . }}{{ end }}{{ include \"r\" . }}";
        // Huge stack first: before the fix this overflowed an 8 MB stack, but on a huge one it ended in an error
        // without the limit's name, which fails here.
        var e = Helm(template);
        AssertLimit(e, TemplateLimits.ConfigKeys.Depth, 1, 20);
        Assert.Contains("nested 1,000 deep", e.Message);

        // On a small stack the stack runs out first: the same kind of error, never a crash.
        AssertLimit(Helm(template, StackThreads.Small), TemplateLimits.ConfigKeys.Depth, 1, null);
    }

    [Fact]
    public void Tpl_calls_count_towards_the_same_depth()
    {
        CrashGuards.RequireTemplateDepthLimit(); // before the fix tpl reset the depth: this recursed until the stack ran out
        var e = Helm("{{ define \"r\" }}{{ tpl \"{{ include \\\"r\\\" . }}\" . }}{{ end }}{{ include \"r\" . }}");
        Assert.Equal(TemplateCodes.TemplateLimitExceeded, e.Diagnostic.Code);
        Assert.Contains("general." + TemplateLimits.ConfigKeys.Depth, e.Message);
    }

    [Fact]
    public void An_error_deep_in_nested_includes_is_reported_without_exhausting_the_stack()
    {
        // Before the fix each level rethrew from its handler, and 600 levels of that overflowed 8 MB.
        CrashGuards.RequireTemplateDepthLimit();
        var e = Helm("{{ define \"r\" }}{{ if lt (len .) 600 }}{{ include \"r\" (append . 1) }}{{ else }}{{ fail \"bottom\" }}{{ end }}{{ end }}{{ include \"r\" list }}",
            8 * 1024 * 1024);
        Assert.Equal(TemplateCodes.TemplateRenderError, e.Diagnostic.Code);
        Assert.Contains("bottom", e.Message);
    }

    [Fact]
    public void Template_recursion_in_the_plain_go_engine_stops_with_the_depth_limit()
    {
        var template = GoTemplate.Parse("t", "{{ define \"r\" }}{{ template \"r\" . }}{{ end }}{{ template \"r\" . }}",
            GoFunctionTable.CreateWithBuiltins());
        var e = StackThreads.Run(StackThreads.Huge, () => Assert.Throws<GoTemplateExecException>(() => template.Execute(null)));
        Assert.Equal((GoLimit.Depth, 1, 29), (e.Limit, e.Line, e.Column)); // at the inner call's name
        Assert.Contains("exceeded maximum template depth", e.Message);

        var small = StackThreads.Run(StackThreads.Small, () => Assert.Throws<GoTemplateExecException>(() => template.Execute(null)));
        Assert.Equal(GoLimit.Depth, small.Limit);
    }

    [Fact]
    public void Deeply_nested_actions_are_a_parse_error_not_a_crash()
    {
        CrashGuards.RequireTemplateDepthLimit();
        var text = string.Concat(Enumerable.Repeat("{{ if 1 }}", 100_000)) + string.Concat(Enumerable.Repeat("{{ end }}", 100_000));
        // Go's own parser recurses too; 100,000 levels need more stack than a thread has.
        var e = StackThreads.Run(StackThreads.Small, () =>
            Assert.Throws<GoTemplateParseException>(() => GoTemplate.Parse("t", text, GoFunctionTable.CreateWithBuiltins())));
        Assert.Equal(GoLimit.Depth, e.Limit);
        Assert.Contains("too deep", e.Message);
    }

    [Fact]
    public void Range_over_until_200_million_stops_before_building_the_list()
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<SpecException>(() => new HelmSpecRenderer(EmptyContext()).Render("spec.yml", "a: 1\n{{ range until 200000000 }}x{{ end }}"));
        AssertLimit(e, TemplateLimits.ConfigKeys.LoopIterations, 2, 10);
        Assert.Contains("200,000,000", e.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 100_000_000, "the list was built");
    }

    [Fact]
    public void Nested_ranges_share_one_loop_budget()
    {
        var e = Assert.Throws<SpecException>(() => new HelmSpecRenderer(EmptyContext()).Render("spec.yml",
            "{{ range $i := until 1000 }}{{ range $j := until 1000 }}{{ range $k := until 10 }}{{ end }}{{ end }}{{ end }}"));
        Assert.Equal(TemplateCodes.TemplateLimitExceeded, e.Diagnostic.Code);
        Assert.Contains("general." + TemplateLimits.ConfigKeys.LoopIterations, e.Message);
    }

    [Theory]
    [InlineData("{{ repeat 2000000000 \"x\" }}", 4)]
    [InlineData("{{ indent 200000000 \"x\" }}", 4)]
    [InlineData("{{ randAlpha 200000000 }}", 4)]
    public void Functions_that_build_huge_strings_stop_at_the_output_limit(string template, int column)
    {
        var e = Assert.Throws<SpecException>(() => new HelmSpecRenderer(EmptyContext()).Render("spec.yml", template));
        AssertLimit(e, TemplateLimits.ConfigKeys.OutputChars, 1, column);
    }

    [Fact]
    public void Output_growing_past_the_limit_stops_the_template()
    {
        var limits = new TemplateLimits { OutputChars = 10_000 }.ForGoTemplates();
        var template = GoTemplate.Parse("t", "{{ range . }}0123456789{{ end }}", GoFunctionTable.CreateWithBuiltins());
        var e = Assert.Throws<GoTemplateExecException>(() =>
            template.Execute(Enumerable.Range(0, 2_000).Cast<object?>().ToList(), new GoExecuteOptions { Limits = limits }));
        Assert.Equal(GoLimit.OutputChars, e.Limit);
        Assert.Contains("10,000", e.Message);
        Assert.Contains("general." + TemplateLimits.ConfigKeys.OutputChars, e.Message);
    }

    [Fact]
    public void The_config_keys_under_general_set_the_limits_of_the_render_engine()
    {
        using var specs = new TempSpecs();
        specs.Write(".lxd-compose.yml",
            "env_dirs: [envs]\nrender_default_file: values.yml\ngeneral:\n  template_loop_limit: 10\n  template_depth_limit: 5\n  template_output_limit: 100000\n")
            .Write("values.yml", "n: 11\n")
            .Env("projects:\n{{ range until .Values.n }}- name: p{{ . }}\n{{ end }}");
        var config = SpecLoader.LoadConfig(new LoadOptions { WorkingDirectory = specs.Root, EnvironmentVariables = SpecTestKit.NoEnvironment });
        Assert.Equal(new TemplateLimits { LoopIterations = 10, Depth = 5, OutputChars = 100_000 }, config.General.TemplateLimits);

        var set = specs.Load();
        Assert.Contains("Error TemplateLimitExceeded envs/env.yml:2:10", specs.Problems(set));
        Assert.Contains("general.template_loop_limit", set.Diagnostics.First(d => d.Code == TemplateCodes.TemplateLimitExceeded).Message);

        specs.Write("values.yml", "n: 10\n");
        Assert.Equal(10, specs.LoadSingle().Projects.Count);
    }

    [Fact]
    public void The_limits_can_be_set_from_the_environment_and_are_checked()
    {
        using var specs = new TempSpecs();
        specs.Write(".lxd-compose.yml", "env_dirs: [envs]\n");
        var options = new LoadOptions
        {
            WorkingDirectory = specs.Root,
            EnvironmentVariables = new Dictionary<string, string> { ["LXD_COMPOSE_GENERAL__TEMPLATE_DEPTH_LIMIT"] = "50" },
        };
        Assert.Equal(50, SpecLoader.LoadConfig(options).General.TemplateLimits.Depth);

        specs.Write(".lxd-compose.yml", "env_dirs: [envs]\ngeneral:\n  template_loop_limit: 0\n");
        var e = Assert.Throws<SpecException>(() => SpecLoader.LoadConfig(new LoadOptions { WorkingDirectory = specs.Root, EnvironmentVariables = SpecTestKit.NoEnvironment }));
        Assert.Equal((LoadCodes.ValueOutOfRange, 3, 24), (e.Diagnostic.Code, e.Diagnostic.Line, e.Diagnostic.Column));
    }

    [Fact]
    public void Mottainai_config_templates_get_the_configured_limits()
    {
        var engine = new MottainaiConfigTemplateEngine(new TemplateLimits { LoopIterations = 3 });
        var e = Assert.Throws<SpecException>(() => engine.Render("{{ range until 4 }}x{{ end }}", "t.tmpl", NoValues));
        Assert.Equal((TemplateCodes.TemplateLimitExceeded, "t.tmpl", 1, 10), (e.Diagnostic.Code, e.Diagnostic.File, e.Diagnostic.Line, e.Diagnostic.Column));
        Assert.Equal("xxx", engine.Render("{{ range until 3 }}x{{ end }}", "t.tmpl", NoValues));
    }

    [Theory]
    [InlineData("{{ for i in 1..4; end }}", "template_loop_limit")]
    [InlineData("{{ x = 'aaaaaaaaaa'; for i in 1..3; x = x + x; end; x }}", "template_output_limit")]
    [InlineData("{{ func r; r; end; r }}", "template_depth_limit")]
    public void Scriban_templates_get_the_same_limits_with_the_same_keys(string template, string key)
    {
        var engine = new ScribanConfigTemplateEngine(new TemplateLimits { LoopIterations = 3, OutputChars = 50, Depth = 10 });
        var e = Assert.Throws<SpecException>(() => engine.Render(template, "t.scriban", NoValues));
        Assert.Equal((TemplateCodes.TemplateLimitExceeded, "t.scriban"), (e.Diagnostic.Code, e.Diagnostic.File));
        Assert.True(e.Diagnostic is { Line: 1, Column: >= 1 }, e.Diagnostic.ToString());
        Assert.Contains("general." + key, e.Message);
    }
}
