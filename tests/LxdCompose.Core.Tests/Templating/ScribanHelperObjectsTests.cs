using LxdCompose.GoTemplates;
using LxdCompose.GoTemplates.Functions;
using LxdCompose.Templating.Conversion;
using LxdCompose.Templating.Functions;
using LxdCompose.Templating.Helm;
using LxdCompose.Templating.Scriban;
using Xunit;

namespace LxdCompose.Tests.Templating;

/// <summary>
/// The Go-order helper objects (go, gosprig, helm, mottainai) of both Scriban engines: Go templates rendered by our Go
/// engines and, converted by GoToScribanConverter, by the Scriban engines' own globals must give the same text.
/// </summary>
public sealed class ScribanHelperObjectsTests
{
    private static Dictionary<string, object?> Values() => new(StringComparer.Ordinal)
    {
        ["name"] = "web",
        ["empty"] = "",
        ["count"] = 3L,
        ["version"] = "1.4.2",
        ["list"] = new List<object?> { "b", "a", "c" },
        ["map"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["k"] = "v", ["n"] = 2L },
    };

    [Theory]
    [InlineData("{{ .Values.name | default \"x\" | upper | quote }} {{ .Values.empty | default \"fallback\" }}")]
    [InlineData("m:{{ .Values.map | toYaml | nindent 4 }}")]
    [InlineData("{{ printf \"%s-%d\" .Values.name (add 1 .Values.count) }} {{ .Values.list | join \",\" }} {{ print .Values.list }}")]
    [InlineData("{{ range $i := until (int .Values.count) }}{{ $i }}{{ end }} {{ semverCompare \"^1.2.0\" .Values.version }} {{ semverCompare \"~1.3\" .Values.version }}")]
    [InlineData("{{ toToml .Values.map }}|{{ index (fromToml \"a = [1, 2]\").a 1 }}")]
    [InlineData("{{ tpl \"{{ .name }}/{{ .count }}\" .Values }}")]
    [InlineData("{{ dict \"a\" 1 \"b\" (list 1 2) | toJson }} {{ .Values.list | sortAlpha | toJson }} {{ has \"b\" .Values.list }}")]
    [InlineData("{{ sha256sum .Values.name | trunc 8 }} {{ b64enc \"hi\" }} {{ \"a.b.c\" | splitList \".\" | last }}")]
    [InlineData("{{ html \"<a href='x'>\" }} {{ urlquery \"a b&c\" }} {{ js \"it's\" }} {{ or .Values.empty .Values.name }} {{ and .Values.name .Values.count }}")]
    [InlineData("{{ derivePassword 1 \"pin\" \"password\" \"user\" \"example.com\" }} {{ (semver .Values.version).Minor }}")]
    [InlineData("{{ if .Values.list }}{{ len .Values.list }}{{ end }}{{ if .Values.empty }}x{{ else }}-{{ end }}{{ ternary \"y\" \"n\" (eq .Values.count 3) }}")]
    public void Spec_file_helpers_match_the_Helm_engine(string go)
    {
        var values = Values();
        var expected = GoTemplate.Parse("t", go, HelmSpecRenderer.CreateFunctionTable())
            .Execute(new Dictionary<string, object?>(StringComparer.Ordinal) { ["Values"] = values });

        var converted = GoToScribanConverter.Convert(go, "t");
        Assert.Empty(converted.Warnings);
        var globals = ScribanTemplates.Globals([new("values", values)], ScribanHelperProfile.SpecFile);
        Assert.Equal(expected, ScribanTemplates.Render(ScribanTemplates.Parse(converted.Text, "t"), "t", globals));
    }

