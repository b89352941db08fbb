using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace LxdCompose.Lxd;

public enum LxdFileType
{
    File,
    Directory,
    Symlink,
}

/// <summary>What the server says about a path in an instance.</summary>
public sealed record LxdFileInfo(string Path, LxdFileType Type, int Uid, int Gid, int Mode)
{
    /// <summary>Entry names, for a directory.</summary>
    public IReadOnlyList<string> Entries { get; init; } = Array.Empty<string>();

    /// <summary>Where a symlink points, as the server reports it (LXD 5.0 resolves a relative target against the link's directory).</summary>
    public string? LinkTarget { get; init; }

    public string ModeText => Convert.ToString(Mode, 8).PadLeft(4, '0');
}

/// <summary>Owner and permissions of what is written; defaults are root's, 0644 for files and 0755 for directories.</summary>
public sealed record LxdFileWriteOptions
{
    public int Uid { get; init; }

    public int Gid { get; init; }

    /// <summary>Permission bits (e.g. <c>0b110_100_100</c> = 0644); null: the default of the type.</summary>
    public int? Mode { get; init; }

    /// <summary>Append instead of replacing (extension <c>file_append</c>).</summary>
    public bool Append { get; init; }
}

/// <summary>The file API of instances: push, pull, directories, symlinks, delete, recursive push.</summary>
public sealed class LxdFiles : ILxdFiles
{
    private readonly LxdClient _client;

    internal LxdFiles(LxdClient client) => _client = client;

    private string Url(string instance, string path) =>
        _client.Url($"/1.0/instances/{LxdClient.Segment(instance)}/files", true, ("path", path));

    /// <summary>Writes a file from <paramref name="content"/> (read to its end; a seekable stream can be resent on a retry).</summary>
    public async Task PushAsync(string instance, string path, Stream content, LxdFileWriteOptions? options, CancellationToken cancellationToken)
    {
        var dialect = await _client.GetDialectAsync(cancellationToken).ConfigureAwait(false);
        var settings = options ?? new LxdFileWriteOptions();
        if (settings.Append && !await _client.HasExtensionAsync("file_append", cancellationToken).ConfigureAwait(false))
        {
            throw new LxdApiException($"{_client.DisplayName} cannot append to files (API extension file_append missing).") { Target = path };
        }

        var start = content.CanSeek ? content.Position : -1;
        var attempt = 0;
        using var response = await _client.Transport.SendAsync(
            () =>
            {
                if (attempt++ > 0 && start >= 0)
                {
                    content.Position = start;
                }

                var request = new HttpRequestMessage(HttpMethod.Post, Url(instance, path))
                {
                    Content = new StreamContent(content),
                };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                AddOwnerHeaders(request, dialect, settings, "file", settings.Mode ?? 0b110_100_100);
                request.Headers.TryAddWithoutValidation(dialect.Header("write"), settings.Append ? "append" : "overwrite");
                return request;
            },
            idempotent: false,
            HttpCompletionOption.ResponseContentRead,
            null,
            cancellationToken).ConfigureAwait(false);
    }

