using LxdCompose.GoTemplates;
using LxdCompose.Templating.Conversion;
using Xunit;

namespace LxdCompose.Tests.Templating.Conversion;

/// <summary>The constructs of galaxy-and-templates.md §2.2/§2.3 one by one: Go input, exact Scriban output.</summary>
public sealed class GoToScribanConverterTests
{
    internal static ConversionResult Convert(string go, ConversionTarget target = ConversionTarget.Render)
    {
        var result = GoToScribanConverter.Convert(go, "test.yml", new ConversionOptions { Target = target });
        var parsed = global::Scriban.Template.Parse(result.Text);
        Assert.False(parsed.HasErrors, string.Join("; ", parsed.Messages) + "\n" + result.Text);
        Assert.DoesNotContain(result.Warnings, w => w.Construct == "scriban");
        return result;
    }

    private static void Translates(string go, string scriban, ConversionTarget target = ConversionTarget.Render)
    {
        var result = Convert(go, target);
        Assert.Equal(scriban, result.Text);
        Assert.Empty(result.Warnings);
    }

    [Theory]
    // .Values chains and other dot fields
    [InlineData("connection: \"{{ .Values.connection }}\"", "connection: \"{{ values.connection }}\"")]
    [InlineData("{{ .Values.mongo.version }}", "{{ values.mongo.version }}")]
    [InlineData("{{ $.Values.a }}", "{{ values.a }}")]
    // if / else / else if
    [InlineData("{{ if .Values.a }}\n- x\n{{ else }}\n- y\n{{ end }}", "{{ if go.truth values.a }}\n- x\n{{ else }}\n- y\n{{ end }}")]
    [InlineData("{{if .Values.a}}a{{else if .Values.b}}b{{end}}", "{{ if go.truth values.a }}a{{ else if go.truth values.b }}b{{ end }}")]
    // comparisons and boolean functions become operators where the result is a bool
    [InlineData("{{ if eq $.Values.os \"funtoo\" }}f{{ end }}", "{{ if values.os == \"funtoo\" }}f{{ end }}")]
    [InlineData("{{ if eq .Values.docker_host_ubuntu false }}u{{ end }}", "{{ if values.docker_host_ubuntu == false }}u{{ end }}")]
    [InlineData("{{ if not .Values.x }}n{{ end }}", "{{ if !(go.truth values.x) }}n{{ end }}")]
    [InlineData("{{ if not (eq .Values.a 1) }}n{{ end }}", "{{ if !(values.a == 1) }}n{{ end }}")]
    [InlineData("{{ if and .Values.a (ne .Values.b 2) }}y{{ end }}", "{{ if (go.truth values.a) && (values.b != 2) }}y{{ end }}")]
    [InlineData("{{ if or .Values.a .Values.b .Values.c }}y{{ end }}", "{{ if (go.truth values.a) || (go.truth values.b) || (go.truth values.c) }}y{{ end }}")]
    [InlineData("{{ eq .Values.a \"x\" \"y\" }}", "{{ (values.a == \"x\") || (values.a == \"y\") }}")]
    [InlineData("{{ lt 1 2 }}{{ le 1 2 }}{{ gt 1 2 }}{{ ge 1 2 }}", "{{ 1 < 2 }}{{ 1 <= 2 }}{{ 1 > 2 }}{{ 1 >= 2 }}")]
    // and/or as values keep Go's "return an operand" semantics through helpers
    [InlineData("{{ or .Values.a \"default\" }}", "{{ go.or values.a \"default\" }}")]
    // variables: declaration, assignment, field chains on variables
    [InlineData("{{- $slot := .Values.postgres.slot }}", "{{- $slot = values.postgres.slot }}")]
    [InlineData("{{ $s := 1 }}{{ if .Values.lts }}{{ $s = 2 }}{{ end }}{{ $s }}", "{{ $s = 1 }}{{ if go.truth values.lts }}{{ $s = 2 }}{{ end }}{{ $s }}")]
    [InlineData("{{ $x := 1 }}{{ if true }}{{ $x := 2 }}{{ $x }}{{ end }}{{ $x }}", "{{ $x = 1 }}{{ if true }}{{ $x_2 = 2 }}{{ $x_2 }}{{ end }}{{ $x }}")]
    // range with one variable (the element), over sprig's until
    [InlineData("{{ range $i := until $.Values.n }}{{ $i }}{{ end }}", "{{ for $i in (gosprig.until values.n) }}{{ $i }}{{ end }}")]
    [InlineData("{{ range $i, $e := until 2 }}{{ $i }}{{ $e }}{{ end }}", "{{ for $e in (gosprig.until 2); $i = for.index }}{{ $i }}{{ $e }}{{ end }}")]
    [InlineData("{{ range 3 }}{{ . }}{{ end }}", "{{ for $item in 0..<3 }}{{ $item }}{{ end }}")]
    // with rebinds dot; else sees the outer dot
    [InlineData("{{ with .node }}{{ .Name }}{{ end }}", "{{ $with = node; if go.truth $with }}{{ $with.Name }}{{ end }}")]
    [InlineData("{{ with $n := .Values.n }}{{ .x }}{{ else }}{{ .Values.y }}{{ end }}", "{{ $n = values.n; if go.truth $n }}{{ $n.x }}{{ else }}{{ values.y }}{{ end }}")]
    // pipelines: the piped value is the last argument, as in Go
    [InlineData("{{ .Values.storage | default \"x\" }}", "{{ gosprig.default \"x\" values.storage }}")]
    [InlineData("{{ $n := .Values.mongo.replicaset_nodes|int }}", "{{ $n = gosprig.int values.mongo.replicaset_nodes }}")]
    [InlineData("{{ .Values.a | upper | quote }}", "{{ gosprig.quote (gosprig.upper values.a) }}")]
    [InlineData("{{ ( .Values.steam_x | default \"0\" ) }}", "{{ gosprig.default \"0\" values.steam_x }}")]
    [InlineData("{{ $i := add1 $.Values.n }}", "{{ $i = gosprig.add1 values.n }}")]
    // index, len, print, printf
    [InlineData("{{ index .Values.oracledb \"host_data_path\" }}", "{{ values.oracledb[\"host_data_path\"] }}")]
    [InlineData("{{ index .Values.m \"k\" 1 }}", "{{ values.m[\"k\"][1] }}")]
    [InlineData("{{ len .Values.l }}", "{{ object.size values.l }}")]
    [InlineData("{{- $p := print \"/srv/postgresql/\" $.Values.slot \"/\" }}", "{{- $p = go.print \"/srv/postgresql/\" values.slot \"/\" }}")]
    [InlineData("{{ printf \"%s-%d\" .Values.a 3 }}", "{{ go.printf \"%s-%d\" values.a 3 }}")]
    [InlineData("{{ -3 | printf \"%d\" }}", "{{ go.printf \"%d\" (-3) }}")]
    // comments
    [InlineData("{{/* a comment */}}x", "{{ ## a comment ## }}x")]
    [InlineData("a {{- /* trimmed */ -}} b", "a {{- ## trimmed ## -}} b")]
    [InlineData("{{/* x }} ## y# */}}", "{{ ## x } } # # y# ## }}")]
    // literals: strings, raw strings (with braces inside), numbers, runes, bools, nil
    [InlineData("{{ \"a\\\"b\\n\\x41\" }}", "{{ \"a\\\"b\\nA\" }}")]
    [InlineData("; {{ `LOG = {{.Ctx.RemoteHost}}` }}", "; {{ `LOG = {{.Ctx.RemoteHost}}` }}")]
    [InlineData("{{ 1e6 }} {{ 0x10 }} {{ 'a' }} {{ 1_000 }} {{ 2.5 }}", "{{ 1000000.0 }} {{ 16 }} {{ 97 }} {{ 1000 }} {{ 2.5 }}")]
    [InlineData("{{ true }} {{ nil }}", "{{ true }} {{ null }}")]
    // trim markers and text are kept as written
    [InlineData("  - a\n{{- if .Values.p }}\n  - b\n{{- end }}\n", "  - a\n{{- if go.truth values.p }}\n  - b\n{{- end }}\n")]
    [InlineData("x {{ .Values.a -}}   \n y", "x {{ values.a -}}   \n y")]
    // Scriban's escape block opener in text is written so that it stays text
    [InlineData("a {%{ b }%} c", "a {{ \"{\" }}%{ b }%} c")]
    // break, continue, range else (nil lists run the else branch, as in Go)
    [InlineData("{{ range $v := .Values.l }}{{ if $v }}{{ break }}{{ end }}{{ continue }}{{ end }}", null)]
    public void Translates_each_construct(string go, string? scriban)
    {
        if (scriban is null)
        {
            var result = Convert(go);
            Assert.Equal("{{ for $v in values.l }}{{ if go.truth $v }}{{ break }}{{ end }}{{ continue }}{{ end }}", result.Text);
            Assert.Equal("range", Assert.Single(result.Warnings).Construct);
            return;
        }
        var target = go.Contains(".node") ? ConversionTarget.ConfigTemplate : ConversionTarget.Render;
        Translates(go, scriban, target);
    }

