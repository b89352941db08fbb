using LxdCompose.GoTemplates;
using Xunit;

namespace LxdCompose.GoTemplates.Tests;

/// <summary>Go's parseTests/errorTests and fmt printf cases (the language traps on YAML data are in Core's GoLanguageTrapsTests).</summary>
public class GoParseAndFormatTests
{
    private static GoFunctionTable Builtins => GoFunctionTable.CreateWithBuiltins();

    public static TheoryData<string, string> ParseCases => new()
    {
        { "", "" },
        { "{{/*\n\n\n*/}}", "" },
        { " \t\n", "\" \\t\\n\"" },
        { "some text", "\"some text\"" },
        { "{{.X}}", "{{.X}}" },
        { "{{printf}}", "{{printf}}" },
        { "{{$}}", "{{$}}" },
        { "{{with $x := 3}}{{$x 23}}{{end}}", "{{with $x := 3}}{{$x 23}}{{end}}" },
        { "{{$.I}}", "{{$.I}}" },
        { "{{printf `%d` 23}}", "{{printf `%d` 23}}" },
        { "{{.X|.Y}}", "{{.X | .Y}}" },
        { "{{$x := .X|.Y}}", "{{$x := .X | .Y}}" },
        { "{{.X (.Y .Z) (.A | .B .C) (.E)}}", "{{.X (.Y .Z) (.A | .B .C) (.E)}}" },
        { "{{(.Y .Z).Field}}", "{{(.Y .Z).Field}}" },
        { "{{if .X}}hello{{end}}", "{{if .X}}\"hello\"{{end}}" },
        { "{{if .X}}true{{else}}false{{end}}", "{{if .X}}\"true\"{{else}}\"false\"{{end}}" },
        { "{{if .X}}true{{else if .Y}}false{{end}}", "{{if .X}}\"true\"{{else}}{{if .Y}}\"false\"{{end}}{{end}}" },
        { "+{{if .X}}X{{else if .Y}}Y{{else if .Z}}Z{{end}}+",
            "\"+\"{{if .X}}\"X\"{{else}}{{if .Y}}\"Y\"{{else}}{{if .Z}}\"Z\"{{end}}{{end}}{{end}}\"+\"" },
        { "{{range .X}}hello{{end}}", "{{range .X}}\"hello\"{{end}}" },
        { "{{range .X.Y.Z}}hello{{end}}", "{{range .X.Y.Z}}\"hello\"{{end}}" },
        { "{{range .X}}hello{{range .Y}}goodbye{{end}}{{end}}", "{{range .X}}\"hello\"{{range .Y}}\"goodbye\"{{end}}{{end}}" },
        { "{{range .X}}true{{else}}false{{end}}", "{{range .X}}\"true\"{{else}}\"false\"{{end}}" },
        { "{{range .X|.M}}true{{else}}false{{end}}", "{{range .X | .M}}\"true\"{{else}}\"false\"{{end}}" },
        { "{{range .SI}}{{.}}{{end}}", "{{range .SI}}{{.}}{{end}}" },
        { "{{range $x := .SI}}{{.}}{{end}}", "{{range $x := .SI}}{{.}}{{end}}" },
        { "{{range $x, $y := .SI}}{{.}}{{end}}", "{{range $x, $y := .SI}}{{.}}{{end}}" },
        { "{{range .SI}}{{.}}{{break}}{{end}}", "{{range .SI}}{{.}}{{break}}{{end}}" },
        { "{{range .SI}}{{.}}{{continue}}{{end}}", "{{range .SI}}{{.}}{{continue}}{{end}}" },
        { "{{range .SI 1 true false 'a' nil}}{{end}}", "{{range .SI 1 true false 'a' nil}}{{end}}" },
        { "{{template `x`}}", "{{template \"x\"}}" },
        { "{{template `x` .Y}}", "{{template \"x\" .Y}}" },
        { "{{with .X}}hello{{end}}", "{{with .X}}\"hello\"{{end}}" },
        { "{{with .X}}hello{{else}}goodbye{{end}}", "{{with .X}}\"hello\"{{else}}\"goodbye\"{{end}}" },
        { "{{with .X}}hello{{else with .Y}}goodbye{{end}}", "{{with .X}}\"hello\"{{else}}{{with .Y}}\"goodbye\"{{end}}{{end}}" },
        { "x \r\n\t{{- 3}}", "\"x\"{{3}}" },
        { "{{3 -}}\n\n\ty", "{{3}}\"y\"" },
        { "x \r\n\t{{- 3 -}}\n\n\ty", "\"x\"{{3}}\"y\"" },
        { "x\n{{-  3   -}}\ny", "\"x\"{{3}}\"y\"" },
        { "x \r\n\t{{- /* hi */}}", "\"x\"" },
        { "{{/* hi */ -}}\n\n\ty", "\"y\"" },
        { "x \r\n\t{{- /* */ -}}\n\n\ty", "\"x\"\"y\"" },
        { "{{block \"foo\" .}}hello{{end}}", "{{template \"foo\" .}}" },
        { "{{ $x \n := \n 1 \n }}", "{{$x := 1}}" },
        { "{{\n\"x\"\n|\nprintf\n}}", "{{\"x\" | printf}}" },
        { "{{/*\nhello\n*/}}", "" },
        { "{{-\n/*\nhello\n*/\n-}}", "" },
        { "{{range .SI}}{{.}}{{ continue }}{{end}}", "{{range .SI}}{{.}}{{continue}}{{end}}" },
        { "{{range .SI}}{{.}}{{ break }}{{end}}", "{{range .SI}}{{.}}{{break}}{{end}}" },
        { "{{$x := 0}}{{$x}}", "{{$x := 0}}{{$x}}" },
        { "{{$x:=.}}{{$x +2}}", "{{$x := .}}{{$x +2}}" },
        { "{{range $x := 0}}{{$x}}{{end}}", "{{range $x := 0}}{{$x}}{{end}}" },
        { "{{range $x = 0}}{{$x}}{{end}}", "{{range $x = 0}}{{$x}}{{end}}" },
        { "{{ (( 1 )) }}", "{{((1))}}" },
        { "{{ ((( 1 ))) | printf }}", "{{(((1))) | printf}}" },
        { "{{ if ((( true ))) }}YES{{ end }}", "{{if (((true)))}}\"YES\"{{end}}" },
        // Trap 2: a trailing pipe is accepted; {{-3}} is the number -3.
        { "{{ \"a\" | }}", "{{\"a\"}}" },
        { "{{-3}}", "{{-3}}" },
    };

