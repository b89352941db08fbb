using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using LxdCompose.Lxd.Transport;

namespace LxdCompose.Lxd.Simplestreams;

/// <summary>One image a simplestreams server offers, as LXD would see it.</summary>
public sealed record SimplestreamsImage
{
    public string Product { get; init; } = string.Empty;
    public string Version { get; init; } = string.Empty;
    /// <summary>LXD's architecture name (<c>x86_64</c>, <c>aarch64</c>, ...).</summary>
    public string Architecture { get; init; } = string.Empty;
    public string Os { get; init; } = string.Empty;
    public string Release { get; init; } = string.Empty;
    public string Variant { get; init; } = string.Empty;
    public IReadOnlyList<string> Aliases { get; init; } = Array.Empty<string>();
    /// <summary>The fingerprint LXD gives the image once downloaded (combined hash of metadata and rootfs).</summary>
    public string Fingerprint { get; init; } = string.Empty;
    /// <summary><c>container</c> or <c>virtual-machine</c>.</summary>
    public string Type { get; init; } = "container";
    public long Size { get; init; }
    public string MetadataPath { get; init; } = string.Empty;
    public string? RootfsPath { get; init; }
    public DateTimeOffset? Created { get; init; }
}

/// <summary>On-disk cache of simplestreams documents: fresh copies are used without asking; stale ones when the server is unreachable.</summary>
public sealed class SimplestreamsCache
{
    public SimplestreamsCache(string directory, TimeSpan maxAge)
    {
        Directory = directory;
        MaxAge = maxAge;
    }

    public string Directory { get; }

    public TimeSpan MaxAge { get; }

    /// <summary>The default location: <c>$XDG_CACHE_HOME/lxdcompose/simplestreams</c> or the platform's local app data.</summary>
    public static SimplestreamsCache Default(TimeSpan? maxAge = null)
    {
        var root = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create);
        return new SimplestreamsCache(Path.Combine(root, "lxdcompose", "simplestreams"), maxAge ?? TimeSpan.FromHours(1));
    }

    internal string PathFor(string url) =>
        Path.Combine(Directory, Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(url))).ToLowerInvariant()[..32] + ".json");

    internal byte[]? Read(string url, bool allowStale)
    {
        var path = PathFor(url);
        if (!File.Exists(path))
        {
            return null;
        }

        var fresh = DateTime.UtcNow - File.GetLastWriteTimeUtc(path) <= MaxAge;
        return fresh || allowStale ? File.ReadAllBytes(path) : null;
    }

    internal void Write(string url, byte[] content)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = PathFor(url);
        var temporary = path + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        File.WriteAllBytes(temporary, content);
        File.Move(temporary, path, overwrite: true);
    }
}

/// <summary>
/// Reads a simplestreams image server (<c>streams/v1/index.json</c> and its product files) for image discovery without an
/// LXD server: list, and resolve an alias or fingerprint to the image LXD would download.
/// </summary>
public sealed class SimplestreamsClient : IDisposable
{
    private readonly LxdTransport _transport;
    private readonly bool _ownsTransport;
    private readonly string _basePath;
    private readonly SimplestreamsCache? _cache;
    private readonly TimeSpan _requestTimeout;

    /// <summary>Uses an existing transport to the server's host (it keeps the server's pinned certificate).</summary>
    public SimplestreamsClient(LxdTransport transport, string serverUrl, SimplestreamsCache? cache, bool ownsTransport = false,
        TimeSpan? requestTimeout = null)
    {
        _requestTimeout = requestTimeout ?? TimeSpan.FromSeconds(60);
        _transport = transport;
        _ownsTransport = ownsTransport;
        ServerUrl = serverUrl.TrimEnd('/');
        _basePath = new Uri(ServerUrl + "/").AbsolutePath;
        _cache = cache;
    }

    public string ServerUrl { get; }

