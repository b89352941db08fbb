using Xunit;
using static LxdCompose.Tests.Templating.Conformance.ConformanceEngines;

namespace LxdCompose.Tests.Templating.Conformance;

/// <summary>
/// sprig's number conversions. The Helm engine has sprig v3.3.0, whose int, int64 and float64 call spf13/cast; sprig
/// v3.3.0 asks for cast 1.7.0 but lxd-compose v0.39.1's build selects cast v1.10.0 (go.mod), and that is the one
/// followed here: strings parse with Go's base prefixes and underscores (ParseInt base 0, so "010" is octal 8 and
/// "08" fails), after trimDecimal cuts any decimal part ("3.9" is 3; cast 1.7 only cut ".0"). The mottainai engine
/// has sprig v2.22.0, whose own toInt64/toFloat64 parse decimal only ("010" is 10) and give MaxInt64 for huge
/// uint64. Failures give 0. Rows follow Masterminds/sprig v3.3.0 and v2.22.0 numeric_test.go (TestToInt,
/// TestToInt64, TestToFloat64, TestToDecimal), spf13/cast v1.10.0 number_test.go (the string cases: "8.31", "+8.",
/// ".5", "+.25", "-.25", "10...17", "10.foobar", "10.0E9", out-of-range) and golang/go src/strconv/atoi_test.go and
/// atof_test.go (go1.25: prefixes, underscores, hexadecimal floats, inf/nan, overflow).
/// </summary>
public class SprigCastTests
{
    private static Dictionary<string, object?> Data() => new(StringComparer.Ordinal)
    {
        ["big"] = ulong.MaxValue,
        ["null"] = null,
    };

    /// <summary>Argument as written in the template; sprig v3 (Helm) result; sprig v2 (mottainai) result.</summary>
    public static TheoryData<string, string, string> IntCases => new()
    {
        { "\"102\"", "102", "102" },
        { "\"frankie\"", "0", "0" },
        { "\"010\"", "8", "10" },
        { "\"-010\"", "-8", "-10" },
        { "\"08\"", "0", "8" },
        { "\"3.9\"", "3", "0" },
        { "\"-3.9\"", "-3", "0" },
        { "\"8.31\"", "8", "0" },
        { "\"+8.\"", "8", "0" },
        { "\".5\"", "0", "0" },
        { "\"+.25\"", "0", "0" },
        { "\"-.25\"", "0", "0" },
        { "\"3.0\"", "3", "0" },
        { "\"010.5\"", "8", "0" },
        { "\"10...17\"", "0", "0" },
        { "\"10.foobar\"", "0", "0" },
        { "\"10.0E9\"", "0", "0" },
        { "\"1e3\"", "0", "0" },
        { "\" 5\"", "0", "0" },
        { "\"5 \"", "0", "0" },
        { "\"x\"", "0", "0" },
        { "\"\"", "0", "0" },
        { "\"0x1F\"", "31", "0" },
        { "\"0X1f\"", "31", "0" },
        { "\"0x_1F\"", "31", "0" },
        { "\"0b101\"", "5", "0" },
        { "\"0o17\"", "15", "0" },
        { "\"0_17\"", "15", "0" },
        { "\"1_000\"", "1000", "0" },
        { "\"1__0\"", "0", "0" },
        { "\"_1\"", "0", "0" },
        { "\"1_\"", "0", "0" },
        { "\"-0\"", "0", "0" },
        { "\"+5\"", "5", "5" },
        { "\"9223372036854775807\"", "9223372036854775807", "9223372036854775807" },
        { "\"9223372036854775808\"", "0", "0" },
        { "\"-9223372036854775808\"", "-9223372036854775808", "-9223372036854775808" },
        { "\"-9223372036854775809\"", "0", "0" },
        { "true", "1", "1" },
        { "false", "0", "0" },
        { "nil", "0", "0" },
        { ".null", "0", "0" },
        { ".missing", "0", "0" },
        { "3.9", "3", "3" },
        { "-3.9", "-3", "-3" },
        { "102.1234", "102", "102" },
        { ".big", "-1", "9223372036854775807" },
        // Go's float-to-int conversion out of range, as amd64 executes it.
        { "1e20", "-9223372036854775808", "-9223372036854775808" },
    };

    [Theory]
    [MemberData(nameof(IntCases))]
    public void Int_and_int64_convert_as_sprig_does(string argument, string v3, string v2)
    {
        Assert.Equal(v3, Helm($"{{{{ int {argument} }}}}", Data()));
        Assert.Equal(v3, Helm($"{{{{ int64 {argument} }}}}", Data()));
        Assert.Equal(v2, Mottainai($"{{{{ int {argument} }}}}", Data()));
        Assert.Equal(v2, Mottainai($"{{{{ int64 {argument} }}}}", Data()));
    }