    [Theory]
    [MemberData(nameof(ParseCases))]
    public void Parses_like_go(string input, string tree)
    {
        var tmpl = GoTemplate.Parse("test", input, Builtins);
        Assert.Equal(tree, tmpl.Lookup("test")!.Root.ToDebugString());
    }

    public static TheoryData<string> ParseErrorCases => new()
    {
        "{{}}", "{{\n}}", "hello{{range", "{{end}}", "{{else}}", "{{if .X}}hello{{end}}{{else}}",
        "{{if .X}}1{{else}}2{{else}}3{{end}}", "hello{{range .x}}", "hello{{range .x}}{{else}}", "hello{{undefined}}",
        "{{$x}}", "{{with $x := 4}}{{end}}{{$x}}", "{{template $v}}", "{{with $x.Y := 4}}{{end}}", "{{template .X}}",
        "{{printf 3, 4}}", "{{with $v, $u := 3}}{{end}}", "{{range $u, $v, $w := 3}}{{end}}", "{{printf (printf .).}}",
        "{{printf 3`x`}}", "{{printf `x`.}}", "{{if .X}}a{{else if .Y}}b{{end}}{{end}}", "{{range .}}{{end}} {{break}}",
        "{{range .}}{{end}} {{continue}}", "{{range .}}{{else}}{{break}}{{end}}", "{{range .}}{{else}}{{continue}}{{end}}",
        "{{$x += 1}}{{$x}}", "{{$x ! 2}}{{$x}}", "{{$x % 3}}{{$x}}", "{{range $x := $y := 3}}{{end}}",
        "{{$x:=.}}{{$x!2}}", "{{$x:=.}}{{$x+2}}", "{{1.E}}", "{{0.1.E}}", "{{true.E}}", "{{'a'.any}}",
        "{{\"hello\".guys}}", "{{..E}}", "{{nil.E}}", "{{12|.}}", "{{.|12|printf}}", "{{.|printf|\"error\"}}",
        "{{12|printf|'e'}}", "{{.|true}}", "{{'c'|nil}}", "{{printf \"%d\" ( ) }}", "{{block \"foo\"}}hello{{end}}",
        // Trap 2: a space before a comment makes it an ordinary action, where '/' is not allowed.
        "{{ /* c */ }}",
        // Imaginary numbers are rejected.
        "{{print 1i}}",
    };

