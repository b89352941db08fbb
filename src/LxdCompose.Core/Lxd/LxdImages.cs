using System.Net.Http.Headers;
using LxdCompose.Lxd.Api;

namespace LxdCompose.Lxd;

/// <summary>Where to copy an image from: an LXD-protocol server or a simplestreams server.</summary>
public sealed record LxdImageCopySource
{
    public LxdImageCopySource(string server, string protocol, string aliasOrFingerprint)
    {
        Server = server;
        Protocol = protocol;
        AliasOrFingerprint = aliasOrFingerprint;
    }

    public string Server { get; init; }

    /// <summary><c>lxd</c> (also for Incus) or <c>simplestreams</c>.</summary>
    public string Protocol { get; init; }

    public string AliasOrFingerprint { get; init; }

    /// <summary>True: <see cref="AliasOrFingerprint"/> is a fingerprint; false: an alias.</summary>
    public bool IsFingerprint { get; init; }

    /// <summary>PEM of the source server's certificate, when it is not chain-valid (e.g. a pinned lab server).</summary>
    public string? Certificate { get; init; }

    /// <summary>The source server's one-time secret for a private image (<see cref="LxdImages.CreateSecretAsync"/>).</summary>
    public string? Secret { get; init; }
}

/// <summary>Images of a server: list, lookup by alias or fingerprint, aliases, copy from another server, delete, export.</summary>
public sealed class LxdImages : ILxdImages
{
    private readonly LxdClient _client;

    internal LxdImages(LxdClient client) => _client = client;

    public async Task<IReadOnlyList<LxdImage>> ListAsync(CancellationToken cancellationToken)
    {
        var response = await _client.GetAsync(_client.Url("/1.0/images", true, ("recursion", "1")), cancellationToken).ConfigureAwait(false);
        return response.As<List<LxdImage>>("image list");
    }

    /// <summary>The image with this fingerprint (a unique prefix is enough, as with lxc).</summary>
    public async Task<LxdImage> GetAsync(string fingerprint, CancellationToken cancellationToken)
    {
        var response = await _client.GetAsync(_client.Url($"/1.0/images/{LxdClient.Segment(fingerprint)}"), cancellationToken).ConfigureAwait(false);
        return response.As<LxdImage>("image");
    }

    public async Task<LxdImageAlias> GetAliasAsync(string alias, CancellationToken cancellationToken)
    {
        var response = await _client.GetAsync(_client.Url($"/1.0/images/aliases/{LxdClient.Segment(alias)}"), cancellationToken).ConfigureAwait(false);
        return response.As<LxdImageAlias>("image alias");
    }

    public async Task<IReadOnlyList<LxdImageAlias>> ListAliasesAsync(CancellationToken cancellationToken)
    {
        var response = await _client.GetAsync(_client.Url("/1.0/images/aliases", true, ("recursion", "1")), cancellationToken).ConfigureAwait(false);
        return response.As<List<LxdImageAlias>>("image alias list");
    }

    /// <summary>Looks the name up as an alias first, then as a fingerprint (lxd-compose's FindImage order); null when neither exists.</summary>
    public async Task<LxdImage?> FindAsync(string aliasOrFingerprint, CancellationToken cancellationToken)
    {
        try
        {
            var alias = await GetAliasAsync(aliasOrFingerprint, cancellationToken).ConfigureAwait(false);
            return await GetAsync(alias.Target, cancellationToken).ConfigureAwait(false);
        }
        catch (LxdNotFoundException)
        {
        }

        try
        {
            return await GetAsync(aliasOrFingerprint, cancellationToken).ConfigureAwait(false);
        }
        catch (LxdApiException e) when (e is LxdNotFoundException || e.StatusCode == 400)
        {
            return null; // 400: not a valid fingerprint prefix
        }
    }

    /// <summary>
    /// A one-time secret another server presents to pull this private image (<c>POST /1.0/images/&lt;fp&gt;/secret</c>); the
    /// operation stays running until the secret is used, so it is not waited for.
    /// </summary>
    public async Task<string> CreateSecretAsync(string fingerprint, CancellationToken cancellationToken)
    {
        var response = await _client.SendAsync(HttpMethod.Post, _client.Url($"/1.0/images/{LxdClient.Segment(fingerprint)}/secret"), null,
            cancellationToken).ConfigureAwait(false);
        return response.As<LxdOperation>("operation").MetadataText("secret") is { Length: > 0 } secret
            ? secret
            : throw new LxdApiException($"{_client.DisplayName} gave no secret for the image {fingerprint}.");
    }

    public Task CreateAliasAsync(string alias, string fingerprint, CancellationToken cancellationToken, string description = "") =>
        _client.SendAsync(HttpMethod.Post, _client.Url("/1.0/images/aliases"), new { Name = alias, Target = fingerprint, Description = description }, cancellationToken);

