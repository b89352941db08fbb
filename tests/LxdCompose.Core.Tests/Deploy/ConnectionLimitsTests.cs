using LxdCompose.Deploy;
using LxdCompose.Lxd.Config;
using LxdCompose.Tests.Loading;
using Xunit;

namespace LxdCompose.Tests.Deploy;

/// <summary>The run's limits reach every client of its connections (-OperationTimeout, the request timeout).</summary>
public sealed class ConnectionLimitsTests : IDisposable
{
    private readonly TempSpecs _specs = new();

    public void Dispose() => _specs.Dispose();

    [Fact]
    public void Clients_of_a_run_wait_for_operations_and_answers_as_long_as_its_options_say()
    {
        _specs.Write("conf/config.yml", "default-remote: local\nremotes: {}\n");
        var options = new DeployOptions { OperationTimeout = TimeSpan.FromSeconds(42), RequestTimeout = TimeSpan.FromSeconds(7) };
        using var connections = new LxdConnections(LxdClientConfig.Load(_specs.PathOf("conf")), options);

        var client = Assert.IsType<LxdCompose.Lxd.LxdClient>(connections.For("unix:" + _specs.PathOf("none.socket"), string.Empty));

        Assert.Equal(TimeSpan.FromSeconds(42), client.OperationTimeout);
        Assert.Equal(TimeSpan.FromSeconds(7), client.Transport.RequestTimeout);
    }

    [Fact]
    public void Without_options_the_defaults_apply()
    {
        _specs.Write("conf/config.yml", "default-remote: local\nremotes: {}\n");
        using var connections = new LxdConnections(LxdClientConfig.Load(_specs.PathOf("conf")));

        var client = Assert.IsType<LxdCompose.Lxd.LxdClient>(connections.For("unix:" + _specs.PathOf("none.socket"), string.Empty));

        Assert.Equal(DeployOptions.DefaultOperationTimeout, client.OperationTimeout);
        Assert.Equal(DeployOptions.DefaultRequestTimeout, client.Transport.RequestTimeout);
    }
}
