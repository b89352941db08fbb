using System.Globalization;
using System.Text.RegularExpressions;
using LxdCompose.Lxd;
using LxdCompose.Lxd.Api;
using LxdCompose.Specs;

namespace LxdCompose.Deploy;

/// <summary>
/// lxd-compose's image resolution (§3.6): the node's <c>image_source</c> is looked up (alias, then fingerprint) on
/// <c>image_remote_server</c> (default <c>images</c>), or in P2P mode on every remote, the newest match winning; not
/// found and without <c>/</c> it is taken as a fingerprint the target already has. The target copies the image only when
/// it lacks that fingerprint.
/// </summary>
internal static class ImageResolver
{
    public const string DefaultRemote = "images";

    public static async Task<ImagePlan> ResolveAsync(LxdConnections connections, ILxdServer target, LxdNode node, DeployOptions options,
        IDeployHost host, CancellationToken cancellationToken)
    {
        var (found, searchedWhere) = options.P2PMode
            ? await SearchAllAsync(connections, node, options, host, cancellationToken).ConfigureAwait(false)
            : await FindOnNamedRemoteAsync(connections, node, cancellationToken).ConfigureAwait(false);

        var fingerprint = found?.Fingerprint;
        if (fingerprint is null)
        {
            if (node.ImageSource.Contains('/', StringComparison.Ordinal))
            {
                throw new DeployException(
                    $"Node {node.InstanceName}: no image found with alias or fingerprint '{node.ImageSource}' on {searchedWhere}; " +
                    $"fix image_source{(options.P2PMode ? string.Empty : " or image_remote_server")} at {node.Location}.",
                    node.InstanceName, null, DeployProblem.NotFound);
            }

            fingerprint = node.ImageSource;
        }

        var present = await target.Images.FindAsync(fingerprint, cancellationToken).ConfigureAwait(false);
        if (present is null && found is null)
        {
            throw new DeployException(
                $"Node {node.InstanceName}: no image found with alias or fingerprint '{node.ImageSource}' on {searchedWhere} " +
                $"nor on {target.DisplayName}; fix image_source at {node.Location}.", node.InstanceName, null, DeployProblem.NotFound);
        }

        // Found nowhere else but present on the target: the target is where it comes from.
        var origin = found ?? new RemoteImage(target.DisplayName, target.Address, "lxd", present!.Fingerprint, present.CreatedAt);
        return new ImagePlan(node.ImageSource, origin.Remote, origin.Address, origin.Protocol, present?.Fingerprint ?? fingerprint, present is null)
        {
            CreatedAt = origin.CreatedAt,
            RemotePublic = origin.Public,
        };
    }

    private static async Task<(RemoteImage? Found, string SearchedWhere)> FindOnNamedRemoteAsync(LxdConnections connections, LxdNode node,
        CancellationToken cancellationToken)
    {
        var remoteName = node.ImageRemoteServer.Length > 0 ? node.ImageRemoteServer : DefaultRemote;
        if (!connections.Config.Remotes.TryGetValue(remoteName, out var remote))
        {
            throw new DeployException(
                $"Node {node.InstanceName}: image_remote_server '{remoteName}' is not a remote of {connections.Config.ConfigFile}; " +
                $"add it (Add-LxdRemote) or fix image_remote_server at {node.Location}.", node.InstanceName, null, DeployProblem.NotFound);
        }

        try
        {
            return (await connections.ImageSearch.FindOnAsync(remote, node.ImageSource, cancellationToken).ConfigureAwait(false),
                $"remote '{remote.Name}'");
        }
        catch (LxdException e)
        {
            throw new DeployException($"Node {node.InstanceName}: cannot look up image '{node.ImageSource}' on remote '{remote.Name}': {e.Message}",
                node.InstanceName, e, e is LxdConnectionException or LxdTlsException ? DeployProblem.Unreachable : DeployProblem.Failed);
        }
    }

