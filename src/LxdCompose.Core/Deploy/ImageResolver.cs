using System.Globalization;
using System.Text.RegularExpressions;
using LxdCompose.Lxd;
using LxdCompose.Lxd.Api;
using LxdCompose.Lxd.Simplestreams;
using LxdCompose.Specs;

namespace LxdCompose.Deploy;

/// <summary>
/// lxd-compose's image resolution (§3.6): the node's <c>image_source</c> is looked up (alias, then fingerprint) on
/// <c>image_remote_server</c> (default <c>images</c>); not found and without <c>/</c> it is taken as a fingerprint the
/// target already has. The target copies the image only when it lacks that fingerprint.
/// </summary>
internal static class ImageResolver
{
    public const string DefaultRemote = "images";

    public static async Task<ImagePlan> ResolveAsync(LxdConnections connections, LxdClient target, LxdNode node, CancellationToken cancellationToken)
    {
        var remoteName = node.ImageRemoteServer.Length > 0 ? node.ImageRemoteServer : DefaultRemote;
        if (!connections.Config.Remotes.TryGetValue(remoteName, out var remote))
        {
            throw new DeployException(
                $"Node {node.InstanceName}: image_remote_server '{remoteName}' is not a remote of {connections.Config.ConfigFile}; " +
                $"add it (Add-LxdRemote) or fix image_remote_server at {node.Location}.", node.InstanceName, null, DeployProblem.NotFound);
        }

        string? fingerprint;
        try
        {
            if (remote.IsSimplestreams)
            {
                using var pinned = connections.Config.LoadPinnedCertificate(remote.Name);
                using var streams = SimplestreamsClient.Create(remote.Address, pinned);
                fingerprint = (await streams.FindAsync(node.ImageSource, cancellationToken).ConfigureAwait(false))?.Fingerprint;
            }
            else
            {
                var server = connections.ForRemote(remote.Name);
                fingerprint = (await server.Images.FindAsync(node.ImageSource, cancellationToken).ConfigureAwait(false))?.Fingerprint;
            }
        }
        catch (LxdException e)
        {
            throw new DeployException($"Node {node.InstanceName}: cannot look up image '{node.ImageSource}' on remote '{remote.Name}': {e.Message}",
                node.InstanceName, e, e is LxdConnectionException or LxdTlsException ? DeployProblem.Unreachable : DeployProblem.Failed);
        }

        var remoteFound = fingerprint is not null;
        if (fingerprint is null)
        {
            if (node.ImageSource.Contains('/', StringComparison.Ordinal))
            {
                throw new DeployException(
                    $"Node {node.InstanceName}: no image found with alias or fingerprint '{node.ImageSource}' on remote '{remote.Name}'; " +
                    $"fix image_source or image_remote_server at {node.Location}.", node.InstanceName, null, DeployProblem.NotFound);
            }

            fingerprint = node.ImageSource;
        }

        var notOnRemote = fingerprint == node.ImageSource && !remoteFound;

        var present = await target.Images.FindAsync(fingerprint, cancellationToken).ConfigureAwait(false);
        if (present is null && notOnRemote)
        {
            throw new DeployException(
                $"Node {node.InstanceName}: no image found with alias or fingerprint '{node.ImageSource}' on remote '{remote.Name}' " +
                $"nor on {target.DisplayName}; fix image_source at {node.Location}.", node.InstanceName, null, DeployProblem.NotFound);
        }

        return new ImagePlan(node.ImageSource, remote.Name, remote.Address, remote.IsSimplestreams ? "simplestreams" : "lxd",
            present?.Fingerprint ?? fingerprint, present is null);
    }

    /// <summary>
    /// Has the target copy the image, then points the <c>image_source</c> alias at it (a stale alias is moved). The
    /// download percentage the server reports goes to <paramref name="host"/> as progress of activity
    /// <paramref name="activityId"/> under <paramref name="parentId"/>.
    /// </summary>
    public static async Task CopyAsync(LxdConnections connections, LxdClient target, ImagePlan image, IDeployHost host, CancellationToken cancellationToken,
        int activityId, int parentId)
    {
        var activity = $"Image {image.Source} to {target.DisplayName}";
        host.Progress(new DeployProgress(activityId, parentId, activity, "copying from " + image.Remote, 0));
        try
        {
            await CopyImageAsync(connections, target, image, host, cancellationToken,
                new OperationProgress(o => host.Progress(DownloadProgress(o, activityId, parentId, activity)))).ConfigureAwait(false);
        }
        finally
        {
            host.Progress(new DeployProgress(activityId, parentId, activity, "done", 100, Completed: true));
        }
    }

    /// <summary>The progress record of a running copy: LXD's <c>download_progress</c> (e.g. <c>rootfs: 42% (3.1MB/s)</c>).</summary>
    internal static DeployProgress DownloadProgress(LxdOperation operation, int activityId, int parentId, string activity)
    {
        var text = operation.MetadataText("download_progress") ?? string.Empty;
        var match = Regex.Match(text, @"(\d{1,3})(?:\.\d+)?%");
        var percent = match.Success ? Math.Clamp(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), 0, 100) : 0;
        return new DeployProgress(activityId, parentId, activity, text.Length > 0 ? text : "waiting for the server", percent);
    }

    private sealed class OperationProgress(Action<LxdOperation> report) : IProgress<LxdOperation>
    {
        public void Report(LxdOperation value) => report(value);
    }

    private static async Task CopyImageAsync(LxdConnections connections, LxdClient target, ImagePlan image, IDeployHost host,
        CancellationToken cancellationToken, IProgress<LxdOperation> progress)
    {
        if (image.RemoteAddress.StartsWith("unix:", StringComparison.OrdinalIgnoreCase))
        {
            throw new DeployException(
                $"Image '{image.Source}' is on remote '{image.Remote}', a unix socket {target.DisplayName} cannot pull from; " +
                "set image_remote_server to an https remote.", image.Source);
        }

        using var pinned = connections.Config.LoadPinnedCertificate(image.Remote);
        host.Log(DeployLogLevel.Information, $"Copying image {image} to {target.DisplayName}.");
        await target.Images.CopyFromAsync(
            new LxdImageCopySource(image.RemoteAddress, image.RemoteProtocol, image.Fingerprint)
            {
                IsFingerprint = true,
                Certificate = pinned is null ? null : Lxd.Transport.LxdCertificateFiles.ToPem(pinned),
            },
            cancellationToken, @public: true, progress: progress).ConfigureAwait(false);
        if (image.Source == image.Fingerprint)
        {
            return;
        }

        try
        {
            var alias = await target.Images.GetAliasAsync(image.Source, cancellationToken).ConfigureAwait(false);
            if (alias.Target == image.Fingerprint)
            {
                return;
            }

            await target.Images.DeleteAliasAsync(image.Source, cancellationToken).ConfigureAwait(false);
        }
        catch (LxdNotFoundException)
        {
        }

        try
        {
            await target.Images.CreateAliasAsync(image.Source, image.Fingerprint, cancellationToken).ConfigureAwait(false);
        }
        catch (LxdConflictException)
        {
            // another run created it meanwhile
        }
    }
}
