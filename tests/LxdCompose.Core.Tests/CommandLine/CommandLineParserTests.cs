using LxdCompose.CommandLine;
using Xunit;

namespace LxdCompose.Tests.CommandLine;

public sealed class CommandLineParserTests
{
    private static MappedCommandLine Parse(string line) => CommandLineParser.Parse(CommandLineParser.Split(line));

    [Fact]
    public void NodeExecJoinsTheWordsOfTheCommandFlagsIncluded()
    {
        var mapped = Parse("node exec -e vm1 web1 ls -la /");
        Assert.Equal("Invoke-LxdExec", mapped.Cmdlet);
        Assert.Equal("web1", mapped.Parameters["Name"]);
        Assert.Equal("ls -la /", mapped.Parameters["Command"]);
        // The node's group names its server: -e changes nothing for the node commands.
        Assert.False(mapped.Parameters.ContainsKey("Remote"));
        Assert.Equal("echo -e x", Parse("no e web1 -- echo -e x").Parameters["Command"]);
    }

    [Fact]
    public void ListFlagsSplitAtCommasPairFlagsNever()
    {
        var mapped = Parse("a p1 p2 --enable-group a,b --enable-group c --env k=x,y --env k2=1 --render-env r=a=b");
        Assert.Equal(new[] { "p1", "p2" }, mapped.Parameters["Project"]);
        Assert.Equal(new[] { "a", "b", "c" }, mapped.Parameters["Group"]);
        var env = (Dictionary<string, string>)mapped.Parameters["Env"];
        Assert.Equal("x,y", env["k"]);
        Assert.Equal("1", env["k2"]);
        Assert.Equal("a=b", ((Dictionary<string, string>)mapped.Parameters["RenderValue"])["r"]);
    }

    [Fact]
    public void FlagsTakeValuesInEveryPflagForm()
    {
        var mapped = Parse("--config=c.yml co -pone -p=two --project three -f tpl/");
        Assert.Contains("ConfigPath", mapped.GlobalParameters);
        Assert.Equal("c.yml", mapped.Parameters["ConfigPath"]);
        Assert.Equal(new[] { "one", "two", "three" }, mapped.Parameters["Project"]);
        Assert.Equal(new[] { "tpl/" }, mapped.Parameters["SourceFile"]);
    }

    [Fact]
    public void BoolValuesSetAndClearSwitches()
    {
        Assert.Equal(true, Parse("apply p --upgrade=true").Parameters["Upgrade"]);
        Assert.False(Parse("apply p --upgrade --upgrade=false").Parameters.ContainsKey("Upgrade"));
        var e = Assert.Throws<CommandLineException>(() => Parse("apply p --upgrade=maybe"));
        Assert.Equal("--upgrade=maybe", e.Word);
    }

    [Fact]
    public void UnknownFlagsCommandsAndMissingArgumentsSayWhatToUse()
    {
        var flag = Assert.Throws<CommandLineException>(() => Parse("apply p --bogus"));
        Assert.Contains("--bogus is not a flag of 'lxd-compose apply'", flag.Message, StringComparison.Ordinal);
        Assert.Contains("--skip-sync", flag.Advice, StringComparison.Ordinal);
        var dash = Assert.Throws<CommandLineException>(() => Parse("command run p c -env a=b"));
        Assert.StartsWith("Write --env (two dashes).", dash.Advice, StringComparison.Ordinal);
        var command = Assert.Throws<CommandLineException>(() => Parse("node frob"));
        Assert.Contains("node exec", command.Advice, StringComparison.Ordinal);
        var missing = Assert.Throws<CommandLineException>(() => Parse("node push"));
        Assert.Contains("node push <node>", missing.Message, StringComparison.Ordinal);
        var extra = Assert.Throws<CommandLineException>(() => Parse("print extra"));
        Assert.Equal("extra", extra.Word);
        var refused = Assert.Throws<CommandLineException>(() => Parse("--version"));
        Assert.Contains("Get-Module LxdCompose", refused.Advice, StringComparison.Ordinal);
    }

