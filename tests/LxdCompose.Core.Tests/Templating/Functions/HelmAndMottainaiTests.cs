using LxdCompose.GoTemplates;
using LxdCompose.GoTemplates.Functions;
using LxdCompose.Templating.Functions;
using LxdCompose.Templating.Helm;
using Xunit;

namespace LxdCompose.Tests.Templating.Functions;

public class HelmAndMottainaiTests
{
    private static readonly GoFunctionTable Helm = HelmSpecRenderer.CreateFunctionTable();
    private static readonly GoFunctionTable Mottainai =
        MottainaiFunctions.Register(SprigFunctions.Register(GoFunctionTable.CreateWithBuiltins(), SprigVersion.V2));

    private static string Run(GoFunctionTable t, string template, object? data = null) =>
        GoTemplate.Parse("test", template, t).Execute(data);

    private static Dictionary<string, object?> Values() => new(StringComparer.Ordinal)
    {
        ["name"] = "web",
        ["list"] = new List<object?> { "b", "a" },
        ["map"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["k2"] = 2L, ["k1"] = "v" },
    };

    public static TheoryData<string, string> HelmCases => new()
    {
        // trap 12: key and value quoting, floats through JSON, multi-line literals, wrapping
        { @"{{ toYaml (dict ""y"" 1 ""n"" 2 ""on"" 3 ""yes"" 4 ""null"" 5 ""1"" 6 ""a"" 7) }}", "\"1\": 6\na: 7\n\"n\": 2\n\"null\": 5\n\"on\": 3\n\"y\": 1\n\"yes\": 4" },
        { @"{{ toYaml (dict ""a"" ""yes"" ""b"" ""123"" ""c"" ""plain"" ""d"" """") }}", "a: \"yes\"\nb: \"123\"\nc: plain\nd: \"\"" },
        { @"{{ toYaml (dict ""f"" 1000000.0 ""g"" 12345678.9 ""h"" 1.5) }}", "f: 1000000\ng: 1.23456789e+07\nh: 1.5" },
        { @"{{ toYaml (dict ""s"" ""line1\nline2"") }}", "s: |-\n  line1\n  line2" },
        { @"{{ toYaml (dict ""s"" ""line1\nline2\n"") }}", "s: |\n  line1\n  line2" },
        { @"{{ toYaml (dict ""l"" (list 1 ""two"") ""m"" (dict ""x"" (list))) }}", "l:\n- 1\n- two\nm:\n  x: []" },
        { @"{{ toYaml (list (dict ""a"" 1 ""b"" 2)) }}", "- a: 1\n  b: 2" },
        { @"{{ toYaml ""x: y"" }}", "'x: y'" },
        { @"{{ toYaml .missing }}", "null" },
        { @"{{ toYaml (dict ""k10"" 1 ""k9"" 2 ""k1"" 3) }}", "k1: 3\nk9: 2\nk10: 1" },
        { @"{{ toJson (dict ""a"" ""<b>"") }}", @"{""a"":""\u003cb\u003e""}" },
        { @"{{ $m := fromYaml ""a: 1\nb: [x, y]"" }}{{ $m.a }} {{ typeOf $m.a }} {{ $m.b }}", "1 float64 [x y]" },
        { @"{{ fromYamlArray ""- 1\n- a"" }}", "[1 a]" },
        { @"{{ $m := fromJson ""{bad"" }}{{ hasKey $m ""Error"" }}", "true" },
        { @"{{ fromJsonArray ""[1,2]"" }}", "[1 2]" },
        { @"{{ define ""tpl/x"" }}hi {{ .name }}{{ end }}{{ include ""tpl/x"" . | nindent 2 }}", "\n  hi web" },
        { @"{{ tpl ""{{ .name }}-{{ .nope }}"" . }}", "web-" },
        { @"{{ required ""need it"" 0 }}", "0" },
        { @"{{ required ""need it"" false }}", "false" },
        { @"{{ lookup ""v1"" ""Pod"" ""ns"" ""n"" | len }}", "0" },
        { @"{{ getHostByName ""example.com"" }}", "" },
        { @"{{ slice .list 1 }}", "[a]" },
    };

    [Theory]
    [MemberData(nameof(HelmCases))]
    public void HelmFunctionsBehaveLikeHelm(string template, string expected) =>
        Assert.Equal(expected, Run(Helm, template, Values()));

    [Fact]
    public void HelmRemovesEnvAndExpandenv()
    {
        Assert.False(Helm.Contains("env"));
        Assert.False(Helm.Contains("expandenv"));
        Assert.True(Mottainai.Contains("env"));
    }

    [Fact]
    public void RequiredFailsOnNilAndEmptyString()
    {
        Assert.Contains("need it", Assert.ThrowsAny<GoTemplateException>(() => Run(Helm, @"{{ required ""need it"" .missing }}", Values())).Message);
        Assert.Contains("need it", Assert.ThrowsAny<GoTemplateException>(() => Run(Helm, @"{{ required ""need it"" """" }}", Values())).Message);
    }

    [Fact]
    public void LongStringsWrapAtEightyColumns()
    {
        var words = string.Join(' ', Enumerable.Repeat("word", 30));
        var yaml = Run(Helm, @"{{ toYaml (dict ""k"" .s) }}", new Dictionary<string, object?> { ["s"] = words });
        var lines = yaml.Split('\n');
        Assert.True(lines.Length > 1);
        Assert.StartsWith("  word", lines[1]);
        Assert.Equal(words, string.Join(' ', lines.Select(l => l.Trim())).Replace("k: ", ""));
    }

    public static TheoryData<string, string> MottainaiCases => new()
    {
        { @"{{ isInt 1 }} {{ isInt 1.5 }} {{ isInt ""1"" }}", "true true false" },
        { @"{{ isString ""a"" }} {{ isSlice .list }} {{ isArray .list }} {{ isMap .map }}", "true true false true" },
        { @"{{ replaceAll ""x.y"" ""."" ""_"" }}", "x_y" },
        { @"{{ ""x.y"" | replaceAll ""."" ""_"" }}", "." },
        { @"{{ join (cast2StringArray .list) "","" }}", "b,a" },
        { @"{{ joinWithPrefix (cast2StringArray .list) "","" ""-"" }}", "-b,-a" },
        { @"{{ joinWithPrefixAndPostfix (cast2StringArray .list) "","" ""<"" "">"" }}", "<b>,<a>" },
        { @"{{ join (sort (cast2StringArray .list)) "" "" }}", "a b" },
        { @"{{ env ""NO_SUCH_VARIABLE_FOR_TEST"" }}", "" },
    };

    [Theory]
    [MemberData(nameof(MottainaiCases))]
    public void MottainaiExtras(string template, string expected) =>
        Assert.Equal(expected, Run(Mottainai, template, Values()));

    [Theory]
    [InlineData(@"{{ join .list "","" }}")]
    [InlineData(@"{{ join (list ""a"") "","" }}")]
    [InlineData(@"{{ sort (cast2StringArray .list) | join "","" }}")]
    public void MottainaiJoinNeedsAStringListFirst(string template) =>
        Assert.ThrowsAny<GoTemplateException>(() => Run(Mottainai, template, Values()));
}