    [Theory]
    [MemberData(nameof(ParseErrorCases))]
    public void Rejects_invalid_templates(string input) =>
        Assert.Throws<GoTemplateParseException>(() => GoTemplate.Parse("test", input, Builtins));

    public static TheoryData<string, string, string, string> ParseErrorMessages => new()
    {
        { "unclosed1", "line1\n{{", "unclosed1:2:", "unclosed action" },
        { "unclosed2", "line1\n{{define `x`}}line2\n{{", "unclosed2:3:", "unclosed action" },
        { "unclosed3", "line1\n{{\"x\"\n\"y\"\n", "unclosed3:4:", "unclosed action started at unclosed3:2" },
        { "unclosed4", "{{\n\n\n\n\n", "unclosed4:6:", "unclosed action started at unclosed4:1" },
        { "var1", "line1\n{{\nx\n}}", "var1:3:", "function \"x\" not defined" },
        { "function", "{{foo}}", "function:1:3:", "function \"foo\" not defined" },
        { "comment1", "{{/*}}", "comment1:1:", "unclosed comment" },
        { "comment2", "{{/*\nhello\n}}", "comment2:1:", "unclosed comment" },
        { "lparen", "{{.X (1 2 3}}", "lparen:1:", "unclosed left paren" },
        { "rparen", "{{.X 1 2 3 ) }}", "rparen:1:", "unexpected right paren" },
        { "rparen2", "{{(.X 1 2 3", "rparen2:1:", "unclosed action" },
        { "space", "{{`x`3}}", "space:1:", "in operand" },
        { "idchar", "{{a#}}", "idchar:1:", "'#'" },
        { "charconst", "{{'a}}", "charconst:1:", "unterminated character constant" },
        { "stringconst", "{{\"a}}", "stringconst:1:", "unterminated quoted string" },
        { "rawstringconst", "{{`a}}", "rawstringconst:1:", "unterminated raw quoted string" },
        { "number", "{{0xi}}", "number:1:", "number syntax" },
        { "multidefine", "{{define `a`}}a{{end}}{{define `a`}}b{{end}}", "multidefine:1:", "multiple definition of template" },
        { "eof", "{{range .X}}", "eof:1:", "unexpected EOF" },
        { "variable", "{{$x := 23}}{{with $x.y := 3}}{{$x 23}}{{end}}", "variable:1:", "unexpected \":=\"" },
        { "multidecl", "{{$a,$b,$c := 23}}", "multidecl:1:", "too many declarations" },
        { "undefvar", "{{$a}}", "undefvar:1:3:", "undefined variable \"$a\"" },
        { "wrongdot", "{{true.any}}", "wrongdot:1:", "unexpected . after term" },
        { "wrongpipeline", "{{12|false}}", "wrongpipeline:1:", "non executable command in pipeline" },
        { "emptypipeline", "{{ ( ) }}", "emptypipeline:1:", "missing value for parenthesized pipeline" },
        { "multilinerawstring", "{{ $v := `\n` }} {{", "multilinerawstring:2:", "unclosed action" },
        { "rangeundefvar", "{{range $k}}{{end}}", "rangeundefvar:1:", "undefined variable" },
        { "rangeundefvars", "{{range $k, $v}}{{end}}", "rangeundefvars:1:", "undefined variable" },
        { "rangemissingvalue1", "{{range $k,}}{{end}}", "rangemissingvalue1:1:", "missing value for range" },
        { "rangemissingvalue2", "{{range $k, $v := }}{{end}}", "rangemissingvalue2:1:", "missing value for range" },
        { "rangenotvariable1", "{{range $k, .}}{{end}}", "rangenotvariable1:1:", "range can only initialize variables" },
        { "rangenotvariable2", "{{range $k, 123 := .}}{{end}}", "rangenotvariable2:1:", "range can only initialize variables" },
        { "X", "hello\n\n{{`unterminated\n\n\n\n}}\n some more\n\n", "X:3:", "unterminated raw quoted string" },
        { "envs/nginx.yml", "a: 1\n  b: {{ $privileged_containers }}", "envs/nginx.yml:2:9:",
            "undefined variable \"$privileged_containers\"" },
    };

