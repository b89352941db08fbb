using global::Scriban.Runtime;
using LxdCompose.Specs;
using LxdCompose.Templating;
using LxdCompose.Templating.Scriban;
using Xunit;

namespace LxdCompose.Tests.Templating;

/// <summary>
/// The native <c>sprig</c> object in Scriban argument order (subject first) against <c>gosprig</c> (Go order), in both
/// Scriban engines, and the completeness of the argument-order table (SprigScribanOrder).
/// </summary>
public sealed class ScribanSprigOrderTests
{
    private static readonly ScribanHelperProfile[] Profiles = [ScribanHelperProfile.SpecFile, ScribanHelperProfile.ConfigTemplate];

    private static ScriptObject HelperObject(ScribanHelperProfile profile, string name) =>
        Assert.IsType<ScriptObject>(ScribanTemplates.Globals([], profile)[name]);

    [Fact]
    public void Every_sprig_member_of_both_profiles_is_classified_and_the_table_names_only_members()
    {
        var members = new HashSet<string>(StringComparer.Ordinal);
        foreach (var profile in Profiles)
        {
            var sprig = HelperObject(profile, ScribanGoHelpers.SprigName);
            var unclassified = sprig.Keys.Where(k => !SprigScribanOrder.Subjects.ContainsKey(k)).ToList();
            Assert.True(unclassified.Count == 0, $"{profile}: no argument order for sprig.{string.Join(", sprig.", unclassified)}");
            // gosprig carries the same functions, in Go order.
            Assert.Equal(sprig.Keys.Order(StringComparer.Ordinal),
                HelperObject(profile, ScribanGoHelpers.GoSprigName).Keys.Order(StringComparer.Ordinal));
            members.UnionWith(sprig.Keys);
        }

        var stale = SprigScribanOrder.Subjects.Keys.Where(k => !members.Contains(k)).ToList();
        Assert.True(stale.Count == 0, $"classified but not a sprig member: {string.Join(", ", stale)}");
        // Both sprig versions are there: v3's dig and bcrypt, v2's env.
        Assert.Superset(new HashSet<string>(["dig", "bcrypt", "env", "default", "slice", "toYaml", "required"]), members);
    }

    [Fact]
    public void Every_classification_fits_the_Go_signature()
    {
        foreach (var profile in Profiles)
        {
            foreach (var name in HelperObject(profile, ScribanGoHelpers.SprigName).Keys)
            {
                Assert.True(ScribanGoHelpers.TryGetSprigFunction(profile, name, out var function), name);
                int fixedCount = function.Parameters.Count;
                bool variadic = function.Variadic != null;
                var subject = SprigScribanOrder.SubjectOf(name);
                string why = $"{profile} sprig.{name} ({fixedCount} parameters{(variadic ? " + variadic" : "")}) is {subject}";
                if (fixedCount == 0 && !variadic)
                {
                    Assert.True(subject == GoSubject.None, why);
                }

                if (fixedCount == 1 && !variadic)
                {
                    Assert.True(subject == GoSubject.First, why);
                }
                // A subject that moves needs a Go argument to move past.
                if (subject == GoSubject.Last)
                {
                    Assert.True(fixedCount >= 2 || variadic, why);
                }

                if (subject == GoSubject.Second)
                {
                    Assert.True(fixedCount >= 3, why);
                }
            }
        }
    }

    [Fact]
    public void The_subject_moves_to_its_Go_place_and_the_others_keep_their_order()
    {
        List<object?> Reorder(GoSubject subject, params object?[] args)
        {
            var list = args.ToList();
            SprigScribanOrder.ToGoOrder(list, subject);
            return list;
        }

        Assert.Equal(["a", "b", "s"], Reorder(GoSubject.Last, "s", "a", "b"));
        Assert.Equal(["re", "s", "n"], Reorder(GoSubject.Second, "s", "re", "n"));
        Assert.Equal(["m", "k"], Reorder(GoSubject.First, "m", "k"));
        Assert.Equal(["a", "b", "c"], Reorder(GoSubject.None, "a", "b", "c"));
        Assert.Equal(["s"], Reorder(GoSubject.Last, "s"));
    }