    [Theory]
    [InlineData("{{ join (cast2StringArray .list) \",\" }} {{ joinWithPrefix (cast2StringArray .list) \" \" \"-\" }} {{ .name | upper }}")]
    [InlineData("{{ if isString .name }}s{{ end }}{{ if isMap .map }}m{{ end }}")]
    [InlineData("{{ replaceAll \"a-b\" \"-\" \"+\" }} {{ .count | add1 }} {{ join (cast2StringArray .list | sort) \";\" }}")]
    [InlineData("{{ .list | toJson }} {{ int \"010\" }} {{ camelcase \"foo_bar\" }}")]
    public void Config_template_helpers_match_the_mottainai_engine(string go)
    {
        var variables = Values();
        var table = MottainaiFunctions.Register(SprigFunctions.Register(GoFunctionTable.CreateWithBuiltins(), SprigVersion.V2));
        var expected = GoTemplate.Parse("spec", go, table).Execute(variables);

        var converted = GoToScribanConverter.Convert(go, "t", new ConversionOptions { Target = ConversionTarget.ConfigTemplate });
        Assert.DoesNotContain(converted.Warnings, w => w.Construct != "range");
        var globals = ScribanTemplates.Globals(variables, ScribanHelperProfile.ConfigTemplate);
        Assert.Equal(expected, ScribanTemplates.Render(ScribanTemplates.Parse(converted.Text, "t"), "t", globals));
    }