    [Theory]
    [MemberData(nameof(ParseErrorMessages))]
    public void Parse_errors_carry_name_line_and_column(string name, string input, string location, string message)
    {
        var e = Assert.Throws<GoTemplateParseException>(() => GoTemplate.Parse(name, input, Builtins));
        Assert.StartsWith(location, e.Message);
        Assert.Contains(message, e.Message);
        Assert.Equal(name, e.TemplateName);
    }

    [Fact]
    public void Deep_parenthesis_nesting_is_rejected()
    {
        string text = "{{" + new string('(', 1001) + "1" + new string(')', 1001) + "}}";
        var e = Assert.Throws<GoTemplateParseException>(() => GoTemplate.Parse("test", text, Builtins));
        Assert.Contains("max expression depth exceeded", e.Message);
    }

    [Fact]
    public void Break_is_a_function_when_one_is_defined()
    {
        const string input = "{{range .X}}{{break 20}}{{end}}";
        var withFunc = GoFunctionTable.CreateWithBuiltins().Add("break", (_, a) => a[0], [GoType.Any]);
        GoTemplate.Parse("t", input, withFunc);
        Assert.Throws<GoTemplateParseException>(() => GoTemplate.Parse("t", input, Builtins));
    }

    public static TheoryData<string, object?[], string> PrintfCases => new()
    {
        { "%d", [12345L], "12345" }, { "%v", [12345L], "12345" }, { "%t", [true], "true" },
        { "%5d", [12L], "   12" }, { "%-5d|", [12L], "12   |" }, { "%05d", [-12L], "-0012" }, { "%+d", [12L], "+12" },
        { "% d", [12L], " 12" }, { "%.3d", [7L], "007" }, { "%.0d", [0L], "" }, { "%x", [255L], "ff" },
        { "%X", [255L], "FF" }, { "%#x", [255L], "0xff" }, { "%o", [8L], "10" }, { "%#o", [8L], "010" },
        { "%O", [8L], "0o10" }, { "%b", [5L], "101" }, { "%x", [-255L], "-ff" }, { "%c", [65L], "A" },
        { "%q", [65L], "'A'" }, { "%U", [0x1F600L], "U+1F600" }, { "%#U", [65L], "U+0041 'A'" },
        { "%d", [ulong.MaxValue], "18446744073709551615" },
        { "%s", ["abc"], "abc" }, { "%5s", ["abc"], "  abc" }, { "%-5s|", ["abc"], "abc  |" }, { "%.2s", ["abc"], "ab" },
        { "%q", ["a\"b\n"], "\"a\\\"b\\n\"" }, { "%#q", ["abc"], "`abc`" }, { "%+q", ["é"], "\"\\u00e9\"" },
        { "%x", ["hello"], "68656c6c6f" }, { "%X", ["hi"], "6869" }, { "% x", ["hi"], "68 69" }, { "%#x", ["hi"], "0x6869" },
        { "%f", [3.14159], "3.141590" }, { "%.2f", [3.14159], "3.14" }, { "%5.2f", [3.14159], " 3.14" },
        { "%8.3f", [-3.14159], "  -3.142" }, { "%08.3f", [-3.14159], "-003.142" }, { "%e", [1234.5678], "1.234568e+03" },
        { "%E", [1234.5678], "1.234568E+03" }, { "%g", [1234.5678], "1234.5678" }, { "%g", [1e-7], "1e-07" },
        { "%G", [1e21], "1E+21" }, { "%.3g", [1234.5678], "1.23e+03" }, { "%.2f", [0.125], "0.12" },
        { "%.2f", [0.375], "0.38" }, { "%v", [1e6], "1e+06" }, { "%v", [100000.0], "100000" },
        { "%v", [123456789.5], "1.234567895e+08" }, { "%v", [1.0], "1" }, { "%v", [1.1], "1.1" }, { "%v", [0.0001], "0.0001" },
        { "%v", [0.00001], "1e-05" }, { "%v", [-0.5], "-0.5" }, { "%v", [double.PositiveInfinity], "+Inf" },
        { "%v", [double.NaN], "NaN" }, { "%+.1f", [2.0], "+2.0" }, { "%#g", [1.0], "1.00000" },
        { "%v", [new List<object?> { 1L, "a", null }], "[1 a <nil>]" },
        { "%v", [new Dictionary<string, object?> { ["b"] = 2L, ["a"] = 1L }], "map[a:1 b:2]" },
        { "%d", [new List<object?> { 1L, 2L }], "[1 2]" }, { "%q", [new List<object?> { "a", "b" }], "[\"a\" \"b\"]" },
        { "%T", [1L], "int" }, { "%T", ["s"], "string" }, { "%T", [1.5], "float64" }, { "%T", [null], "<nil>" },
        { "%T", [new List<object?>()], "[]interface {}" }, { "%T", [new Dictionary<string, object?>()], "map[string]interface {}" },
        { "%d", ["x"], "%!d(string=x)" }, { "%s", [5L], "%!s(int=5)" }, { "%d", [true], "%!d(bool=true)" },
        { "%d", [1.5], "%!d(float64=1.5)" }, { "%s", [null], "%!s(<nil>)" }, { "%v", [null], "<nil>" },
        { "%s %s", ["a"], "a %!s(MISSING)" }, { "%s", ["a", "x"], "a%!(EXTRA string=x)" },
        { "%d", [1L, 2L, "z"], "1%!(EXTRA int=2, string=z)" }, { "100%%", [], "100%" }, { "%", [], "%!(NOVERB)" },
        { "%z", [1L], "%!z(int=1)" }, { "%[2]d %[1]d", [1L, 2L], "2 1" }, { "%[3]d", [1L], "%!d(BADINDEX)" },
        { "%*d", [5L, 1L], "    1" }, { "%-*d|", [3L, 1L], "1  |" }, { "%.*f", [1L, 2.25], "2.2" },
        { "%v", [new DateTimeOffset(2020, 1, 2, 0, 0, 0, TimeSpan.Zero)], "2020-01-02 00:00:00 +0000 UTC" },
        { "%v", [new DateTimeOffset(2020, 1, 2, 10, 30, 0, TimeSpan.FromHours(2))], "2020-01-02 10:30:00 +0200 +0200" },
    };

