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
    /// <summary>The description of a test's plan item.</summary>
    public const string ActionText = "Create and delete a test container from the image";
}

/// <summary>One image a group's server needs, as the fetch plan found it.</summary>
public sealed record FetchImagePlan(LxdGroup Group, string Remote, ImagePlan Image);

/// <summary>
/// What fetch will do, built by resolving every enabled group's images (reading only): the copies each server needs
/// and, with an <see cref="ImageTest"/>, a test container per image and server.
/// </summary>
public sealed class FetchPlan
{
    private IReadOnlyList<PlanItem>? _items;

    public LxdProject Project { get; init; } = new();
    public DeployOptions Options { get; init; } = new();
    public ImageTest? Test { get; init; }
    /// <summary>Each (server, image) once, in group and node order.</summary>
    public IReadOnlyList<FetchImagePlan> Images { get; init; } = Array.Empty<FetchImagePlan>();

    public IReadOnlyList<PlanItem> Items => _items ??= Images.SelectMany(i => new[] { Copy(i), TestOf(i) }).OfType<PlanItem>().ToList();

    /// <summary>The copy of an image the server lacks; null when it has it.</summary>
    public PlanItem? Copy(FetchImagePlan image) => image.Image.CopyNeeded ? ApplyPlanItems.Image(image.Remote, image.Image) : null;

    /// <summary>The test container of an image (part of its copy when it is copied); null without <see cref="Test"/>.</summary>
    public PlanItem? TestOf(FetchImagePlan image) =>
        Test is null ? null
            : new PlanItem(new PlanItemId(PlanItemKind.TestImage, $"{image.Image.Source} on {image.Remote}", image.Image.Fingerprint), ImageTest.ActionText,
                Copy(image)?.Id);
}

/// <summary>
/// lxd-compose fetch (§3.14): makes every enabled group's server hold the images of its nodes, each copied at most once
/// per server, so a later apply does not wait for downloads.
/// </summary>
public static class ImageFetcher
{
    /// <summary>The progress id of an image copy, a child of the project's activity.</summary>
    private const int ImageActivity = 2;

    /// <summary>Resolves every enabled group's images (lxd-compose bug #15 fixed: a test runs on the group's server).</summary>
    public static async Task<FetchPlan> PlanAsync(LxdProject project, DeployOptions options, LxdConnections connections, IDeployHost host,
        CancellationToken cancellationToken, ImageTest? test = null)
    {
        var images = new List<FetchImagePlan>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in project.Groups.Where(options.Groups.Includes))
        {
            var server = connections.ForGroup(group);
            var remote = connections.RemoteNameOf(group);
            foreach (var node in group.Nodes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var image = await ImageResolver.ResolveAsync(connections, server, node, options, host, cancellationToken).ConfigureAwait(false);
                if (seen.Add($"{group.Connection}\n{group.ConnectionType}\n{image.Fingerprint}"))
                {
                    images.Add(new FetchImagePlan(group, remote, image));
                }
            }
        }

        return new FetchPlan { Project = project, Options = options, Test = test, Images = images };
    }

    /// <summary>Copies the approved copies and runs the approved tests; one result per planned image.</summary>
    public static async Task<IReadOnlyList<ImageFetchResult>> ExecuteAsync(FetchPlan plan, PlanApproval approval, LxdConnections connections,
        IDeployHost host, CancellationToken cancellationToken)
    {
        var results = new List<ImageFetchResult>();
        var activity = $"Images of {plan.Project.Name}";
        try
        {
            for (var i = 0; i < plan.Images.Count; i++)
            {
                var planned = plan.Images[i];
                host.Progress(new DeployProgress(ApplyExecutor.ProjectActivity, -1, activity, "group " + planned.Group.Name, i * 100 / plan.Images.Count));
                var server = connections.ForGroup(planned.Group);
                var image = planned.Image;
                var action = "Present";
                if (plan.Copy(planned) is { } copy)
                {
                    if (approval.Approves(copy))
                    {
                        await ImageResolver.CopyAsync(connections, server, image, host, cancellationToken, ImageActivity, ApplyExecutor.ProjectActivity)
                            .ConfigureAwait(false);
                        action = "Copied";
                    }
                    else
                    {
                        action = "Skipped";
                    }
                }

                var tested = plan.Test is { } test && approval.Approves(plan.TestOf(planned))
                    && await TestAsync(server, image, test, host, cancellationToken).ConfigureAwait(false);
                results.Add(new ImageFetchResult
                {
                    Project = plan.Project.Name, Group = planned.Group.Name, Remote = planned.Remote, Image = image.Source, Source = image.Remote,
                    Fingerprint = image.Fingerprint, Action = action, Tested = tested,
                });
            }
        }
        finally
        {
            host.Progress(new DeployProgress(ApplyExecutor.ProjectActivity, -1, activity, "done", 100, Completed: true));
        }

        return results;
    }

    private static async Task<bool> TestAsync(ILxdServer client, ImagePlan image, ImageTest test, IDeployHost host, CancellationToken cancellationToken)
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
