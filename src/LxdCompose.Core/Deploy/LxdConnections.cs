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
    private readonly ConcurrentDictionary<string, Lazy<LxdClient>> _clients = new(StringComparer.Ordinal);
    private readonly LxdConnectOptions _connectOptions;

    /// <summary>Connections with the run's limits (<see cref="DeployOptions.RequestTimeout"/>, <see cref="DeployOptions.OperationTimeout"/>).</summary>
    public LxdConnections(LxdClientConfig config, DeployOptions? options = null)
    {
        Config = config;
        var limits = options ?? new DeployOptions();
        _connectOptions = new LxdConnectOptions { RequestTimeout = limits.RequestTimeout, OperationTimeout = limits.OperationTimeout };
        ImageSearch = new ImageSearch(this);
    }

    public LxdClientConfig Config { get; }

    /// <summary>Image lookups of this run, each (remote, image) asked once.</summary>
    internal ImageSearch ImageSearch { get; }

    /// <summary>The client of a group's <c>connection</c>/<c>connection_type</c>.</summary>
    public LxdClient ForGroup(LxdGroup group) => For(group.Connection, group.ConnectionType);

    public LxdClient For(string connection, string connectionType) =>
        _clients.GetOrAdd($"{connection}\n{connectionType}", _ => new Lazy<LxdClient>(
            () => LxdConnector.ForGroup(Config, connection, connectionType, _connectOptions))).Value;

    /// <summary>A client of an image server remote by name (LXD or Incus protocol); the same client a group naming it uses.</summary>
    public LxdClient ForRemote(string remote) => For(remote, string.Empty);

    /// <summary>The remote name a group's connection reaches, for results and messages.</summary>
    public string RemoteNameOf(LxdGroup group) =>
        group.Connection.Length > 0 ? group.Connection : Config.DefaultRemote;

    public void Dispose()
    {
        foreach (var client in _clients.Values.Where(c => c.IsValueCreated))
        {
            client.Value.Dispose();
        }

        _clients.Clear();
    }
}
