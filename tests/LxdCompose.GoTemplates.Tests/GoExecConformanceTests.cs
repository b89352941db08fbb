using LxdCompose.GoTemplates;
using Xunit;

namespace LxdCompose.GoTemplates.Tests;

/// <summary>
/// Go's text/template execTests, cmpTests and related tables transcribed as data (input, data, expected output, ok).
/// Left out: method calls on data, complex numbers, channels and iterator functions, pointers and typed nils,
/// Stringer/error fields, and custom delimiters.
/// </summary>
public class GoExecConformanceTests
{
    public static TheoryData<string, string, string, bool> ExecCases => new()
    {
        // Trivial cases.
        { "", "", "nil", true },
        { "some text", "some text", "nil", true },
        { "{{nil}}", "", "nil", false },
        // Ideal constants.
        { "{{typeOf 3}}", "int", "0", true },
        { "{{typeOf 1.0}}", "float64", "0", true },
        { "{{typeOf 1e1}}", "float64", "0", true },
        { "{{typeOf 0x7fffffffffffffff}}", "int", "0", true },
        { "{{typeOf 0x8000000000000000}}", "", "0", false },
        // Fields of structs.
        { "-{{.X}}-", "-x-", "tVal", true },
        { "-{{.U.V}}-", "-v-", "tVal", true },
        { "{{.unexported}}", "", "tVal", false },
        // Fields on maps.
        { "{{.MSI.one}}", "1", "tVal", true },
        { "{{.MSI.two}}", "2", "tVal", true },
        { "{{.MSI.NO}}", "<no value>", "tVal", true },
        { "{{.MXI.one}}", "1", "tVal", true },
        { "{{.MSI.one 1}}", "", "tVal", false },
        { "{{.MII.one}}", "", "tVal", false },
        // Dots of all kinds.
        { "<{{.}}>", "<13>", "13", true },
        { "<{{.}}>", "<14>", "uint14", true },
        { "<{{.}}>", "<15.1>", "15.1", true },
        { "<{{.}}>", "<true>", "true", true },
        { "<{{.}}>", "<hello>", "hello", true },
        { "<{{.}}>", "<[-1 -2 -3]>", "slice-1-2-3", true },
        { "<{{.}}>", "<map[two:22]>", "map-two-22", true },
        // Variables.
        { "{{$}}", "123", "123", true },
        { "{{$.I}}", "17", "tVal", true },
        { "{{$.U.V}}", "v", "tVal", true },
        { "{{$x := $.U.V}}{{$x}}", "v", "tVal", true },
        { "{{$x := 2}}{{$x = 3}}{{$x}}", "3", "tVal", true },
        { "{{$x := 2}}{{if true}}{{$x = 3}}{{end}}{{$x}}", "3", "tVal", true },
        { "{{$x := 1}}{{if true}}{{$x := 2}}{{if true}}{{$x = 3}}{{end}}{{end}}{{$x}}", "1", "tVal", true },
        // Empty interfaces holding values.
        { "{{.Empty0}}", "<no value>", "tVal", true },
        { "{{.Empty1}}", "3", "tVal", true },
        { "{{.Empty2}}", "empty2", "tVal", true },
        { "{{.Empty3}}", "[7 8]", "tVal", true },
        { "{{.Empty4}}", "{UinEmpty}", "tVal", true },
        { "{{.Empty4.V}}", "UinEmpty", "tVal", true },
        // <no value> edge cases.
        { "{{.foo}}", "<no value>", "nil", true },
        { "{{(.).foo}}", "<no value>", "nil", true },
        { "{{1 2}}", "", "nil", false },
        { "{{(1) 2}}", "", "nil", false },
        { "{{(1)}}", "1", "nil", true },
        // call builtin on function values.
        { "{{call .BinaryFunc `1` `2`}}", "[1=2]", "tVal", true },
        { "{{call .VariadicFunc}}", "<>", "tVal", true },
        { "{{call .VariadicFunc `he` `llo`}}", "<he+llo>", "tVal", true },
        { "{{call .VariadicFuncInt 33 `he` `llo`}}", "33=<he+llo>", "tVal", true },
        { "{{ if .BinaryFunc}}{{call .BinaryFunc `1` `2`}}{{end}}", "[1=2]", "tVal", true },
        { "{{ if not .BinaryFunc}}{{call .BinaryFunc `1` `2`}}{{else}}No{{end}}", "No", "tVal", true },
        { "{{call .ErrFunc}}", "bla", "tVal", true },
        { "{{call nil}}", "", "tVal", false },
        { "{{call}}", "", "tVal", false },
        { "{{.ErrFunc | call}}", "bla", "tVal", true },
        { "{{1 | call}}", "", "tVal", false },
        { "{{call .NilOKFunc nil}}", "true", "tVal", true },
        { "{{call .BinaryFunc `1`}}", "", "tVal", false },
        { "{{call .BinaryFunc `1` `2` `3`}}", "", "tVal", false },
        { "{{call .BinaryFunc 1 3}}", "", "tVal", false },
        { "{{call .BinaryFunc `1` 3}}", "", "tVal", false },
        { "{{call .VariadicFunc 3}}", "", "tVal", false },
        { "{{call .VariadicFuncInt}}", "", "tVal", false },
        { "{{call .VariadicFuncInt `x`}}", "", "tVal", false },
        { "{{call .VariadicFunc nil}}", "", "tVal", false },
        // Pipelines.
        { "-{{call .VariadicFunc `llo` | call .VariadicFunc `he` }}-", "-<he+<llo>>-", "tVal", true },
        { "{{ .Empty0 | call .NilOKFunc }}", "true", "tVal", true },
        { "{{ call .NilOKFunc .Empty0 }}", "true", "tVal", true },
        { "{{ .Empty0 | .VariadicFunc }}", "", "tVal", false },
        // Parenthesized expressions.
        { "{{printf `%d %d %d` (1) (2 | add 3) (add 4 (add 5 6))}}", "1 5 15", "tVal", true },
        { "{{($).X}}", "x", "tVal", true },
        { "{{($ | echo).X}}", "x", "tVal", true },
        { "{{(makemap \"up\" \"down\" \"left\" \"right\").left}}", "right", "tVal", true },
        // If.
        { "{{if true}}TRUE{{end}}", "TRUE", "tVal", true },
        { "{{if false}}TRUE{{else}}FALSE{{end}}", "FALSE", "tVal", true },
        { "{{if nil}}TRUE{{end}}", "", "tVal", false },
        { "{{if 1}}NON-ZERO{{else}}ZERO{{end}}", "NON-ZERO", "tVal", true },
        { "{{if 0}}NON-ZERO{{else}}ZERO{{end}}", "ZERO", "tVal", true },
        { "{{if 1.5}}NON-ZERO{{else}}ZERO{{end}}", "NON-ZERO", "tVal", true },
        { "{{if .FloatZero}}NON-ZERO{{else}}ZERO{{end}}", "ZERO", "tVal", true },
        { "{{if ``}}NON-EMPTY{{else}}EMPTY{{end}}", "EMPTY", "tVal", true },
        { "{{if `notempty`}}NON-EMPTY{{else}}EMPTY{{end}}", "NON-EMPTY", "tVal", true },
        { "{{if .SIEmpty}}NON-EMPTY{{else}}EMPTY{{end}}", "EMPTY", "tVal", true },
        { "{{if .SI}}NON-EMPTY{{else}}EMPTY{{end}}", "NON-EMPTY", "tVal", true },
        { "{{if .MSIEmpty}}NON-EMPTY{{else}}EMPTY{{end}}", "EMPTY", "tVal", true },
        { "{{if .MSI}}NON-EMPTY{{else}}EMPTY{{end}}", "NON-EMPTY", "tVal", true },
        { "{{if .MXI.none}}NON-ZERO{{else}}ZERO{{end}}", "ZERO", "tVal", true },
        { "{{if not .MXI.none}}ZERO{{else}}NON-ZERO{{end}}", "ZERO", "tVal", true },
        { "{{if $x := true}}{{with $y := .I}}{{$x}},{{$y}}{{end}}{{end}}", "true,17", "tVal", true },
        { "{{if $x := true}}{{with $x := .I}}{{$x}},{{end}}{{$x}}{{end}}", "17,true", "tVal", true },
        { "{{if false}}FALSE{{else if true}}TRUE{{end}}", "TRUE", "tVal", true },
        { "{{if eq 1 3}}1{{else if eq 2 3}}2{{else if eq 3 3}}3{{end}}", "3", "tVal", true },
        // Print etc.
        { "{{print \"hello, print\"}}", "hello, print", "tVal", true },
        { "{{print 1 2 3}}", "1 2 3", "tVal", true },
        { "{{print nil}}", "<nil>", "tVal", true },
        { "{{println 1 2 3}}", "1 2 3\n", "tVal", true },
        { "{{printf \"%04x\" 127}}", "007f", "tVal", true },
        { "{{printf \"%g\" 3.5}}", "3.5", "tVal", true },
        { "{{printf \"%s\" \"hello\"}}", "hello", "tVal", true },
        { "{{printf \"%#q\" zeroArgs}}", "`zeroArgs`", "tVal", true },
        { "{{printf \"%s\" .U.V}}", "v", "tVal", true },
        { "{{with .I}}{{printf \"%d\" .}}{{end}}", "17", "tVal", true },
        { "{{with $x := .I}}{{printf \"%d\" $x}}{{end}}", "17", "tVal", true },
        // HTML, JavaScript, URL query.
        { "{{html \"<script>alert(\\\"XSS\\\");</script>\"}}", "&lt;script&gt;alert(&#34;XSS&#34;);&lt;/script&gt;", "nil", true },
        { "{{printf \"<script>alert(\\\"XSS\\\");</script>\" | html}}", "&lt;script&gt;alert(&#34;XSS&#34;);&lt;/script&gt;", "nil", true },
        { "{{html .Empty0}}", "&lt;no value&gt;", "tVal", true },
        { "{{js .}}", "It\\'d be nice.", "js", true },
        { "{{\"http://www.example.org/\"|urlquery}}", "http%3A%2F%2Fwww.example.org%2F", "nil", true },
        // Booleans.
        { "{{not true}} {{not false}}", "false true", "nil", true },
        { "{{and false 0}} {{and 1 0}} {{and 0 true}} {{and 1 1}}", "false 0 0 1", "nil", true },
        { "{{or 0 0}} {{or 1 0}} {{or 0 true}} {{or 1 1}}", "0 1 true 1", "nil", true },
        { "{{or 0 1 (die)}}", "1", "nil", true },
        { "{{and 1 0 (die)}}", "0", "nil", true },
        { "{{or 0 0 (die)}}", "", "nil", false },
        { "{{and 1 1 (die)}}", "", "nil", false },
        { "{{1 | and 1}}", "1", "nil", true },
        { "{{0 | and 1}}", "0", "nil", true },
        { "{{1 | or 0}}", "1", "nil", true },
        { "{{0 | or 0}}", "0", "nil", true },
        { "{{and 1 .Unknown}}", "<no value>", "nil", true },
        { "{{or 0 .Unknown}}", "<no value>", "nil", true },
        { "{{if and true 1 `hi`}}TRUE{{else}}FALSE{{end}}", "TRUE", "tVal", true },
        { "{{if and true 1 `hi` | not}}TRUE{{else}}FALSE{{end}}", "FALSE", "nil", true },
        { "{{if true | not | and 1}}TRUE{{else}}FALSE{{end}}", "FALSE", "nil", true },
        // Indexing.
        { "{{index .SI 0}}", "3", "tVal", true },
        { "{{index .SI 1}}", "4", "tVal", true },
        { "{{index .SI 10}}", "", "tVal", false },
        { "{{index .SI `hello`}}", "", "tVal", false },
        { "{{index .SI nil}}", "", "tVal", false },
        { "{{index .MSI `one`}}", "1", "tVal", true },
        { "{{index .MSI `two`}}", "2", "tVal", true },
        { "{{index .MSI `XXX`}}", "0", "tVal", true },
        { "{{index .MSI nil}}", "", "tVal", false },
        { "{{index .MSI ``}}", "0", "tVal", true },
        { "{{index .MSI 10}}", "", "tVal", false },
        { "{{index .SMSI 1 `eleven`}}", "11", "tVal", true },
        { "{{index nil 1}}", "", "tVal", false },
        { "{{index .MI64S 2}}", "i642", "tVal", true },
        { "{{index .MI32S 2}}", "two", "tVal", true },
        { "{{index .MUI64S 3}}", "ui643", "tVal", true },
        { "{{index .MI8S 3}}", "i83", "tVal", true },
        { "{{index .MUI8S 2}}", "u82", "tVal", true },
        { "{{index .Empty3 0}}", "7", "tVal", true },
        // Slicing.
        { "{{slice .SI}}", "[3 4 5]", "tVal", true },
        { "{{slice .SI 1}}", "[4 5]", "tVal", true },
        { "{{slice .SI 1 2}}", "[4]", "tVal", true },
        { "{{slice .SI -1}}", "", "tVal", false },
        { "{{slice .SI 1 -2}}", "", "tVal", false },
        { "{{slice .SI 1 2 -1}}", "", "tVal", false },
        { "{{slice .SI 2 1}}", "", "tVal", false },
        { "{{slice .SI 2 2 1}}", "", "tVal", false },
        { "{{slice .SI 4 5}}", "", "tVal", false },
        { "{{slice .SI 2 2 5}}", "", "tVal", false },
        { "{{slice .AI}}", "[3 4 5]", "tVal", true },
        { "{{slice .AI 1}}", "[4 5]", "tVal", true },
        { "{{slice .AI 1 2}}", "[4]", "tVal", true },
        { "{{slice .S}}", "xyz", "tVal", true },
        { "{{slice .S 0 1}}", "x", "tVal", true },
        { "{{slice .S 1}}", "yz", "tVal", true },
        { "{{slice .S 1 2}}", "y", "tVal", true },
        { "{{slice .S 1 5}}", "", "tVal", false },
        { "{{slice .S 1 2 2}}", "", "tVal", false },
        { "{{slice .Empty3 0 1}}", "[7]", "tVal", true },
        // Len.
        { "{{len .SI}}", "3", "tVal", true },
        { "{{len .MSI }}", "3", "tVal", true },
        { "{{len 3}}", "", "tVal", false },
        { "{{len .Empty0}}", "", "tVal", false },
        { "{{len .Empty3}}", "2", "tVal", true },
        // With.
        { "{{with true}}{{.}}{{end}}", "true", "tVal", true },
        { "{{with false}}{{.}}{{else}}FALSE{{end}}", "FALSE", "tVal", true },
        { "{{with 1}}{{.}}{{else}}ZERO{{end}}", "1", "tVal", true },
        { "{{with 0}}{{.}}{{else}}ZERO{{end}}", "ZERO", "tVal", true },
        { "{{with 1.5}}{{.}}{{else}}ZERO{{end}}", "1.5", "tVal", true },
        { "{{with .FloatZero}}{{.}}{{else}}ZERO{{end}}", "ZERO", "tVal", true },
        { "{{with ``}}{{.}}{{else}}EMPTY{{end}}", "EMPTY", "tVal", true },
        { "{{with `notempty`}}{{.}}{{else}}EMPTY{{end}}", "notempty", "tVal", true },
        { "{{with .SIEmpty}}{{.}}{{else}}EMPTY{{end}}", "EMPTY", "tVal", true },
        { "{{with .SI}}{{.}}{{else}}EMPTY{{end}}", "[3 4 5]", "tVal", true },
        { "{{with .MSIEmpty}}{{.}}{{else}}EMPTY{{end}}", "EMPTY", "tVal", true },
        { "{{with .MSIone}}{{.}}{{else}}EMPTY{{end}}", "map[one:1]", "tVal", true },
        { "{{with .Empty4}}{{.V}}{{end}}", "UinEmpty", "tVal", true },
        { "{{with $x := .I}}{{$x}}{{end}}", "17", "tVal", true },
        { "{{with $x := $}}{{$x.U.V}}{{end}}", "v", "tVal", true },
        { "{{with $x := $}}{{$y := $.U.V}}{{$y}}{{end}}", "v", "tVal", true },
        { "{{with 0}}{{.}}{{else with true}}{{.}}{{end}}", "true", "tVal", true },
        { "{{with 0}}{{.}}{{else with false}}{{.}}{{else with `notempty`}}{{.}}{{end}}", "notempty", "tVal", true },
        // Range.
        { "{{range .SI}}-{{.}}-{{end}}", "-3--4--5-", "tVal", true },
        { "{{range .SIEmpty}}-{{.}}-{{end}}", "", "tVal", true },
        { "{{range .SI}}-{{.}}-{{else}}EMPTY{{end}}", "-3--4--5-", "tVal", true },
        { "{{range .SIEmpty}}-{{.}}-{{else}}EMPTY{{end}}", "EMPTY", "tVal", true },
        { "{{range .SI}}-{{.}}-{{break}}NOTREACHED{{else}}EMPTY{{end}}", "-3-", "tVal", true },
        { "{{range .SI}}-{{.}}-{{continue}}NOTREACHED{{else}}EMPTY{{end}}", "-3--4--5-", "tVal", true },
        { "{{range .SB}}-{{.}}-{{end}}", "-true--false-", "tVal", true },
        { "{{range .MSI}}-{{.}}-{{end}}", "-1--3--2-", "tVal", true },
        { "{{range .MSIEmpty}}-{{.}}-{{end}}", "", "tVal", true },
        { "{{range .MSI}}-{{.}}-{{else}}EMPTY{{end}}", "-1--3--2-", "tVal", true },
        { "{{range .MSIEmpty}}-{{.}}-{{else}}EMPTY{{end}}", "EMPTY", "tVal", true },
        { "{{range .Empty3}}-{{.}}-{{else}}EMPTY{{end}}", "-7--8-", "tVal", true },
        { "{{range .Empty0}}-{{.}}-{{end}}", "", "tVal", true },
        { "{{range $x := .SI}}<{{$x}}>{{end}}", "<3><4><5>", "tVal", true },
        { "{{range $x, $y := .SI}}<{{$x}}={{$y}}>{{end}}", "<0=3><1=4><2=5>", "tVal", true },
        { "{{range $x := .MSIone}}<{{$x}}>{{end}}", "<1>", "tVal", true },
        { "{{range $x, $y := .MSIone}}<{{$x}}={{$y}}>{{end}}", "<one=1>", "tVal", true },
        { "{{range $x := .AI}}<{{$foo:=$x}}{{$x}}>{{end}}", "<3><4><5>", "tVal", true },
        { "{{range $v := .}}{{printf \"%T%d\" $v $v}}{{end}}", "int0int1int2int3int4", "int5", true },
        { "{{range $v := .}}{{printf \"%T%d\" $v $v}}{{end}}", "int320int321int322int323int324", "int32-5", true },
        { "{{range $v := .}}{{printf \"%T%d\" $v $v}}{{end}}", "uint80uint81uint82uint83uint84", "uint8-5", true },
        { "{{range $v := .}}{{printf \"%T%d\" $v $v}}{{end}}", "uint640uint641uint642uint643uint644", "uint64-5", true },
        { "{{range $v := .}}{{print $v}}{{else}}empty{{end}}", "empty", "uint0", true },
        { "{{range $v := 5}}{{printf \"%T%d\" $v $v}}{{end}}", "int0int1int2int3int4", "nil", true },
        { "{{range $i, $v := 5}}{{$v}}{{end}}", "", "nil", false },
        { "{{range .X}}{{.}}{{end}}", "", "tVal", false },
        // Cute examples.
        { "{{or .SI \"slice is empty\"}}", "[3 4 5]", "tVal", true },
        { "{{or .SIEmpty \"slice is empty\"}}", "slice is empty", "tVal", true },
        // Numbers.
        { "{{print 1234}}", "1234", "tVal", true },
        { "{{print 12_34}}", "1234", "tVal", true },
        { "{{print 0b101}}", "5", "tVal", true },
        { "{{print 0b_1_0_1}}", "5", "tVal", true },
        { "{{print 0B101}}", "5", "tVal", true },
        { "{{print 0377}}", "255", "tVal", true },
        { "{{print 0o377}}", "255", "tVal", true },
        { "{{print 0o_3_7_7}}", "255", "tVal", true },
        { "{{print 0O377}}", "255", "tVal", true },
        { "{{print 0x123}}", "291", "tVal", true },
        { "{{print 0x1_23}}", "291", "tVal", true },
        { "{{print 0X123ABC}}", "1194684", "tVal", true },
        { "{{print 123.4}}", "123.4", "tVal", true },
        { "{{print 0_0_1_2_3.4}}", "123.4", "tVal", true },
        { "{{print +0x1.ep+2}}", "7.5", "tVal", true },
        { "{{print +0x_1.e_0p+0_2}}", "7.5", "tVal", true },
        { "{{print +0X1.EP+2}}", "7.5", "tVal", true },
        { "{{print 1_2_3_4 7.5_00_00_00}}", "1234 7.5", "tVal", true },
        { "{{print 1234 0x0_1.e_0p+02}}", "1234 7.5", "tVal", true },
        // Fixed bugs.
        { "{{if .Empty0}}non-nil{{else}}nil{{end}}", "nil", "tVal", true },
        { "{{3 2}}", "", "tVal", false },
        { "{{$x := 1}}{{$x 2}}", "", "tVal", false },
        { "{{$x := 1}}{{3 | $x}}", "", "tVal", false },
        { "{{3|oneArg}}", "", "tVal", false },
        { "{{4|dddArg 3}}", "", "tVal", false },
        { "{{.cause}}", "neglect", "cause", true },
        { "{{mapOfThree.three}}-{{(mapOfThree).three}}", "3-3", "0", true },
        { "{{printf `%T` 0xef}}", "int", "tVal", true },
        { "{{printf `%T` 0xEE}}", "int", "tVal", true },
        { "{{printf `%T` 0Xef}}", "int", "tVal", true },
        { "{{printf `%T` 0XEE}}", "int", "tVal", true },
        { "{{(nil).True}}", "", "tVal", false },
        { "{{$x := nil}}{{$x.anything}}", "", "tVal", false },
        { "{{$x := (1.0)}}{{$y := (\"hello\")}}{{$x.anything}}{{$y.true}}", "", "tVal", false },
        { "{{valueString returnInt}}", "", "tVal", false },
        { "{{true|printf}}", "", "tVal", false },
        { "{{1|printf}}", "", "tVal", false },
        { "{{1.1|printf}}", "", "tVal", false },
        { "{{'x'|printf}}", "", "tVal", false },
        { "{{true|twoArgs \"xxx\"}}", "", "tVal", false },
        { "{{\"aaa\" |twoArgs \"bbb\"}}", "twoArgs=bbbaaa", "tVal", true },
        { "{{1|oneArg}}", "", "tVal", false },
        { "{{\"aaa\"|oneArg}}", "oneArg=aaa", "tVal", true },
        { "{{\"aaa\"|printf }}", "aaa", "tVal", true },
        { "{{eq . '.'}}", "true", "rune.", true },
        { "{{eq . 'e'}}", "true", "runee", true },
        { "{{eq . 'P'}}", "true", "runeP", true },
        { "{{$i := 0}}{{$x := 0}}{{range $i = .AI}}{{end}}{{$i}}", "5", "tVal", true },
        { "{{$k := 0}}{{$v := 0}}{{range $k, $v = .AI}}{{$k}}={{$v}} {{end}}", "0=3 1=4 2=5 ", "tVal", true },
        { "{{\"x\" | printf}}", "x", "0", true },
    };

