using Xunit;
using static LxdCompose.Tests.Templating.Conformance.ConformanceEngines;

namespace LxdCompose.Tests.Templating.Conformance;

/// <summary>
/// Maps whose keys are not strings, as yaml.v3 decodes <c>{10: ten, 9: nine}</c> for lxd-compose in both engines:
/// <c>map[interface{}]interface{}</c> holding int, float64 or bool keys. Cases follow Go's rules as its own tests state
/// them: golang/go src/internal/fmtsort/sort_test.go (go1.25; keys of one basic kind sort by value, ints numerically,
/// false before true) for range and printing, src/text/template/exec_test.go (go1.25, the index and map-range rows)
/// for index and range, and Masterminds/sprig v3.3.0 reflect_test.go for typeOf/kindOf. Keys of mixed types are left
/// out: Go orders them by the address of their type descriptor, which no other program can reproduce.
/// </summary>
public class NonStringKeyMapTests
{
    private static Dictionary<string, object?> Data() => new(StringComparer.Ordinal)
    {
        ["im"] = new Dictionary<object, object?> { [10L] = "ten", [9L] = "nine", [100L] = "hundred", [-1L] = "minus" },
        ["fm"] = new Dictionary<object, object?> { [1.5] = "x", [0.5] = "y", [-2.0] = "z" },
        ["bm"] = new Dictionary<object, object?> { [true] = "t", [false] = "f" },
        ["mixed"] = new Dictionary<object, object?> { ["a"] = 1L, [2L] = "b" },
        ["nested"] = new Dictionary<object, object?> { [1L] = new Dictionary<object, object?> { [2L] = "x" } },
        ["list"] = new List<object?> { new Dictionary<object, object?> { [3L] = "c", [1L] = "a" } },
        ["empty"] = new Dictionary<object, object?>(),
    };

    public static TheoryData<string, string> BothEngines => new()
    {
        // range visits keys in sorted order: ints numerically (not "10" < "9"), floats numerically, false before true.
        { "{{ range $k, $v := .im }}{{ $k }}={{ $v }},{{ end }}", "-1=minus,9=nine,10=ten,100=hundred," },
        { "{{ range .im }}{{ . }},{{ end }}", "minus,nine,ten,hundred," },
        { "{{ range $v := .im }}{{ $v }},{{ end }}", "minus,nine,ten,hundred," },
        { "{{ range $k, $_ := .im }}{{ typeOf $k }},{{ end }}", "int,int,int,int," },
        { "{{ range $k, $v := .fm }}{{ $k }}={{ $v }},{{ end }}", "-2=z,0.5=y,1.5=x," },
        { "{{ range $k, $v := .bm }}{{ $k }}={{ $v }},{{ end }}", "false=f,true=t," },
        { "{{ range $k, $v := index .list 0 }}{{ $k }}{{ $v }}{{ end }}", "1a3c" },
        { "{{ range .empty }}x{{ else }}none{{ end }}", "none" },
        { "{{ range $i, $k := keys (dict \"b\" 1 \"a\" 2) }}{{ $i }}{{ end }}", "01" },
        // index takes the key in its own type; another type is simply not there.
        { "{{ index .im 10 }}", "ten" },
        { "{{ index .im -1 }}", "minus" },
        { "{{ index .im \"10\" }}", "<no value>" },
        { "{{ index .im 10.0 }}", "<no value>" },
        { "{{ index .im 11 }}", "<no value>" },
        { "{{ index .fm 1.5 }}", "x" },
        { "{{ index .bm false }}", "f" },
        { "{{ index .mixed \"a\" }} {{ index .mixed 2 }}", "1 b" },
        { "{{ index .nested 1 2 }}", "x" },
        { "{{ index (index .nested 1) 2 }}", "x" },
        // A field name is a string key, so it reaches the string keys of such a map.
        { "{{ .mixed.a }}", "1" },
        { "{{ .mixed.zz }}", "<no value>" },
        // Printing sorts the same way.
        { "{{ .im }}", "map[-1:minus 9:nine 10:ten 100:hundred]" },
        { "{{ print .fm }}", "map[-2:z 0.5:y 1.5:x]" },
        { "{{ .bm }}", "map[false:f true:t]" },
        { "{{ .nested }}", "map[1:map[2:x]]" },
        { "{{ .list }}", "[map[1:a 3:c]]" },
        { "{{ .empty }}", "map[]" },
        { "{{ printf \"%v|%+v\" .im .im }}", "map[-1:minus 9:nine 10:ten 100:hundred]|map[-1:minus 9:nine 10:ten 100:hundred]" },
        { "{{ printf \"%#v\" .im }}", "map[interface {}]interface {}{-1:\"minus\", 9:\"nine\", 10:\"ten\", 100:\"hundred\"}" },
        { "{{ printf \"%#v\" .bm }}", "map[interface {}]interface {}{false:\"f\", true:\"t\"}" },
        { "{{ printf \"%T\" .im }}", "map[interface {}]interface {}" },
        { "{{ printf \"%d\" .im }}", "map[-1:%!d(string=minus) 9:%!d(string=nine) 10:%!d(string=ten) 100:%!d(string=hundred)]" },
        // Types and kinds, and functions taking any value.
        { "{{ typeOf .im }}", "map[interface {}]interface {}" },
        { "{{ typeOf (index .nested 1) }}", "map[interface {}]interface {}" },
        { "{{ kindOf .im }}", "map" },
        { "{{ typeIs \"map[interface {}]interface {}\" .im }} {{ typeIs \"map[string]interface {}\" .im }}", "true false" },
        { "{{ kindIs \"map\" .bm }}", "true" },
        { "{{ typeIsLike \"map[interface {}]interface {}\" .im }}", "true" },
        { "{{ len .im }} {{ len .empty }}", "4 0" },
        { "{{ empty .im }} {{ empty .empty }}", "false true" },
        { "{{ if .im }}y{{ end }}{{ if .empty }}n{{ end }}", "y" },
        { "{{ deepEqual .im (deepCopy .im) }}", "true" },
        { "{{ .empty | default \"d\" }}", "d" },
        { "{{ eq (index .im 9) \"nine\" }}", "true" },
        { "{{ with index .im 100 }}{{ . }}{{ end }}", "hundred" },
        // encoding/json cannot hold interface keys: sprig's toJson gives empty text.
        { "[{{ toJson .im }}]", "[]" },
        { "[{{ toPrettyJson .im }}]", "[]" },
        { "{{ toJson (list 1) }}", "[1]" },
    };

