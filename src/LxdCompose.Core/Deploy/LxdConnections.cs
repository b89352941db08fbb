using System.Collections.Concurrent;
using LxdCompose.Lxd;
using LxdCompose.Lxd.Config;
using LxdCompose.Specs;

namespace LxdCompose.Deploy;

/// <summary>
/// One client per server for a whole run (lxd-compose opened one per hook command, bug #3): groups with the same
/// <c>connection</c> share it, hooks aimed at a node use the client of that node's group.
/// </summary>
public sealed class LxdConnections : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<ILxdServer>> _clients = new(StringComparer.Ordinal);
    private readonly Func<string, string, ILxdServer> _connect;

    /// <summary>Connections with the run's limits (<see cref="DeployOptions.RequestTimeout"/>, <see cref="DeployOptions.OperationTimeout"/>).</summary>
    public LxdConnections(LxdClientConfig config, DeployOptions? options = null)
        : this(config, ConnectWith(config, options ?? new DeployOptions()))
    {
    }

    /// <param name="connect">Makes the server of a (connection, connection type); tests pass in-memory servers.</param>
    public LxdConnections(LxdClientConfig config, Func<string, string, ILxdServer> connect)
    {
        Config = config;
        _connect = connect;
        ImageSearch = new ImageSearch(this);
    }

    public LxdClientConfig Config { get; }

    /// <summary>Image lookups of this run, each (remote, image) asked once.</summary>
    internal ImageSearch ImageSearch { get; }

    /// <summary>The client of a group's <c>connection</c>/<c>connection_type</c>.</summary>
    public ILxdServer ForGroup(LxdGroup group) => For(group.Connection, group.ConnectionType);

    public ILxdServer For(string connection, string connectionType) =>
        _clients.GetOrAdd($"{connection}\n{connectionType}", _ => new Lazy<ILxdServer>(() => _connect(connection, connectionType))).Value;

    /// <summary>A client of an image server remote by name (LXD or Incus protocol); the same client a group naming it uses.</summary>
    public ILxdServer ForRemote(string remote) => For(remote, string.Empty);

    /// <summary>The remote name a group's connection reaches, for results and messages.</summary>
    public string RemoteNameOf(LxdGroup group) =>
        group.Connection.Length > 0 ? group.Connection : Config.DefaultRemote;

    private static Func<string, string, ILxdServer> ConnectWith(LxdClientConfig config, DeployOptions limits)
    {
        var options = new LxdConnectOptions { RequestTimeout = limits.RequestTimeout, OperationTimeout = limits.OperationTimeout };
        return (connection, connectionType) => LxdConnector.ForGroup(config, connection, connectionType, options);
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values.Where(c => c.IsValueCreated).Select(c => c.Value).OfType<IDisposable>())
        {
            client.Dispose();
        }

        _clients.Clear();
    }
}