    [Theory]
    [MemberData(nameof(ExecCases))]
    public void Executes_like_go(string input, string expected, string dataKey, bool ok)
    {
        var tmpl = GoTemplate.Parse("test", input, GoTestData.Functions());
        var output = new System.Text.StringBuilder();
        if (ok)
        {
            tmpl.Execute(output, "test", GoTestData.Get(dataKey));
            Assert.Equal(expected, output.ToString());
        }
        else
        {
            Assert.Throws<GoTemplateExecException>(() => tmpl.Execute(output, "test", GoTestData.Get(dataKey)));
        }
    }

    private sealed class Comparison
    {
        public uint Uthree { get; } = 3;
        public uint Ufour { get; } = 4;
        public long NegOne { get; } = -1;
        public long Three { get; } = 3;
        public Dictionary<long, long>? Map { get; }
        public Dictionary<long, long> NonNilMap { get; } = new();
        public object? NilIface { get; }
        public U V1 { get; } = new();
    }

    public static TheoryData<string, string, bool> ComparisonCases => new()
    {
        { "eq true true", "true", true }, { "eq true false", "false", true },
        { "eq 1.5 1.5", "true", true }, { "eq 1.5 2.5", "false", true },
        { "eq 1 1", "true", true }, { "eq 1 2", "false", true },
        { "eq `xy` `xy`", "true", true }, { "eq `xy` `xyz`", "false", true },
        { "eq .Uthree .Uthree", "true", true }, { "eq .Uthree .Ufour", "false", true },
        { "eq 3 4 5 6 3", "true", true }, { "eq 3 4 5 6 7", "false", true },
        { "ne true true", "false", true }, { "ne true false", "true", true },
        { "ne 1.5 1.5", "false", true }, { "ne 1.5 2.5", "true", true },
        { "ne 1 1", "false", true }, { "ne 1 2", "true", true },
        { "ne `xy` `xy`", "false", true }, { "ne `xy` `xyz`", "true", true },
        { "ne .Uthree .Uthree", "false", true }, { "ne .Uthree .Ufour", "true", true },
        { "lt 1.5 1.5", "false", true }, { "lt 1.5 2.5", "true", true },
        { "lt 1 1", "false", true }, { "lt 1 2", "true", true },
        { "lt `xy` `xy`", "false", true }, { "lt `xy` `xyz`", "true", true },
        { "lt .Uthree .Uthree", "false", true }, { "lt .Uthree .Ufour", "true", true },
        { "le 1.5 1.5", "true", true }, { "le 1.5 2.5", "true", true }, { "le 2.5 1.5", "false", true },
        { "le 1 1", "true", true }, { "le 1 2", "true", true }, { "le 2 1", "false", true },
        { "le `xy` `xy`", "true", true }, { "le `xy` `xyz`", "true", true }, { "le `xyz` `xy`", "false", true },
        { "le .Uthree .Uthree", "true", true }, { "le .Uthree .Ufour", "true", true }, { "le .Ufour .Uthree", "false", true },
        { "gt 1.5 1.5", "false", true }, { "gt 1.5 2.5", "false", true },
        { "gt 1 1", "false", true }, { "gt 2 1", "true", true }, { "gt 1 2", "false", true },
        { "gt `xy` `xy`", "false", true }, { "gt `xy` `xyz`", "false", true },
        { "gt .Uthree .Uthree", "false", true }, { "gt .Uthree .Ufour", "false", true }, { "gt .Ufour .Uthree", "true", true },
        { "ge 1.5 1.5", "true", true }, { "ge 1.5 2.5", "false", true }, { "ge 2.5 1.5", "true", true },
        { "ge 1 1", "true", true }, { "ge 1 2", "false", true }, { "ge 2 1", "true", true },
        { "ge `xy` `xy`", "true", true }, { "ge `xy` `xyz`", "false", true }, { "ge `xyz` `xy`", "true", true },
        { "ge .Uthree .Uthree", "true", true }, { "ge .Uthree .Ufour", "false", true }, { "ge .Ufour .Uthree", "true", true },
        // Mixing signed and unsigned integers.
        { "eq .Uthree .Three", "true", true }, { "eq .Three .Uthree", "true", true },
        { "le .Uthree .Three", "true", true }, { "le .Three .Uthree", "true", true },
        { "ge .Uthree .Three", "true", true }, { "ge .Three .Uthree", "true", true },
        { "lt .Uthree .Three", "false", true }, { "lt .Three .Uthree", "false", true },
        { "gt .Uthree .Three", "false", true }, { "gt .Three .Uthree", "false", true },
        { "eq .Ufour .Three", "false", true }, { "lt .Ufour .Three", "false", true }, { "gt .Ufour .Three", "true", true },
        { "eq .NegOne .Uthree", "false", true }, { "eq .Uthree .NegOne", "false", true },
        { "ne .NegOne .Uthree", "true", true }, { "ne .Uthree .NegOne", "true", true },
        { "lt .NegOne .Uthree", "true", true }, { "lt .Uthree .NegOne", "false", true },
        { "le .NegOne .Uthree", "true", true }, { "le .Uthree .NegOne", "false", true },
        { "gt .NegOne .Uthree", "false", true }, { "gt .Uthree .NegOne", "true", true },
        { "ge .NegOne .Uthree", "false", true }, { "ge .Uthree .NegOne", "true", true },
        { "eq (index `x` 0) 'x'", "true", true }, { "eq (index `x` 0) 'y'", "false", true },
        { "eq .NilIface .NilIface", "true", true },
        { "eq .NilIface 0", "false", true }, { "eq 0 .NilIface", "false", true },
        { "eq .Map .Map", "true", true }, { "eq .Map nil", "true", true }, { "eq nil .Map", "true", true },
        { "eq .Map .NonNilMap", "false", true },
        // Errors.
        { "eq `xy` 1", "", false }, { "eq 2 2.0", "", false }, { "lt true true", "", false },
        { "eq .NonNilMap .NonNilMap", "", false }, { "eq .NonNilMap .V1", "", false },
    };