    /// <summary>A client of <paramref name="serverUrl"/>; <paramref name="pinned"/> is the certificate to require instead of a chain-valid one.</summary>
    public static SimplestreamsClient Create(string serverUrl, X509Certificate2? pinned = null, SimplestreamsCache? cache = null) =>
        Create(serverUrl, new LxdTransportOptions { PinnedServerCertificate = pinned }, cache);

    /// <summary>A client of <paramref name="serverUrl"/> with these connection settings (timeouts, attempts, pinned certificate).</summary>
    public static SimplestreamsClient Create(string serverUrl, LxdTransportOptions options, SimplestreamsCache? cache = null) =>
        new(new LxdTransport(EndpointOf(serverUrl), options with { DisplayName = options.DisplayName ?? serverUrl }), serverUrl, cache,
            ownsTransport: true, options.RequestTimeout);

    /// <summary>The server's host and port: an https URL without a port means 443 here, not LXD's 8443.</summary>
    internal static LxdEndpoint EndpointOf(string serverUrl) =>
        Uri.TryCreate(serverUrl, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps
            ? LxdEndpoint.Parse($"https://{uri.Host}:{uri.Port}")
            : LxdEndpoint.Parse(serverUrl);

    public void Dispose()
    {
        if (_ownsTransport)
        {
            _transport.Dispose();
        }
    }

    /// <summary>The product files of <c>image-downloads</c> entries, from streams/v1/index.json.</summary>
    public async Task<IReadOnlyList<string>> GetIndexAsync(CancellationToken cancellationToken)
    {
        using var index = await GetJsonAsync("streams/v1/index.json", cancellationToken).ConfigureAwait(false);
        return SimplestreamsParser.ParseIndex(index.RootElement);
    }

    /// <summary>Every image of every <c>image-downloads</c> product file.</summary>
    public async Task<IReadOnlyList<SimplestreamsImage>> ListImagesAsync(CancellationToken cancellationToken)
    {
        var images = new List<SimplestreamsImage>();
        foreach (var path in await GetIndexAsync(cancellationToken).ConfigureAwait(false))
        {
            using var products = await GetJsonAsync(path, cancellationToken).ConfigureAwait(false);
            images.AddRange(SimplestreamsParser.ParseProducts(products.RootElement));
        }

        return images;
    }

    /// <summary>
    /// The newest image with this alias (or a fingerprint starting with the text), preferring <paramref name="architecture"/>
    /// (default: the host's) and containers; null when none.
    /// </summary>
    public async Task<SimplestreamsImage?> FindAsync(string aliasOrFingerprint, CancellationToken cancellationToken, string? architecture = null, string type = "container")
    {
        var images = await ListImagesAsync(cancellationToken).ConfigureAwait(false);
        return SimplestreamsParser.Select(images, aliasOrFingerprint, architecture ?? SimplestreamsParser.HostArchitecture(), type);
    }

    private async Task<JsonDocument> GetJsonAsync(string relativePath, CancellationToken cancellationToken)
    {
        var url = _basePath + relativePath.TrimStart('/');
        var cacheKey = ServerUrl + "/" + relativePath.TrimStart('/');
        if (_cache?.Read(cacheKey, allowStale: false) is { } fresh)
        {
            return Parse(fresh, cacheKey);
        }

        byte[] content;
        try
        {
            using var response = await _transport.SendAsync(
                    () => new HttpRequestMessage(HttpMethod.Get, url), true, HttpCompletionOption.ResponseContentRead, _requestTimeout, cancellationToken)
                .ConfigureAwait(false);
            content = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (LxdConnectionException) when (_cache?.Read(cacheKey, allowStale: true) is not null)
        {
            return Parse(_cache!.Read(cacheKey, allowStale: true)!, cacheKey);
        }

        var document = Parse(content, cacheKey);
        _cache?.Write(cacheKey, content);
        return document;
    }

    private static JsonDocument Parse(byte[] content, string url) => SimplestreamsParser.ReadDocument(content, url);
}

/// <summary>The pure part: simplestreams JSON → images, the way LXD computes fingerprints and aliases.</summary>
public static class SimplestreamsParser
{
    private static readonly Dictionary<string, string> Architectures = new(StringComparer.OrdinalIgnoreCase)
    {
        ["amd64"] = "x86_64",
        ["i386"] = "i686",
        ["arm64"] = "aarch64",
        ["armhf"] = "armv7l",
        ["armel"] = "armv6l",
        ["ppc64el"] = "ppc64le",
        ["s390x"] = "s390x",
        ["riscv64"] = "riscv64",
    };

    /// <summary>A downloaded (or cached) simplestreams file as JSON; <see cref="LxdApiException"/> when it is not JSON.</summary>
    public static JsonDocument ReadDocument(byte[] content, string url)
    {
        try
        {
            return JsonDocument.Parse(content);
        }
        catch (JsonException e)
        {
            throw new LxdApiException($"{url} is not a simplestreams JSON document: {e.Message}", e) { Target = url };
        }
    }

    public static string LxdArchitecture(string simplestreamsArchitecture) =>
        Architectures.TryGetValue(simplestreamsArchitecture, out var name) ? name : simplestreamsArchitecture;

    public static string HostArchitecture() => System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "x86_64",
        System.Runtime.InteropServices.Architecture.Arm64 => "aarch64",
        System.Runtime.InteropServices.Architecture.X86 => "i686",
        System.Runtime.InteropServices.Architecture.Arm => "armv7l",
        System.Runtime.InteropServices.Architecture.S390x => "s390x",
        System.Runtime.InteropServices.Architecture.Ppc64le => "ppc64le",
        _ => System.Runtime.InteropServices.RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant(),
    };

    /// <summary>Paths of the <c>image-downloads</c> product files listed by index.json.</summary>
    public static IReadOnlyList<string> ParseIndex(JsonElement index)
    {
        if (index.ValueKind != JsonValueKind.Object || !index.TryGetProperty("index", out var entries)
            || entries.ValueKind != JsonValueKind.Object)
        {
            throw new LxdApiException("The simplestreams index has no 'index' map.");
        }

        return entries.EnumerateObject()
            .Where(e => e.Value.ValueKind == JsonValueKind.Object && Text(e.Value, "datatype") == "image-downloads" && Text(e.Value, "path").Length > 0)
            .Select(e => Text(e.Value, "path"))
            .ToList();
    }

    /// <summary>Every (product, version, rootfs kind) with the LXD metadata tarball becomes one image.</summary>
    public static IReadOnlyList<SimplestreamsImage> ParseProducts(JsonElement document)
    {
        var images = new List<SimplestreamsImage>();
        // Every level is checked for its kind: TryGetProperty throws on anything but an object (found by fuzzing).
        if (document.ValueKind != JsonValueKind.Object || !document.TryGetProperty("products", out var products)
            || products.ValueKind != JsonValueKind.Object)
        {
            return images;
        }

        foreach (var product in products.EnumerateObject())
        {
            var p = product.Value;
            if (p.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var aliases = Text(p, "aliases").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (!p.TryGetProperty("versions", out var versions) || versions.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            foreach (var version in versions.EnumerateObject())
            {
                if (version.Value.ValueKind != JsonValueKind.Object || !version.Value.TryGetProperty("items", out var items)
                    || items.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                var all = items.EnumerateObject().Select(i => i.Value).ToList();
                var baseImage = new SimplestreamsImage
                {
                    Product = product.Name,
                    Version = version.Name,
                    Architecture = LxdArchitecture(Text(p, "arch")),
                    Os = Text(p, "os"),
                    Release = Text(p, "release"),
                    Variant = Text(p, "variant"),
                    Aliases = aliases,
                    Created = ParseVersionDate(version.Name),
                };

                var unified = all.FirstOrDefault(i => Text(i, "ftype") == "lxd_combined.tar.gz");
                if (unified.ValueKind == JsonValueKind.Object)
                {
                    images.Add(baseImage with
                    {
                        Fingerprint = Text(unified, "sha256"),
                        Size = Long(unified, "size"),
                        MetadataPath = Text(unified, "path"),
                    });
                }

                var metadata = all.FirstOrDefault(i => Text(i, "ftype") == "lxd.tar.xz");
                if (metadata.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                foreach (var rootfs in all)
                {
                    var (fingerprintKey, type) = Text(rootfs, "ftype") switch
                    {
                        "squashfs" => ("combined_squashfs_sha256", "container"),
                        "root.tar.xz" => ("combined_rootxz_sha256", "container"),
                        "disk-kvm.img" => ("combined_disk-kvm-img_sha256", "virtual-machine"),
                        _ => (string.Empty, string.Empty),
                    };
                    if (fingerprintKey.Length == 0)
                    {
                        continue;
                    }

                    var fingerprint = Text(metadata, fingerprintKey);
                    if (fingerprint.Length == 0 && fingerprintKey == "combined_rootxz_sha256")
                    {
                        fingerprint = Text(metadata, "combined_sha256"); // older servers
                    }

                    if (fingerprint.Length == 0)
                    {
                        continue;
                    }

                    images.Add(baseImage with
                    {
                        Fingerprint = fingerprint,
                        Type = type,
                        Size = Long(metadata, "size") > long.MaxValue - Long(rootfs, "size")
                            ? long.MaxValue
                            : Long(metadata, "size") + Long(rootfs, "size"),
                        MetadataPath = Text(metadata, "path"),
                        RootfsPath = Text(rootfs, "path"),
                    });
                }
            }
        }

        return images;
    }

    /// <summary>
    /// The newest match: by alias (exact, or <c>alias/arch</c>), else by fingerprint prefix (at least 12 characters); the
    /// wanted architecture and type first, then squashfs over root.tar.xz as LXD prefers.
    /// </summary>
    public static SimplestreamsImage? Select(IEnumerable<SimplestreamsImage> images, string aliasOrFingerprint, string architecture, string type = "container")
    {
        var list = images.ToList();
        var byAlias = list.Where(i => i.Aliases.Any(a => a == aliasOrFingerprint || $"{a}/{i.Architecture}" == aliasOrFingerprint)).ToList();
        var candidates = byAlias.Count > 0
            ? byAlias
            : aliasOrFingerprint.Length >= 12
                ? list.Where(i => i.Fingerprint.StartsWith(aliasOrFingerprint, StringComparison.OrdinalIgnoreCase)).ToList()
                : new List<SimplestreamsImage>();
        return candidates
            .OrderByDescending(i => i.Architecture == architecture)
            .ThenByDescending(i => i.Type == type)
            .ThenByDescending(i => i.Version, StringComparer.Ordinal)
            .ThenByDescending(i => i.RootfsPath?.EndsWith(".squashfs", StringComparison.Ordinal) == true)
            .FirstOrDefault();
    }

    /// <summary>When the version was built, as LXD reads it: <c>20260301_01:00</c> (also without the colon), else the date alone.</summary>
    private static DateTimeOffset? ParseVersionDate(string version) =>
        DateTimeOffset.TryParseExact(version, new[] { "yyyyMMdd_HH:mm", "yyyyMMdd_HHmm" }, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal, out var stamp) ? stamp
        : DateTimeOffset.TryParseExact(version.Length >= 8 ? version[..8] : version, "yyyyMMdd", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal, out var date) ? date
        : null;

    private static string Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() ?? string.Empty : string.Empty;

    /// <summary>A size: 0 when missing, not a whole number, or negative.</summary>
    private static long Long(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) && n > 0 ? n : 0;
}
