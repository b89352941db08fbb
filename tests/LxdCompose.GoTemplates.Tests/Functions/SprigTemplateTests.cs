using LxdCompose.GoTemplates;
using LxdCompose.GoTemplates.Functions;
using Xunit;

namespace LxdCompose.GoTemplates.Tests.Functions;

/// <summary>sprig's own test tables (template → output), run through the Go template engine, plus the v2/v3 traps.</summary>
public class SprigTemplateTests
{
    private static readonly SprigEnvironment FixedEnvironment = new()
    {
        Now = () => new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero),
        LocalZone = TimeZoneInfo.Utc,
        GetEnvironmentVariable = name => name == "HOME" ? "/home/tester" : null,
    };

    private static readonly GoFunctionTable V3 = SprigFunctions.Register(GoFunctionTable.CreateWithBuiltins(), SprigVersion.V3, FixedEnvironment);
    private static readonly GoFunctionTable V2 = SprigFunctions.Register(GoFunctionTable.CreateWithBuiltins(), SprigVersion.V2, FixedEnvironment);
    private static readonly GoFunctionTable Helm = HelmFunctions.Register(GoFunctionTable.CreateWithBuiltins(), FixedEnvironment);

    internal static string Run(GoFunctionTable table, string template, object? data = null) =>
        GoTemplate.Parse("test", template, table).Execute(data);

    private static Dictionary<string, object?> Data() => new(StringComparer.Ordinal)
    {
        ["list"] = new List<object?> { "a", "b", "c" },
        ["nums"] = new List<object?> { 1L, 2L, 3L },
        ["map"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["x"] = 1L, ["y"] = "two" },
        ["yes"] = true,
        ["no"] = false,
        ["f"] = 2.0,
        ["s"] = "hello",
    };

    public static TheoryData<string, string> BothVersions => new()
    {
        // strings_test.go
        { @"{{ ""foo"" | substr 0 3 }}", "foo" },
        { @"{{ substr 1 3 ""fooo"" }}", "oo" },
        { @"{{ substr -1 3 ""fooo"" }}", "foo" },
        { @"{{ substr 1 -1 ""fooo"" }}", "ooo" },
        { @"{{ substr 1 99 ""fooo"" }}", "ooo" },
        { @"{{ ""foo bar"" | trim }}", "foo bar" },
        { @"{{ ""  foo  "" | trim }}", "foo" },
        { @"{{ ""$foo$"" | trimAll ""$"" }}", "foo" },
        { @"{{ trimall ""$"" ""$foo$"" }}", "foo" },
        { @"{{ ""foo.bar"" | trimSuffix "".bar"" }}", "foo" },
        { @"{{ ""foo.bar"" | trimPrefix ""foo."" }}", "bar" },
        { @"{{ ""hello"" | upper }}", "HELLO" },
        { @"{{ ""HELLO"" | lower }}", "hello" },
        { @"{{ ""hello world"" | title }}", "Hello World" },
        { @"{{ ""Hello World"" | untitle }}", "hello world" },
        { @"{{ ""foo"" | repeat 3 }}", "foofoofoo" },
        { @"{{ ""a  b  c"" | nospace }}", "abc" },
        { @"{{ ""foo bar baz"" | initials }}", "fbb" },
        { @"{{ ""Hello World"" | swapcase }}", "hELLO wORLD" },
        { @"{{ ""FirstName"" | snakecase }}", "first_name" },
        { @"{{ ""HTTPServer"" | snakecase }}", "http_server" },
        { @"{{ ""http2xx"" | snakecase }}", "http_2xx" },
        { @"{{ ""Bld4Floor3rd"" | snakecase }}", "bld4_floor_3rd" },
        { @"{{ ""FirstName"" | kebabcase }}", "first-name" },
        { @"{{ ""GO_PATH"" | kebabcase }}", "go-path" },
        { @"{{ wrap 5 ""Hello World"" }}", "Hello\nWorld" },
        { @"{{ wrapWith 5 ""\t"" ""Hello World"" }}", "Hello\tWorld" },
        { @"{{ ""foobar"" | contains ""foo"" }}", "true" },
        { @"{{ ""foobar"" | contains ""baz"" }}", "false" },
        { @"{{ ""foobar"" | hasPrefix ""foo"" }}", "true" },
        { @"{{ ""foobar"" | hasSuffix ""bar"" }}", "true" },
        { @"{{ quote ""a"" 1 nil ""c"" }}", "\"a\" \"1\" \"c\"" },
        { @"{{ squote ""a"" 1 }}", "'a' '1'" },
        { @"{{ cat ""a"" 1 nil ""c"" }}", "a 1 c" },
        { @"{{ ""a\nb"" | indent 2 }}", "  a\n  b" },
        { @"{{ ""a\n\nb\n"" | indent 2 }}", "  a\n  \n  b\n  " },
        { @"{{ ""a\nb"" | nindent 2 }}", "\n  a\n  b" },
        { @"{{ ""I Am Henry VIII"" | replace "" "" ""-"" }}", "I-Am-Henry-VIII" },
        { @"{{ plural ""one"" ""many"" 1 }}", "one" },
        { @"{{ plural ""one"" ""many"" 2 }}", "many" },
        { @"{{ toString 1 }}", "1" },
        { @"{{ toString .missing }}", "<nil>" },
        { @"{{ toStrings (list 1 2 nil) }}", "[1 2]" },
        { @"{{ $v := split ""$"" ""a$b"" }}{{ $v._0 }}{{ $v._1 }}", "ab" },
        { @"{{ splitList ""$"" ""a$b$c"" }}", "[a b c]" },
        { @"{{ $v := splitn ""$"" 2 ""a$b$c"" }}{{ $v._1 }}", "b$c" },
        { @"{{ join ""-"" (list 1 2 3) }}", "1-2-3" },
        { @"{{ join "","" .list }}", "a,b,c" },
        { @"{{ sortAlpha (list ""c"" ""a"" ""b"") }}", "[a b c]" },
        { @"{{ sortAlpha (list 1 20 3) }}", "[1 20 3]" },
        { @"{{ abbrev 5 ""hello world"" }}", "he..." },
        { @"{{ abbrev 20 ""hello world"" }}", "hello world" },
        { @"{{ abbrevboth 5 10 ""1234 5678 9123"" }}", "...5678..." },
        { @"{{ trunc 5 ""Hello World"" }}", "Hello" },
        { @"{{ trunc 50 ""Hello World"" }}", "Hello World" },
        { @"{{ randAlphaNum 5 | len }}", "5" },
        { @"{{ randAlpha 7 | len }}", "7" },
        { @"{{ randNumeric 4 | len }}", "4" },
        { @"{{ randAscii 3 | len }}", "3" },
        { @"{{ shuffle ""aaaa"" }}", "aaaa" },
        { @"{{ len ""é"" }}", "2" },
        // list_test.go
        { @"{{ list 1 2 3 }}", "[1 2 3]" },
        { @"{{ tuple 1 ""a"" }}", "[1 a]" },
        { @"{{ append .list ""d"" }}", "[a b c d]" },
        { @"{{ push .list ""d"" }}", "[a b c d]" },
        { @"{{ prepend .list ""z"" }}", "[z a b c]" },
        { @"{{ first .list }}", "a" },
        { @"{{ last .list }}", "c" },
        { @"{{ rest .list }}", "[b c]" },
        { @"{{ initial .list }}", "[a b]" },
        { @"{{ reverse .list }}", "[c b a]" },
        { @"{{ list 1 1 2 2 3 | uniq }}", "[1 2 3]" },
        { @"{{ without .list ""b"" }}", "[a c]" },
        { @"{{ has ""b"" .list }}", "true" },
        { @"{{ has 1 (list ""1"") }}", "false" },
        { @"{{ compact (list 1 0 """" ""a"" nil false) }}", "[1 a]" },
        { @"{{ slice .list 1 }}", "[b c]" },
        { @"{{ slice .list 1 2 }}", "[b]" },
        { @"{{ slice .list }}", "[a b c]" },
        { @"{{ concat .list (list 1 2) }}", "[a b c 1 2]" },
        { @"{{ first (list) }}", "<no value>" },
        // dict_test.go
        { @"{{ $d := dict ""a"" 1 ""b"" 2 }}{{ $d.a }}{{ $d.b }}", "12" },
        { @"{{ $d := dict ""a"" }}[{{ $d.a }}]", "[]" },
        { @"{{ $d := dict 1 2 }}{{ index $d ""1"" }}", "2" },
        { @"{{ $d := dict ""a"" 1 }}{{ set $d ""b"" 2 | len }}", "2" },
        { @"{{ $d := dict ""a"" 1 ""b"" 2 }}{{ unset $d ""b"" | len }}", "1" },
        { @"{{ hasKey .map ""x"" }}", "true" },
        { @"{{ hasKey .map ""z"" }}", "false" },
        { @"{{ pluck ""a"" (dict ""a"" 1) (dict ""b"" 2) (dict ""a"" 3) }}", "[1 3]" },
        { @"{{ keys (dict ""b"" 1 ""a"" 2) | sortAlpha }}", "[a b]" },
        { @"{{ pick (dict ""a"" 1 ""b"" 2 ""c"" 3) ""a"" ""c"" | keys | sortAlpha }}", "[a c]" },
        { @"{{ omit (dict ""a"" 1 ""b"" 2 ""c"" 3) ""a"" | keys | sortAlpha }}", "[b c]" },
        { @"{{ values (dict ""a"" 1) }}", "[1]" },
        { @"{{ $d := merge (dict ""a"" 1) (dict ""a"" 2 ""b"" 3) }}{{ $d.a }}{{ $d.b }}", "13" },
        { @"{{ $d := mergeOverwrite (dict ""a"" 1) (dict ""a"" 2 ""b"" 3) }}{{ $d.a }}{{ $d.b }}", "23" },
        { @"{{ $d := merge (dict ""a"" """") (dict ""a"" 2) }}{{ $d.a }}", "2" },
        { @"{{ $c := deepCopy .map }}{{ $_ := set $c ""x"" 9 }}{{ .map.x }}{{ $c.x }}", "19" },
        // numeric_test.go
        { @"{{ add 1 2 3 }}", "6" },
        { @"{{ add1 5 }}", "6" },
        { @"{{ sub 5 3 }}", "2" },
        { @"{{ div 10 3 }}", "3" },
        { @"{{ div -7 2 }}", "-3" },
        { @"{{ mod 10 3 }}", "1" },
        { @"{{ mul 2 3 4 }}", "24" },
        { @"{{ max 1 5 3 }}", "5" },
        { @"{{ biggest 1 5 3 }}", "5" },
        { @"{{ min 4 2 8 }}", "2" },
        { @"{{ add 0.5 0.6 }}", "0" },
        { @"{{ floor 1.9 }}", "1" },
        { @"{{ ceil 1.1 }}", "2" },
        { @"{{ round 3.746 2 }}", "3.75" },
        { @"{{ round 3.745 2 0.6 }}", "3.74" },
        { @"{{ until 3 }}", "[0 1 2]" },
        { @"{{ until -3 }}", "[0 -1 -2]" },
        { @"{{ untilStep 0 10 3 }}", "[0 3 6 9]" },
        { @"{{ untilStep 10 0 -4 }}", "[10 6 2]" },
        { @"{{ int ""12"" }}", "12" },
        { @"{{ int 3.9 }}", "3" },
        { @"{{ int64 ""42"" }}", "42" },
        { @"{{ float64 ""1.5"" }}", "1.5" },
        { @"{{ atoi ""42"" }}", "42" },
        { @"{{ atoi ""x"" }}", "0" },
        { @"{{ toDecimal ""0777"" }}", "511" },
        { @"{{ toDecimal 777 }}", "511" },
        { @"{{ int .f }}", "2" },
        { @"{{ range $i := until (int ""3"") }}{{ add1 $i }}{{ end }}", "123" },
        // defaults_test.go
        { @"{{ .missing | default ""foo"" }}", "foo" },
        { @"{{ """" | default ""foo"" }}", "foo" },
        { @"{{ 0 | default 5 }}", "5" },
        { @"{{ false | default true }}", "true" },
        { @"{{ .no | default true }}", "true" },
        { @"{{ ""bar"" | default ""foo"" }}", "bar" },
        { @"{{ list | default ""empty"" }}", "empty" },
        { @"{{ empty """" }}", "true" },
        { @"{{ empty 0 }}", "true" },
        { @"{{ empty 1 }}", "false" },
        { @"{{ empty .missing }}", "true" },
        { @"{{ empty (dict) }}", "true" },
        { @"{{ coalesce """" 0 ""x"" }}", "x" },
        { @"{{ coalesce .missing .s }}", "hello" },
        { @"{{ ternary ""a"" ""b"" true }}", "a" },
        { @"{{ ternary ""a"" ""b"" false }}", "b" },
        { @"{{ toJson .map }}", @"{""x"":1,""y"":""two""}" },
        { @"{{ toJson ""<a&b>"" }}", @"""\u003ca\u0026b\u003e""" },
        { @"{{ toPrettyJson (dict ""a"" (list 1 2)) }}", "{\n  \"a\": [\n    1,\n    2\n  ]\n}" },
        // reflect_test.go
        { @"{{ typeOf 1 }}", "int" },
        { @"{{ typeOf ""a"" }}", "string" },
        { @"{{ typeOf 1.5 }}", "float64" },
        { @"{{ typeIs ""string"" ""a"" }}", "true" },
        { @"{{ typeIsLike ""string"" ""a"" }}", "true" },
        { @"{{ kindOf (list 1) }}", "slice" },
        { @"{{ kindOf (dict) }}", "map" },
        { @"{{ kindIs ""int"" 3 }}", "true" },
        { @"{{ kindOf .missing }}", "invalid" },
        { @"{{ deepEqual (list 1 2) (list 1 2) }}", "true" },
        { @"{{ deepEqual (list 1 2) (list 1 ""2"") }}", "false" },
        // strings: encoding
        { @"{{ b64enc ""hello"" }}", "aGVsbG8=" },
        { @"{{ b64dec ""aGVsbG8="" }}", "hello" },
        { @"{{ b64dec ""aGVsbG8"" }}", "illegal base64 data at input byte 4" },
        { @"{{ b64dec ""a!b"" }}", "illegal base64 data at input byte 1" },
        { @"{{ b32enc ""hello"" }}", "NBSWY3DP" },
        { @"{{ b32dec ""NBSWY3DP"" }}", "hello" },
        // paths
        { @"{{ base ""foo/bar/baz.txt"" }}", "baz.txt" },
        { @"{{ dir ""foo/bar/baz"" }}", "foo/bar" },
        { @"{{ clean ""foo/../bar/./baz"" }}", "bar/baz" },
        { @"{{ ext ""foo.tar.gz"" }}", ".gz" },
        { @"{{ isAbs ""/foo"" }}", "true" },
        { @"{{ isAbs ""foo"" }}", "false" },
        // regex_test.go
        { @"{{ regexMatch ""^[a-z]+$"" ""abc"" }}", "true" },
        { @"{{ regexMatch ""^[a-z]+$"" ""abc\n"" }}", "false" },
        { @"{{ regexMatch ""("" ""abc"" }}", "false" },
        { @"{{ regexFindAll ""a(b)"" ""ababab"" -1 }}", "[ab ab ab]" },
        { @"{{ regexFindAll ""a(b)"" ""ababab"" 2 }}", "[ab ab]" },
        { @"{{ regexFindAll ""a*"" ""baaab"" -1 }}", "[ aaa ]" },
        { @"{{ regexFind ""[0-9]+"" ""abc123def456"" }}", "123" },
        { @"{{ regexReplaceAll ""a(x*)b"" ""-ab-axxb-"" ""${1}W"" }}", "-W-xxW-" },
        { @"{{ regexReplaceAll ""a(x*)b"" ""-ab-axxb-"" ""$1W"" }}", "---" },
        { @"{{ regexReplaceAllLiteral ""a(x*)b"" ""-ab-axxb-"" ""${1}"" }}", "-${1}-${1}-" },
        { @"{{ regexSplit ""z+"" ""pizza"" -1 }}", "[pi a]" },
        { @"{{ regexSplit ""z+"" ""pizza"" 1 }}", "[pizza]" },
        // hashes, crypto
        { @"{{ sha1sum ""abc"" }}", "a9993e364706816aba3e25717850c26c9cd0d89d" },
        { @"{{ sha256sum ""abc"" }}", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
        { @"{{ adler32sum ""Wikipedia"" }}", "300286872" },
        { @"{{ decryptAES ""secretkey"" (encryptAES ""secretkey"" ""plaintext"") }}", "plaintext" },
        { @"{{ uuidv4 | len }}", "36" },
        { @"{{ $c := genCA ""foo-ca"" 365 }}{{ $c.Cert | hasPrefix ""-----BEGIN CERTIFICATE-----"" }}", "true" },
        // urls
        { @"{{ $u := urlParse ""https://user:pw@example.com:8080/a/b?x=1#frag"" }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.fragment }}|{{ $u.userinfo }}", "https|example.com:8080|example.com|/a/b|x=1|frag|user:pw" },
        { @"{{ urlJoin (dict ""scheme"" ""https"" ""host"" ""example.com"" ""path"" ""/a"" ""query"" ""q=1"") }}", "https://example.com/a?q=1" },
        // dates (now is fixed at 2024-05-06T07:08:09Z, local zone UTC)
        { @"{{ now | date ""2006-01-02 15:04:05"" }}", "2024-05-06 07:08:09" },
        { @"{{ date ""Jan 2, 2006 at 3:04pm (MST)"" now }}", "May 6, 2024 at 7:08am (UTC)" },
        { @"{{ htmlDate now }}", "2024-05-06" },
        { @"{{ htmlDateInZone now ""UTC"" }}", "2024-05-06" },
        { @"{{ dateInZone ""2006-01-02T15:04:05Z07:00"" 0 ""UTC"" }}", "1970-01-01T00:00:00Z" },
        { @"{{ now | unixEpoch }}", "1714979289" },
        { @"{{ now | dateModify ""-1h30m"" | date ""15:04"" }}", "05:38" },
        { @"{{ toDate ""2006-01-02"" ""2017-12-31"" | date ""02/01/2006"" }}", "31/12/2017" },
        { @"{{ ago now }}", "0s" },
        // env
        { @"{{ env ""HOME"" }}", "/home/tester" },
        { @"{{ expandenv ""dir=$HOME/x ${HOME}"" }}", "dir=/home/tester/x /home/tester" },
        { @"{{ hello }}", "Hello!" },
    };

    [Theory]
    [MemberData(nameof(BothVersions))]
    public void SprigV3(string template, string expected) => Assert.Equal(expected, Run(V3, template, Data()));

    [Theory]
    [MemberData(nameof(BothVersions))]
    public void SprigV2(string template, string expected) => Assert.Equal(expected, Run(V2, template, Data()));

    public static TheoryData<string, string, string> VersionDifferences => new()
    {
        // trap 9: int parsing bases, camelcase, trunc
        { @"{{ int ""010"" }}", "10", "8" },
        { @"{{ int ""08"" }}", "8", "0" },
        { @"{{ int ""0x10"" }}", "0", "16" },
        { @"{{ int ""3.0"" }}", "0", "3" },
        { @"{{ int64 ""1_000"" }}", "0", "1000" },
        { @"{{ camelcase ""foo_bar"" }}", "fooBar", "FooBar" },
        { @"{{ camelcase ""http_server"" }}", "httpServer", "HttpServer" },
        { @"{{ camelcase ""_complex__case_"" }}", "_complex_Case_", "_Complex_Case_" },
        { @"{{ trunc 3 ""abcdef"" }}", "abc", "abc" },
    };

    [Theory]
    [MemberData(nameof(VersionDifferences))]
    public void V2AndV3Differ(string template, string v2, string v3)
    {
        Assert.Equal(v2, Run(V2, template));
        Assert.Equal(v3, Run(V3, template));
    }

    [Fact]
    public void TruncNegativeKeepsTheTailInV3AndFailsInV2()
    {
        Assert.Equal("def", Run(V3, @"{{ trunc -3 ""abcdef"" }}"));
        var e = Assert.ThrowsAny<GoTemplateException>(() => Run(V2, @"{{ trunc -3 ""abcdef"" }}"));
        Assert.Contains("slice bounds out of range", e.Message);
    }

    public static TheoryData<string, string> V3Only => new()
    {
        { @"{{ sha512sum ""abc"" | trunc 16 }}", "ddaf35a193617aba" },
        { @"{{ seq 5 }}", "1 2 3 4 5" },
        { @"{{ seq 5 1 }}", "5 4 3 2 1" },
        { @"{{ seq 1 2 10 }}", "1 3 5 7 9" },
        { @"{{ seq 0 }}", "1 0" },
        { @"{{ addf 1.5 2 2 }}", "5.5" },
        { @"{{ addf 0.1 0.2 }}", "0.3" },
        { @"{{ add1f 1.1 }}", "2.1" },
        { @"{{ subf 4.5 1 }}", "3.5" },
        { @"{{ mulf 1.5 2 2 }}", "6" },
        { @"{{ divf 10 4 }}", "2.5" },
        { @"{{ maxf 1 2.5 3 }}", "3" },
        { @"{{ minf 1.5 2 3 }}", "1.5" },
        { @"{{ all 1 ""a"" true }}", "true" },
        { @"{{ all 1 """" true }}", "false" },
        { @"{{ any 0 """" true }}", "true" },
        { @"{{ any 0 """" }}", "false" },
        { @"{{ $d := fromJson ""{\""a\"":1}"" }}{{ $d.a }}", "1" },
        { @"{{ toRawJson ""<a&b>"" }}", @"""<a&b>""" },
        { @"{{ get (dict ""a"" 1) ""a"" }}", "1" },
        { @"{{ get (dict ""a"" 1) ""z"" }}", "" },
        { @"{{ dig ""a"" ""b"" ""def"" (dict ""a"" (dict ""b"" 42)) }}", "42" },
        { @"{{ dig ""a"" ""x"" ""def"" (dict ""a"" (dict ""b"" 42)) }}", "def" },
        { @"{{ chunk 2 (list 1 2 3 4 5) }}", "[[1 2] [3 4] [5]]" },
        { @"{{ mustFirst (list 1 2) }}", "1" },
        { @"{{ mustRegexFind ""[0-9]+"" ""ab12"" }}", "12" },
        { @"{{ regexQuoteMeta ""1.2.3"" }}", @"1\.2\.3" },
        { @"{{ osBase ""/a/b.txt"" }}", "b.txt" },
        { @"{{ duration 95 }}", "1m35s" },
        { @"{{ duration ""3600"" }}", "1h0m0s" },
        { @"{{ durationRound ""2h10m5s"" }}", "2h" },
        { @"{{ durationRound 3600000000000 }}", "60m" },
        { @"{{ randBytes 12 | len }}", "16" },
    };

    [Theory]
    [MemberData(nameof(V3Only))]
    public void SprigV3Only(string template, string expected) => Assert.Equal(expected, Run(V3, template, Data()));

    [Theory]
    [InlineData("sha512sum")]
    [InlineData("seq")]
    [InlineData("addf")]
    [InlineData("all")]
    [InlineData("fromJson")]
    [InlineData("get")]
    [InlineData("dig")]
    [InlineData("chunk")]
    [InlineData("mustFirst")]
    [InlineData("randBytes")]
    [InlineData("osBase")]
    [InlineData("duration")]
    public void V2LacksTheV3Additions(string name)
    {
        Assert.False(V2.Contains(name));
        Assert.True(V3.Contains(name));
    }

    public static TheoryData<string, string> Errors => new()
    {
        { @"{{ first ""abc"" }}", "Cannot find first on type string" },
        { @"{{ first .missing }}", "nil pointer dereference" },
        { @"{{ slice ""abcdef"" 1 3 }}", "list should be type of slice or array but string" },
        { @"{{ append 1 2 }}", "Cannot push on type int" },
        { @"{{ concat (list 1) 2 }}", "Cannot concat type int as list" },
        { @"{{ div 1 0 }}", "integer divide by zero" },
        { @"{{ regexFindAll ""("" ""x"" -1 }}", "regexp: Compile(`(`)" },
        { @"{{ fail ""boom"" }}", "boom" },
        { @"{{ .missing | upper }}", "" },
        { @"{{ getHostByName ""example.com"" }}", "invalid argument to Intn" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void ErrorsAreTemplateErrors(string template, string fragment)
    {
        var e = Assert.ThrowsAny<GoTemplateException>(() => Run(V3, template, Data()));
        Assert.Contains(fragment, e.Message);
    }

    [Fact]
    public void DecryptsCiphertextInSprigsFormat()
    {
        // Ciphertext layout: IV (16 bytes) then AES-256-CBC with PKCS#7 padding, key = password zero-padded to 32 bytes.
        var ciphertext = SprigFunctions.EncryptAes("pw", "secret text");
        var raw = Convert.FromBase64String(ciphertext);
        Assert.Equal(32, raw.Length);
        using var aes = System.Security.Cryptography.Aes.Create();
        var key = new byte[32];
        key[0] = (byte)'p';
        key[1] = (byte)'w';
        aes.Key = key;
        var plain = aes.DecryptCbc(raw.AsSpan(16), raw.AsSpan(0, 16), System.Security.Cryptography.PaddingMode.PKCS7);
        Assert.Equal("secret text", System.Text.Encoding.UTF8.GetString(plain));
    }
}
