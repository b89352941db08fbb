using Xunit;
using static LxdCompose.Tests.Templating.Conformance.ConformanceEngines;

namespace LxdCompose.Tests.Templating.Conformance;

/// <summary>
/// The mottainai engine's Go semantics around nil and missing values and its getKeys. A missing key is "no value"
/// and fields of it are again no value; a key present with a null value holds a nil interface, and a field of that is
/// Go's "nil pointer evaluating interface {}.x". Rows follow golang/go src/text/template/exec_test.go (go1.25: the
/// "<no value> edge cases", nil-interface and missing-key rows) and lxd-compose v0.39.1 pkg/template/mottainai_template.go
/// for getKeys, which takes map[interface{}]interface{} and asserts every key to string.
/// </summary>
public class MottainaiEngineTests
{
    private static Dictionary<string, object?> Data() => new(StringComparer.Ordinal)
    {
        ["n"] = null,
        ["m"] = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["a"] = 1L,
            ["nil"] = null,
            ["sub"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["x"] = "deep" },
        },
        ["s"] = "str",
        ["l"] = new List<object?> { 1L, 2L },
        ["ln"] = new List<object?> { null },
        ["im"] = new Dictionary<object, object?> { [10L] = "ten", [9L] = "nine" },
        ["bm"] = new Dictionary<object, object?> { [true] = "t" },
        ["fm"] = new Dictionary<object, object?> { [1.5] = "x" },
        ["mixed"] = new Dictionary<object, object?> { ["a"] = 1L, [2L] = "b" },
        // Not something YAML produces (a map of only string keys is string-keyed), but Go code could pass one.
        ["sk"] = new Dictionary<object, object?> { ["b"] = 1L, ["a"] = 2L },
    };

    public static TheoryData<string, string> Renders => new()
    {
        { "{{ .n }}", "<no value>" },
        { "{{ .missing }}", "<no value>" },
        { "{{ .missing.x }}", "<no value>" },
        { "{{ .missing.x.y }}", "<no value>" },
        { "{{ .m.missing.x }}", "<no value>" },
        { "{{ .m.sub.missing }}", "<no value>" },
        { "{{ .m.sub.x }}", "deep" },
        { "{{ .m.nil }}", "<no value>" },
        { "{{ index .ln 0 }}", "<no value>" },
        { "{{ with .n }}a{{ else }}b{{ end }}", "b" },
        { "{{ if .n }}a{{ else }}b{{ end }}{{ if .missing.x }}c{{ else }}d{{ end }}", "bd" },
        { "{{ range .n }}x{{ else }}empty{{ end }}", "empty" },
        { "{{ .n | default \"d\" }} {{ .missing.x | default \"e\" }}", "d e" },
        { "{{ eq .n \"x\" }} {{ ne .n \"x\" }} {{ eq .missing.x \"x\" }}", "false true false" },
        { "{{ print .n }} {{ print .missing.x }} {{ toString .n }}", "<nil> <nil> <nil>" },
        { "{{ printf \"%v|%T\" .n .n }}", "<nil>|<nil>" },
        { "{{ empty .n }} {{ empty .missing.x }}", "true true" },
        { "{{ hasKey . \"n\" }} {{ hasKey .m \"nil\" }} {{ hasKey . \"missing\" }}", "true true false" },
        { "{{ $x := .missing.x }}{{ $x }}", "<no value>" },
        // A pipeline's nil interface result is unwrapped to no value, so a field of a variable or of a parenthesised
        // pipeline holding it is no value, not the nil-pointer error a field chain gives.
        { "{{ $v := .n }}{{ $v.y }}", "<no value>" },
        { "{{ (index .ln 0).x }}", "<no value>" },
        { "{{ (.n).x }}", "<no value>" },
        { "{{ isMap .n }} {{ isString .n }} {{ kindOf .n }} {{ typeOf .n }}", "false false invalid <nil>" },
        // getKeys: only an interface-keyed map whose keys are all strings succeeds (Go's order is random; ours sorted).
        { "{{ getKeys .sk }}", "[a b]" },
        { "{{ range getKeys .sk }}{{ . }};{{ end }}", "a;b;" },
        { "{{ getKeys .missing }}", "[]" },
        { "{{ len (getKeys .sk) }}", "2" },
    };

    [Theory]
    [MemberData(nameof(Renders))]
    public void Renders_as_go_does(string template, string expected) => Assert.Equal(expected, Mottainai(template, Data()));

    public static TheoryData<string, string> Fails => new()
    {
        // A field of a nil value (key present, YAML null) is an error, at any depth and in any position.
        { "{{ .n.x }}", "nil pointer evaluating interface {}.x" },
        { "{{ .n.x.y }}", "nil pointer evaluating interface {}.x" },
        { "{{ .m.nil.x }}", "nil pointer evaluating interface {}.x" },
        { "{{ if .n.x }}t{{ end }}", "nil pointer evaluating interface {}.x" },
        { "{{ with .n.x }}t{{ end }}", "nil pointer evaluating interface {}.x" },
        { "{{ .n.x | default \"d\" }}", "nil pointer evaluating interface {}.x" },
        { "{{ printf \"%v\" .n.x }}", "nil pointer evaluating interface {}.x" },
        { "{{ index .n \"x\" }}", "error calling index: index of untyped nil" },
        { "{{ len .n }}", "error calling len: len of nil pointer" },
        // A field of a value that is not a map or struct.
        { "{{ .m.a.x }}", "can't evaluate field x in type int" },
        { "{{ .s.x }}", "can't evaluate field x in type string" },
        { "{{ .l.x }}", "can't evaluate field x in type []interface {}" },
        // getKeys on anything YAML yields.
        { "{{ getKeys .m }}", "wrong type for value; expected map[interface {}]interface {}; got map[string]interface {}" },
        { "{{ getKeys .l }}", "wrong type for value; expected map[interface {}]interface {}; got []interface {}" },
        { "{{ getKeys .s }}", "wrong type for value; expected map[interface {}]interface {}; got string" },
        { "{{ getKeys .im }}", "error calling getKeys: interface conversion: interface {} is int, not string" },
        { "{{ getKeys .bm }}", "error calling getKeys: interface conversion: interface {} is bool, not string" },
        { "{{ getKeys .fm }}", "error calling getKeys: interface conversion: interface {} is float64, not string" },
        { "{{ getKeys .mixed }}", "error calling getKeys: interface conversion: interface {} is int, not string" },
        { "{{ getKeys . }}", "wrong type for value; expected map[interface {}]interface {}; got *map[string]interface {}" },
    };

    [Theory]
    [MemberData(nameof(Fails))]
    public void Fails_as_go_does(string template, string expected) =>
        Assert.Contains(expected, Failure(Mottainai, template, Data()));

    [Fact]
    public void A_null_intermediate_is_an_error_in_helm_too() =>
        Assert.Contains("nil pointer evaluating interface {}.x",
            Failure(Helm, "{{ .Values.n.x }}", new Dictionary<string, object?> { ["Values"] = Data() }));

    [Fact]
    public void A_missing_intermediate_is_an_error_in_helm_only() =>
        Assert.Contains("nil pointer evaluating interface {}.x",
            Failure(Helm, "{{ .Values.missing.x }}", new Dictionary<string, object?> { ["Values"] = Data() }));
}
