using System.Text;
using LxdCompose.GoTemplates;
using LxdCompose.GoTemplates.Functions;
using Xunit;

namespace LxdCompose.GoTemplates.Tests.Functions;

/// <summary>bcrypt, htpasswd, derivePassword (scrypt), semver/semverCompare and Helm's toToml/fromToml.</summary>
public class SprigPasswordSemverTomlTests
{
    private static readonly GoFunctionTable V3 = SprigFunctions.Register(GoFunctionTable.CreateWithBuiltins(), SprigVersion.V3);
    private static readonly GoFunctionTable V2 = SprigFunctions.Register(GoFunctionTable.CreateWithBuiltins(), SprigVersion.V2);
    private static readonly GoFunctionTable Helm = HelmFunctions.Register(GoFunctionTable.CreateWithBuiltins());

    private static string Run(GoFunctionTable table, string template, object? data = null) =>
        SprigTemplateTests.Run(table, template, data);

    // ------------------------------------------------------------------ bcrypt

    [Theory]
    // The openwall crypt_blowfish vectors ($2a$, cost 5), the last one longer than 72 bytes before truncation.
    [InlineData("U*U", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW")]
    [InlineData("", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.7uG0VCzI2bS7j6ymqJi9CdcdxiRTWNy")]
    [InlineData("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
        "$2a$05$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui")]
    // Cost 10 (sprig's), checked against an independent implementation.
    [InlineData("myPassword", "$2a$10$abcdefghijklmnopqrstuu1CF0WOmlLU8J4zrgFLAdJEOtOJYh3IG")]
    public void Bcrypt_matches_known_vectors(string password, string hash)
    {
        Assert.True(Bcrypt.Verify(password, hash));
        Assert.False(Bcrypt.Verify(password + "x", hash));
    }

    [Fact]
    public void Bcrypt_function_writes_2a_cost_10_with_a_random_salt()
    {
        var first = Run(V3, "{{ bcrypt \"secret\" }}");
        var second = Run(V3, "{{ \"secret\" | bcrypt }}");
        Assert.Matches(@"^\$2a\$10\$[./A-Za-z0-9]{53}$", first);
        Assert.NotEqual(first, second);
        Assert.True(Bcrypt.Verify("secret", first));
        Assert.True(Bcrypt.Verify("secret", second));
        Assert.Equal("failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes",
            Run(V3, "{{ bcrypt (repeat 73 \"a\") }}"));
    }

    [Fact]
    public void Bcrypt_fixed_salt_hash_has_the_library_layout()
    {
        var salt = Enumerable.Range(0, 16).Select(i => (byte)(i * 7)).ToArray();
        var hash = Bcrypt.Hash(Encoding.UTF8.GetBytes("pw"), 4, salt);
        Assert.StartsWith("$2a$04$", hash, StringComparison.Ordinal);
        Assert.Equal(60, hash.Length);
        Assert.True(Bcrypt.Verify("pw", hash));
        Assert.Throws<ArgumentException>(() => Bcrypt.Hash(Encoding.UTF8.GetBytes("pw"), 3, salt));
    }

    [Theory]
    [InlineData("myUser", "myPassword")]
    [InlineData("special'o79Cv_*qFe,)<user", "special<j7+3p#6-.Jx2U:m8G;kGypassword")]
    public void Htpasswd_writes_user_colon_bcrypt(string user, string password)
    {
        var data = new Dictionary<string, object?> { ["Username"] = user, ["Password"] = password };
        var line = Run(V3, "{{ htpasswd .Username .Password }}", data);
        int colon = line.IndexOf(':', StringComparison.Ordinal);
        Assert.Equal(user, line[..colon]);
        Assert.True(Bcrypt.Verify(password, line[(colon + 1)..]));
    }

    [Fact]
    public void Htpasswd_rejects_a_colon_in_the_user_name_as_text()
    {
        Assert.Equal("invalid username: wrongus:er", Run(V3, "{{ htpasswd \"wrongus:er\" \"doesn'tmatter\" }}"));
    }

    [Fact]
    public void Bcrypt_and_htpasswd_are_sprig_v3_only()
    {
        Assert.True(V3.Contains("bcrypt") && V3.Contains("htpasswd") && Helm.Contains("bcrypt"));
        Assert.False(V2.Contains("bcrypt") || V2.Contains("htpasswd"));
        Assert.True(V2.Contains("derivePassword") && V2.Contains("semver") && V2.Contains("semverCompare"));
    }

    // ------------------------------------------------------------------ scrypt and derivePassword

    [Theory]
    // RFC 7914 section 12.
    [InlineData("", "", 16, 1, 1, "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906")]
    [InlineData("password", "NaCl", 1024, 8, 16, "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640")]
    public void Scrypt_matches_rfc7914(string password, string salt, int n, int r, int p, string expected)
    {
        var key = Scrypt.DeriveKey(Encoding.ASCII.GetBytes(password), Encoding.ASCII.GetBytes(salt), n, r, p, 64);
        Assert.Equal(expected, Convert.ToHexStringLower(key));
    }

    [Fact]
    public void Scrypt_rejects_n_that_is_not_a_power_of_two()
    {
        var e = Assert.Throws<ArgumentException>(() => Scrypt.DeriveKey([], [], 1000, 8, 1, 32));
        Assert.Equal("scrypt: N must be > 1 and a power of 2", e.Message);
    }

    public static TheoryData<string, string> DerivedPasswords => new()
    {
        // sprig's crypto_test.go
        { "{{ derivePassword 1 \"long\" \"password\" \"user\" \"example.com\" }}", "ZedaFaxcZaso9*" },
        { "{{ derivePassword 2 \"long\" \"password\" \"user\" \"example.com\" }}", "Fovi2@JifpTupx" },
        { "{{ derivePassword 1 \"maximum\" \"password\" \"user\" \"example.com\" }}", "pf4zS1LjCg&LjhsZ7T2~" },
        { "{{ derivePassword 1 \"medium\" \"password\" \"user\" \"example.com\" }}", "ZedJuz8$" },
        { "{{ derivePassword 1 \"basic\" \"password\" \"user\" \"example.com\" }}", "pIS54PLs" },
        { "{{ derivePassword 1 \"short\" \"password\" \"user\" \"example.com\" }}", "Zed5" },
        { "{{ derivePassword 1 \"pin\" \"password\" \"user\" \"example.com\" }}", "6685" },
        { "{{ derivePassword 1 \"nope\" \"password\" \"user\" \"example.com\" }}", "cannot find password template nope" },
    };

    [Theory]
    [MemberData(nameof(DerivedPasswords))]
    public void DerivePassword_matches_sprig(string template, string expected)
    {
        Assert.Equal(expected, Run(V2, template));
    }

    [Fact]
    public void DerivePassword_counter_is_uint32()
    {
        var e = Assert.ThrowsAny<GoTemplateException>(() => Run(V3, "{{ derivePassword -1 \"pin\" \"p\" \"u\" \"s\" }}"));
        Assert.Contains("expected unsigned integer; found -1", e.Message, StringComparison.Ordinal);
    }

    // ------------------------------------------------------------------ semver

    public static TheoryData<string, string> SemverTemplates => new()
    {
        // sprig's semver_test.go
        { "{{ semverCompare \"1.2.3\" \"1.2.3\" }}", "true" },
        { "{{ semverCompare \"^1.2.0\" \"1.2.3\" }}", "true" },
        { "{{ semverCompare \"^1.2.0\" \"2.2.3\" }}", "false" },
        { "{{ $s := semver \"1.2.3-beta.1+c0ff33\" }}{{ $s.Prerelease }}", "beta.1" },
        { "{{ $s := semver \"1.2.3-beta.1+c0ff33\" }}{{ $s.Major}}", "1" },
        { "{{ semver \"1.2.3\" | (semver \"1.2.3\").Compare }}", "0" },
        { "{{ semver \"1.2.3\" | (semver \"1.3.3\").Compare }}", "1" },
        { "{{ semver \"1.4.3\" | (semver \"1.2.3\").Compare }}", "-1" },
        // more of the Version API
        { "{{ semver \"v1.2\" }}|{{ (semver \"v1.2\").Original }}|{{ (semver \"1.2.3+m\").Metadata }}", "1.2.0|v1.2|m" },
        { "{{ (semver \"1.2.3-rc.1\").IncPatch }}|{{ (semver \"1.2.3\").IncMinor }}|{{ (semver \"v1.2.3\").IncMajor.Original }}", "1.2.3|1.3.0|v2.0.0" },
        { "{{ (semver \"1.2.3\").LessThan (semver \"1.2.4\") }}|{{ (semver \"1.0.0-alpha\").GreaterThan (semver \"1.0.0\") }}", "true|false" },
        { "{{ (semver \"1.0.0-alpha.1\").Compare (semver \"1.0.0-alpha.beta\") }}|{{ (semver \"1.0.0-2\").Compare (semver \"1.0.0-10\") }}", "-1|-1" },
        { "{{ typeOf (semver \"1.2.3\") }}", "*semver.Version" },
    };

    [Theory]
    [MemberData(nameof(SemverTemplates))]
    public void Semver_matches_sprig(string template, string expected)
    {
        Assert.Equal(expected, Run(V3, template));
        Assert.Equal(expected, Run(Helm, template));
    }

    [Theory]
    [InlineData("{{ semverCompare \"badConstraint\" \"1.2.3\" }}", "error calling semverCompare: improper constraint: badConstraint")]
    [InlineData("{{ semverCompare \"1.2.0\" \"badVersion\" }}", "error calling semverCompare: Invalid Semantic Version")]
    [InlineData("{{ semver \"1.2.3-01\" }}", "error calling semver: Version segment starts with 0")]
    public void Semver_errors_are_template_errors(string template, string message)
    {
        var e = Assert.ThrowsAny<GoTemplateException>(() => Run(V3, template));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, bool> ConstraintChecks => new()
    {
        // Masterminds/semver v3.3.0 constraints_test.go TestConstraintsCheck
        { "*", "1.2.3", true },
        { "~0.0.0", "1.2.3", true },
        { "0.x.x", "1.2.3", false },
        { "0.0.x", "1.2.3", false },
        { "0.0.0", "1.2.3", false },
        { "^0.0.0", "1.2.3", false },
        { "= 2.0", "1.2.3", false },
        { "= 2.0", "2.0.0", true },
        { "4.1", "4.1.0", true },
        { "4.1.x", "4.1.3", true },
        { "1.x", "1.4", true },
        { "!=4.1", "4.1.0", false },
        { "!=4.1-alpha", "4.1.0-alpha", false },
        { "!=4.1-alpha", "4.1.1-alpha", false },
        { "!=4.1-alpha", "4.1.0", true },
        { "!=4.1", "5.1.0", true },
        { "!=4.x", "5.1.0", true },
        { "!=4.x", "4.1.0", false },
        { "!=4.1.x", "4.2.0", true },
        { "!=4.2.x", "4.2.3", false },
        { ">1.1", "4.1.0", true },
        { ">1.1", "1.1.0", false },
        { "<1.1", "0.1.0", true },
        { "<1.1", "1.1.0", false },
        { "<1.1", "1.1.1", false },
        { "<1.x", "1.1.1", false },
        { "<1.x", "0.1.1", true },
        { "<1.x", "2.0.0", false },
        { "<1.1.x", "1.2.1", false },
        { "<1.1.x", "1.1.500", false },
        { "<1.1.x", "1.0.500", true },
        { "<1.2.x", "1.1.1", true },
        { ">=1.1", "4.1.0", true },
        { ">=1.1", "4.1.0-beta", false },
        { ">=1.1", "1.1.0", true },
        { ">=1.1", "0.0.9", false },
        { "<=1.1", "0.1.0", true },
        { "<=1.1", "0.1.0-alpha", false },
        { "<=1.1-a", "0.1.0-alpha", true },
        { "<=1.1", "1.1.0", true },
        { "<=1.x", "1.1.0", true },
        { "<=2.x", "3.0.0", false },
        { "<=1.1", "1.1.1", true },
        { "<=1.1.x", "1.2.500", false },
        { "<=4.5", "3.4.0", true },
        { "<=4.5", "3.7.0", true },
        { "<=4.5", "4.6.3", false },
        { ">1.1, <2", "1.1.1", false },
        { ">1.1, <2", "1.2.1", true },
        { ">1.1, <3", "4.3.2", false },
        { ">=1.1, <2, !=1.2.3", "1.2.3", false },
        { ">1.1 <2", "1.1.1", false },
        { ">1.1 <2", "1.2.1", true },
        { ">1.1    <3", "4.3.2", false },
        { ">=1.1    <2    !=1.2.3", "1.2.3", false },
        { ">=1.1, <2, !=1.2.3 || > 3", "4.1.2", true },
        { ">=1.1, <2, !=1.2.3 || > 3", "3.1.2", false },
        { ">=1.1, <2, !=1.2.3 || >= 3", "3.0.0", true },
        { ">=1.1, <2, !=1.2.3 || > 3", "3.0.0", false },
        { ">=1.1, <2, !=1.2.3 || > 3", "1.2.3", false },
        { ">=1.1 <2 !=1.2.3", "1.2.3", false },
        { ">=1.1 <2 !=1.2.3 || > 3", "4.1.2", true },
        { ">=1.1 <2 !=1.2.3 || > 3", "3.1.2", false },
        { ">=1.1 <2 !=1.2.3 || >= 3", "3.0.0", true },
        { ">=1.1 <2 !=1.2.3 || > 3", "3.0.0", false },
        { ">=1.1 <2 !=1.2.3 || > 3", "1.2.3", false },
        { "> 1.1, <     2", "1.1.1", false },
        { ">   1.1, <2", "1.2.1", true },
        { ">1.1, <  3", "4.3.2", false },
        { ">= 1.1, <     2, !=1.2.3", "1.2.3", false },
        { "> 1.1 < 2", "1.1.1", false },
        { ">1.1 < 2", "1.2.1", true },
        { "> 1.1    <3", "4.3.2", false },
        { ">=1.1    < 2    != 1.2.3", "1.2.3", false },
        { ">= 1.1, <2, !=1.2.3 || > 3", "4.1.2", true },
        { ">= 1.1, <2, != 1.2.3 || > 3", "3.1.2", false },
        { ">= 1.1, <2, != 1.2.3 || >= 3", "3.0.0", true },
        { ">= 1.1, <2, !=1.2.3 || > 3", "3.0.0", false },
        { ">= 1.1, <2, !=1.2.3 || > 3", "1.2.3", false },
        { ">= 1.1 <2 != 1.2.3", "1.2.3", false },
        { ">= 1.1 <2 != 1.2.3 || > 3", "4.1.2", true },
        { ">= 1.1 <2 != 1.2.3 || > 3", "3.1.2", false },
        { ">= 1.1 <2 != 1.2.3 || >= 3", "3.0.0", true },
        { ">= 1.1 < 2 !=1.2.3 || > 3", "3.0.0", false },
        { ">=1.1 < 2 !=1.2.3 || > 3", "1.2.3", false },
        { "1.1 - 2", "1.1.1", true },
        { "1.5.0 - 4.5", "3.7.0", true },
        { "1.1-3", "4.3.2", false },
        { "^1.1", "1.1.1", true },
        { "^1.1", "4.3.2", false },
        { "^1.x", "1.1.1", true },
        { "^2.x", "1.1.1", false },
        { "^1.x", "2.1.1", false },
        { "^1.x", "1.1.1-beta1", false },
        { "^1.1.2-alpha", "1.2.1-beta1", true },
        { "^1.2.x-alpha", "1.1.1-beta1", false },
        { "^0.0.1", "0.0.1", true },
        { "^0.0.1", "0.3.1", false },
        { "~*", "2.1.1", true },
        { "~1", "2.1.1", false },
        { "~1", "1.3.5", true },
        { "~1", "1.4", true },
        { "~1.x", "2.1.1", false },
        { "~1.x", "1.3.5", true },
        { "~1.x", "1.4", true },
        { "~1.1", "1.1.1", true },
        { "~1.1", "1.1.1-alpha", false },
        { "~1.1-alpha", "1.1.1-beta", true },
        { "~1.1.1-beta", "1.1.1-alpha", false },
        { "~1.1.1-beta", "1.1.1", true },
        { "~1.2.3", "1.2.5", true },
        { "~1.2.3", "1.2.2", false },
        { "~1.2.3", "1.3.2", false },
        { "~1.1", "1.2.3", false },
        { "~1.3", "2.4.5", false },
        { "1.0.0 - 2.0.0 <=2.0.0", "1.5.0", true },
        { "1.0.0 - 2.0.0, <=2.0.0", "1.5.0", true },
    };

    [Theory]
    [MemberData(nameof(ConstraintChecks))]
    public void SemverCompare_follows_semver_v3_constraints(string constraint, string version, bool expected)
    {
        Assert.Equal(expected, SemverConstraints.Parse(constraint).Check(SemverVersion.Parse(version)));
    }

    [Theory]
    // TestNewConstraint: valid and invalid constraint texts
    [InlineData(">= 1.1", true)]
    [InlineData(">40.50.60, < 50.70", true)]
    [InlineData("v2.3.5-20161202202307-sha.e8fc5e5", true)]
    [InlineData(">= bar", false)]
    [InlineData("BAR >= 1.2.3", false)]
    [InlineData(">= 1.2.3 < 2.0 || => 3.0 < 4", true)]
    [InlineData("3 - 4 || => 3.0, < 4", true)]
    [InlineData("12.3.4.1234", false)]
    [InlineData("12.3.34 ~1.2.3", true)]
    [InlineData("12.3.34~ 1.2.3", false)]
    [InlineData("1.0.0 - 2.0.0, <=2.0.0", true)]
    public void Constraint_syntax_is_checked(string constraint, bool valid)
    {
        if (valid)
        {
            SemverConstraints.Parse(constraint);
        }
        else
        {
            Assert.Throws<GoFunctionException>(() => SemverConstraints.Parse(constraint));
        }
    }

    // ------------------------------------------------------------------ toToml / fromToml

    [Fact]
    public void ToToml_writes_burntsushi_layout()
    {
        var data = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["name"] = "web",
            ["replicas"] = 3L,
            ["ratio"] = 1000000.0,
            ["half"] = 0.5,
            ["enabled"] = true,
            ["skipped"] = null,
            ["tags"] = new List<object?> { "a", "b" },
            ["servers"] = new List<object?>
            {
                new Dictionary<string, object?>(StringComparer.Ordinal) { ["host"] = "h1", ["port"] = 80L },
                new Dictionary<string, object?>(StringComparer.Ordinal) { ["host"] = "h2" },
            },
            ["db"] = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["user"] = "u",
                ["pool"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["max"] = 10L },
                ["mixed"] = new List<object?> { 1L, new Dictionary<string, object?>(StringComparer.Ordinal) { ["k"] = "v" } },
            },
            ["odd key"] = "q\"\n",
        };
        Assert.Equal(
            "enabled = true\nhalf = 0.5\nname = \"web\"\n\"odd key\" = \"q\\\"\\n\"\nratio = 1000000.0\nreplicas = 3\ntags = [\"a\", \"b\"]\n" +
            "\n[db]\n  mixed = [1, {k = \"v\"}]\n  user = \"u\"\n  [db.pool]\n    max = 10\n" +
            "\n[[servers]]\n  host = \"h1\"\n  port = 80\n\n[[servers]]\n  host = \"h2\"\n",
            Run(Helm, "{{ toToml . }}", data));
    }

    [Theory]
    [InlineData("{{ toToml (list 1 nil) }}", "toml: cannot encode array with nil element")]
    [InlineData("{{ toToml (list (dict \"a\" 1)) }}", "toml: top-level values must be Go maps or structs")]
    [InlineData("{{ toToml \"x\" }}", "\"x\"")]
    [InlineData("{{ toToml (dict) }}", "")]
    [InlineData("{{ toToml (dict \"f\" 2.5e-7 \"g\" 1e21) }}", "f = 0.00000025\ng = 1000000000000000000000.0\n")]
    public void ToToml_edge_cases(string template, string expected)
    {
        Assert.Equal(expected, Run(Helm, template));
    }

    [Fact]
    public void FromToml_reads_tables_arrays_and_scalars()
    {
        const string toml = """"
            # comment
            title = "TOML \u00e9\t"
            literal = 'C:\path'
            int = 1_000
            hex = 0xff
            neg = -17
            pi = 3.14
            exp = 5e+2
            yes = true
            date = 1979-05-27T07:32:00Z
            multi = """
            line one \
              still one"""
            dotted.key = "d"
            nums = [ 1, 2,
              3, ]  # trailing comma
            inline = { a = 1, b = { c = "x" } }

            [owner]
            name = "Tom"

            [owner.address]
            city = "Paris"

            [[products]]
            name = "Hammer"

            [[products]]
            name = "Nail"
            """";
        var data = new Dictionary<string, object?> { ["t"] = toml };
        Assert.Equal(
            "TOML é\t|C:\\path|1000|255|-17|3.14|500|true|1979-05-27 07:32:00 +0000 UTC|line one still one|d|[1 2 3]|1|x|Tom|Paris|Hammer,Nail",
            Run(Helm, "{{ $m := fromToml .t }}{{ $m.title }}|{{ $m.literal }}|{{ $m.int }}|{{ $m.hex }}|{{ $m.neg }}|{{ $m.pi }}|{{ $m.exp }}|" +
                      "{{ $m.yes }}|{{ $m.date }}|{{ $m.multi }}|{{ $m.dotted.key }}|{{ $m.nums }}|{{ $m.inline.a }}|{{ $m.inline.b.c }}|" +
                      "{{ $m.owner.name }}|{{ $m.owner.address.city }}|{{ range $i, $p := $m.products }}{{ if $i }},{{ end }}{{ $p.name }}{{ end }}",
                data));
    }

    [Theory]
    [InlineData("a = 1\na = 2", "toml: line 2: Key 'a' has already been defined.")]
    [InlineData("a = ", "toml: line 1: unexpected EOF; expected value")]
    [InlineData("a b", "toml: line 1: expected '.' or '=', but got 'b' instead")]
    [InlineData("[t]\nx = 1\n[t]", "toml: line 3: Key 't' has already been defined.")]
    [InlineData("a = [1 2]", "toml: line 1: expected a comma (',') or array terminator (']'), but got '2'")]
    public void FromToml_errors_become_an_Error_key(string toml, string message)
    {
        var data = new Dictionary<string, object?> { ["t"] = toml };
        Assert.Equal(message, Run(Helm, "{{ (fromToml .t).Error }}", data));
    }

    [Fact]
    public void ToToml_output_reads_back()
    {
        var data = new Dictionary<string, object?>
        {
            ["m"] = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["a"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["b"] = new List<object?> { 1L, 2L }, ["s"] = "x y" },
                ["f"] = 2.0,
            }
        };
        Assert.Equal("[1 2]|x y|2", Run(Helm, "{{ $m := fromToml (toToml .m) }}{{ $m.a.b }}|{{ $m.a.s }}|{{ $m.f }}", data));
    }

    // ------------------------------------------------------------------ Go engine additions

    [Theory]
    [InlineData(1e6, "1000000")]
    [InlineData(1e21, "1000000000000000000000")]
    [InlineData(123.456, "123.456")]
    [InlineData(0.000001, "0.000001")]
    [InlineData(-2.5e-8, "-0.000000025")]
    [InlineData(0.1, "0.1")]
    public void GoFloat_f_shortest_has_no_exponent(double value, string expected)
    {
        Assert.Equal(expected, GoFloat.Format(value, 'f', -1, 64));
    }

    [Fact]
    public void FunctionTable_Remove_drops_a_function()
    {
        var table = SprigFunctions.Register(GoFunctionTable.CreateWithBuiltins(), SprigVersion.V3);
        Assert.True(table.Remove("env"));
        Assert.False(table.Remove("env"));
        Assert.False(Helm.Contains("env") || Helm.Contains("expandenv"));
        var e = Assert.ThrowsAny<GoTemplateException>(() => GoTemplate.Parse("t", "{{ env \"HOME\" }}", table));
        Assert.Contains("function \"env\" not defined", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Template_Clone_is_independent()
    {
        var set = GoTemplate.Parse("main", "{{ define \"x\" }}X{{ end }}{{ template \"x\" }}", GoFunctionTable.CreateWithBuiltins());
        var copy = set.Clone();
        copy.Parse("other", "{{ define \"x\" }}Y{{ end }}{{ template \"x\" }}");
        Assert.Equal("X", set.Execute(null));
        Assert.Equal("Y", copy.Execute("other", null));
        Assert.Null(set.Lookup("other"));
    }

    [Fact]
    public void Tpl_sees_the_defined_templates_and_keeps_them_apart()
    {
        var text = "{{ define \"n\" }}N{{ end }}{{ tpl \"{{ define \\\"n\\\" }}M{{ end }}{{ include \\\"n\\\" . }}\" . }}|{{ include \"n\" . }}";
        Assert.Equal("M|N", Run(Helm, text));
    }
}
