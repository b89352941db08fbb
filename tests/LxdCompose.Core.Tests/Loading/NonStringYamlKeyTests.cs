using LxdCompose.Deploy;
using LxdCompose.Templating;
using LxdCompose.Templating.Helm;
using LxdCompose.Templating.Mottainai;
using LxdCompose.Yaml;
using Xunit;

namespace LxdCompose.Tests.Loading;

/// <summary>
/// YAML maps whose keys are not all strings, as lxd-compose decodes them with yaml.v3 into interface{} (render
/// values and project variables alike): map[interface{}]interface{} with typed keys, nested under the string-keyed
/// top level. They then range in Go's key order in both engines, reach j2 with typed keys, and reach hook
/// environments with their keys as text (lxd-compose converts them with dyno.ConvertMapI2MapS before encoding).
/// </summary>
public sealed class NonStringYamlKeyTests
{
    private static Dictionary<string, object?> Read(string yaml) =>
        YamlScalarTyping.ToMap(Assert.IsType<YamlMapping>(YamlTreeReader.Parse(yaml, "values.yml")));

    [Fact]
    public void A_map_with_a_non_string_key_keeps_typed_keys()
    {
        var values = Read("ports: {10: ten, 9: nine}\nflags: {true: on, 1.5: x}\nmixed: {a: 1, 2: b}\n");
        Assert.Equal(new Dictionary<object, object?> { [10L] = "ten", [9L] = "nine" }, values["ports"]);
        Assert.Equal(new Dictionary<object, object?> { [true] = "on", [1.5] = "x" }, values["flags"]);
        Assert.Equal(new Dictionary<object, object?> { ["a"] = 1L, [2L] = "b" }, values["mixed"]);
    }

    [Fact]
    public void A_map_of_string_keys_stays_string_keyed_and_so_does_the_top_level()
    {
        var values = Read("10: top\nquoted: {\"10\": x, '9': y}\nplain: {a: 1}\n");
        Assert.Equal("top", values["10"]);
        Assert.IsType<Dictionary<string, object?>>(values["quoted"]);
        Assert.IsType<Dictionary<string, object?>>(values["plain"]);
    }

    [Fact]
    public void Render_values_keep_typed_keys_through_coalescing_and_range_in_go_order()
    {
        var path = Path.Combine(Path.GetTempPath(), $"lxdcompose-keys-{Guid.NewGuid():N}.yml");
        File.WriteAllText(path, "ports: {8080: alt, 443: https, 80: http}\n");
        try
        {
            var defaults = Read("ports: {1: default}\nother: 1\n");
            var context = RenderContext.Create(RenderContext.ReadYamlMap(path, "render_values_file"), defaults, null, []);
            var text = new HelmSpecRenderer(context).Render("env.yml",
                "{{ range $k, $v := .Values.ports }}{{ $k }}={{ $v }} {{ end }}{{ index .Values.ports 443 }} {{ typeOf .Values.ports }}");
            // Helm merges only string-keyed tables: the values' map replaces the default one whole.
            Assert.Equal("80=http 443=https 8080=alt https map[interface {}]interface {}", text);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Project_variables_range_in_go_order_in_config_templates()
    {
        var variables = Read("sizes: {100: large, 20: medium, 3: small}\n");
        var text = new MottainaiConfigTemplateEngine().Render(
            "{{ range $k, $v := .sizes }}{{ $k }}:{{ $v }};{{ end }}", "sizes.tmpl", variables);
        Assert.Equal("3:small;20:medium;100:large;", text);
    }

    [Fact]
    public void Scriban_templates_see_such_a_map_as_an_object_keyed_by_text()
    {
        var variables = Read("sizes: {100: large, 3: small, true: yes}\n");
        var text = new LxdCompose.Templating.Scriban.ScribanConfigTemplateEngine().Render(
            "{{ sizes[\"100\"] }} {{ sizes[\"true\"] }} {{ object.size sizes }}", "sizes.sbn", variables);
        Assert.Equal("large yes 3", text);
    }

    [Fact]
    public void Copies_and_normalized_trees_keep_typed_keys()
    {
        var tree = Read("m: {2: b, 1: {3: c}}\n");
        var copy = (Dictionary<string, object?>)RenderValueTree.DeepCopy(tree)!;
        var normalized = (Dictionary<string, object?>)RenderValueTree.Normalize(tree)!;
        Assert.Equal(tree["m"], normalized["m"]);
        var copied = Assert.IsType<Dictionary<object, object?>>(copy["m"]);
        Assert.NotSame(tree["m"], copied);
        Assert.NotSame(((Dictionary<object, object?>)tree["m"]!)[1L], copied[1L]);
        Assert.Equal(new Dictionary<object, object?> { [3L] = "c" }, copied[1L]);
    }

    [Fact]
    public void J2_data_writes_the_keys_as_typed_scalars()
    {
        var yaml = TemplateDataYaml.Write(Read("m: {10: ten, true: yes, 1.5: {2: two}}\n"));
        Assert.Equal("m:\n  10: ten\n  true: \"yes\"\n  1.5:\n    2: two\n", yaml);
        Assert.Equal(Read("m: {10: ten, true: \"yes\", 1.5: {2: two}}\n")["m"], Read(yaml)["m"]);
    }

    /// <summary>
    /// Known difference: yaml.v3 keeps a null key (<c>{~: a}</c> is map[interface {}]interface {} with a nil key, printed
    /// map[&lt;nil&gt;:a]); .NET maps cannot hold null, so the key keeps its text. The test fails once that changes.
    /// </summary>
    [Fact]
    public void A_null_key_keeps_its_text_unlike_go()
    {
        var values = Read("m: {~: a}\nn: {null: b, 1: c}\n");
        Assert.Equal(new Dictionary<string, object?> { ["~"] = "a" }, values["m"]);
        Assert.Equal(new Dictionary<object, object?> { ["null"] = "b", [1L] = "c" }, values["n"]);
    }

    [Fact]
    public void Hook_environments_get_the_keys_as_text()
    {
        var variables = Read("m: {10: ten, 9: [1, {true: t}]}\n");
        Assert.Equal("{\"10\":\"ten\",\"9\":[1,{\"true\":\"t\"}]}", HookEnvironment.ToText(variables["m"]));
    }
}
