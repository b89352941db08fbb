using System.Diagnostics;
using LxdCompose.Lxd;

namespace LxdCompose.Deploy;

/// <summary>A node's <c>wait_ip</c>: its hooks wait until the container has an IPv4 address.</summary>
internal static class InstanceAddress
{
    public static async Task WaitAsync(DeployContext context, ILxdServer server, NodePlan node)
    {
        if (node.Spec.WaitIp <= 0)
        {
            return;
        }

        var timeout = context.Options.WaitIpOverride ?? TimeSpan.FromSeconds(node.Spec.WaitIp);
        var address = await WaitForIPv4Async(server, node.Node, timeout, context.CancellationToken).ConfigureAwait(false);
        context.Host.Log(DeployLogLevel.Verbose, $"{node.Node} has the address {address}.");
    }

    /// <summary>Polls the state (with growing intervals) until a global IPv4 shows; a timeout is an error (lxd-compose bug #13).</summary>
    public static async Task<string> WaitForIPv4Async(ILxdServer server, string instance, TimeSpan timeout, CancellationToken token)
    {
        var deadline = Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            var state = await server.Instances.GetStateAsync(instance, token).ConfigureAwait(false);
            if (state.GlobalIPv4Addresses().FirstOrDefault() is { } address)
            {
                return address;
            }

            if (deadline.Elapsed >= timeout)
            {
                throw new DeployException(
                    $"Node {instance} got no IPv4 address within {timeout.TotalSeconds:0} s (wait_ip); check its network (profile, bridge, DHCP).",
                    instance, null, DeployProblem.Timeout);
            }

            await Task.Delay(delay, token).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(1000, delay.TotalMilliseconds * 1.5));
        }
    }
}