    [Theory]
    [MemberData(nameof(ComparisonCases))]
    public void Compares_like_go(string expr, string truth, bool ok)
    {
        var tmpl = GoTemplate.Parse("empty", $"{{{{if {expr}}}}}true{{{{else}}}}false{{{{end}}}}",
            GoFunctionTable.CreateWithBuiltins());
        if (ok)
        {
            Assert.Equal(truth, tmpl.Execute(new Comparison()));
        }
        else
        {
            Assert.Throws<GoTemplateExecException>(() => tmpl.Execute(new Comparison()));
        }
    }

    public static TheoryData<string, string> InterfaceValueCases => new()
    {
        { "{{index .Nil 1}}", "ERROR: index of untyped nil" },
        { "{{index .Slice 2}}", "2" },
        { "{{index .Slice .Two}}", "2" },
        { "{{call .Nil 1}}", "ERROR: call of nil" },
        { "{{call .PlusOne 1}}", "2" },
        { "{{call .PlusOne .One}}", "2" },
        { "{{and (index .Slice 0) true}}", "0" },
        { "{{and .Zero true}}", "0" },
        { "{{and (index .Slice 1) false}}", "false" },
        { "{{and .One false}}", "false" },
        { "{{or (index .Slice 0) false}}", "false" },
        { "{{or .Zero false}}", "false" },
        { "{{or (index .Slice 1) true}}", "1" },
        { "{{or .One true}}", "1" },
        { "{{not (index .Slice 0)}}", "true" },
        { "{{not .Zero}}", "true" },
        { "{{not (index .Slice 1)}}", "false" },
        { "{{not .One}}", "false" },
        { "{{eq (index .Slice 0) .Zero}}", "true" },
        { "{{eq (index .Slice 1) .One}}", "true" },
        { "{{ne (index .Slice 0) .Zero}}", "false" },
        { "{{ne (index .Slice 1) .One}}", "false" },
        { "{{ge (index .Slice 0) .One}}", "false" },
        { "{{ge (index .Slice 1) .Zero}}", "true" },
        { "{{gt (index .Slice 0) .One}}", "false" },
        { "{{gt (index .Slice 1) .Zero}}", "true" },
        { "{{le (index .Slice 0) .One}}", "true" },
        { "{{le (index .Slice 1) .Zero}}", "false" },
        { "{{lt (index .Slice 0) .One}}", "true" },
        { "{{lt (index .Slice 1) .Zero}}", "false" },
    };

