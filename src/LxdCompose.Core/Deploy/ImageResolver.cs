using LxdCompose.Lxd;
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

    /// <summary>Has the target copy the image, then points the <c>image_source</c> alias at it (a stale alias is moved).</summary>
    public static async Task CopyAsync(LxdConnections connections, LxdClient target, ImagePlan image, IDeployHost host, CancellationToken cancellationToken)
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
            cancellationToken, @public: true).ConfigureAwait(false);
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