    [Fact]
    public void NoCommandOrHelpAsksForTheMapping()
    {
        Assert.True(CommandLineParser.Parse(Array.Empty<string>()).Help);
        Assert.Null(Parse("--help").Command);
        var apply = Parse("apply -h");
        Assert.True(apply.Help);
        Assert.Equal("apply", apply.Command!.Name);
        Assert.True(Parse("lxd-compose --help").Help);
    }

    [Fact]
    public void ConfigFlagsBecomeEnvironmentVariables()
    {
        var mapped = Parse("apply p --render-values v.yml --encrypted-secrets --concurrency 2");
        Assert.Equal("v.yml", mapped.ConfigOverrides["LXD_COMPOSE_RENDER_VALUES_FILE"]);
        Assert.Equal("true", mapped.ConfigOverrides["LXD_COMPOSE_SECURITY__ENCRYPTED_SECRETS"]);
        Assert.Equal("2", mapped.ConfigOverrides["LXD_COMPOSE_GENERAL__CONCURRENCY"]);
    }

    [Fact]
    public void NoEffectFlagsAreNotedAndListsCarryJsonAndSearch()
    {
        var mapped = Parse("project list --json -s ^a --cmds-output");
        Assert.True(mapped.Json);
        Assert.Equal("^a", mapped.Search);
        Assert.Contains(mapped.Notes, n => n.StartsWith("--cmds-output:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("a", "apply")]
    [InlineData("d", "destroy")]
    [InlineData("s", "stop")]
    [InlineData("f", "fetch")]
    [InlineData("co", "compile")]
    [InlineData("v", "validate")]
    [InlineData("p l", "project list")]
    [InlineData("pj li", "project list")]
    [InlineData("g l", "group list")]
    [InlineData("cmd li", "command list")]
    [InlineData("c r", "command run")]
    [InlineData("no c", "node create")]
    [InlineData("no pu", "node push")]
    [InlineData("no s", "node sync")]
    [InlineData("pro l", "profile list")]
    [InlineData("pf c", "profile create")]
    [InlineData("n c", "network create")]
    [InlineData("st a", "storage available")]
    [InlineData("tru li", "trust list")]
    [InlineData("t c", "trust create")]
    [InlineData("i p", "images purge")]
    [InlineData("di vars", "diagnose vars")]
    [InlineData("se e", "security encrypt")]
    [InlineData("sec de", "security decrypt")]
    [InlineData("se gk", "security genkey")]
    public void AliasesNameTheirCommands(string alias, string command)
    {
        var words = alias.Split(' ').Concat(new[] { "--help" }).ToArray();
        Assert.Equal(command, CommandLineParser.Parse(words).Command!.Name);
    }

    [Fact]
    public void EveryCommandHasItsOwnWordsAndEveryFlagOneName()
    {
        var names = LxdComposeCommands.Commands.Select(c => c.Name).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        foreach (var command in LxdComposeCommands.Commands)
        {
            var flags = command.Flags.Select(f => f.Long).ToList();
            Assert.Equal(flags.Count, flags.Distinct().Count());
            Assert.All(command.Flags.Where(f => f.Kind is not (FlagKind.NoEffect or FlagKind.NoEffectValue or FlagKind.Unsupported
                or FlagKind.UnsupportedValue or FlagKind.Json or FlagKind.Search)), f => Assert.False(string.IsNullOrEmpty(f.Parameter)));
        }
    }

    [Fact]
    public void SplitReadsQuotesAndBackslashesAsAShell()
    {
        Assert.Equal(new[] { "a", "b c", "d\"e", "f g", "it's" }, CommandLineParser.Split("a 'b c' \"d\\\"e\" f\\ g \"it's\""));
        Assert.Equal(new[] { "--render-env=k=v w" }, CommandLineParser.Split("--render-env=\"k=v w\""));
        Assert.Throws<CommandLineException>(() => CommandLineParser.Split("a 'open"));
    }
}