    [Theory]
    [MemberData(nameof(InterfaceValueCases))]
    public void Handles_interface_values_like_go(string text, string expected)
    {
        var data = new Dictionary<string, object?>
        {
            ["PlusOne"] = new GoFunction("PlusOne", (_, a) => (long)a[0]! + 1, [GoType.Int]),
            ["Slice"] = new List<object?> { 0L, 1L, 2L, 3L },
            ["One"] = 1L,
            ["Two"] = 2L,
            ["Nil"] = null,
            ["Zero"] = 0L,
        };
        var tmpl = GoTemplate.Parse("tmpl", text, GoFunctionTable.CreateWithBuiltins());
        if (expected.StartsWith("ERROR:", StringComparison.Ordinal))
        {
            var e = Assert.Throws<GoTemplateExecException>(() => tmpl.Execute(data));
            Assert.Contains(expected["ERROR:".Length..].Trim(), e.Message);
        }
        else
        {
            Assert.Equal(expected, tmpl.Execute(data));
        }
    }

    [Fact]
    public void Nested_template_error_names_the_template_and_position()
    {
        const string text = "line 1\nline 2\nline 3\n{{template \"one\" .}}\n{{define \"one\"}}{{template \"two\" .}}{{end}}\n" +
                            "{{define \"two\"}}{{template \"three\" .}}{{end}}\n{{define \"three\"}}{{index \"hi\" $}}{{end}}";
        var tmpl = GoTemplate.Parse("top", text, GoFunctionTable.CreateWithBuiltins());
        var e = Assert.Throws<GoTemplateExecException>(() => tmpl.Execute(5L));
        Assert.Equal("template: top:7:20: executing \"three\" at <index \"hi\" $>: error calling index: index out of range: 5",
            e.Message);
        Assert.Equal(7, e.Line);
        Assert.Equal(21, e.Column);
    }

