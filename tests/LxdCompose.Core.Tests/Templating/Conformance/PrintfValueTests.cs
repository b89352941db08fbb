using Xunit;
using static LxdCompose.Tests.Templating.Conformance.ConformanceEngines;

namespace LxdCompose.Tests.Templating.Conformance;

/// <summary>
/// printf with %v, %+v, %#v and other verbs on the values templates hold (YAML lists and maps, sprig lists and dicts,
/// nil, strings, numbers, times). Follows golang/go src/fmt/fmt_test.go (go1.25) fmtTests — the rows for slices,
/// "go syntax", "slices with other formats", padding of list elements (issue 14642), unsupported verbs on slices
/// and "%v on pointers" — restated with template data: []interface {} for lists, map[string]interface {} for maps.
/// </summary>
public class PrintfValueTests
{
    private static Dictionary<string, object?> Data() => new(StringComparer.Ordinal)
    {
        // As yaml.v3 decodes "l: [1, a, [2, 3], {k: v}]", "m: {b: 2, a: 1, c: [1, 2]}", "n: null".
        ["l"] = new List<object?> { 1L, "a", new List<object?> { 2L, 3L }, new Dictionary<string, object?> { ["k"] = "v" } },
        ["m"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["b"] = 2L, ["a"] = 1L, ["c"] = new List<object?> { 1L, 2L } },
        ["n"] = null,
        ["withNil"] = new List<object?> { 1L, "hello", 2.5, null },
        ["deep"] = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["z"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["y"] = new List<object?> { true, 1.5 } },
        },
        ["big"] = ulong.MaxValue,
        ["when"] = new DateTimeOffset(2020, 1, 2, 3, 4, 5, TimeSpan.Zero),
        ["whenZoned"] = new DateTimeOffset(2020, 1, 2, 3, 4, 5, 6, TimeSpan.FromHours(2)),
        ["empty"] = new List<object?>(),
        ["emptyMap"] = new Dictionary<string, object?>(StringComparer.Ordinal),
    };

    public static TheoryData<string, string> Cases => new()
    {
        // %v: lists as [a b], maps as map[k:v] with sorted keys, nil as <nil>, nested alike.
        { "{{ printf \"%v\" .l }}", "[1 a [2 3] map[k:v]]" },
        { "{{ printf \"%v\" .m }}", "map[a:1 b:2 c:[1 2]]" },
        { "{{ printf \"%v\" .withNil }}", "[1 hello 2.5 <nil>]" },
        { "{{ printf \"%v\" .deep }}", "map[z:map[y:[true 1.5]]]" },
        { "{{ printf \"%v\" .n }}", "<nil>" },
        { "{{ printf \"%v\" .missing }}", "<nil>" },
        { "{{ printf \"%v\" .empty }} {{ printf \"%v\" .emptyMap }}", "[] map[]" },
        { "{{ printf \"%v\" (list 1 \"two\" 3.5) }}", "[1 two 3.5]" },
        { "{{ printf \"%v\" (dict \"b\" 1 \"a\" (list)) }}", "map[a:[] b:1]" },
        { "{{ printf \"%v\" (splitList \",\" \"x,y\") }}", "[x y]" },
        { "{{ printf \"%v\" .big }}", "18446744073709551615" },
        { "{{ printf \"%v\" .when }}", "2020-01-02 03:04:05 +0000 UTC" },
        // %+v adds field names to structs only: lists and maps print as with %v.
        { "{{ printf \"%+v\" .l }}", "[1 a [2 3] map[k:v]]" },
        { "{{ printf \"%+v\" .m }}", "map[a:1 b:2 c:[1 2]]" },
        { "{{ printf \"%+v\" .n }}", "<nil>" },
        { "{{ printf \"%+v\" 5 }} {{ printf \"%+d\" 5 }}", "5 +5" },
        // %#v: Go syntax, element types named, ", " between elements, strings quoted.
        { "{{ printf \"%#v\" .l }}", "[]interface {}{1, \"a\", []interface {}{2, 3}, map[string]interface {}{\"k\":\"v\"}}" },
        { "{{ printf \"%#v\" .m }}", "map[string]interface {}{\"a\":1, \"b\":2, \"c\":[]interface {}{1, 2}}" },
        { "{{ printf \"%#v\" .withNil }}", "[]interface {}{1, \"hello\", 2.5, interface {}(nil)}" },
        { "{{ printf \"%#v\" .deep }}", "map[string]interface {}{\"z\":map[string]interface {}{\"y\":[]interface {}{true, 1.5}}}" },
        { "{{ printf \"%#v\" (dict \"a\" nil) }}", "map[string]interface {}{\"a\":interface {}(nil)}" },
        { "{{ printf \"%#v\" .empty }} {{ printf \"%#v\" .emptyMap }}", "[]interface {}{} map[string]interface {}{}" },
        { "{{ printf \"%#v\" (splitList \",\" \"a,b\") }}", "[]string{\"a\", \"b\"}" },
        { "{{ printf \"%#v\" .n }}", "<nil>" },
        { "{{ printf \"%#v\" \"foo\" }}", "\"foo\"" },
        { "{{ printf \"%#v\" \"a\\\"b\\n\" }}", "\"a\\\"b\\n\"" },
        { "{{ printf \"%#v\" 1000000000 }} {{ printf \"%#v\" -3 }}", "1000000000 -3" },
        { "{{ printf \"%#v\" .big }}", "0xffffffffffffffff" },
        { "{{ printf \"%#v\" 1.2345678 }}", "1.2345678" },
        { "{{ printf \"%#v\" 1.0 }} {{ printf \"%#v\" 1000000.0 }} {{ printf \"%#v\" 0.000001 }}", "1 1e+06 1e-06" },
        { "{{ printf \"%#v\" true }}", "true" },
        { "{{ printf \"%#v\" .when }}", "time.Date(2020, time.January, 2, 3, 4, 5, 0, time.UTC)" },
        { "{{ printf \"%#v\" .whenZoned }}", "time.Date(2020, time.January, 2, 3, 4, 5, 6000000, time.Location(\"\"))" },
        // Other verbs apply to each element; a verb that does not fit reports the element, not the list.
        { "{{ printf \"%d\" (list 1 2 15) }}", "[1 2 15]" },
        { "{{ printf \"%x\" (list 1 2 15) }}", "[1 2 f]" },
        { "{{ printf \"%#x\" (list 1 2 15) }}", "[0x1 0x2 0xf]" },
        { "{{ printf \"%q\" (list \"a\" \"b\") }}", "[\"a\" \"b\"]" },
        { "{{ printf \"%s\" (list \"a\" \"b\") }}", "[a b]" },
        { "{{ printf \"%d\" .l }}", "[1 %!d(string=a) [2 3] map[%!d(string=k):%!d(string=v)]]" },
        { "{{ printf \"%s\" (list 1 \"a\") }}", "[%!s(int=1) a]" },
        { "{{ printf \"%t\" (list true 1) }}", "[true %!t(int=1)]" },
        { "{{ printf \"%d\" .withNil }}", "[1 %!d(string=hello) %!d(float64=2.5) <nil>]" },
        // Width, zero padding and precision apply to each element (fmt issue 14642).
        { "{{ printf \"%06v\" (list 10.0 10) }}", "[000010 000010]" },
        { "{{ printf \"%06v\" (list -10.0 10) }}", "[-00010 000010]" },
        { "{{ printf \"%03.6v\" (list 1 2.0 \"x\") }}", "[000001 002 00x]" },
        { "{{ printf \"%6v\" (list 1 11 111) }}", "[     1     11    111]" },
        { "{{ printf \"%-6v|\" (list 1 11) }}", "[1      11    ]|" },
        { "{{ printf \"%4v\" (dict \"a\" 1) }}", "map[   a:   1]" },
        { "{{ printf \"%8.2v\" .n }}", "   <nil>" },
        // %T names the dynamic type.
        { "{{ printf \"%T %T %T %T\" .l .m .n .big }}", "[]interface {} map[string]interface {} <nil> uint64" },
        { "{{ printf \"%T\" (splitList \",\" \"a\") }}", "[]string" },
        { "{{ printf \"%10T|\" .n }}", "     <nil>|" },
        // print/println/fmt-style printing in actions use %v.
        { "{{ .l }}", "[1 a [2 3] map[k:v]]" },
        { "{{ print .m .n }}", "map[a:1 b:2 c:[1 2]] <nil>" },
        { "{{ println .withNil }}", "[1 hello 2.5 <nil>]\n" },
        { "{{ toString .l }}", "[1 a [2 3] map[k:v]]" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Helm_engine_prints_like_fmt(string template, string expected) => Assert.Equal(expected, Helm(template, Data()));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Mottainai_engine_prints_like_fmt(string template, string expected) =>
        Assert.Equal(expected, Mottainai(template, Data()));
}