    /// <summary>
    /// Per function: the pipe form and the direct form in Scriban order, and the Go-order call of gosprig, each a whole
    /// template, and the text all three render.
    /// </summary>
    public static TheoryData<string, string, string, string> Calls => new()
    {
        // subject last in Go
        { "{{ 'a-b-c' | sprig.replace '-' '+' }}", "{{ sprig.replace 'a-b-c' '-' '+' }}", "{{ gosprig.replace '-' '+' 'a-b-c' }}", "a+b+c" },
        { "{{ '' | sprig.default 'd' }}", "{{ sprig.default '' 'd' }}", "{{ gosprig.default 'd' '' }}", "d" },
        { "{{ ['a', 'b'] | sprig.join ',' }}", "{{ sprig.join ['a', 'b'] ',' }}", "{{ gosprig.join ',' ['a', 'b'] }}", "a,b" },
        { "{{ 'v1.2' | sprig.trimPrefix 'v' }}", "{{ sprig.trimPrefix 'v1.2' 'v' }}", "{{ gosprig.trimPrefix 'v' 'v1.2' }}", "1.2" },
        { "{{ 'x\ny' | sprig.nindent 2 }}", "{{ sprig.nindent 'x\ny' 2 }}", "{{ gosprig.nindent 2 'x\ny' }}", "\n  x\n  y" },
        { "{{ 'web-01' | sprig.contains 'web' }}", "{{ sprig.contains 'web-01' 'web' }}", "{{ gosprig.contains 'web' 'web-01' }}", "true" },
        { "{{ 'abcdef' | sprig.trunc 3 }}", "{{ sprig.trunc 'abcdef' 3 }}", "{{ gosprig.trunc 3 'abcdef' }}", "abc" },
        { "{{ [1, 2] | sprig.has 2 }}", "{{ sprig.has [1, 2] 2 }}", "{{ gosprig.has 2 [1, 2] }}", "true" },
        { "{{ false | sprig.ternary 'y' 'n' }}", "{{ sprig.ternary false 'y' 'n' }}", "{{ gosprig.ternary 'y' 'n' false }}", "n" },
        { "{{ '1.4.2' | sprig.semverCompare '^1.2.0' }}", "{{ sprig.semverCompare '1.4.2' '^1.2.0' }}", "{{ gosprig.semverCompare '^1.2.0' '1.4.2' }}", "true" },
        { "{{ 'a.b.c' | sprig.splitList '.' | sprig.last }}", "{{ sprig.last (sprig.splitList 'a.b.c' '.') }}", "{{ gosprig.last (gosprig.splitList '.' 'a.b.c') }}", "c" },
        // subject second in Go, after the pattern
        { "{{ 'a1b22' | sprig.regexReplaceAll '[0-9]+' '#' }}", "{{ sprig.regexReplaceAll 'a1b22' '[0-9]+' '#' }}", "{{ gosprig.regexReplaceAll '[0-9]+' 'a1b22' '#' }}", "a#b#" },
        { "{{ 'a1b22c3' | sprig.regexFindAll '[0-9]+' 2 | sprig.join ';' }}", "{{ sprig.join (sprig.regexFindAll 'a1b22c3' '[0-9]+' 2) ';' }}", "{{ gosprig.join ';' (gosprig.regexFindAll '[0-9]+' 'a1b22c3' 2) }}", "1;22" },
        { "{{ 'a,b;c' | sprig.regexSplit '[,;]' (-1) | sprig.join ' ' }}", "{{ sprig.join (sprig.regexSplit 'a,b;c' '[,;]' (-1)) ' ' }}", "{{ gosprig.join ' ' (gosprig.regexSplit '[,;]' 'a,b;c' (-1)) }}", "a b c" },
        // subject first in Go
        { "{{ {k: 1} | sprig.hasKey 'k' }}", "{{ sprig.hasKey {k: 1} 'k' }}", "{{ gosprig.hasKey {k: 1} 'k' }}", "true" },
        { "{{ [1] | sprig.append 2 | sprig.toJson }}", "{{ sprig.toJson (sprig.append [1] 2) }}", "{{ gosprig.toJson (gosprig.append [1] 2) }}", "[1,2]" },
        { "{{ {a: 1, b: 2} | sprig.pick 'b' | sprig.toJson }}", "{{ sprig.toJson (sprig.pick {a: 1, b: 2} 'b') }}", "{{ gosprig.toJson (gosprig.pick {a: 1, b: 2} 'b') }}", "{\"b\":2}" },
        { "{{ {a: 1} | sprig.set 'b' 'x' | sprig.toJson }}", "{{ sprig.toJson (sprig.set {a: 1} 'b' 'x') }}", "{{ gosprig.toJson (gosprig.set {a: 1} 'b' 'x') }}", "{\"a\":1,\"b\":\"x\"}" },
        { "{{ 10 | sprig.sub 3 }}", "{{ sprig.sub 10 3 }}", "{{ gosprig.sub 10 3 }}", "7" },
        { "{{ 'web' | sprig.upper }}", "{{ sprig.upper 'web' }}", "{{ gosprig.upper 'web' }}", "WEB" },
        // no subject: Go order
        { "{{ 'a' | sprig.cat 'b' 'c' }}", "{{ sprig.cat 'a' 'b' 'c' }}", "{{ gosprig.cat 'a' 'b' 'c' }}", "a b c" },
        { "{{ 'a' | sprig.quote 'b' }}", "{{ sprig.quote 'a' 'b' }}", "{{ gosprig.quote 'a' 'b' }}", "\"a\" \"b\"" },
        { "{{ 1 | sprig.list 2 3 | sprig.toJson }}", "{{ sprig.toJson (sprig.list 1 2 3) }}", "{{ gosprig.toJson (gosprig.list 1 2 3) }}", "[1,2,3]" },
        { "{{ 'k' | sprig.dict 'v' | sprig.toJson }}", "{{ sprig.toJson (sprig.dict 'k' 'v') }}", "{{ gosprig.toJson (gosprig.dict 'k' 'v') }}", "{\"k\":\"v\"}" },
        { "{{ 1 | sprig.add 2 3 }}", "{{ sprig.add 1 2 3 }}", "{{ gosprig.add 1 2 3 }}", "6" },
    };

