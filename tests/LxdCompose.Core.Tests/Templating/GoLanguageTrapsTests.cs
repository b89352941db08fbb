using LxdCompose.GoTemplates;
using LxdCompose.Yaml;
using Xunit;

namespace LxdCompose.Tests.Templating;

/// <summary>The language traps of galaxy-and-templates.md, on data read from YAML as lxd-compose reads it (yaml.v3).</summary>
public class GoLanguageTrapsTests
{
    private static GoFunctionTable Builtins => GoFunctionTable.CreateWithBuiltins();

    private static string Render(string text, string yaml, GoMissingKey missingKey = GoMissingKey.Default)
    {
        var data = YamlScalarTyping.ToValue(YamlTreeReader.Parse(yaml, "values.yaml")!);
        return GoTemplate.Parse("spec.yml", text, Builtins).Execute(data, new GoExecuteOptions { MissingKey = missingKey });
    }

    public static TheoryData<string, string, string> TrapCases => new()
    {
        // Trap 2.
        { "{{ \"a\" | }}", "x: 1", "a" },
        { "{{-3}}", "x: 1", "-3" },
        { "a {{- 3 }}", "x: 1", "a3" },
        // Trap 3: comparisons; nil compares; multi-argument eq stops at the first match.
        { "{{ eq 1 1 \"x\" }}", "x: 1", "true" },
        { "{{ eq .missing \"true\" }}", "x: 1", "false" },
        { "{{ eq .flag false }}", "flag: false", "true" },
        { "{{ ne .n 1 }}", "n: 2", "true" },
        // Trap 4: floats print like Go's %v.
        { "{{ .f }}", "f: 1000000.0", "1e+06" },
        { "{{ .f }}", "f: 123456789.5", "1.234567895e+08" },
        { "{{ .f }}", "f: 100000.0", "100000" },
        { "{{ .f }}", "f: 1.0", "1" },
        { "{{ .f }}", "f: 1.10", "1.1" },
        // Trap 5 (language part): missing keys print <no value>; a field under a missing parent too (default mode).
        { "{{ .a.b.c }}", "x: 1", "<no value>" },
        { "{{ print .missing }}", "x: 1", "<nil>" },
        // Value printing of YAML data.
        { "{{ .m }}", "m: {b: 2, a: 1}", "map[a:1 b:2]" },
        { "{{ .l }}", "l: [a, b]", "[a b]" },
        { "{{ .d }}", "d: 2020-01-02", "2020-01-02 00:00:00 +0000 UTC" },
        { "{{ .yes }}", "yes: yes", "yes" },
        { "{{ print \"prefix/\" .n \"/\" }}", "n: 13", "prefix/13/" },
        { "{{ if \"false\" }}T{{ end }}", "x: 1", "T" },
        { "{{ range $i, $v := .l }}{{ $i }}={{ $v.name }};{{ end }}", "l: [{name: a}, {name: b}]", "0=a;1=b;" },
        { "{{ range $v := .l }}{{ $v }}{{ end }}", "l: [x, y]", "xy" },
        { "{{ range $k, $v := .m }}{{ $k }}{{ $v }}{{ end }}", "m: {z: 1, a: 2}", "a2z1" },
        { "{{ $s := \"a\" }}{{ if true }}{{ $s = \"b\" }}{{ end }}{{ $s }}", "x: 1", "b" },
        { "{{ range $i := .l }}{{ $.top }}{{ end }}", "top: T\nl: [1, 2]", "TT" },
        { "{{ with .node }}{{ .Name }}{{ end }}", "node: {Name: n1}", "n1" },
        { "{{ index .m \"host_data_path\" }}", "m: {host_data_path: /data}", "/data" },
        { "{{ (.x) }}", "x: 5", "5" },
        { "{{ `{{ raw }}` }}", "x: 1", "{{ raw }}" },
    };

    [Theory]
    [MemberData(nameof(TrapCases))]
    public void Language_traps_behave_like_lxd_compose(string text, string yaml, string expected) =>
        Assert.Equal(expected, Render(text, yaml));

    public static TheoryData<string, string, GoMissingKey, string> TrapErrorCases => new()
    {
        { "{{ eq 1 1.0 }}", "x: 1", GoMissingKey.Default, "incompatible types for comparison" },
        { "{{ lt 1 2.5 }}", "x: 1", GoMissingKey.Default, "incompatible types for comparison" },
        { "{{ eq .f 2 }}", "f: 2.0", GoMissingKey.Default, "incompatible types for comparison" },
        { "{{ eq 1 2 \"x\" }}", "x: 1", GoMissingKey.Default, "incompatible types for comparison" },
        { "{{ eq 1 \"1\" }}", "x: 1", GoMissingKey.Default, "incompatible types for comparison: int and string" },
        { "{{ lt .missing 1 }}", "x: 1", GoMissingKey.Default, "invalid type for comparison" },
        { "{{ .a.b.c }}", "x: 1", GoMissingKey.Zero, "nil pointer evaluating interface {}.b" },
        { "{{ .a.b }}", "a: null", GoMissingKey.Default, "nil pointer evaluating interface {}.b" },
        { "{{ .x | printf }}", "y: 1", GoMissingKey.Default, "invalid value; expected string" },
    };

    [Theory]
    [MemberData(nameof(TrapErrorCases))]
    public void Language_trap_errors_behave_like_lxd_compose(string text, string yaml, GoMissingKey missingKey,
        string message)
    {
        var e = Assert.Throws<GoTemplateExecException>(() => Render(text, yaml, missingKey));
        Assert.Contains(message, e.Message);
        Assert.StartsWith("template: spec.yml:1:", e.Message);
    }

    [Fact]
    public void Helm_style_zero_mode_still_prints_no_value_for_interface_maps() =>
        Assert.Equal("<no value>", Render("{{ .missing }}", "x: 1", GoMissingKey.Zero));
}