    [Fact]
    public void Config_templates_read_variables_at_top_level()
    {
        Translates("user {{ .nginx_user }}; {{ range $index, $x := .list }}{{ index $x \"host\" | nindent 10 }}{{ end }}",
            "user {{ nginx_user }}; {{ for $entry in (go.range list); $index = $entry.key; $x = $entry.value }}{{ gosprig.nindent 10 $x[\"host\"] }}{{ end }}",
            ConversionTarget.ConfigTemplate, expectedWarnings: 0);
    }

    private static void Translates(string go, string scriban, ConversionTarget target, int expectedWarnings)
    {
        var result = Convert(go, target);
        Assert.Equal(scriban, result.Text);
        Assert.Equal(expectedWarnings, result.Warnings.Count);
    }

    [Fact]
    public void Config_template_root_and_keyword_names()
    {
        Translates("{{ . }} {{ .end }} {{ $.a.if }}", "{{ this }} {{ this[\"end\"] }} {{ a[\"if\"] }}", ConversionTarget.ConfigTemplate);
    }

    [Fact]
    public void Render_root_as_a_value_is_an_object_with_Values()
    {
        Translates("{{ template \"t\" . }}{{ define \"t\" }}{{ .Values.a }}{{ end }}",
            "{{ func t }}{{ $0.Values.a }}{{ end }}{{ t {Values: values} }}");
    }

