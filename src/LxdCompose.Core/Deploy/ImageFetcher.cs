using LxdCompose.Lxd;
using LxdCompose.Specs;

namespace LxdCompose.Deploy;

/// <summary>One image a group's server needs: whether it was already there or copied now.</summary>
public sealed class ImageFetchResult
{
    public string Project { get; init; } = string.Empty;
    public string Group { get; init; } = string.Empty;
    /// <summary>The server that received (or had) the image.</summary>
    public string Remote { get; init; } = string.Empty;
    public string Image { get; init; } = string.Empty;
    /// <summary>The remote the image was found on.</summary>
    public string Source { get; init; } = string.Empty;
    public string Fingerprint { get; init; } = string.Empty;
    /// <summary><c>Copied</c>, <c>Present</c> or <c>Skipped</c> (declined).</summary>
    public string Action { get; init; } = string.Empty;

    public override string ToString() => $"{Image} on {Remote}: {Action}";
}

/// <summary>
/// lxd-compose fetch (§3.14): makes every enabled group's server hold the images of its nodes, each copied at most once
/// per server, so a later apply does not wait for downloads.
/// </summary>
public static class ImageFetcher
{
    public static async Task<IReadOnlyList<ImageFetchResult>> FetchAsync(LxdProject project, DeployOptions options, LxdConnections connections,
        IDeployHost host, CancellationToken cancellationToken)
    {
        var results = new List<ImageFetchResult>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in project.Groups.Where(options.Groups.Includes))
        {
            var client = connections.ForGroup(group);
            var remote = connections.RemoteNameOf(group);
            foreach (var node in group.Nodes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var image = await ImageResolver.ResolveAsync(connections, client, node, cancellationToken).ConfigureAwait(false);
                if (!seen.Add($"{group.Connection}\n{group.ConnectionType}\n{image.Fingerprint}"))
                {
                    continue;
                }

                var action = "Present";
                if (image.CopyNeeded)
                {
                    if (host.ShouldProcess($"{image.Source} on {remote}", "Copy the image from " + image.Remote))
                    {
                        await ImageResolver.CopyAsync(connections, client, image, host, cancellationToken).ConfigureAwait(false);
                        action = "Copied";
                    }
                    else
                    {
                        action = "Skipped";
                    }
                }

                results.Add(new ImageFetchResult
                {
                    Project = project.Name, Group = group.Name, Remote = remote, Image = image.Source, Source = image.Remote,
                    Fingerprint = image.Fingerprint, Action = action,
                });
            }
        }

        return results;
    }
}
