using Xunit;
using static LxdCompose.Tests.Templating.Conformance.ConformanceEngines;

namespace LxdCompose.Tests.Templating.Conformance;

/// <summary>
/// Helm's fromJson, fromJsonArray, fromYaml and fromYamlArray never fail: a map gets the error text under "Error", a
/// list becomes a one-element list holding it. The texts are encoding/json's (fromJson) and sigs.k8s.io/yaml v1.6.0's
/// wrapping of them (fromYaml). Rows follow helm/helm v3.19.5 pkg/engine/funcs_test.go (TestFuncs) and, for JSON
/// syntax errors, golang/go src/encoding/json/decode_test.go and scanner_test.go (go1.25): the scanner's wording
/// for each state, and "unexpected end of JSON input" except where Go's final space step lands inside a number,
/// literal or escape.
/// </summary>
public class HelmDecodeTests
{
    private static string FromJson(string json) =>
        Helm("{{ fromJson .in }}", new Dictionary<string, object?> { ["in"] = json });

    public static TheoryData<string, string> FuncsTestRows => new()
    {
        { "{{ fromYaml \"hello: world\" }}", "map[hello:world]" },
        { "{{ fromYamlArray \"- one\\n- 2\\n- name: helm\\n\" }}", "[one 2 map[name:helm]]" },
        { "{{ fromYamlArray `[\"one\", 2, { \"name\": \"helm\" }]` }}", "[one 2 map[name:helm]]" },
        { "{{ fromYaml \"- one\\n- two\\n\" }}", "map[Error:error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}]" },
        { "{{ fromJson `{\"hello\":\"world\"}` }}", "map[hello:world]" },
        { "{{ fromJson `[\"one\", \"two\"]` }}", "map[Error:json: cannot unmarshal array into Go value of type map[string]interface {}]" },
        { "{{ fromJsonArray `[\"one\", 2, { \"name\": \"helm\" }]` }}", "[one 2 map[name:helm]]" },
        { "{{ fromJsonArray `{\"hello\": \"world\"}` }}", "[json: cannot unmarshal object into Go value of type []interface {}]" },
        { "{{ merge (dict \"a\" (dict \"b\" \"c\")) (fromYaml `{\"a\":{\"b\":\"d\"}}`) }}", "map[a:map[b:c]]" },
        { "{{ merge (fromYaml `{\"a\":{\"b\":\"d\"}}`) (dict \"a\" (dict \"b\" \"c\")) }}", "map[a:map[b:d]]" },
        { "{{ fromYaml `[\"one\", \"two\"]` }}", "map[Error:error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}]" },
        { "{{ fromYamlArray \"hello: world\" }}", "[error unmarshaling JSON: while decoding JSON: json: cannot unmarshal object into Go value of type []interface {}]" },
        // Around them: scalars and null, which decode into nothing.
        { "{{ fromYaml \"\" }} {{ fromYaml \"null\" }} {{ fromYamlArray \"\" }}", "map[] map[] []" },
        { "{{ fromYaml \"42\" }}", "map[Error:error unmarshaling JSON: while decoding JSON: json: cannot unmarshal number into Go value of type map[string]interface {}]" },
        { "{{ fromYaml \"text\" }}", "map[Error:error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go value of type map[string]interface {}]" },
        { "{{ fromYamlArray \"true\" }}", "[error unmarshaling JSON: while decoding JSON: json: cannot unmarshal bool into Go value of type []interface {}]" },
        { "{{ fromJson \"null\" }} {{ fromJsonArray \"null\" }}", "map[] []" },
        { "{{ fromJson `\"s\"` }}", "map[Error:json: cannot unmarshal string into Go value of type map[string]interface {}]" },
        { "{{ fromJson \"true\" }}", "map[Error:json: cannot unmarshal bool into Go value of type map[string]interface {}]" },
        { "{{ fromJsonArray \"1\" }}", "[json: cannot unmarshal number into Go value of type []interface {}]" },
        // The error is data: hasKey finds it, the template goes on.
        { "{{ $m := fromJson \"{bad\" }}{{ hasKey $m \"Error\" }} {{ len $m }}", "true 1" },
        { "{{ $l := fromJsonArray \"[1,\" }}{{ len $l }} {{ index $l 0 }}", "1 unexpected end of JSON input" },
        // Numbers come back as float64 from both, through JSON.
        { "{{ $m := fromJson `{\"n\":1,\"f\":1.5,\"b\":12345678901234567890}` }}{{ typeOf $m.n }} {{ $m.f }} {{ $m.b }}", "float64 1.5 1.2345678901234567e+19" },
        { "{{ $m := fromYaml \"n: 1\\nt: 2020-01-02\" }}{{ typeOf $m.n }} {{ typeOf $m.t }} {{ $m.t }}", "float64 string 2020-01-02T00:00:00Z" },
        { "{{ fromJson `{\"a\":[1,\"x\",null,true,{\"b\":1.5}]}` }}", "map[a:[1 x <nil> true map[b:1.5]]]" },
        { "{{ fromJson `{\"a\":1,\"a\":2}` }}", "map[a:2]" },
        { "{{ fromJson \"\\t{}\\n\" }}", "map[]" },
    };

    [Theory]
    [MemberData(nameof(FuncsTestRows))]
    public void Decoders_behave_as_in_helm(string template, string expected) => Assert.Equal(expected, Helm(template));