    public async Task PushBytesAsync(string instance, string path, ReadOnlyMemory<byte> content, LxdFileWriteOptions? options, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream(content.ToArray(), writable: false);
        await PushAsync(instance, path, stream, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates one directory (its parent must exist); an existing directory is left as it is.</summary>
    public async Task CreateDirectoryAsync(string instance, string path, LxdFileWriteOptions? options, CancellationToken cancellationToken)
    {
        var dialect = await _client.GetDialectAsync(cancellationToken).ConfigureAwait(false);
        var settings = options ?? new LxdFileWriteOptions();
        try
        {
            await SendTypedAsync(instance, path, dialect, settings, "directory", settings.Mode ?? 0b111_101_101, Array.Empty<byte>(), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (LxdApiException)
        {
            // Already there is fine (mkdir -p semantics for the last component too); anything else is the real error.
            if (!await IsDirectoryAsync(instance, path, cancellationToken).ConfigureAwait(false))
            {
                throw;
            }
        }
    }

    /// <summary>mkdir -p: creates the missing components from the top down; existing ones are not changed.</summary>
    public async Task CreateDirectoriesAsync(string instance, string path, LxdFileWriteOptions? options, CancellationToken cancellationToken)
    {
        var missing = new Stack<string>();
        for (var current = NormalizeAbsolute(path); current != "/"; current = ParentOf(current))
        {
            var info = await TryStatAsync(instance, current, cancellationToken).ConfigureAwait(false);
            if (info is not null)
            {
                if (info.Type != LxdFileType.Directory)
                {
                    throw new LxdConflictException($"'{current}' in {instance} exists and is not a directory.") { Target = current, StatusCode = 409 };
                }

                break;
            }

            missing.Push(current);
        }

        while (missing.TryPop(out var directory))
        {
            await CreateDirectoryAsync(instance, directory, options, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Creates a symlink <paramref name="path"/> → <paramref name="target"/> (extension <c>file_symlinks</c>).</summary>
    public async Task CreateSymlinkAsync(string instance, string path, string target, LxdFileWriteOptions? options, CancellationToken cancellationToken)
    {
        if (!await _client.HasExtensionAsync("file_symlinks", cancellationToken).ConfigureAwait(false))
        {
            throw new LxdApiException($"{_client.DisplayName} cannot create symlinks (API extension file_symlinks missing).") { Target = path };
        }

        var dialect = await _client.GetDialectAsync(cancellationToken).ConfigureAwait(false);
        await SendTypedAsync(instance, path, dialect, options ?? new LxdFileWriteOptions(), "symlink", 0b111_111_111, Encoding.UTF8.GetBytes(target), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Reads a file into <paramref name="destination"/>; for a directory returns its entries, for a symlink its target.</summary>
    public async Task<LxdFileInfo> PullAsync(string instance, string path, Stream destination, CancellationToken cancellationToken)
    {
        var dialect = await _client.GetDialectAsync(cancellationToken).ConfigureAwait(false);
        using var response = await _client.Transport.SendAsync(
                () => new HttpRequestMessage(HttpMethod.Get, Url(instance, path)), true, HttpCompletionOption.ResponseHeadersRead, null, cancellationToken)
            .ConfigureAwait(false);
        var info = InfoFromHeaders(response, dialect, path);
        switch (info.Type)
        {
            case LxdFileType.Directory:
                var listing = await Transport.LxdTransport.ReadEnvelopeAsync(response, path, cancellationToken).ConfigureAwait(false);
                return info with { Entries = listing.As<List<string>>("directory listing") };
            case LxdFileType.Symlink:
                return info with { LinkTarget = (await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)).TrimEnd('\n') };
            default:
                await response.Content.CopyToAsync(destination, cancellationToken).ConfigureAwait(false);
                return info;
        }
    }

    public async Task<byte[]> ReadAllBytesAsync(string instance, string path, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var info = await PullAsync(instance, path, buffer, cancellationToken).ConfigureAwait(false);
        return info.Type == LxdFileType.File
            ? buffer.ToArray()
            : throw new LxdApiException($"'{path}' in {instance} is a {info.Type.ToString().ToLowerInvariant()}, not a file.") { Target = path };
    }

    /// <summary>Type, owner and mode of a path (and entries or link target); null when it does not exist.</summary>
    public async Task<LxdFileInfo?> TryStatAsync(string instance, string path, CancellationToken cancellationToken)
    {
        try
        {
            return await PullAsync(instance, path, Stream.Null, cancellationToken).ConfigureAwait(false);
        }
        catch (LxdNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Deletes a file, symlink or empty directory (extension <c>file_delete</c>).</summary>
    public Task DeleteAsync(string instance, string path, CancellationToken cancellationToken) =>
        _client.SendAsync(HttpMethod.Delete, Url(instance, path), null, cancellationToken);

    /// <summary>
    /// Pushes a local file or directory tree with the semantics of <see cref="RecursivePushPlanner"/>; returns the plan
    /// that was carried out. <paramref name="progress"/> receives each step before it is sent.
    /// </summary>
    public async Task<RecursivePushPlan> PushRecursiveAsync(
        string instance, string source, string target, RecursivePushOptions? options, CancellationToken cancellationToken,
        IProgress<RecursivePushStep>? progress = null)
    {
        var settings = options ?? new RecursivePushOptions();
        var plan = RecursivePushPlanner.Plan(source, target);
        var parents = new LxdFileWriteOptions { Uid = 0, Gid = 0, Mode = 0b111_101_101 };
        // The parent usually exists (a sync into a known directory): the first step is tried at once, and only when the
        // server says its parent is missing is the parent made (mkdir -p) and the step sent again. That saves the
        // parent's stat on every push.
        var parentReady = plan.ParentDirectory == "/";
        if (!parentReady && plan.Steps.Count == 0)
        {
            await CreateDirectoriesAsync(instance, plan.ParentDirectory, parents, cancellationToken).ConfigureAwait(false);
        }

        foreach (var step in plan.Steps)
        {
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report(step);
            try
            {
                await PushStepAsync(instance, step, settings, cancellationToken).ConfigureAwait(false);
            }
            catch (LxdNotFoundException) when (!parentReady)
            {
                await CreateDirectoriesAsync(instance, plan.ParentDirectory, parents, cancellationToken).ConfigureAwait(false);
                await PushStepAsync(instance, step, settings, cancellationToken).ConfigureAwait(false);
            }

            parentReady = true;
        }

        return plan;
    }

    private async Task PushStepAsync(string instance, RecursivePushStep step, RecursivePushOptions settings, CancellationToken cancellationToken)
    {
        var owner = new LxdFileWriteOptions { Uid = settings.Uid, Gid = settings.Gid, Mode = settings.Mode ?? step.Mode };
        switch (step.Kind)
        {
            case RecursivePushStepKind.Directory:
                await CreateDirectoryAsync(instance, step.TargetPath, owner, cancellationToken).ConfigureAwait(false);
                break;
            case RecursivePushStepKind.Symlink:
                await DeleteIfSymlinkAsync(instance, step.TargetPath, cancellationToken).ConfigureAwait(false);
                await CreateSymlinkAsync(instance, step.TargetPath, step.LinkTarget!, owner, cancellationToken).ConfigureAwait(false);
                break;
            default:
                if (settings.FileMode is { } decide)
                {
                    owner = owner with { Mode = decide(step.SourcePath, owner.Mode ?? step.Mode) };
                }

                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        await using var stream = new FileStream(step.SourcePath, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
                        await PushAsync(instance, step.TargetPath, stream, owner, cancellationToken).ConfigureAwait(false);
                        break;
                    }
                    catch (LxdApiException e) when (attempt < ForkfileAttempts && IsForkfileReset(e))
                    {
                        // LXD's file helper (forkfile) can drop a request while it exits or under load (LXD issue 10448):
                        // the write did not happen or is replaced whole by the next one, so sending the file again is safe.
                    }
                }

                break;
        }
    }

    private const int ForkfileAttempts = 3;

    private static bool IsForkfileReset(LxdApiException e) =>
        e.StatusCode == 500 && (e.ServerError ?? e.Message).Contains("forkfile", StringComparison.Ordinal);

    private async Task DeleteIfSymlinkAsync(string instance, string path, CancellationToken cancellationToken)
    {
        // Creating a symlink over an existing one fails; replacing it matches "existing files are overwritten".
        var existing = await TryStatAsync(instance, path, cancellationToken).ConfigureAwait(false);
        if (existing?.Type == LxdFileType.Symlink)
        {
            await DeleteAsync(instance, path, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<bool> IsDirectoryAsync(string instance, string path, CancellationToken cancellationToken) =>
        (await TryStatAsync(instance, path, cancellationToken).ConfigureAwait(false))?.Type == LxdFileType.Directory;

    private async Task SendTypedAsync(
        string instance, string path, LxdDialect dialect, LxdFileWriteOptions settings, string type, int mode, byte[] body, CancellationToken cancellationToken)
    {
        using var response = await _client.Transport.SendAsync(
            () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Post, Url(instance, path)) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                AddOwnerHeaders(request, dialect, settings, type, mode);
                return request;
            },
            idempotent: false,
            HttpCompletionOption.ResponseContentRead,
            null,
            cancellationToken).ConfigureAwait(false);
    }

    private static void AddOwnerHeaders(HttpRequestMessage request, LxdDialect dialect, LxdFileWriteOptions settings, string type, int mode)
    {
        request.Headers.TryAddWithoutValidation(dialect.Header("uid"), settings.Uid.ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation(dialect.Header("gid"), settings.Gid.ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation(dialect.Header("mode"), "0" + Convert.ToString(mode & 0xFFF, 8));
        request.Headers.TryAddWithoutValidation(dialect.Header("type"), type);
    }

    private static LxdFileInfo InfoFromHeaders(HttpResponseMessage response, LxdDialect dialect, string path)
    {
        string? Header(string name) =>
            response.Headers.TryGetValues(dialect.Header(name), out var values) ? values.FirstOrDefault() : null;

        var type = Header("type") switch
        {
            "directory" => LxdFileType.Directory,
            "symlink" => LxdFileType.Symlink,
            _ => LxdFileType.File,
        };
        var mode = Header("mode") is { Length: > 0 } m ? Convert.ToInt32(m, 8) : 0;
        return new LxdFileInfo(
            path,
            type,
            int.TryParse(Header("uid"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var uid) ? uid : 0,
            int.TryParse(Header("gid"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var gid) ? gid : 0,
            mode);
    }

    internal static string NormalizeAbsolute(string path)
    {
        if (!path.StartsWith('/'))
        {
            throw new ArgumentException($"'{path}' is not an absolute path inside the instance.", nameof(path));
        }

        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToList();
        return "/" + string.Join('/', parts);
    }

    internal static string ParentOf(string normalized)
    {
        var slash = normalized.LastIndexOf('/');
        return slash <= 0 ? "/" : normalized[..slash];
    }
}
