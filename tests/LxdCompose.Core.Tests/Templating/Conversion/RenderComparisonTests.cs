using System.Collections;
using global::Scriban.Runtime;
using LxdCompose.GoTemplates;
using LxdCompose.Templating.Conversion;
using LxdCompose.Templating.Scriban;
using Scriban;
using Xunit;

namespace LxdCompose.Tests.Templating.Conversion;

/// <summary>
/// Small templates rendered by our Go engine (builtins only) and, converted, by Scriban with minimal go.* helpers
/// built on the Go engine's own truthiness and fmt: the outputs must be equal.
/// </summary>
public sealed class RenderComparisonTests
{
    private static Dictionary<string, object?> Values() => new()
    {
        ["name"] = "web",
        ["empty"] = "",
        ["zero"] = 0L,
        ["count"] = 3L,
        ["flag"] = false,
        ["list"] = new List<object?> { "a", "b", "c" },
        ["none"] = new List<object?>(),
        ["nodes"] = new List<object?>
        {
            new Dictionary<string, object?> { ["name"] = "n1", ["image"] = "alpine" },
            new Dictionary<string, object?> { ["name"] = "n2", ["image"] = "" },
        },
        ["map"] = new Dictionary<string, object?> { ["k"] = "v", ["n"] = 2L },
    };

    [Theory]
    [InlineData("{{ .Values.name }}-{{ $.Values.count }}")]
    [InlineData("{{ if .Values.empty }}yes{{ else }}no{{ end }} {{ if .Values.zero }}yes{{ else }}no{{ end }} {{ if .Values.none }}yes{{ else }}no{{ end }} {{ if .Values.name }}yes{{ end }}")]
    [InlineData("{{ if not .Values.flag }}off{{ end }} {{ if and .Values.name (eq .Values.count 3) }}both{{ end }} {{ if or .Values.empty .Values.zero }}x{{ else }}neither{{ end }}")]
    [InlineData("{{ if eq .Values.name \"db\" \"web\" }}m{{ end }}{{ if ne .Values.count 1 }}n{{ end }}{{ if lt .Values.count 5 }}l{{ end }}{{ if ge .Values.count 3 }}g{{ end }}")]
    [InlineData("{{ or .Values.empty \"fallback\" }} {{ and .Values.name .Values.count }}")]
    [InlineData("{{ range $i, $n := .Values.nodes }}{{ $i }}={{ $n.name }}/{{ .image }}/{{ $.Values.name }};{{ end }}")]
    [InlineData("{{ range .Values.none }}x{{ else }}empty{{ end }}|{{ range 3 }}{{ . }}{{ end }}")]
    [InlineData("{{ range .Values.list }}{{ if eq . \"b\" }}{{ continue }}{{ end }}{{ . }}{{ if eq . \"c\" }}{{ break }}{{ end }}{{ end }}")]
    [InlineData("{{ with .Values.map }}{{ .k }}{{ end }}{{ with .Values.empty }}x{{ else }}{{ .Values.name }}{{ end }}")]
    [InlineData("{{ $x := .Values.name }}{{ range .Values.list }}{{ $x := . }}{{ $x }}{{ end }}{{ $x }}{{ $y := 1 }}{{ if true }}{{ $y = 2 }}{{ end }}{{ $y }}")]
    [InlineData("{{ printf \"%s:%d:%v\" .Values.name .Values.count .Values.flag }} {{ print \"/srv/\" .Values.count \"/\" }} {{ .Values.name | printf \"<%s>\" }}")]
    [InlineData("{{ index .Values.map \"k\" }}{{ index .Values.list 1 }}{{ index .Values.nodes 0 \"name\" }} {{ len .Values.list }} {{ len .Values.map }}")]
    [InlineData("{{ define \"item\" }}[{{ .name }}]{{ end }}{{ range .Values.nodes }}{{ template \"item\" . }}{{ end }}{{ block \"b\" .Values }}<{{ .name }}>{{ end }}")]
    [InlineData("a\n  {{- /* comment */ -}}\n  b {{- if .Values.name }}\n  c\n{{- end }}\n")]
    [InlineData("{{ `raw {{ text }}` }} {{ \"q\\\"uote\" }} {{ 'a' }} {{ -2 }} {{ 1.5 }} {{ true }}")]
    public void Go_and_converted_Scriban_render_the_same(string go)
    {
        var values = Values();
        string expected = GoTemplate.Parse("t", go, GoFunctionTable.CreateWithBuiltins())
            .Execute(new Dictionary<string, object?> { ["Values"] = values });

        var converted = GoToScribanConverter.Convert(go, "t");
        Assert.DoesNotContain(converted.Warnings, w => w.Construct != "range");
        var template = Template.Parse(converted.Text);
        Assert.False(template.HasErrors, string.Join("; ", template.Messages));
        var globals = new ScriptObject { ["values"] = ToScriban(values), ["go"] = GoHelpers() };
        var context = new TemplateContext { AutoIndent = false };
        context.PushGlobal(globals);
        Assert.Equal(expected, template.Render(context));
    }

    private static object? ToScriban(object? value) => value switch
    {
        IDictionary<string, object?> map => map.Aggregate(new ScriptObject(), (o, kv) =>
        {
            o[kv.Key] = ToScriban(kv.Value);
            return o;
        }),
        IList list => new ScriptArray(list.Cast<object?>().Select(ToScriban)),
        _ => value,
    };

    /// <summary>Scriban gives ints and its own containers; the Go side expects long and .NET containers.</summary>
    private static object? ToGo(object? value) => value switch
    {
        int i => (long)i,
        _ => value,
    };

    private static ScriptObject GoHelpers()
    {
        var go = new ScriptObject();
        go.Import("truth", new Func<object?, bool>(v => v is ScriptArray a ? a.Count > 0 : GoValues.IsTrue(ToGo(v))));
        go.Import("print", new Func<object?[], string>(args => GoFormat.Sprint(args.Select(ToGo).ToList())));
        go.Import("printf", new Func<string, object?[], string>((format, args) => GoFormat.Sprintf(format, args.Select(ToGo).ToList())));
        bool Truth(object? v) => v is ScriptArray a ? a.Count > 0 : GoValues.IsTrue(ToGo(v));
        go.Import("and", new Func<object?[], object?>(args => args.FirstOrDefault(a => !Truth(a), args[^1])));
        go.Import("or", new Func<object?[], object?>(args => args.FirstOrDefault(Truth, args[^1])));
        // Two-variable range needs the engines' own go.range (key/value entries in Go's order).
        var engineGo = (ScriptObject)ScribanTemplates.Globals([], ScribanHelperProfile.SpecFile)["go"]!;
        go["range"] = engineGo["range"];
        return go;
    }
}
