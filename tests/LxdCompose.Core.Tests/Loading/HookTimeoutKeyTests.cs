using LxdCompose.Specs;
using Xunit;

namespace LxdCompose.Tests.Loading;

/// <summary>A hook's <c>timeout</c> (seconds): an LxdCompose key that lxd-compose ignores, so specs stay loadable there.</summary>
public sealed class HookTimeoutKeyTests : IDisposable
{
    private readonly TempSpecs _t = new();

    public void Dispose() => _t.Dispose();

    [Theory]
    [InlineData("300", 300)]
    [InlineData("2.5", 2.5)]
    [InlineData("0x10", 16)]
    public void A_positive_number_of_seconds_is_the_hooks_limit_without_a_warning(string value, double seconds)
    {
        _t.Env($"projects: [{{name: p, hooks: [{{event: pre-project, node: host, timeout: {value}, commands: [true]}}]}}]\n");
        var specs = _t.Load();
        Assert.Empty(_t.Problems(specs));
        Assert.Equal(TimeSpan.FromSeconds(seconds), Assert.Single(specs.Projects.First().Hooks).Timeout);
    }

    [Fact]
    public void A_hook_without_timeout_has_no_limit_of_its_own()
    {
        _t.Env("projects: [{name: p, hooks: [{event: pre-project, node: host, commands: [true]}]}]\n");
        Assert.Null(Assert.Single(_t.Load().Projects.First().Hooks).Timeout);
    }

    [Theory]
    [InlineData("0", "ValueOutOfRange")]
    [InlineData("-5", "ValueOutOfRange")]
    [InlineData(".inf", "ValueOutOfRange")]
    [InlineData("soon", "TypeMismatch")]
    [InlineData("[1]", "TypeMismatch")]
    public void Anything_but_a_positive_number_is_an_error_at_the_value(string value, string code)
    {
        _t.Env($"projects: [{{name: p, hooks: [{{event: pre-project, node: host, timeout: {value}, commands: [true]}}]}}]\n");
        var specs = _t.Load();
        Assert.Equal($"Error {code} envs/env.yml:1:72", _t.Problems(specs)[0]);
        Assert.Contains("'timeout'", specs.Diagnostics[0].Message, StringComparison.Ordinal);
    }
}