    [Theory]
    [MemberData(nameof(PrintfCases))]
    public void Formats_like_go_fmt(string format, object?[] args, string expected) =>
        Assert.Equal(expected, GoFormat.Sprintf(format, args));

    [Fact]
    public void Templates_from_several_files_share_one_set()
    {
        var set = new GoTemplate("envs/env1.yml", Builtins);
        set.Parse("tpl/commands", "{{ define \"tpl/cmd\" }}- {{ . }}{{ end }}");
        set.Parse("envs/env1.yml", "cmds:\n{{ template \"tpl/cmd\" .x }}");
        Assert.Equal("cmds:\n- 7", set.Execute(new Dictionary<string, object?> { ["x"] = 7L }));
        Assert.Contains("tpl/cmd", set.TemplateNames);
    }

    [Fact]
    public void Functions_can_run_other_templates_like_helm_include()
    {
        var funcs = GoFunctionTable.CreateWithBuiltins()
            .Add("include", (ctx, a) => ctx.ExecuteTemplate((string)a[0]!, a[1]), [GoType.String, GoType.Any]);
        var set = GoTemplate.Parse("main", "{{ define \"t\" }}<{{ .v }}>{{ end }}[{{ include \"t\" . | printf \"%s!\" }}]", funcs);
        Assert.Equal("[<1>!]", set.Execute(new Dictionary<string, object?> { ["v"] = 1L }));
    }

    [Fact]
    public void Member_names_can_be_mapped()
    {
        var access = new GoMemberAccess(m => m.Name == nameof(U.V) ? ["Values", "V"] : [m.Name]);
        var tmpl = GoTemplate.Parse("t", "{{ .Values }}", Builtins);
        Assert.Equal("x", tmpl.Execute(new U { V = "x" }, new GoExecuteOptions { Members = access }));
    }
}