    /// <summary>Both sprig versions use strconv.ParseFloat for strings: one expected result.</summary>
    public static TheoryData<string, string> Float64Cases => new()
    {
        { "\"102\"", "102" },
        { "\"frankie\"", "0" },
        { "\"010\"", "10" },
        { "\"08\"", "8" },
        { "\"3.9\"", "3.9" },
        { "\" 5\"", "0" },
        { "\"\"", "0" },
        { "\"1e3\"", "1000" },
        { "\"1E3\"", "1000" },
        { "\"10.0E9\"", "1e+10" },
        { "\".5\"", "0.5" },
        { "\"3.\"", "3" },
        { "\"1.2.3\"", "0" },
        { "\"-0\"", "-0" },
        { "\"0x1F\"", "0" },
        { "\"0x1p4\"", "16" },
        { "\"0x1.8p1\"", "3" },
        { "\"-0x10p-2\"", "-4" },
        { "\"1_000\"", "1000" },
        { "\"1_000.5\"", "1000.5" },
        { "\"1_23.50_0_0e+1_2\"", "1.235e+14" },
        { "\"1__0\"", "0" },
        { "\"_1\"", "0" },
        { "\"123._5e+12\"", "0" },
        { "\"inf\"", "+Inf" },
        { "\"-Infinity\"", "-Inf" },
        { "\"NaN\"", "NaN" },
        { "\"+nan\"", "0" },
        { "\"1e400\"", "0" },
        { "true", "1" },
        { "nil", "0" },
        { "3", "3" },
        { "102.1234", "102.1234" },
        { ".big", "1.8446744073709552e+19" },
    };

    [Theory]
    [MemberData(nameof(Float64Cases))]
    public void Float64_converts_as_sprig_does(string argument, string expected)
    {
        Assert.Equal(expected, Helm($"{{{{ float64 {argument} }}}}", Data()));
        Assert.Equal(expected, Mottainai($"{{{{ float64 {argument} }}}}", Data()));
    }

    /// <summary>atoi is strconv.Atoi with the error dropped in both versions: out of range gives the bound.</summary>
    public static TheoryData<string, string> AtoiCases => new()
    {
        { "\"102\"", "102" },
        { "\"010\"", "10" },
        { "\"08\"", "8" },
        { "\"+5\"", "5" },
        { "\"-5\"", "-5" },
        { "\" 5\"", "0" },
        { "\"3.9\"", "0" },
        { "\"0x1F\"", "0" },
        { "\"1_000\"", "0" },
        { "\"\"", "0" },
        { "\"x\"", "0" },
        { "\"99999999999999999999\"", "9223372036854775807" },
        { "\"-99999999999999999999\"", "-9223372036854775808" },
    };

    [Theory]
    [MemberData(nameof(AtoiCases))]
    public void Atoi_converts_as_strconv_does(string argument, string expected)
    {
        Assert.Equal(expected, Helm($"{{{{ atoi {argument} }}}}", Data()));
        Assert.Equal(expected, Mottainai($"{{{{ atoi {argument} }}}}", Data()));
    }

    /// <summary>toDecimal reads the printed value as octal (strconv.ParseInt(fmt.Sprint(v), 8, 64)).</summary>
    public static TheoryData<string, string> ToDecimalCases => new()
    {
        { "\"777\"", "511" },
        { "777", "511" },
        { "770", "504" },
        { "755", "493" },
        { "\"0777\"", "511" },
        { "\"-10\"", "-8" },
        { "\"8\"", "0" },
        { "\"0o17\"", "0" },
        { "\"1_0\"", "0" },
        { "true", "0" },
    };

    [Theory]
    [MemberData(nameof(ToDecimalCases))]
    public void ToDecimal_reads_octal(string argument, string expected)
    {
        Assert.Equal(expected, Helm($"{{{{ toDecimal {argument} }}}}", Data()));
        Assert.Equal(expected, Mottainai($"{{{{ toDecimal {argument} }}}}", Data()));
    }

    /// <summary>Arithmetic converts its operands with the same toInt64 (trap 10 of the galaxy report).</summary>
    public static TheoryData<string, string, string> ArithmeticCases => new()
    {
        { "{{ add \"010\" 1 }}", "9", "11" },
        { "{{ add \"3.9\" 1 }}", "4", "1" },
        { "{{ add1 \"0x10\" }}", "17", "1" },
        { "{{ mul \"08\" 2 }}", "0", "16" },
        { "{{ max \"010\" 9 }}", "9", "10" },
    };

    [Theory]
    [MemberData(nameof(ArithmeticCases))]
    public void Arithmetic_converts_operands_as_each_version_does(string template, string v3, string v2)
    {
        Assert.Equal(v3, Helm(template, Data()));
        Assert.Equal(v2, Mottainai(template, Data()));
    }
}