    /// <summary>JSON text; encoding/json's error.</summary>
    public static TheoryData<string, string> SyntaxErrors => new()
    {
        { "", "unexpected end of JSON input" },
        { "   ", "unexpected end of JSON input" },
        { "[2, 3", "unexpected end of JSON input" },
        { "{\"a\":", "unexpected end of JSON input" },
        { "\"abc", "unexpected end of JSON input" },
        { "{bad", "invalid character 'b' looking for beginning of object key string" },
        { "{1:2}", "invalid character '1' looking for beginning of object key string" },
        { "{\"a\":1,}", "invalid character '}' looking for beginning of object key string" },
        { "{\"X\": \"foo\", \"Y\"}", "invalid character '}' after object key" },
        { "{\"a\" 1}", "invalid character '1' after object key" },
        { "{\"X\":12x}", "invalid character 'x' after object key:value pair" },
        { "{\"a\":1 \"b\":2}", "invalid character '\"' after object key:value pair" },
        { "[1, 2, 3+]", "invalid character '+' after array element" },
        { "[1 2]", "invalid character '2' after array element" },
        { "[-01]", "invalid character '1' after array element" },
        { "[1,]", "invalid character ']' looking for beginning of value" },
        { "[.5]", "invalid character '.' looking for beginning of value" },
        { "+1", "invalid character '+' looking for beginning of value" },
        { "{\"a\":NaN}", "invalid character 'N' looking for beginning of value" },
        { "'a'", "invalid character '\\'' looking for beginning of value" },
        { "\u0001 42", "invalid character '\\x01' looking for beginning of value" },
        { " 42 \u0001", "invalid character '\\x01' after top-level value" },
        { "01", "invalid character '1' after top-level value" },
        { "{} {}", "invalid character '{' after top-level value" },
        { "{\"F3\": -}", "invalid character '}' in numeric literal" },
        { "-", "invalid character ' ' in numeric literal" },
        { "-x", "invalid character 'x' in numeric literal" },
        { "1.", "invalid character ' ' after decimal point in numeric literal" },
        { "[1.e5]", "invalid character 'e' after decimal point in numeric literal" },
        { "1e", "invalid character ' ' in exponent of numeric literal" },
        { "1e+x", "invalid character 'x' in exponent of numeric literal" },
        { "tru", "invalid character ' ' in literal true (expecting 'e')" },
        { "nul", "invalid character ' ' in literal null (expecting 'l')" },
        { "fals3", "invalid character '3' in literal false (expecting 'e')" },
        { "[nulL]", "invalid character 'L' in literal null (expecting 'l')" },
        { "\"a\\x\"", "invalid character 'x' in string escape code" },
        { "\"a\\", "invalid character ' ' in string escape code" },
        { "\"\\u12g4\"", "invalid character 'g' in \\u hexadecimal character escape" },
        { "\"a\nb\"", "invalid character '\\n' in string literal" },
        { "\"a\tb\"", "invalid character '\\t' in string literal" },
    };

    /// <summary>
    /// Type errors: the top-level type is checked before anything inside is decoded; a number float64 cannot hold is
    /// stored as nil while decoding goes on, and Helm adds the error to the map it got (its list is replaced).
    /// </summary>
    public static TheoryData<string, string, string> TypeErrors => new()
    {
        { "{\"a\":1e400}", "map[Error:json: cannot unmarshal number 1e400 into Go value of type float64 a:<nil>]",
            "[json: cannot unmarshal object into Go value of type []interface {}]" },
        { "[1e400]", "map[Error:json: cannot unmarshal array into Go value of type map[string]interface {}]",
            "[json: cannot unmarshal number 1e400 into Go value of type float64]" },
        { "1e400", "map[Error:json: cannot unmarshal number into Go value of type map[string]interface {}]",
            "[json: cannot unmarshal number into Go value of type []interface {}]" },
        { "{\"a\":{\"b\":-1e999},\"c\":1}", "map[Error:json: cannot unmarshal number -1e999 into Go value of type float64 a:map[b:<nil>] c:1]",
            "[json: cannot unmarshal object into Go value of type []interface {}]" },
    };

    [Theory]
    [MemberData(nameof(TypeErrors))]
    public void FromJson_keeps_what_go_decoded_before_a_type_error(string json, string asMap, string asList)
    {
        Assert.Equal(asMap, FromJson(json));
        Assert.Equal(asList, Helm("{{ fromJsonArray .in }}", new Dictionary<string, object?> { ["in"] = json }));
    }

    [Fact]
    public void Sprig_fromJson_returns_what_was_decoded_and_no_value_on_bad_syntax()
    {
        var data = new Dictionary<string, object?> { ["big"] = "{\"a\":1e400,\"b\":2}", ["bad"] = "{bad" };
        var sprig = LxdCompose.GoTemplates.Functions.SprigFunctions.Register(
            LxdCompose.GoTemplates.GoFunctionTable.CreateWithBuiltins(), LxdCompose.GoTemplates.Functions.SprigVersion.V3);
        Assert.Equal("map[a:<nil> b:2] <no value>",
            LxdCompose.GoTemplates.GoTemplate.Parse("t", "{{ fromJson .big }} {{ fromJson .bad }}", sprig).Execute(data));
    }

    [Theory]
    [MemberData(nameof(SyntaxErrors))]
    public void FromJson_reports_encoding_json_errors(string json, string error)
    {
        Assert.Equal($"map[Error:{error}]", FromJson(json));
        Assert.Equal($"[{error}]", Helm("{{ fromJsonArray .in }}", new Dictionary<string, object?> { ["in"] = json }));
    }
}