    private static async Task<(RemoteImage? Found, string SearchedWhere)> SearchAllAsync(LxdConnections connections, LxdNode node,
        DeployOptions options, IDeployHost host, CancellationToken cancellationToken)
    {
        var result = await connections.ImageSearch.FindNewestAsync(node.ImageSource, options, host, cancellationToken).ConfigureAwait(false);
        var where = $"any remote of {connections.Config.ConfigFile} (P2P mode searched {string.Join(", ", result.Searched)}" +
                    (result.Unreachable.Count > 0 ? $"; could not search {string.Join(", ", result.Unreachable)})" : ")");
        return (result.Newest, where);
    }

    /// <summary>
    /// Has the target copy the image, then points the <c>image_source</c> alias at it (a stale alias is moved). The
    /// download percentage the server reports goes to <paramref name="host"/> as progress of activity
    /// <paramref name="activityId"/> under <paramref name="parentId"/>.
    /// </summary>
    public static async Task CopyAsync(LxdConnections connections, ILxdServer target, ImagePlan image, IDeployHost host, CancellationToken cancellationToken,
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

    /// <summary>
    /// Where the target pulls the image from, and the certificate to trust there: the remote's address and pinned
    /// certificate; for a remote reached over a unix socket, the network addresses that server listens on
    /// (<c>core.https_address</c>) and its own certificate, tried in order, as lxc does.
    /// </summary>
    private static async Task<(IReadOnlyList<string> Addresses, string? Certificate)> PullAddressesAsync(LxdConnections connections, ILxdServer target,
        ImagePlan image, CancellationToken cancellationToken)
    {
        if (!image.RemoteAddress.StartsWith("unix:", StringComparison.OrdinalIgnoreCase))
        {
            using var pinned = connections.Config.LoadPinnedCertificate(image.Remote);
            return (new[] { image.RemoteAddress }, pinned is null ? null : Lxd.Transport.LxdCertificateFiles.ToPem(pinned));
        }

        var server = await connections.ForRemote(image.Remote).GetServerAsync(cancellationToken).ConfigureAwait(false);
        var addresses = server.Environment.Addresses.Where(a => a.Length > 0).Select(a => "https://" + a).ToList();
        if (addresses.Count == 0)
        {
            throw new DeployException(
                $"Image '{image.Source}' is on remote '{image.Remote}', reached over a unix socket, and that server listens on no network " +
                $"address {target.DisplayName} could pull from; set its core.https_address, or take the image from an https remote.", image.Source);
        }

        return (addresses, server.Environment.Certificate.Length > 0 ? server.Environment.Certificate : null);
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

    private static async Task CopyImageAsync(LxdConnections connections, ILxdServer target, ImagePlan image, IDeployHost host,
        CancellationToken cancellationToken, IProgress<LxdOperation> progress)
    {
        // lxc does the same for a private image: the source hands out a secret the target presents once.
        var secret = image.RemotePublic ? null
            : await connections.ForRemote(image.Remote).Images.CreateSecretAsync(image.Fingerprint, cancellationToken).ConfigureAwait(false);
        var (addresses, certificate) = await PullAddressesAsync(connections, target, image, cancellationToken).ConfigureAwait(false);
        host.Log(DeployLogLevel.Information, $"Copying image {image} to {target.DisplayName}.");
        for (var i = 0; ; i++)
        {
            try
            {
                await target.Images.CopyFromAsync(
                    new LxdImageCopySource(addresses[i], image.RemoteProtocol, image.Fingerprint)
                    {
                        IsFingerprint = true, Certificate = certificate, Secret = secret,
                    },
                    cancellationToken, @public: true, progress: progress).ConfigureAwait(false);
                break;
            }
            catch (LxdException e) when (i + 1 < addresses.Count)
            {
                host.Log(DeployLogLevel.Verbose, $"{target.DisplayName} could not pull {image.Source} from {addresses[i]} ({e.Message}); trying {addresses[i + 1]}.");
            }
        }

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