    [Theory]
    [MemberData(nameof(Calls))]
    public void Pipe_and_direct_call_in_Scriban_order_match_the_Go_order_call_in_both_engines(
        string pipe, string direct, string goOrder, string expected)
    {
        foreach (var template in new[] { pipe, direct, goOrder })
        {
            Assert.Equal(expected, RenderSpecFile(template));
            Assert.Equal(expected, RenderConfigTemplate(template));
        }
    }

    [Fact]
    public void V3_only_functions_follow_the_table_in_spec_files()
    {
        // dig's subject is the map, which Go takes last.
        Assert.Equal("x|x|x", RenderSpecFile("{{ m = {a: {b: 'x'}} }}{{ m | sprig.dig 'a' 'b' 'none' }}|" +
                                             "{{ sprig.dig m 'a' 'b' 'none' }}|{{ gosprig.dig 'a' 'b' 'none' m }}"));
        Assert.Equal("[[1,2],[3]]", RenderSpecFile("{{ [1, 2, 3] | sprig.chunk 2 | sprig.toJson }}"));
    }

    [Fact]
    public void A_Go_order_call_written_to_sprig_is_an_error_at_the_call()
    {
        // `sprig.trunc 3 'abcdef'` passes 'abcdef' as trunc's int: Scriban order wants the string first.
        var e = Assert.Throws<SpecException>(() => RenderConfigTemplate("ok\n{{ sprig.trunc 3 'abcdef' }}"));
        Assert.Equal(2, e.Diagnostic.Line);
        Assert.Contains("trunc: wrong type for value; expected int; got string", e.Diagnostic.Message, StringComparison.Ordinal);
    }

    private static string RenderSpecFile(string text) =>
        new ScribanSpecRenderer(RenderContext.Create(new Dictionary<string, object?>(StringComparer.Ordinal), null, null, []))
            .Render("f.yml", text);

    private static string RenderConfigTemplate(string text) =>
        new ScribanConfigTemplateEngine().Render(text, "f.tmpl", new Dictionary<string, object?>(StringComparer.Ordinal));
}