    /// <summary>Maps whose insertion order is not Go's sorted order, and lists, for range.</summary>
    private static Dictionary<string, object?> RangeData() => new(StringComparer.Ordinal)
    {
        ["ports"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["zeta"] = 3L, ["alpha"] = 1L, ["Mid"] = 2L },
        ["nodes"] = new List<object?>
        {
            new Dictionary<string, object?>(StringComparer.Ordinal) { ["name"] = "web1", ["tags"] = new List<object?> { "a", "b" } },
            new Dictionary<string, object?>(StringComparer.Ordinal) { ["name"] = "web2", ["tags"] = new List<object?>() },
        },
        ["byName"] = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["web2"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["port"] = 81L },
            ["web1"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["port"] = 80L },
        },
        ["emptyMap"] = new Dictionary<string, object?>(StringComparer.Ordinal),
        ["list"] = new List<object?> { "b", "a", "c" },
    };

    public static TheoryData<string> RangeTemplates() => new()
    {
        "{{ range $k, $v := .ports }}{{ $k }}={{ $v }};{{ end }}",
        "{{ range $i, $e := .list }}{{ $i }}:{{ $e }};{{ end }}",
        "{{ range $i, $n := .nodes }}{{ $i }}={{ .name }}[{{ range $j, $t := $n.tags }}{{ $j }}{{ $t }}{{ else }}-{{ end }}]{{ end }}",
        "{{ range $name, $cfg := .byName }}{{ $name }}:{{ .port }}:{{ $cfg.port }} {{ end }}",
        "{{ range $k, $v := .emptyMap }}x{{ else }}no entries{{ end }}|{{ range $k, $v := .missing }}x{{ end }}",
        "{{ range $k, $v := .ports }}{{ if eq $k \"alpha\" }}{{ continue }}{{ end }}{{ $k }}{{ if eq $v 3 }}{{ break }}{{ end }}{{ end }}",
    };

    [Theory]
    [MemberData(nameof(RangeTemplates))]
    public void Key_value_range_over_maps_and_lists_matches_the_mottainai_engine(string go)
    {
        var variables = RangeData();
        var table = MottainaiFunctions.Register(SprigFunctions.Register(GoFunctionTable.CreateWithBuiltins(), SprigVersion.V2));
        var expected = GoTemplate.Parse("t", go, table).Execute(variables);

        var converted = GoToScribanConverter.Convert(go, "t", new ConversionOptions { Target = ConversionTarget.ConfigTemplate });
        Assert.Empty(converted.Warnings);
        var globals = ScribanTemplates.Globals(variables, ScribanHelperProfile.ConfigTemplate);
        Assert.Equal(expected, ScribanTemplates.Render(ScribanTemplates.Parse(converted.Text, "t"), "t", globals));
    }

    [Theory]
    [MemberData(nameof(RangeTemplates))]
    public void Key_value_range_over_maps_and_lists_matches_the_Helm_engine(string go)
    {
        string spec = go.Replace("{{ range $k, $v := .", "{{ range $k, $v := .Values.", StringComparison.Ordinal)
            .Replace("$i, $e := .", "$i, $e := .Values.", StringComparison.Ordinal)
            .Replace("$i, $n := .", "$i, $n := .Values.", StringComparison.Ordinal)
            .Replace("$name, $cfg := .", "$name, $cfg := .Values.", StringComparison.Ordinal);
        var values = RangeData();
        var expected = GoTemplate.Parse("t", spec, HelmSpecRenderer.CreateFunctionTable())
            .Execute(new Dictionary<string, object?>(StringComparer.Ordinal) { ["Values"] = values });

        var converted = GoToScribanConverter.Convert(spec, "t");
        Assert.Empty(converted.Warnings);
        var globals = ScribanTemplates.Globals([new("values", values)], ScribanHelperProfile.SpecFile);
        Assert.Equal(expected, ScribanTemplates.Render(ScribanTemplates.Parse(converted.Text, "t"), "t", globals));
    }

    [Fact]
    public void Profiles_differ_where_the_Go_engines_differ()
    {
        var spec = ScribanTemplates.Globals([], ScribanHelperProfile.SpecFile);
        var config = ScribanTemplates.Globals([], ScribanHelperProfile.ConfigTemplate);
        string Render(string text, global::Scriban.Runtime.ScriptObject globals) =>
            ScribanTemplates.Render(ScribanTemplates.Parse(text, "t"), "t", globals);
        // sprig v3 vs v2 semantics, and each engine's own extras.
        Assert.Equal("8|FooBar", Render("{{ sprig.int '010' }}|{{ sprig.camelcase 'foo_bar' }}", spec));
        Assert.Equal("10|fooBar", Render("{{ sprig.int '010' }}|{{ sprig.camelcase 'foo_bar' }}", config));
        Assert.Equal("8|FooBar", Render("{{ gosprig.int '010' }}|{{ gosprig.camelcase 'foo_bar' }}", spec));
        Assert.Equal("10|fooBar", Render("{{ gosprig.int '010' }}|{{ gosprig.camelcase 'foo_bar' }}", config));
        Assert.True(spec.ContainsKey("helm") && !spec.ContainsKey("mottainai"));
        Assert.True(config.ContainsKey("mottainai") && !config.ContainsKey("helm"));
        Assert.Equal("", Render("{{ sprig.env == null }}", spec).Replace("true", "", StringComparison.Ordinal));
        // Helm's YAML helpers are in sprig for both engines; bcrypt only in v3.
        Assert.Equal("a: 1", Render("{{ sprig.toYaml {a: 1} }}", config));
        Assert.Matches(@"^\$2a\$10\$", Render("{{ sprig.bcrypt 'x' }}", spec));
    }

    [Fact]
    public void Go_helpers_follow_Go_semantics()
    {
        var globals = ScribanTemplates.Globals([], ScribanHelperProfile.SpecFile);
        string Render(string text) => ScribanTemplates.Render(ScribanTemplates.Parse(text, "t"), "t", globals);
        Assert.Equal("false|false|false|true", Render("{{ go.truth 0 }}|{{ go.truth '' }}|{{ go.truth [] }}|{{ go.truth 'x' }}"));
        Assert.Equal("0|x", Render("{{ go.and 1 0 2 }}|{{ go.or '' 'x' }}"));
        Assert.Equal("a1 2b|[1 2]|003", Render("{{ go.print 'a' 1 2 'b' }}|{{ go.print [1, 2] }}|{{ go.printf '%03d' 3 }}"));
        var e = Assert.Throws<LxdCompose.Specs.SpecException>(() => Render("x\n{{ '1.0.0' | sprig.semverCompare 'bad' }}"));
        Assert.Equal(2, e.Diagnostic.Line);
        Assert.Contains("semverCompare: improper constraint: bad", e.Diagnostic.Message, StringComparison.Ordinal);
    }
}
