using System.Text;
using LxdCompose.GoTemplates;
using LxdCompose.Lxd;
using LxdCompose.Lxd.Simplestreams;
using LxdCompose.Specs;
using LxdCompose.Yaml;
using Xunit;

namespace LxdCompose.Tests.Limits;

/// <summary>What the fuzzers found (docs/fuzzing.md), each the smallest input that showed it.</summary>
public sealed class FuzzFindingsTests
{
    [Theory]
    [InlineData("x: [a\nb: c\n")]
    [InlineData("x: [a\n\"b: 1\n")]
    public void A_flow_list_left_open_before_a_key_is_a_syntax_error_not_an_invalid_operation(string text)
    {
        // YamlDotNet's scanner throws InvalidOperationException here.
        var e = Assert.Throws<SpecException>(() => YamlTreeReader.Parse(text, "f.yml"));
        Assert.Equal(("YamlSyntax", 1, 4), (e.Diagnostic.Code, e.Diagnostic.Line, e.Diagnostic.Column));
    }

    [Theory]
    [InlineData("!!@bin[ary env_dirs: [envs]\n]\n")]
    [InlineData("a: !!x[ 1\n")]
    public void A_tag_that_is_not_a_uri_is_a_syntax_error_not_an_argument_exception(string text)
    {
        // YamlDotNet's TagName throws ArgumentException ("Global tags must be valid URIs"); found by a longer run.
        var e = Assert.Throws<SpecException>(() => YamlTreeReader.Parse(text, "f.yml"));
        Assert.Equal(("YamlSyntax", "f.yml", 1), (e.Diagnostic.Code, e.Diagnostic.File, e.Diagnostic.Line));
    }

    [Fact]
    public void A_parse_error_inside_a_block_within_an_if_reports_the_error_not_an_argument_exception()
    {
        // The block's variables were not restored on the error, and the enclosing if trimmed past their end.
        var e = Assert.Throws<GoTemplateParseException>(() => GoTemplate.Parse("t",
            "{{ $x := 1 }}{{ if 1 }}{{ block \"b\" . }}{{ else if 1 }}{{ end }}{{ end }}", GoFunctionTable.CreateWithBuiltins()));
        Assert.Equal(("unexpected {{else}} in block clause", 1, 49), (e.Reason, e.Line, e.Column));
    }

    [Theory]
    [InlineData("9223372036854775807")]
    [InlineData("[]")]
    [InlineData("\"index\"")]
    public void A_simplestreams_index_that_is_not_an_object_is_an_api_error(string json)
    {
        using var document = SimplestreamsParser.ReadDocument(Encoding.UTF8.GetBytes(json), "index.json");
        Assert.Throws<LxdApiException>(() => SimplestreamsParser.ParseIndex(document.RootElement));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{\"products\": {\"p\": \"x\"}}")]
    [InlineData("{\"products\": {\"p\": {\"versions\": {\"v\": [1]}}}}")]
    public void Products_of_the_wrong_kind_are_skipped(string json)
    {
        using var document = SimplestreamsParser.ReadDocument(Encoding.UTF8.GetBytes(json), "products.json");
        Assert.Empty(SimplestreamsParser.ParseProducts(document.RootElement));
    }

    [Theory]
    [InlineData("-1", "5", 5L)]
    [InlineData("9223372036854775807", "9223372036854775807", long.MaxValue)]
    public void Image_sizes_are_never_negative(string metadataSize, string rootfsSize, long expected)
    {
        var json = """
            {"products": {"p": {"aliases": "a", "arch": "amd64", "versions": {"20260301_01:00": {"items": {
             "m": {"ftype": "lxd.tar.xz", "path": "m", "size": METADATA, "combined_squashfs_sha256": "f"},
             "r": {"ftype": "squashfs", "path": "r", "size": ROOTFS}}}}}}}
            """.Replace("METADATA", metadataSize, StringComparison.Ordinal).Replace("ROOTFS", rootfsSize, StringComparison.Ordinal);
        using var document = SimplestreamsParser.ReadDocument(Encoding.UTF8.GetBytes(json), "products.json");
        Assert.Equal(expected, Assert.Single(SimplestreamsParser.ParseProducts(document.RootElement)).Size);
    }
}
