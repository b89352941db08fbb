using LxdCompose.Specs;
using LxdCompose.Yaml;
using Xunit;

namespace LxdCompose.Tests.Loading;

/// <summary>The positioned YAML reader and yaml.v3 scalar typing the loader relies on.</summary>
public sealed class YamlReaderTests
{
    private static YamlMapping Map(string text) => Assert.IsType<YamlMapping>(YamlTreeReader.Parse(text, "f.yml"));

    [Fact]
    public void Positions_are_one_based_line_and_column()
    {
        var root = Map("a: 1\nlist:\n  - x\n  - { k: v }\n");
        Assert.Equal(new SourceLocation("f.yml", 1, 1), root.Location);
        Assert.Equal(new SourceLocation("f.yml", 1, 4), root["a"]!.Location);
        var list = Assert.IsType<YamlSequence>(root["list"]);
        Assert.Equal(new SourceLocation("f.yml", 3, 5), list.Items[0].Location);
        Assert.Equal(new SourceLocation("f.yml", 4, 5), list.Items[1].Location);
    }

    [Fact]
    public void Merge_keys_apply_with_explicit_keys_winning_and_earlier_sources_first()
    {
        var root = Map("a: &a { x: 1, y: 1 }\nb: &b { y: 2, z: 2 }\nc:\n  <<: [*a, *b]\n  x: 3\n");
        var c = YamlScalarTyping.ToMap(Assert.IsType<YamlMapping>(root["c"]));
        Assert.Equal(new Dictionary<string, object?> { ["x"] = 3L, ["y"] = 1L, ["z"] = 2L }, c);
    }

    [Fact]
    public void Duplicate_keys_are_rejected_with_the_position_of_the_second()
    {
        var e = Assert.Throws<SpecException>(() => YamlTreeReader.Parse("k: 1\nother: 2\nk: 3\n", "f.yml"));
        Assert.Equal(("YamlDuplicateKey", 3, 1), (e.Diagnostic.Code, e.Diagnostic.Line, e.Diagnostic.Column));
    }

    [Fact]
    public void Empty_documents_are_null() => Assert.Null(YamlTreeReader.Parse("# nothing\n", "f.yml"));

    [Theory]
    [InlineData("017", 15L)]
    [InlineData("1_000", 1000L)]
    [InlineData("0x10", 16L)]
    [InlineData("0o17", 15L)]
    [InlineData("0b101", 5L)]
    [InlineData("-42", -42L)]
    [InlineData("yes", "yes")]
    [InlineData("on", "on")]
    [InlineData("true", true)]
    [InlineData("False", false)]
    [InlineData("1.5", 1.5)]
    [InlineData("'017'", "017")]
    [InlineData("!!str 12", "12")]
    public void Yaml_v3_implicit_typing(string scalar, object expected) =>
        Assert.Equal(expected, YamlScalarTyping.ToValue(Map("v: " + scalar)["v"]!));

    [Fact]
    public void Huge_integers_become_unsigned_and_dates_become_timestamps()
    {
        Assert.Equal(18446744073709551615UL, YamlScalarTyping.ToValue(Map("v: 18446744073709551615")["v"]!));
        Assert.Equal(new DateTimeOffset(2001, 12, 14, 21, 59, 43, 100, TimeSpan.Zero),
            YamlScalarTyping.ToValue(Map("v: 2001-12-14t21:59:43.10-00:00")["v"]!));
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 0, 0, 0, TimeSpan.Zero), YamlScalarTyping.ToValue(Map("v: 2024-01-02")["v"]!));
    }

    [Theory]
    [InlineData("~")]
    [InlineData("null")]
    [InlineData("")]
    public void Nulls(string scalar) => Assert.Null(YamlScalarTyping.ToValue(Map("v: " + scalar)["v"]!));
}