    [Fact]
    public void Dollar_inside_range_is_the_root()
    {
        Translates("{{ range $k, $v := until 2 }}{{ $v }}{{ $.Values.x }}{{ . }}{{ end }}",
            "{{ for $v in (gosprig.until 2); $k = for.index }}{{ $v }}{{ values.x }}{{ $v }}{{ end }}");
    }

    [Fact]
    public void Range_without_variables_binds_dot_to_a_generated_variable_and_avoids_user_names()
    {
        var result = Convert("{{ $item := 1 }}{{ range .Values.l }}{{ .name }}{{ end }}");
        Assert.Equal("{{ $item = 1 }}{{ for $item2 in values.l }}{{ $item2.name }}{{ end }}", result.Text);
    }

    [Fact]
    public void Range_else_iterates_an_empty_list_for_nil()
    {
        var result = Convert("{{ range .Values.l }}x{{ else }}none{{ end }}");
        Assert.Equal("{{ for $item in (values.l ?? []) }}x{{ else }}none{{ end }}", result.Text);
    }

    [Fact]
    public void Range_with_one_variable_over_an_unknown_value_warns_about_maps_with_position()
    {
        var result = Convert("a\n  {{ range $v := .Values.m }}{{ $v }}{{ end }}");
        var w = Assert.Single(result.Warnings);
        Assert.Equal((2, 18, "range"), (w.Line, w.Column, w.Construct));
        Assert.Contains("sorted key order", w.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Range_with_key_and_value_gets_Gos_key_and_value_from_go_range()
    {
        // Go: over a map $k is the key and $v the value, in sorted key order; over a list the index and the element.
        // Scriban's for.index would give a map's position instead of its key.
        var result = Convert("{{ range $k, $v := .Values.m }}{{ $k }}={{ $v }}{{ .x }}{{ end }}");
        Assert.Equal("{{ for $entry in (go.range values.m); $k = $entry.key; $v = $entry.value }}{{ $k }}={{ $v }}{{ $v.x }}{{ end }}",
            result.Text);
        Assert.Empty(result.Warnings);
        Assert.Contains("go.range", result.HelperFunctions);
        Assert.Equal("{{ for $entry in (go.range (values.m ?? [])); $k = $entry.key; $v = $entry.value }}x{{ else }}none{{ end }}",
            Convert("{{ range $k, $v := .Values.m }}x{{ else }}none{{ end }}").Text);
    }

    [Fact]
    public void Functions_neither_engine_has_are_warned_about_at_each_place()
    {
        var result = Convert("a: {{ frobnicate .Values.x }}\nb: {{ .Values.y | frobnicate | upper }}");
        Assert.Equal("a: {{ gosprig.frobnicate values.x }}\nb: {{ gosprig.upper (gosprig.frobnicate values.y) }}", result.Text);
        Assert.Equal(new[] { (1, 7, "function"), (2, 19, "function") }, result.Warnings.Select(w => (w.Line, w.Column, w.Construct)));
        Assert.All(result.Warnings, w => Assert.Contains("'frobnicate'", w.Message, StringComparison.Ordinal));
        // Helm drops sprig's env: Go fails on it in spec files, mottainai's config templates have it.
        Assert.Equal("function", Assert.Single(Convert("{{ env \"HOME\" }}").Warnings).Construct);
        Assert.Empty(Convert("{{ env \"HOME\" }}", ConversionTarget.ConfigTemplate).Warnings);
        Assert.Equal("function", Assert.Single(Convert("{{ getKeys .Values.m }}").Warnings).Construct);
        Assert.Empty(Convert("{{ getKeys .m }}", ConversionTarget.ConfigTemplate).Warnings);
    }

    [Fact]
    public void Else_with_and_else_if_with_declarations_nest_an_if()
    {
        Translates("{{ with .Values.a }}A{{ else with .Values.b }}{{ . }}{{ end }}",
            "{{ $with = values.a; if go.truth $with }}A{{ else; $with2 = values.b; if go.truth $with2 }}{{ $with2 }}{{ end; end }}");
        Translates("{{ if $x := .Values.a }}{{ $x }}{{ end }}", "{{ $x = values.a; if go.truth $x }}{{ $x }}{{ end }}");
    }

    [Fact]
    public void Define_becomes_a_function_and_template_and_include_call_it()
    {
        Translates(
            "{{ define \"tpl/commands\" }}- {{ .cmd }}{{ end }}\ncommands:{{ include \"tpl/commands\" .Values | nindent 8 }}\n{{ template \"tpl/commands\" .Values }}",
            "{{ func tpl_commands }}- {{ $0.cmd }}{{ end }}\ncommands:{{ capture $include; tpl_commands values; end; gosprig.nindent 8 $include }}\n{{ tpl_commands values }}");
    }

    [Fact]
    public void Definitions_do_not_shadow_either_sprig_object()
    {
        Translates("{{ define \"sprig\" }}s{{ end }}{{ define \"gosprig\" }}g{{ end }}{{ template \"sprig\" }}{{ template \"gosprig\" }}",
            "{{ func sprig_template }}s{{ end }}{{ func gosprig_template }}g{{ end }}{{ sprig_template }}{{ gosprig_template }}");
    }

    [Fact]
    public void Definitions_used_above_their_place_move_to_the_top_keeping_outer_trims()
    {
        Translates("a {{ template \"x\" }}\n{{- define \"x\" }}X{{ end -}}\n b",
            "{{ func x }}X{{ end }}a {{ x }}\n{{- -}}\n b");
    }

    [Fact]
    public void Block_defines_and_calls_in_place()
    {
        Translates("{{ block \"b\" .Values }}B{{ .a }}{{ end }}", "{{ func b }}B{{ $0.a }}{{ end; b values }}");
    }

    [Fact]
    public void Templates_from_other_files_become_include_with_a_warning()
    {
        var result = Convert("x: {{ include \"tpl/tvalue\" .Values | nindent 10 }}\n{{ template \"other\" . }}");
        Assert.Equal("x: {{ gosprig.nindent 10 (include \"tpl/tvalue\" values) }}\n{{ include \"other\" {Values: values} }}", result.Text);
        Assert.Equal(new[] { (1, 7, "include"), (2, 13, "template") },
            result.Warnings.Select(w => (w.Line, w.Column, w.Construct)));
    }

    [Theory]
    [InlineData("{{ .Chart.Name }}", "{{ null ## UNTRANSLATED Go: .Chart.Name ## }}", 1, 4, "root object")]
    [InlineData("{{ .Values.x.Method 1 }}", "{{ null ## UNTRANSLATED Go: .Values.x.Method 1 ## }}", 1, 4, "method call")]
    [InlineData("a\n{{ if call .Values.f 1 }}y{{ end }}", "a\n{{ if go.truth null ## UNTRANSLATED Go: call .Values.f 1 ## }}y{{ end }}", 2, 7, "call")]
    [InlineData("{{ $x := ($y := 1) }}", "{{ $x = null ## UNTRANSLATED Go: $y := 1 ## }}", 1, 11, "declaration")]
    public void Untranslatable_parts_stay_as_marked_comments_with_a_positioned_warning(
        string go, string scriban, int line, int column, string construct)
    {
        var result = Convert(go);
        Assert.Equal(scriban, result.Text);
        var w = Assert.Single(result.Warnings);
        Assert.Equal((line, column, construct), (w.Line, w.Column, w.Construct));
        Assert.Contains(GoToScribanConverter.UntranslatedMarker, result.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Whitespace_Go_keeps_is_not_given_to_Scribans_wider_trim()
    {
        // Go's {{- trims spaces, tabs and newlines only; Scriban would also eat the form feed.
        Translates("a\f  {{- \"b\" }}", "a\f{{ \"b\" }}");
        Translates("{{ \"a\" -}} \n\u00a0b", "{{ \"a\" }}\u00a0b");
    }

    [Fact]
    public void Helpers_are_listed_sorted_with_target_specific_objects()
    {
        var render = Convert("{{ toYaml .Values.x | nindent 2 }}{{ printf \"%d\" 1 }}{{ if .Values.a }}{{ end }}");
        Assert.Equal(new[] { "go.printf", "go.truth", "gosprig.nindent", "helm.toYaml" }, render.HelperFunctions);
        var config = Convert("{{ join .l \",\" }}{{ toYaml .x }}", ConversionTarget.ConfigTemplate);
        Assert.Equal(new[] { "gosprig.toYaml", "mottainai.join" }, config.HelperFunctions);
    }

    [Fact]
    public void Invalid_Go_templates_raise_the_parse_error_with_position()
    {
        var e = Assert.Throws<GoTemplateParseException>(() => GoToScribanConverter.Convert("a\n{{ if }}", "bad.yml"));
        Assert.Contains("bad.yml:2", e.Message, StringComparison.Ordinal);
    }
}