    [Theory]
    [MemberData(nameof(BothEngines))]
    public void Helm_engine_follows_go(string template, string expected) => Assert.Equal(expected, Helm(template, Data()));

    [Theory]
    [MemberData(nameof(BothEngines))]
    public void Mottainai_engine_follows_go(string template, string expected) =>
        Assert.Equal(expected, Mottainai(template, Data()));

    public static TheoryData<string, string> HelmOnly => new()
    {
        // Helm's toYaml goes through encoding/json too, and returns empty text on its error.
        { "[{{ toYaml .im }}]", "[]" },
        // fromYaml converts YAML to JSON first, so its keys come back as strings (sorted as strings).
        { "{{ fromYaml \"10: ten\\n9: nine\" }}", "map[10:ten 9:nine]" },
        { "{{ range $k, $v := fromYaml \"10: ten\\n9: nine\" }}{{ typeOf $k }}{{ end }}", "stringstring" },
        { "{{ fromYaml \"a: {1: x, true: y}\" }}", "map[a:map[1:x true:y]]" },
        { "{{ fromYamlArray \"- {2: b}\" }}", "[map[2:b]]" },
        // Helm's toToml returns BurntSushi/toml's error text.
        { "{{ toToml .im }}", "toml: cannot encode a map with non-string key type" },
    };

    [Theory]
    [MemberData(nameof(HelmOnly))]
    public void Helm_functions_follow_helm(string template, string expected) => Assert.Equal(expected, Helm(template, Data()));

    public static TheoryData<string, string> Failures => new()
    {
        // sprig's map functions take map[string]interface{}: text/template refuses the other map type.
        { "{{ keys .im }}", "wrong type for value; expected map[string]interface {}; got map[interface {}]interface {}" },
        { "{{ hasKey .im \"10\" }}", "wrong type for value; expected map[string]interface {}; got map[interface {}]interface {}" },
        { "{{ get .im \"10\" }}", "wrong type for value; expected map[string]interface {}; got map[interface {}]interface {}" },
        { "{{ mustToJson .im }}", "json: unsupported type: map[interface {}]interface {}" },
        // Comparing maps is not defined.
        { "{{ eq .im .im }}", "non-comparable type map[-1:minus 9:nine 10:ten 100:hundred]: map[interface {}]interface {}" },
        // index with a key that cannot be a map key at all.
        { "{{ index .im (list 1) }}", "error calling index: runtime error: hash of unhashable type []interface {}" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Helm_engine_fails_as_go_does(string template, string expected) =>
        Assert.Contains(expected, Failure(Helm, template, Data()));

    [Fact]
    public void Mottainai_isMap_is_true_for_interface_keyed_maps() =>
        Assert.Equal("true true", Mottainai("{{ isMap .im }} {{ isMap .bm }}", Data()));
}
