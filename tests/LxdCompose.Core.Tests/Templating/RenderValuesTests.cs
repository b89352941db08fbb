using LxdCompose.Loading;
using LxdCompose.Specs;
using LxdCompose.Templating;
using LxdCompose.Tests.Loading;
using Xunit;

namespace LxdCompose.Tests.Templating;

/// <summary>.Values as lxd-compose builds it: values + secrets + overrides, coalesced onto defaults (Helm rules).</summary>
public sealed class RenderValuesTests : IDisposable
{
    private readonly TempSpecs _t = new();

    public void Dispose() => _t.Dispose();

    private static Dictionary<string, object?> Map(params (string Key, object? Value)[] entries) =>
        entries.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);

    private static Dictionary<string, object?> Sub(object? value) => Assert.IsType<Dictionary<string, object?>>(value);

    [Fact]
    public void User_values_win_over_defaults_and_defaults_fill_missing_keys()
    {
        var merged = RenderValueTree.Coalesce(Map(("a", "user")), Map(("a", "default"), ("b", 2L)));
        Assert.Equal(Map(("a", "user"), ("b", 2L)), merged);
    }

    [Fact]
    public void Maps_merge_recursively()
    {
        var merged = RenderValueTree.Coalesce(
            Map(("db", Map(("host", "h1")))),
            Map(("db", Map(("host", "h0"), ("port", 5432L)))));
        Assert.Equal(Map(("host", "h1"), ("port", 5432L)), Sub(merged["db"]));
    }

    [Fact]
    public void A_null_in_values_deletes_the_default_key()
    {
        var merged = RenderValueTree.Coalesce(Map(("a", null), ("b", 1L)), Map(("a", "default"), ("c", 3L)));
        Assert.False(merged.ContainsKey("a"));
        Assert.Equal(Map(("b", 1L), ("c", 3L)), merged);
    }

    [Fact]
    public void A_nested_null_deletes_the_nested_default_key()
    {
        var merged = RenderValueTree.Coalesce(
            Map(("db", Map(("port", null)))),
            Map(("db", Map(("host", "h0"), ("port", 5432L)))));
        Assert.Equal(Map(("host", "h0")), Sub(merged["db"]));
    }

    [Fact]
    public void Top_level_nulls_are_deleted_even_without_defaults()
    {
        var merged = RenderValueTree.Coalesce(Map(("a", null), ("b", "x")), new Dictionary<string, object?>());
        Assert.Equal(Map(("b", "x")), merged);
    }

    [Fact]
    public void Nested_nulls_survive_when_no_default_map_is_beside_them()
    {
        // Trap 6: Helm only walks levels where both sides have a map.
        var merged = RenderValueTree.Coalesce(Map(("a", Map(("b", null), ("c", 1L)))), new Dictionary<string, object?>());
        var a = Sub(merged["a"]);
        Assert.True(a.ContainsKey("b"));
        Assert.Null(a["b"]);
    }

    [Fact]
    public void Nulls_in_defaults_are_copied_when_the_user_has_no_such_key()
    {
        var merged = RenderValueTree.Coalesce(Map(("a", Map(("x", 1L)))), Map(("a", Map(("y", null)))));
        Assert.Equal(Map(("x", 1L), ("y", null)), Sub(merged["a"]));
    }

    [Fact]
    public void A_user_scalar_is_kept_over_a_default_map_and_a_user_map_over_a_default_scalar()
    {
        var merged = RenderValueTree.Coalesce(
            Map(("a", "flat"), ("b", Map(("k", null)))),
            Map(("a", Map(("x", 1L))), ("b", "scalar")));
        Assert.Equal("flat", merged["a"]);
        // No default map beside b: its nested null survives.
        Assert.Equal(Map(("k", null)), Sub(merged["b"]));
    }

    [Fact]
    public void Coalesce_does_not_modify_its_inputs()
    {
        var values = Map(("a", null), ("m", Map(("k", 1L))));
        var defaults = Map(("a", 1L), ("m", Map(("j", 2L))));
        RenderValueTree.Coalesce(values, defaults);
        Assert.True(values.ContainsKey("a"));
        Assert.Single(Sub(values["m"]));
        Assert.Single(Sub(defaults["m"]));
    }

    [Fact]
    public void Render_env_assignments_set_top_level_strings_and_dotted_paths_set_nested_keys()
    {
        Assert.Equal(Map(("version", "017")), RenderValueOverrides.ParseAssignment("version=017"));
        Assert.Equal(Map(("k", "a=b")), RenderValueOverrides.ParseAssignment("k=a=b"));
        Assert.Equal(Map(("db", Map(("host", "x")))), RenderValueOverrides.ParseAssignment("db.host=x"));
        Assert.Throws<ArgumentException>(() => RenderValueOverrides.ParseAssignment("novalue"));
        Assert.Throws<ArgumentException>(() => RenderValueOverrides.ParseAssignment("a..b=1"));
    }

    [Fact]
    public void Overrides_merge_maps_replace_scalars_and_later_layers_win()
    {
        var values = Map(("db", Map(("host", "h"), ("port", 1L))), ("name", "n"));
        RenderValueOverrides.Empty
            .Then(RenderValueOverrides.ParseAssignment("db.port=2"))
            .Then(Map(("db", Map(("user", "u"))), ("name", Map(("first", "a")))))
            .Then(Map(("db", Map(("port", 3)))))
            .ApplyTo(values);
        Assert.Equal(Map(("host", "h"), ("port", 3L), ("user", "u")), Sub(values["db"]));
        Assert.Equal(Map(("first", "a")), Sub(values["name"]));
    }

    [Fact]
    public void Typed_values_are_normalized_to_yaml_types()
    {
        var tree = (Dictionary<string, object?>)RenderValueTree.Normalize(new System.Collections.Hashtable
        {
            ["i"] = 5, ["f"] = 1.5f, ["list"] = new object[] { 1, "x" }, ["nested"] = new System.Collections.Hashtable { ["b"] = true },
        })!;
        Assert.Equal(5L, tree["i"]);
        Assert.Equal(1.5, tree["f"]);
        Assert.Equal(new List<object?> { 1L, "x" }, tree["list"]);
        Assert.Equal(Map(("b", true)), Sub(tree["nested"]));
    }

    [Fact]
    public void Flatten_and_remove_path_work_on_dotted_names()
    {
        var tree = Map(("a", Map(("b", 1L), ("c", Map()))), ("d", "x"));
        Assert.Equal(new[] { "a.b", "a.c", "d" }, RenderValueTree.Flatten(tree).Select(e => e.Key));
        Assert.True(RenderValueTree.RemovePath(tree, RenderValueTree.ParsePath("a.b")));
        Assert.True(RenderValueTree.RemovePath(tree, RenderValueTree.ParsePath("a.c")));
        Assert.False(tree.ContainsKey("a"));
        Assert.False(RenderValueTree.RemovePath(tree, RenderValueTree.ParsePath("zz.y")));
    }

    private ComposeConfig Config(string yaml)
    {
        _t.Write(".lxd-compose.yml", "env_dirs: [envs]\n" + yaml);
        return SpecLoader.LoadConfig(new LoadOptions { WorkingDirectory = _t.Root, EnvironmentVariables = SpecTestKit.NoEnvironment });
    }

    [Fact]
    public void Context_from_config_reads_values_secrets_and_defaults_with_yaml_typing()
    {
        _t.Write("render/values.yaml", "a: 1\nsecrets: {from: values}\nversion: \"3.10\"\nn: ~\n")
            .Write("render/default.yaml", "a: 0\nb: [1, two]\nn: default\nwhen: 2020-01-02\n")
            .Write("render/secrets.yaml", "db: {user: u, pwd: p}\n");
        var config = Config("render_values_file: render/values.yaml\nrender_default_file: render/default.yaml\n" +
                            "render_secrets_file: render/secrets.yaml\n");
        var values = RenderContext.Build(config).Values;
        Assert.Equal(1L, values["a"]);
        Assert.Equal(new List<object?> { 1L, "two" }, values["b"]);
        Assert.Equal("3.10", values["version"]);
        Assert.False(values.ContainsKey("n"));
        Assert.IsType<DateTimeOffset>(values["when"]);
        Assert.Equal(Map(("db", Map(("user", "u"), ("pwd", "p")))), Sub(values["secrets"]));
    }

    [Fact]
    public void An_empty_secrets_file_leaves_the_values_secrets_key_alone()
    {
        _t.Write("values.yaml", "secrets: {kept: true}\n").Write("secrets.yaml", "");
        var values = RenderContext.Build(Config("render_values_file: values.yaml\nrender_secrets_file: secrets.yaml\n")).Values;
        Assert.Equal(Map(("kept", true)), Sub(values["secrets"]));
    }

    [Fact]
    public void Overrides_apply_after_secrets_and_before_the_defaults_merge()
    {
        _t.Write("values.yaml", "a: 1\nb: 2\n").Write("default.yaml", "c: 3\nd: {e: 4, f: 5}\n").Write("secrets.yaml", "s: 1\n");
        var config = Config("render_values_file: values.yaml\nrender_default_file: default.yaml\nrender_secrets_file: secrets.yaml\n");
        var overrides = RenderValueOverrides.Empty
            .Then(RenderValueOverrides.ParseAssignment("a=10"))
            .Then(Map(("d", Map(("f", null)))))
            .Then(Map(("secrets", Map(("t", 2L)))));
        var values = RenderContext.Build(config, overrides).Values;
        Assert.Equal("10", values["a"]);
        Assert.Equal(2L, values["b"]);
        Assert.Equal(Map(("e", 4L)), Sub(values["d"]));
        Assert.Equal(Map(("s", 1L), ("t", 2L)), Sub(values["secrets"]));
    }

    [Fact]
    public void Encrypted_secrets_without_a_key_are_an_error_naming_the_file()
    {
        _t.Write("values.yaml", "a: 1\n").Write("secrets.enc", "c2VjcmV0");
        var config = Config("render_values_file: values.yaml\nrender_secrets_file: secrets.enc\nsecurity: {encrypted_secrets: true}\n");
        var e = Assert.Throws<SpecException>(() => RenderContext.Build(config));
        Assert.Equal((LoadCodes.EncryptionKeyMissing, _t.PathOf("secrets.enc")), (e.Diagnostic.Code, e.Diagnostic.File));
        Assert.Contains("-Key", e.Message);
        Assert.DoesNotContain("c2VjcmV0", e.Message);
    }

    [Fact]
    public void Missing_render_files_and_directories_are_errors_that_name_the_key()
    {
        var values = Assert.Throws<SpecException>(() => RenderContext.Build(Config("render_values_file: nope.yaml\n")));
        Assert.Equal(TemplateCodes.RenderFileNotFound, values.Diagnostic.Code);
        Assert.Contains("render_values_file 'nope.yaml'", values.Message);

        _t.Write("values.yaml", "a: 1\n");
        var dirs = Assert.Throws<SpecException>(() =>
            RenderContext.Build(Config("render_values_file: values.yaml\nrender_templates_dirs: [missing]\n")));
        Assert.Equal(TemplateCodes.TemplatesDirNotFound, dirs.Diagnostic.Code);
    }

    [Fact]
    public void A_values_file_that_is_not_a_map_is_an_error_at_its_position()
    {
        _t.Write("values.yaml", "- a\n- b\n");
        var e = Assert.Throws<SpecException>(() => RenderContext.Build(Config("render_values_file: values.yaml\n")));
        Assert.Equal((TemplateCodes.RenderFileInvalid, _t.PathOf("values.yaml"), 1, 1),
            (e.Diagnostic.Code, e.Diagnostic.File, e.Diagnostic.Line, e.Diagnostic.Column));
    }

    [Fact]
    public void Templates_dirs_give_tpl_names_from_yaml_files_only_in_name_order()
    {
        _t.Write("values.yaml", "a: 1\n")
            .Write("tpl1/b.yaml", "B").Write("tpl1/a.yaml", "A").Write("tpl1/skip.yml", "no").Write("tpl1/sub/c.yaml", "no")
            .Write("tpl2/x.yaml.yaml", "X");
        var context = RenderContext.Build(Config("render_values_file: values.yaml\nrender_templates_dirs: [tpl1, tpl2]\n"));
        Assert.Equal(new[] { "tpl/a", "tpl/b", "tpl/x" }, context.NamedTemplates.Select(t => t.Name));
        Assert.Equal("A", context.FindTemplate("tpl/a")!.Text);
    }
}
