using LxdCompose.Lxd.Api;

namespace LxdCompose.Lxd;

/// <summary>
/// Background operations: waits in bounded server-side steps (<c>/wait?timeout=N</c>) until done, the caller's limit or
/// cancellation (which cancels the operation on the server when it may be cancelled); failures carry LXD's error text.
/// </summary>
public sealed class LxdOperations : ILxdOperations
{
    /// <summary>
    /// Longest single server-side wait; short enough for proxies, for noticing cancellation, and for noticing a silent
    /// (frozen) server: each step may take this plus the transport's request timeout.
    /// </summary>
    private const int WaitStepSeconds = 10;

    private readonly LxdClient _client;

    internal LxdOperations(LxdClient client) => _client = client;

    /// <summary>The operation id from an id or an operation URL (<c>/1.0/operations/&lt;id&gt;</c>).</summary>
    public static string IdOf(string idOrUrl)
    {
        var text = idOrUrl.Split('?')[0].TrimEnd('/');
        var slash = text.LastIndexOf('/');
        return slash >= 0 ? text[(slash + 1)..] : text;
    }

    public async Task<LxdOperation> GetAsync(string idOrUrl, CancellationToken cancellationToken)
    {
        var response = await _client.GetAsync(_client.Url($"/1.0/operations/{LxdClient.Segment(IdOf(idOrUrl))}", scoped: false), cancellationToken)
            .ConfigureAwait(false);
        return response.As<LxdOperation>("operation");
    }

    /// <summary>Cancels the operation on the server (<c>DELETE</c>).</summary>
    public async Task CancelAsync(string idOrUrl, CancellationToken cancellationToken) =>
        await _client.SendAsync(HttpMethod.Delete, _client.Url($"/1.0/operations/{LxdClient.Segment(IdOf(idOrUrl))}", scoped: false), null, cancellationToken)
            .ConfigureAwait(false);

    /// <summary>
    /// Waits until the operation finished and returns it when it succeeded. A failed or cancelled operation throws
    /// <see cref="LxdOperationException"/>; <paramref name="timeout"/> (null: the client's
    /// <see cref="LxdClientOptions.OperationTimeout"/>, else no limit) throws <see cref="LxdTimeoutException"/> after the
    /// operation was cancelled on the server where it may be.
    /// With <paramref name="progress"/> the server is asked every second, and each answer is reported.
    /// </summary>
    public async Task<LxdOperation> WaitAsync(
        string idOrUrl, TimeSpan? timeout, IProgress<LxdOperation>? progress, CancellationToken cancellationToken)
    {
        var id = IdOf(idOrUrl);
        timeout ??= _client.OperationTimeout;
        var deadline = timeout is { } limit ? DateTimeOffset.UtcNow + limit : (DateTimeOffset?)null;
        var step = progress is null ? WaitStepSeconds : 1;
        try
        {
            while (true)
            {
                var seconds = step;
                if (deadline is { } end)
                {
                    var left = end - DateTimeOffset.UtcNow;
                    if (left <= TimeSpan.Zero)
                    {
                        var cancelled = await TryCancelAsync(id).ConfigureAwait(false);
                        throw new LxdTimeoutException(
                            $"Operation {id} on {_client.DisplayName} did not finish within {timeout!.Value.TotalSeconds:0.#} s" +
                            (cancelled ? "; it was cancelled on the server." : "; the server could not cancel it (it may still finish there)."))
                        {
                            Target = id,
                        };
                    }

                    seconds = Math.Max(1, Math.Min(step, (int)Math.Ceiling(left.TotalSeconds)));
                }

                var operation = await WaitStepAsync(id, seconds, cancellationToken).ConfigureAwait(false);
                if (!operation.IsRunning)
                {
                    return operation.Succeeded
                        ? operation
                        : throw new LxdOperationException(
                            $"{Describe(operation)} on {_client.DisplayName} {operation.Status.ToLowerInvariant()}: {(operation.Err.Length > 0 ? operation.Err : "no error text")}",
                            id)
                        { Target = id, ServerError = operation.Err, StatusCode = operation.StatusCode };
                }

                progress?.Report(operation);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await TryCancelAsync(id).ConfigureAwait(false);
            throw;
        }
    }

    private async Task<LxdOperation> WaitStepAsync(string id, int seconds, CancellationToken cancellationToken)
    {
        var url = _client.Url($"/1.0/operations/{LxdClient.Segment(id)}/wait", scoped: false, ("timeout", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var response = await _client.Transport.RequestAsync(HttpMethod.Get, url, null, cancellationToken, timeout: TimeSpan.FromSeconds(seconds) + _client.Transport.RequestTimeout)
            .ConfigureAwait(false);
        return response.As<LxdOperation>("operation");
    }

    /// <summary>
    /// Cancels the operation on the server when it still runs and may be cancelled; true when it was cancelled. Best
    /// effort within <paramref name="cancellationToken"/>: errors (the operation is gone, the server does not answer)
    /// are swallowed, as the caller is already failing or stopping.
    /// </summary>
    internal async Task<bool> TryCancelAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            var operation = await GetAsync(id, cancellationToken).ConfigureAwait(false);
            if (operation.IsRunning && operation.MayCancel)
            {
                await CancelAsync(id, cancellationToken).ConfigureAwait(false);
                return true;
            }
        }
        catch (Exception e) when (e is LxdException or OperationCanceledException or HttpRequestException or IOException)
        {
            // The operation may be gone already, or the server silent.
        }

        return false;
    }

    private async Task<bool> TryCancelAsync(string id)
    {
        // Its own short limit: the caller's token is already cancelled, or its time is up.
        using var limit = new CancellationTokenSource(CancelTimeout);
        return await TryCancelAsync(id, limit.Token).ConfigureAwait(false);
    }

    private static readonly TimeSpan CancelTimeout = TimeSpan.FromSeconds(10);

    private static string Describe(LxdOperation operation) =>
        operation.Description.Length > 0 ? $"Operation '{operation.Description}' ({operation.Id})" : $"Operation {operation.Id}";
}