    public Task DeleteAliasAsync(string alias, CancellationToken cancellationToken) =>
        _client.SendAsync(HttpMethod.Delete, _client.Url($"/1.0/images/aliases/{LxdClient.Segment(alias)}"), null, cancellationToken);

    public Task DeleteAsync(string fingerprint, CancellationToken cancellationToken) =>
        _client.SendAndWaitAsync(HttpMethod.Delete, _client.Url($"/1.0/images/{LxdClient.Segment(fingerprint)}"), null, cancellationToken);

    /// <summary>
    /// Has this server pull an image from another server (<c>POST /1.0/images</c>, mode pull) and waits; progress reports
    /// the operation (metadata <c>download_progress</c>) about once a second. Returns the new local image.
    /// </summary>
    public async Task<LxdImage> CopyFromAsync(
        LxdImageCopySource source, CancellationToken cancellationToken, IReadOnlyList<string>? aliases = null, bool @public = false,
        bool autoUpdate = false, IProgress<LxdOperation>? progress = null, TimeSpan? timeout = null)
    {
        var request = new LxdImageCopyRequest
        {
            Source = LxdInstances.PullSource(source.Server, source.Protocol, source.AliasOrFingerprint, source.IsFingerprint, source.Certificate,
                source.Secret),
            Public = @public,
            AutoUpdate = autoUpdate,
            Aliases = aliases?.Select(a => new LxdImageAliasRef { Name = a }).ToList(),
        };
        var operation = await _client.SendAndWaitAsync(HttpMethod.Post, _client.Url("/1.0/images"), request, cancellationToken, progress, timeout: timeout)
            .ConfigureAwait(false);
        var fingerprint = operation?.MetadataText("fingerprint");
        if (string.IsNullOrEmpty(fingerprint))
        {
            throw new LxdApiException($"{_client.DisplayName} copied the image '{source.AliasOrFingerprint}' but did not say its fingerprint.");
        }

        return await GetAsync(fingerprint, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Makes an image of a stopped instance (<c>lxc publish</c>: <c>POST /1.0/images</c> with an instance source) and
    /// waits; returns the new image.
    /// </summary>
    public async Task<LxdImage> PublishAsync(string instance, CancellationToken cancellationToken, IReadOnlyList<string>? aliases = null,
        bool @public = false)
    {
        var request = new
        {
            Source = new { Type = "instance", Name = instance },
            Public = @public,
            Aliases = aliases?.Select(a => new LxdImageAliasRef { Name = a }).ToList(),
        };
        var operation = await _client.SendAndWaitAsync(HttpMethod.Post, _client.Url("/1.0/images"), request, cancellationToken).ConfigureAwait(false);
        var fingerprint = operation?.MetadataText("fingerprint");
        if (string.IsNullOrEmpty(fingerprint))
        {
            throw new LxdApiException($"{_client.DisplayName} published {instance} but did not say the image's fingerprint.");
        }

        return await GetAsync(fingerprint, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Downloads the image files (<c>/export</c>) into <paramref name="directory"/>: one tarball for a unified image, the
    /// metadata and rootfs files for a split one. Returns the written paths.
    /// </summary>
    public async Task<IReadOnlyList<string>> ExportAsync(string fingerprint, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        using var response = await _client.Transport.SendAsync(
                () => new HttpRequestMessage(HttpMethod.Get, _client.Url($"/1.0/images/{LxdClient.Segment(fingerprint)}/export")),
                true,
                HttpCompletionOption.ResponseHeadersRead,
                null,
                cancellationToken)
            .ConfigureAwait(false);
        var contentType = response.Content.Headers.ContentType;
        if (contentType?.MediaType?.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) == true)
        {
            var boundary = contentType.Parameters.FirstOrDefault(p => p.Name.Equals("boundary", StringComparison.OrdinalIgnoreCase))?.Value?.Trim('"')
                ?? throw new LxdApiException($"The export of {fingerprint} is multipart without a boundary.");
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return await MultipartFiles.SaveAsync(body, boundary, directory, fingerprint, cancellationToken).ConfigureAwait(false);
        }

        var name = SafeFileName(response.Content.Headers.ContentDisposition, fingerprint + ".tar.xz");
        var path = Path.Combine(directory, name);
        await using (var file = File.Create(path))
        {
            await response.Content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
        }

        return new[] { path };
    }

    internal static string SafeFileName(ContentDispositionHeaderValue? disposition, string fallback)
    {
        var name = (disposition?.FileNameStar ?? disposition?.FileName)?.Trim('"');
        name = name is null ? null : Path.GetFileName(name);
        return string.IsNullOrWhiteSpace(name) || name is "." or ".." ? fallback : name;
    }
}
