using LxdCompose.GoTemplates;
using LxdCompose.GoTemplates.Functions;
using LxdCompose.Templating.Functions;
using Xunit;

namespace LxdCompose.Tests.Templating.GoTemplates;

/// <summary>
/// Data passed as a Go pointer to a map (<c>tmpl.Execute(w, &amp;m)</c>), as text/template (exec.go: evalField,
/// validateType, printableValue, walkRange; funcs.go: index, length) and fmt treat it, with the sprig v2 and
/// mottainai functions on top.
/// </summary>
public class GoPointerTests
{
    private static readonly GoFunctionTable Functions =
        MottainaiFunctions.Register(SprigFunctions.Register(GoFunctionTable.CreateWithBuiltins(), SprigVersion.V2));

    private static Dictionary<string, object?> Map() => new(StringComparer.Ordinal)
    {
        ["a"] = 1L,
        ["b"] = "x",
        ["m"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["f1"] = "foo" },
    };

    private static string Run(string template, object? data) => GoTemplate.Parse("t", template, Functions).Execute(data);

    public static TheoryData<string, string> SeenThrough => new()
    {
        // evalField indirects the receiver.
        { "{{ .a }} {{ .m.f1 }} {{ .missing }} {{ $.b }}", "1 foo <no value> x" },
        // index and len indirect at each step.
        { @"{{ index . ""b"" }} {{ index . ""m"" ""f1"" }} {{ index . ""none"" }} {{ len . }}", "x foo <no value> 3" },
        // range indirects what it ranges over.
        { "{{ range $k, $v := . }}{{ $k }};{{ end }}", "a;b;m;" },
        // Typed map parameters get one dereference (validateType), also variadic and piped ones.
        { @"{{ hasKey . ""a"" }} {{ hasKey . ""z"" }} {{ keys . | sortAlpha }} {{ pluck ""b"" . }} {{ . | keys | len }}", "true false [a b m] [x] 3" },
        { @"{{ pick . ""a"" }} {{ omit . ""a"" ""m"" }} {{ values . | len }}", "map[a:1] map[b:x] 3" },
        { @"{{ $_ := set . ""k"" ""v"" }}{{ .k }} {{ $_ := unset . ""a"" }}{{ hasKey . ""a"" }}", "v false" },
        // with, if and templates pass the pointer on.
        { @"{{ with . }}{{ .b }}{{ end }}{{ define ""d"" }}{{ isMap . }}{{ .a }}{{ end }} {{ template ""d"" . }}", "x false1" },
        // Nested maps are maps.
        { "{{ isMap .m }} {{ typeOf .m }}", "true map[string]interface {}" },
    };

    [Theory]
    [MemberData(nameof(SeenThrough))]
    public void Field_access_index_len_range_and_map_parameters_see_through_the_pointer(string template, string expected) =>
        Assert.Equal(expected, Run(template, new GoPointer(Map())));

    public static TheoryData<string, string> ThePointerItself => new()
    {
        // interface{} parameters get the pointer: reflect kind Ptr.
        { "{{ isMap . }} {{ isSlice . }} {{ isString . }} {{ isInt . }}", "false false false false" },
        { "{{ typeOf . }} {{ kindOf . }} {{ kindIs \"map\" . }} {{ typeIsLike \"map[string]interface {}\" . }}", "*map[string]interface {} ptr false true" },
        { "{{ printf \"%T\" . }}", "*map[string]interface {}" },
        // fmt prints a pointer to a map as &map[…] at top level.
        { "{{ print . }}|{{ printf \"%v\" . }}|{{ toString . }}|{{ quote . }}", "&map[a:1 b:x m:map[f1:foo]]|&map[a:1 b:x m:map[f1:foo]]|&map[a:1 b:x m:map[f1:foo]]|\"&map[a:1 b:x m:map[f1:foo]]\"" },
        // An action prints the target: printableValue indirects a pointer before fmt sees it.
        { "{{ . }}|{{ default \"d\" . }}", "map[a:1 b:x m:map[f1:foo]]|map[a:1 b:x m:map[f1:foo]]" },
        // A non-nil pointer is true and not empty; pointers compare by identity.
        { "{{ if . }}t{{ end }} {{ not . }} {{ empty . }} {{ eq . $ }}", "t false false true" },
        { "{{ toJson . }}", "{\"a\":1,\"b\":\"x\",\"m\":{\"f1\":\"foo\"}}" },
        // copystructure copies the map behind the pointer and returns a new pointer.
        { @"{{ $c := deepCopy . }}{{ $_ := set $c ""a"" 9 }}{{ .a }} {{ $c.a }} {{ typeOf $c }} {{ deepEqual . (deepCopy .) }}", "1 9 *map[string]interface {} true" },
    };

    [Theory]
    [MemberData(nameof(ThePointerItself))]
    public void Interface_parameters_and_fmt_see_the_pointer(string template, string expected) =>
        Assert.Equal(expected, Run(template, new GoPointer(Map())));

    [Fact]
    public void An_empty_map_behind_a_pointer_is_still_true()
    {
        var empty = new Dictionary<string, object?>(StringComparer.Ordinal);
        Assert.Equal("yes 0", Run("{{ if . }}yes{{ else }}no{{ end }} {{ len . }}", new GoPointer(empty)));
        Assert.Equal("no", Run("{{ if . }}yes{{ else }}no{{ end }}", empty));
    }

    [Theory]
    [InlineData("{{ upper . }}", "wrong type for value; expected string; got *map[string]interface {}")]
    [InlineData("{{ cast2StringArray . }}", "wrong type for value; expected []interface {}; got *map[string]interface {}")]
    [InlineData("{{ .a 1 }}", "a is not a method but has arguments")]
    [InlineData("{{ first . }}", "Cannot find first on type ptr")]
    public void Parameters_the_target_does_not_fit_report_the_pointer_type(string template, string expected)
    {
        var e = Assert.Throws<GoTemplateExecException>(() => Run(template, new GoPointer(Map())));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Field_errors_name_the_pointer_type()
    {
        var list = new GoPointer(new List<object?> { 1L });
        var e = Assert.Throws<GoTemplateExecException>(() => Run("{{ .x }}", list));
        Assert.Contains("can't evaluate field x in type *[]interface {}", e.Message, StringComparison.Ordinal);
        Assert.Equal("&[1] [1] 1", Run("{{ print . }} {{ . }} {{ index . 0 }}", list));
    }

    [Fact]
    public void Only_maps_lists_and_structs_can_be_pointed_to()
    {
        Assert.Throws<ArgumentException>(() => new GoPointer("text"));
        Assert.Throws<ArgumentException>(() => new GoPointer(1L));
        Assert.Throws<ArgumentException>(() => new GoPointer(new GoPointer(Map())));
    }
}