    public static TheoryData<string, string> CallErrorCases => new()
    {
        { "{{doPanic}}", "template: t:1:2: executing \"t\" at <doPanic>: error calling doPanic: custom panic string" },
        { "{{call doPanic}}", "template: t:1:7: executing \"t\" at <doPanic>: error calling doPanic: custom panic string" },
        { "{{call .PanicFunc}}", "template: t:1:2: executing \"t\" at <call .PanicFunc>: error calling call: test panic" },
        { "{{call}}", "wrong number of args for call: want at least 1 got 0" },
        { "{{call .True}}", "error calling call: non-function .True of type bool" },
        { "{{call .BinaryFunc 1}}", "error calling call: wrong number of args for .BinaryFunc: got 1 want 2" },
        { "{{call .VariadicFuncInt}}", "error calling call: wrong number of args for .VariadicFuncInt: got 0 want at least 1" },
        { "{{call (len \"test\")}}", "error calling call: non-function len \"test\" of type int" },
        { "{{.MissingField}}", "can't evaluate field MissingField in type *T" },
        { "hello, {{.X.Y}}", "can't evaluate field Y in type string" },
    };

    [Theory]
    [MemberData(nameof(CallErrorCases))]
    public void Reports_call_errors_like_go(string input, string expected)
    {
        var funcs = GoFunctionTable.CreateWithBuiltins()
            .Add("doPanic", (_, _) => throw new InvalidOperationException("custom panic string"), []);
        var tmpl = GoTemplate.Parse("t", input, funcs);
        var e = Assert.Throws<GoTemplateExecException>(() => tmpl.Execute(new T()));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Missing_map_key_follows_the_option()
    {
        var data = new Dictionary<string, long> { ["x"] = 99 };
        var tmpl = GoTemplate.Parse("t1", "{{.x}} {{.y}}", GoFunctionTable.CreateWithBuiltins());
        Assert.Equal("99 <no value>", tmpl.Execute(data));
        Assert.Equal("99 <no value>", tmpl.Execute(data, new GoExecuteOptions { MissingKey = GoMissingKey.Default }));
        Assert.Equal("99 0", tmpl.Execute(data, new GoExecuteOptions { MissingKey = GoMissingKey.Zero }));
        var e = Assert.Throws<GoTemplateExecException>(() =>
            tmpl.Execute(data, new GoExecuteOptions { MissingKey = GoMissingKey.Error }));
        Assert.Contains("map has no entry for key \"y\"", e.Message);
        var nilData = Assert.Throws<GoTemplateExecException>(() =>
            tmpl.Execute(null, new GoExecuteOptions { MissingKey = GoMissingKey.Error }));
        Assert.Contains("nil data; no entry for key \"x\"", nilData.Message);
    }

    [Fact]
    public void Block_defines_a_template_that_a_later_definition_replaces()
    {
        const string input = "a({{block \"inner\" .}}bar({{.}})baz{{end}})b";
        var funcs = GoFunctionTable.CreateWithBuiltins();
        var tmpl = GoTemplate.Parse("outer", input, funcs);
        var tmpl2 = GoTemplate.Parse("outer", input, funcs).Parse("{{define \"inner\"}}foo({{.}})bar{{end}}");
        Assert.Equal("a(bar(hello)baz)b", tmpl.Execute("hello"));
        Assert.Equal("a(foo(goodbye)bar)b", tmpl2.Execute("goodbye"));
    }

    [Fact]
    public void Recursion_stops_at_the_depth_limit()
    {
        var tmpl = GoTemplate.Parse("tmpl", "{{template \"tmpl\" .}}", GoFunctionTable.CreateWithBuiltins());
        var e = Assert.Throws<GoTemplateExecException>(() => tmpl.Execute(null));
        Assert.Contains("exceeded maximum template depth", e.Message);
    }

    [Fact]
    public void Executing_an_undefined_template_is_an_error()
    {
        var empty = new GoTemplate("empty", GoFunctionTable.CreateWithBuiltins());
        var e = Assert.Throws<GoTemplateExecException>(() => empty.Execute(0L));
        Assert.Equal("template: empty: \"empty\" is an incomplete or empty template", e.Message);
        empty.Parse("secondary", "{{define \"one\"}}one{{end}}{{define \"two\"}}two{{end}}");
        Assert.Equal("one", empty.Execute("one", 0L));
        var missing = Assert.Throws<GoTemplateExecException>(() => empty.Execute("nope", 0L));
        Assert.Contains("no template \"nope\" associated with template \"empty\"", missing.Message);
    }

    [Fact]
    public void Range_stops_when_cancelled()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var tmpl = GoTemplate.Parse("t", "{{range .}}x{{end}}", GoFunctionTable.CreateWithBuiltins());
        Assert.Throws<OperationCanceledException>(() =>
            tmpl.Execute(new List<object?> { 1L }, new GoExecuteOptions { CancellationToken = cts.Token }));
    }
}
