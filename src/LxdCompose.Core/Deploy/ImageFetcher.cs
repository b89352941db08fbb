using LxdCompose.Lxd;
using LxdCompose.Lxd.Api;
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
    /// <summary>Whether a throw-away container was created from the image and deleted (<see cref="ImageTest"/>).</summary>
    public bool Tested { get; init; }

    public override string ToString() => $"{Image} on {Remote}: {Action}";
}

/// <summary>
/// lxd-compose <c>fetch --test-images</c>: after the image is on the server, a throw-away container is created from it
/// and deleted, so the server unpacks the image into its storage pool now instead of during the next apply.
/// </summary>
/// <param name="Profiles">The container's profiles (<c>--test-profile</c>); none: the server's default profile.</param>
public sealed record ImageTest(IReadOnlyList<string> Profiles)
{
    /// <summary>The action text <see cref="IDeployHost.ShouldProcess"/> is asked with.</summary>
    public const string ActionText = "Create and delete a test container from the image";
}

/// <summary>
/// lxd-compose fetch (§3.14): makes every enabled group's server hold the images of its nodes, each copied at most once
/// per server, so a later apply does not wait for downloads.
/// </summary>
public static class ImageFetcher
{
    /// <summary>The progress id of an image copy, a child of the project's activity.</summary>
    private const int ImageActivity = 2;

    /// <summary>
    /// Copies what is missing; with <paramref name="test"/>, also creates and deletes a container from each image on each
    /// server (lxd-compose bug #15 fixed: the container is created on the group's server from the image it now holds).
    /// </summary>
    public static async Task<IReadOnlyList<ImageFetchResult>> FetchAsync(LxdProject project, DeployOptions options, LxdConnections connections,
        IDeployHost host, CancellationToken cancellationToken, ImageTest? test = null)
    {
        var results = new List<ImageFetchResult>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var groups = project.Groups.Where(options.Groups.Includes).ToList();
        var activity = $"Images of {project.Name}";
        try
        {
            for (var g = 0; g < groups.Count; g++)
            {
                host.Progress(new DeployProgress(ApplyExecutor.ProjectActivity, -1, activity, "group " + groups[g].Name, g * 100 / groups.Count));
                await FetchGroupAsync(project, groups[g], options, connections, host, test, results, seen, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            host.Progress(new DeployProgress(ApplyExecutor.ProjectActivity, -1, activity, "done", 100, Completed: true));
        }

        return results;
    }

    private static async Task FetchGroupAsync(LxdProject project, LxdGroup group, DeployOptions options, LxdConnections connections,
        IDeployHost host, ImageTest? test, List<ImageFetchResult> results, HashSet<string> seen, CancellationToken cancellationToken)
    {
        var client = connections.ForGroup(group);
        var remote = connections.RemoteNameOf(group);
        foreach (var node in group.Nodes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var image = await ImageResolver.ResolveAsync(connections, client, node, options, host, cancellationToken).ConfigureAwait(false);
            if (!seen.Add($"{group.Connection}\n{group.ConnectionType}\n{image.Fingerprint}"))
            {
                continue;
            }

            var action = "Present";
            if (image.CopyNeeded)
            {
                if (host.ShouldProcess($"{image.Source} on {remote}", "Copy the image from " + image.Remote))
                {
                    await ImageResolver.CopyAsync(connections, client, image, host, cancellationToken, ImageActivity, ApplyExecutor.ProjectActivity)
                        .ConfigureAwait(false);
                    action = "Copied";
                }
                else
                {
                    action = "Skipped";
                }
            }

            var tested = test is not null && action != "Skipped"
                && host.ShouldProcess($"{image.Source} on {remote}", ImageTest.ActionText)
                && await TestAsync(client, image, test, host, cancellationToken).ConfigureAwait(false);
            results.Add(new ImageFetchResult
            {
                Project = project.Name, Group = group.Name, Remote = remote, Image = image.Source, Source = image.Remote,
                Fingerprint = image.Fingerprint, Action = action, Tested = tested,
            });
        }
    }

    private static async Task<bool> TestAsync(LxdClient client, ImagePlan image, ImageTest test, IDeployHost host, CancellationToken cancellationToken)
    {
        // A name of our own: lxd-compose's fixed "test-image" would collide with an instance of that name.
        var name = "test-image-" + Guid.NewGuid().ToString("N")[..8];
        host.Log(DeployLogLevel.Verbose, $"Creating the test container {name} on {client.DisplayName} from {image.Source} to unpack the image.");
        await client.Instances.CreateAsync(new LxdInstanceCreateRequest
        {
            Name = name,
            Source = LxdInstances.LocalSource(image.Fingerprint),
            Profiles = test.Profiles.Count == 0 ? null : test.Profiles.ToList(),
        }, cancellationToken).ConfigureAwait(false);
        // Deleted even when the run is cancelled meanwhile: a leftover test container would only confuse.
        using var cleanup = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await client.Instances.DeleteAsync(name, cleanup.Token).ConfigureAwait(false);
        host.Log(DeployLogLevel.Verbose, $"Deleted the test container {name} on {client.DisplayName}.");
        return true;
    }
}
