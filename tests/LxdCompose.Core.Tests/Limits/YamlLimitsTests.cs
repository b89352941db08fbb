using LxdCompose.Loading;
using LxdCompose.Specs;
using LxdCompose.Tests.Loading;
using LxdCompose.Yaml;
using Xunit;

namespace LxdCompose.Tests.Limits;

/// <summary>YAML inputs that once crashed or exhausted the process: each is now an error with its position.</summary>
public sealed class YamlLimitsTests
{
    private static string NestedFlowLists(int depth) => "vars: " + new string('[', depth) + new string(']', depth) + "\n";

    [Theory]
    [InlineData(10_001)]
    [InlineData(100_000)]
    [InlineData(1_000_000)]
    public void Flow_nesting_past_10000_is_an_error_at_the_first_level_too_deep(int depth)
    {
        CrashGuards.RequireYamlDepthLimit(); // the old reader took hours on 100,000 levels (YamlDotNet is quadratic)
        var text = NestedFlowLists(depth);
        // On a huge stack first: the recursive reader before the fix parsed this without an error (no crash).
        var e = StackThreads.Run(StackThreads.Huge, () => Assert.Throws<SpecException>(() => YamlTreeReader.Parse(text, "f.yml")));
        Assert.Equal(("YamlTooDeep", "f.yml", 1, 7 + 10_000), (e.Diagnostic.Code, e.Diagnostic.File, e.Diagnostic.Line, e.Diagnostic.Column));
        Assert.Contains("10,000", e.Message);

        var small = StackThreads.Run(StackThreads.Small, () => Assert.Throws<SpecException>(() => YamlTreeReader.Parse(text, "f.yml")));
        Assert.Equal("YamlTooDeep", small.Diagnostic.Code);
    }

    [Fact]
    public void Block_nesting_past_10000_is_an_error_too()
    {
        var text = "v:\n  " + string.Concat(Enumerable.Repeat("- ", 10_001)) + "x\n";
        var e = StackThreads.Run(StackThreads.Huge, () => Assert.Throws<SpecException>(() => YamlTreeReader.Parse(text, "f.yml")));
        Assert.Equal(("YamlTooDeep", 2), (e.Diagnostic.Code, e.Diagnostic.Line));
    }

    [Fact]
    public void Ten_thousand_flow_levels_inside_a_map_are_read_as_lxd_compose_reads_them()
    {
        // 10,000 [ inside the map: yaml.v3 counts flow and block nesting apart, so this is within its limit.
        var root = StackThreads.Run(StackThreads.Huge, () => Assert.IsType<YamlMapping>(YamlTreeReader.Parse(NestedFlowLists(10_000), "f.yml")));
        YamlNode node = root["vars"]!;
        var depth = 0;
        while (node is YamlSequence { Items.Count: > 0 } seq)
        {
            node = seq.Items[0];
            depth++;
        }

        Assert.Equal(9_999, depth); // the innermost list is empty
    }

    [Fact]
    public void A_spec_whose_variables_nest_deeper_than_the_stack_allows_is_a_load_error_not_a_crash()
    {
        static string Env(int depth) =>
            "projects:\n- name: p\n  vars:\n  - envs:\n      deep: " + new string('[', depth) + new string(']', depth) + "\n";
        using var specs = new TempSpecs();
        // Guard: the code before the fix had no limit, so this fails there before anything runs on a small stack.
        specs.Env(Env(10_001));
        var refused = StackThreads.Run(StackThreads.Huge, () => specs.Load());
        Assert.Contains(specs.Problems(refused), p => p.StartsWith("Error YamlTooDeep envs/env.yml:5:", StringComparison.Ordinal));

        specs.Env(Env(10_000));
        var set = StackThreads.Run(StackThreads.Huge, () => specs.Load());
        Assert.Single(set.Environments); // on a big stack it loads: the limit is yaml.v3's, not ours

        var small = StackThreads.Run(StackThreads.Small, () => specs.Load());
        Assert.Contains("Error NestingTooDeep envs/env.yml:0:0", specs.Problems(small));
        Assert.Empty(small.Environments);
    }

    /// <summary>The alias bomb of the issue: 9 levels of 10 aliases each, 10^9 values once expanded.</summary>
    private static string AliasBomb()
    {
        var lines = new List<string> { "vars:", "  a0: &a0 [x, x, x, x, x, x, x, x, x, x]" };
        for (var i = 1; i <= 9; i++)
        {
            lines.Add($"  a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))}]");
        }

        return string.Join("\n", lines) + "\n";
    }

    [Fact]
    public void An_alias_bomb_is_refused_at_the_alias_that_makes_the_expansion_excessive()
    {
        // Before the fix Parse returned at once (aliases shared) and expansion happened later, eagerly.
        var e = Assert.Throws<SpecException>(() => YamlTreeReader.Parse(AliasBomb(), "f.yml"));
        Assert.Equal("YamlExcessiveAliasing", e.Diagnostic.Code);
        Assert.Equal("f.yml", e.Diagnostic.File);
        // Past 1,000 values, 99% of them may be copies: a few aliases into a3's list (1,000-odd values each) pass that.
        Assert.Equal(5, e.Diagnostic.Line);
        Assert.True(e.Diagnostic.Column > "  a3: &a3 [".Length, e.Message);
    }

    [Fact]
    public void An_alias_bomb_in_an_environment_is_a_load_error_with_its_position()
    {
        // Guard: before the fix the reader accepted the bomb and loading expanded it (11 GB); stop there instead.
        Assert.Throws<SpecException>(() => YamlTreeReader.Parse(AliasBomb(), "f.yml"));
        using var specs = new TempSpecs();
        specs.Env("projects:\n- name: p\n  vars:\n  - envs:\n" +
                  string.Join("\n", AliasBomb().Split('\n').Skip(1).Select(l => l.Length == 0 ? l : "    " + l)));
        var set = specs.Load();
        Assert.Contains(specs.Problems(set), p => p.StartsWith("Error YamlExcessiveAliasing envs/env.yml:8:", StringComparison.Ordinal));
        Assert.Empty(set.Environments);
    }

    [Fact]
    public void Ordinary_aliases_and_merge_keys_stay_allowed()
    {
        // 2,000 references to a 50-value map: 100,000 values, 99% of them copies; yaml.v3 accepts this too.
        var text = "base: &b {" + string.Join(", ", Enumerable.Range(0, 49).Select(i => $"k{i}: {i}")) + "}\nlist:\n" +
                   string.Concat(Enumerable.Range(0, 2_000).Select(i => $"  - {{<<: *b, id: {i}}}\n"));
        var root = Assert.IsType<YamlMapping>(YamlTreeReader.Parse(text, "f.yml"));
        var list = Assert.IsType<YamlSequence>(root["list"]);
        Assert.Equal(2_000, list.Items.Count);
        Assert.Equal(50, Assert.IsType<YamlMapping>(list.Items[1_999]).Entries.Count);
    }

    [Theory]
    [InlineData(1_000, 0.99)]
    [InlineData(400_000, 0.99)]
    [InlineData(2_200_000, 0.545)]
    [InlineData(4_000_000, 0.10)]
    [InlineData(40_000_000, 0.10)]
    public void The_allowed_alias_share_follows_yaml_v3(long decoded, double ratio) =>
        Assert.Equal(ratio, YamlLimits.AllowedAliasRatio(decoded), 6);
}
