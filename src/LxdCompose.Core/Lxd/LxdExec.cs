using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using LxdCompose.Lxd.Api;

namespace LxdCompose.Lxd;

/// <summary>A command to run inside an instance.</summary>
public sealed record LxdExecRequest
{
    public LxdExecRequest(IReadOnlyList<string> command) => Command = command;

    /// <summary>Program and arguments; no shell is involved unless the command names one.</summary>
    public IReadOnlyList<string> Command { get; init; }

    /// <summary>The process environment, exactly (nothing is inherited from the host).</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    public string? WorkingDirectory { get; init; }

    public int? User { get; init; }

    public int? Group { get; init; }
}

/// <summary>Exit code and, when captured, the output of a command.</summary>
public sealed record LxdExecResult(int ExitCode, string Stdout, string Stderr);

/// <summary>
/// Runs commands in instances. <see cref="RunAsync"/> streams stdout/stderr through websockets as the command writes them;
/// <see cref="RunRecordedAsync"/> lets the server record the output (no websockets) and fetches it afterwards.
/// </summary>
public sealed class LxdExec : ILxdExec
{
    private const int ReceiveBufferSize = 64 * 1024;
    private readonly LxdClient _client;

    internal LxdExec(LxdClient client) => _client = client;

    /// <summary>
    /// Runs the command with live output: stdout and stderr are written to the given streams as data arrives
    /// (null discards), stdin is read from <paramref name="stdin"/> (null: empty). Returns the exit code once both
    /// output streams reached their end AND the operation finished. When <paramref name="cancellationToken"/> is
    /// cancelled while the command runs, the command is ended on the server (<see cref="KillAsync"/>) before the
    /// cancellation surfaces: closing the client's sockets alone leaves it running. <paramref name="timeout"/> bounds the
    /// operation wait (null: the client's operation timeout).
    /// </summary>
    public async Task<int> RunAsync(
        string instance, LxdExecRequest request, Stream? stdout, Stream? stderr, CancellationToken cancellationToken, Stream? stdin = null,
        TimeSpan? timeout = null)
    {
        var post = CreatePost(request);
        post.WaitForWebsocket = true;
        var response = await _client.SendAsync(HttpMethod.Post, _client.Url($"/1.0/instances/{LxdClient.Segment(instance)}/exec"), post, cancellationToken)
            .ConfigureAwait(false);
        var operation = response.As<LxdOperation>("exec operation");
        var secrets = ReadSecrets(operation);

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = linked.Token;
        // The server starts the command once every stream is connected, in any order: the four connections (each a
        // TCP connection with its own TLS handshake) are opened at once instead of one after another.
        var connecting = new[] { "control", "0", "1", "2" }.Select(fd => ConnectAsync(operation.Id, secrets[fd], token)).ToArray();
        try
        {
            try
            {
                await Task.WhenAll(connecting).ConfigureAwait(false);
            }
            catch
            {
                linked.Cancel();
                throw;
            }

            var (control, input, output, error) = (connecting[0].Result, connecting[1].Result, connecting[2].Result, connecting[3].Result);

            var sendInput = SendInputAsync(input, stdin, token);
            var readOutput = ReceiveUntilEndAsync(output, stdout, token);
            var readError = ReceiveUntilEndAsync(error, stderr, token);
            var finished = _client.Operations.WaitAsync(operation.Id, timeout, null, token);

            // Output is complete only when both data streams ended and the operation finished: control closing alone
            // says nothing about buffered output.
            try
            {
                await AllOrFirstFailureAsync(readOutput, readError, finished).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                if (cancellationToken.IsCancellationRequested || e is LxdTimeoutException)
                {
                    await KillAsync(control, operation.Id).ConfigureAwait(false);
                }

                linked.Cancel();
                // The others end with the cancellation; their failures are not this call's.
                _ = Task.WhenAll(readOutput, readError, finished, sendInput).ContinueWith(
                    t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                throw;
            }

            await CloseQuietlyAsync(control).ConfigureAwait(false);
            await sendInput.ConfigureAwait(false);
            return ExitCodeOf(await finished.ConfigureAwait(false), operation.Id);
        }
        finally
        {
            await Task.WhenAll(connecting.Select(c => c.ContinueWith(_ => { }, TaskScheduler.Default))).ConfigureAwait(false);
            foreach (var socket in connecting.Where(c => c.IsCompletedSuccessfully).Select(c => c.Result))
            {
                socket.Abort();
                socket.Dispose();
            }
        }
    }

    /// <summary>
    /// Waits for every task, but fails as soon as one fails: <see cref="Task.WhenAll(Task[])"/> would wait for the
    /// output streams of a server that stopped answering (frozen) after its operation wait failed, for ever.
    /// </summary>
    private static async Task AllOrFirstFailureAsync(params Task[] tasks)
    {
        var pending = tasks.ToList();
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending).ConfigureAwait(false);
            await done.ConfigureAwait(false); // rethrows its failure at once
            pending.Remove(done);
        }
    }

    /// <summary>
    /// Ends a running command on the server: SIGKILL through the exec's control channel (LXD and Incus deliver it to the
    /// command's process), then a cancel of the operation where the server allows it. Best effort within a short limit of
    /// its own: the server may be the reason for the stop (frozen, gone).
    /// </summary>
    private async Task KillAsync(WebSocket control, string operationId)
    {
        using var limit = new CancellationTokenSource(KillTimeout);
        try
        {
            if (control.State == WebSocketState.Open)
            {
                var message = JsonSerializer.SerializeToUtf8Bytes(new { command = "signal", signal = 9 });
                await control.SendAsync(message, WebSocketMessageType.Text, true, limit.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The control channel is gone: the operation cancel below is what is left.
        }

        await _client.Operations.TryCancelAsync(operationId, limit.Token).ConfigureAwait(false);
    }

    /// <summary>How long stopping a command may take before the caller gives up on the server.</summary>
    private static readonly TimeSpan KillTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Runs the command with live streaming into memory and returns exit code and output as UTF-8 text.</summary>
    public async Task<LxdExecResult> RunCapturedAsync(string instance, LxdExecRequest request, CancellationToken cancellationToken)
    {
        using var stdout = new MemoryStream();
        using var stderr = new MemoryStream();
        var code = await RunAsync(instance, request, stdout, stderr, cancellationToken).ConfigureAwait(false);
        return new LxdExecResult(code, Encoding.UTF8.GetString(stdout.ToArray()), Encoding.UTF8.GetString(stderr.ToArray()));
    }

    /// <summary>
    /// Runs the command without websockets: the server records stdout and stderr into log files, which are read and
    /// deleted afterwards. No live output, no stdin.
    /// </summary>
    public async Task<LxdExecResult> RunRecordedAsync(string instance, LxdExecRequest request, CancellationToken cancellationToken)
    {
        var post = CreatePost(request);
        post.RecordOutput = true;
        var operation = await _client.SendAndWaitAsync(
                HttpMethod.Post, _client.Url($"/1.0/instances/{LxdClient.Segment(instance)}/exec"), post, cancellationToken)
            .ConfigureAwait(false) ?? throw new LxdApiException($"{_client.DisplayName} ran the command without an operation.");
        var code = ExitCodeOf(operation, operation.Id);
        var logs = operation.Metadata.TryGetProperty("output", out var output) && output.ValueKind == JsonValueKind.Object
            ? output
            : throw new LxdApiException($"{_client.DisplayName} recorded no output for operation {operation.Id}.");
        var stdout = await FetchAndDeleteLogAsync(logs, "1", cancellationToken).ConfigureAwait(false);
        var stderr = await FetchAndDeleteLogAsync(logs, "2", cancellationToken).ConfigureAwait(false);
        return new LxdExecResult(code, stdout, stderr);
    }

    private static LxdExecPost CreatePost(LxdExecRequest request)
    {
        if (request.Command.Count == 0)
        {
            throw new ArgumentException("The command is empty.", nameof(request));
        }

        return new LxdExecPost
        {
            Command = request.Command.ToList(),
            Environment = request.Environment?.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal) ?? new Dictionary<string, string>(),
            Cwd = request.WorkingDirectory,
            User = request.User,
            Group = request.Group,
            Interactive = false,
        };
    }

    private static Dictionary<string, string> ReadSecrets(LxdOperation operation)
    {
        if (operation.Metadata.ValueKind != JsonValueKind.Object
            || !operation.Metadata.TryGetProperty("fds", out var fds)
            || fds.ValueKind != JsonValueKind.Object)
        {
            throw new LxdApiException($"The exec operation {operation.Id} has no stream secrets (metadata.fds).");
        }

        var secrets = fds.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty, StringComparer.Ordinal);
        foreach (var required in new[] { "0", "1", "2", "control" })
        {
            if (!secrets.ContainsKey(required))
            {
                throw new LxdApiException($"The exec operation {operation.Id} has no secret for stream '{required}'.");
            }
        }

        return secrets;
    }

    private Task<WebSocket> ConnectAsync(string operationId, string secret, CancellationToken cancellationToken) =>
        _client.Transport.ConnectWebSocketAsync(
            _client.Url($"/1.0/operations/{LxdClient.Segment(operationId)}/websocket", false, ("secret", secret)), cancellationToken);

    private static async Task SendInputAsync(WebSocket socket, Stream? stdin, CancellationToken cancellationToken)
    {
        try
        {
            if (stdin is not null)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferSize);
                try
                {
                    int read;
                    while ((read = await stdin.ReadAsync(buffer.AsMemory(0, ReceiveBufferSize), cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        await socket.SendAsync(buffer.AsMemory(0, read), WebSocketMessageType.Binary, true, cancellationToken).ConfigureAwait(false);
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }

            // End of input: the server closes the command's stdin.
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, string.Empty, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException)
        {
            // The command may end (and the server close the socket) before all input was sent.
        }
    }

    /// <summary>Copies binary messages until the stream's end: a close frame, or an empty message (older servers).</summary>
    private static async Task ReceiveUntilEndAsync(WebSocket socket, Stream? destination, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferSize);
        try
        {
            var messageLength = 0;
            while (true)
            {
                ValueWebSocketReceiveResult result;
                try
                {
                    result = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
                }
                catch (WebSocketException e) when (e.WebSocketErrorCode == WebSocketError.ConnectionClosedPrematurely)
                {
                    return; // the server dropped the connection after the command ended
                }

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                messageLength += result.Count;
                if (result.Count > 0 && destination is not null)
                {
                    await destination.WriteAsync(buffer.AsMemory(0, result.Count), cancellationToken).ConfigureAwait(false);
                }

                if (result.EndOfMessage)
                {
                    if (messageLength == 0)
                    {
                        break;
                    }

                    messageLength = 0;
                }
            }

            if (destination is not null)
            {
                await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            await CloseQuietlyAsync(socket).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task CloseQuietlyAsync(WebSocket socket)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, string.Empty, limit.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Closing is a courtesy; the data is complete.
        }
    }

    private int ExitCodeOf(LxdOperation operation, string id)
    {
        if (operation.Metadata.ValueKind == JsonValueKind.Object
            && operation.Metadata.TryGetProperty("return", out var value)
            && value.ValueKind == JsonValueKind.Number)
        {
            return value.GetInt32();
        }

        throw new LxdOperationException($"The command on {_client.DisplayName} was interrupted: operation {id} reported no exit code.", id) { Target = id };
    }

    private async Task<string> FetchAndDeleteLogAsync(JsonElement logs, string stream, CancellationToken cancellationToken)
    {
        if (!logs.TryGetProperty(stream, out var pathElement) || pathElement.GetString() is not { Length: > 0 } path)
        {
            return string.Empty;
        }

        var url = _client.Url(path);
        string text;
        using (var response = await _client.Transport.SendAsync(
                   () => new HttpRequestMessage(HttpMethod.Get, url), true, HttpCompletionOption.ResponseContentRead, null, cancellationToken)
                   .ConfigureAwait(false))
        {
            text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }

        await _client.SendAsync(HttpMethod.Delete, url, null, cancellationToken).ConfigureAwait(false);
        return text;
    }
}
