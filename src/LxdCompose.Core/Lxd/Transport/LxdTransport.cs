using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Runtime.InteropServices;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace LxdCompose.Lxd.Transport;

/// <summary>Settings of one connection to one server.</summary>
public sealed record LxdTransportOptions
{
    /// <summary>The client identity for HTTPS (mutual TLS); not used over a unix socket.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>The certificate pinned in servercerts/&lt;remote&gt;.crt; without it the server needs a chain-valid certificate.</summary>
    public X509Certificate2? PinnedServerCertificate { get; init; }

    /// <summary>Limit of one REST call (not of operation waits or streams, which have their own).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Limit of opening a connection (TCP and TLS); null: only <see cref="RequestTimeout"/> limits it.</summary>
    public TimeSpan? ConnectTimeout { get; init; }

    /// <summary>Attempts for idempotent reads and for connecting; each retry waits twice as long as the one before.</summary>
    public int MaxAttempts { get; init; } = 3;

    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Name used in messages, e.g. the remote's name.</summary>
    public string? DisplayName { get; init; }
}

/// <summary>One parsed LXD response envelope.</summary>
public sealed record LxdResponse(string Type, int StatusCode, JsonElement Metadata, string? OperationUrl, string? ETag)
{
    public T As<T>(string what) => LxdJson.Deserialize<T>(Metadata, what);
}

/// <summary>
/// The HTTP layer of one remote: one pooled <see cref="HttpClient"/> over a unix socket or HTTPS with mutual TLS, reused
/// for every call and for websockets; envelope parsing; failures mapped to typed exceptions; retries only for idempotent
/// reads and for connection failures that happened before anything was sent.
/// </summary>
public sealed class LxdTransport : IDisposable
{
    private readonly SocketsHttpHandler _handler;
    private readonly HttpClient _http;
    private readonly LxdServerCertificatePolicy _certificatePolicy;
    private readonly LxdTransportOptions _options;

    public LxdTransport(LxdEndpoint endpoint, LxdTransportOptions? options = null)
    {
        Endpoint = endpoint;
        _options = options ?? new LxdTransportOptions();
        _certificatePolicy = new LxdServerCertificatePolicy(_options.PinnedServerCertificate);
        _handler = new SocketsHttpHandler
        {
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
            MaxConnectionsPerServer = 16,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
        };
        if (_options.ConnectTimeout is { } connectTimeout)
        {
            _handler.ConnectTimeout = connectTimeout;
        }
        if (endpoint.SocketPath is { } socketPath)
        {
            _handler.ConnectCallback = (_, ct) => ConnectUnixAsync(socketPath, ct);
        }
        else
        {
            _handler.SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = _certificatePolicy.Validate,
                // A context, not a certificate collection: its chain is built once here instead of at every handshake, and
                // every exec opens four websocket connections, each with its own handshake.
                ClientCertificateContext = _options.ClientCertificate is { } identity
                    ? SslStreamCertificateContext.Create(identity, additionalCertificates: null, offline: true)
                    : null,
            };
        }

        _http = new HttpClient(_handler, disposeHandler: false)
        {
            BaseAddress = endpoint.BaseUri,
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public LxdEndpoint Endpoint { get; }

    /// <summary>The pinned certificate's fingerprint, or null when the server must present a chain-valid certificate.</summary>
    public string? PinnedFingerprint => _certificatePolicy.PinnedFingerprint;

    private string Name => _options.DisplayName ?? Endpoint.ToString();

    /// <summary>Limit of one REST call (<see cref="LxdTransportOptions.RequestTimeout"/>).</summary>
    public TimeSpan RequestTimeout => _options.RequestTimeout;

    /// <summary>Sends a JSON request and parses the envelope; error envelopes and HTTP errors throw typed exceptions.</summary>
    public async Task<LxdResponse> RequestAsync(
        HttpMethod method, string pathAndQuery, object? body, CancellationToken cancellationToken, string? ifMatch = null,
        TimeSpan? timeout = null)
    {
        var payload = body is null ? null : JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), LxdJson.Options);
        using var response = await SendAsync(
            () =>
            {
                var request = new HttpRequestMessage(method, pathAndQuery);
                if (payload is not null)
                {
                    request.Content = new ByteArrayContent(payload);
                    request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                }

                if (ifMatch is not null)
                {
                    request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
                }

                return request;
            },
            IsIdempotent(method),
            HttpCompletionOption.ResponseContentRead,
            timeout ?? _options.RequestTimeout,
            cancellationToken).ConfigureAwait(false);
        return await ReadEnvelopeAsync(response, pathAndQuery, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends a request built by <paramref name="createRequest"/> (called again for each attempt) and returns the raw
    /// response; non-success statuses are turned into exceptions from the error envelope. The caller disposes the response.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(
        Func<HttpRequestMessage> createRequest, bool idempotent, HttpCompletionOption completion, TimeSpan? timeout,
        CancellationToken cancellationToken)
    {
        var delay = _options.FirstRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            using var request = createRequest();
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (timeout is { } t && t != Timeout.InfiniteTimeSpan)
            {
                limit.CancelAfter(t);
            }

            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, completion, limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                // A change the server received may still be carried out when it answers again (a frozen daemon resumes).
                var after = idempotent ? "." : "; it may still carry it out when it answers again.";
                throw new LxdTimeoutException(
                    $"{Name} did not answer {request.Method} {request.RequestUri} within {timeout?.TotalSeconds:0.#} s{after}", e)
                { Target = Name };
            }
            catch (HttpRequestException e)
            {
                var failure = Translate(e, request);
                var retryable = failure is LxdConnectionException
                    && (idempotent || e.HttpRequestError == HttpRequestError.ConnectionError);
                if (!retryable || attempt >= _options.MaxAttempts)
                {
                    throw failure;
                }

                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay *= 2;
                continue;
            }

            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            using (response)
            {
                if (idempotent && (int)response.StatusCode >= 500 && attempt < _options.MaxAttempts)
                {
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                    delay *= 2;
                    continue;
                }

                throw await ErrorFromResponseAsync(response, request.RequestUri?.ToString() ?? string.Empty, cancellationToken)
                    .ConfigureAwait(false);
            }
        }
    }

    /// <summary>Opens a websocket (operation streams, events) over the same handler, socket or TLS identity.</summary>
    public async Task<WebSocket> ConnectWebSocketAsync(string pathAndQuery, CancellationToken cancellationToken)
    {
        var uri = new Uri(Endpoint.WebSocketBase, pathAndQuery);
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(30);
        try
        {
            await socket.ConnectAsync(uri, _http, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch (WebSocketException e) when (e.InnerException is HttpRequestException inner)
        {
            socket.Dispose();
            throw Translate(inner, null);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _handler.Dispose();
    }

    internal static async Task<LxdResponse> ReadEnvelopeAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(bytes);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new LxdApiException($"The answer to {what} is not an LXD response: {e.Message}", e) { StatusCode = (int)response.StatusCode };
        }

        var type = root.TryGetProperty("type", out var t) ? t.GetString() ?? string.Empty : string.Empty;
        if (type == "error")
        {
            throw ErrorFromEnvelope(root, (int)response.StatusCode, what);
        }

        var status = root.TryGetProperty("status_code", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt32() : (int)response.StatusCode;
        var metadata = root.TryGetProperty("metadata", out var m) ? m : default;
        var operation = root.TryGetProperty("operation", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString() : null;
        var etag = response.Headers.ETag?.Tag ?? (response.Headers.TryGetValues("ETag", out var values) ? values.FirstOrDefault() : null);
        return new LxdResponse(type, status, metadata, string.IsNullOrEmpty(operation) ? null : operation, etag);
    }

    internal static async Task<LxdException> ErrorFromResponseAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out _))
            {
                return ErrorFromEnvelope(document.RootElement, (int)response.StatusCode, what);
            }
        }
        catch (JsonException)
        {
            // Not an envelope (a proxy, or a file endpoint): fall through to the status line.
        }

        return Create((int)response.StatusCode, string.IsNullOrWhiteSpace(text) ? response.ReasonPhrase ?? "error" : text.Trim(), what);
    }

    private static LxdException ErrorFromEnvelope(JsonElement root, int httpStatus, string what)
    {
        var code = root.TryGetProperty("error_code", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : httpStatus;
        var text = root.TryGetProperty("error", out var e) ? e.GetString() ?? string.Empty : string.Empty;
        return Create(code, text, what);
    }

    internal static LxdException Create(int code, string serverError, string what)
    {
        var message = $"{serverError} ({code}, {what})";
        return code switch
        {
            404 => new LxdNotFoundException(message) { StatusCode = code, ServerError = serverError },
            409 => new LxdConflictException(message) { StatusCode = code, ServerError = serverError },
            412 => new LxdPreconditionFailedException(message) { StatusCode = code, ServerError = serverError },
            401 or 403 => new LxdAuthException(message) { StatusCode = code, ServerError = serverError },
            _ => new LxdApiException(message) { StatusCode = code, ServerError = serverError },
        };
    }

    private LxdException Translate(HttpRequestException e, HttpRequestMessage? request)
    {
        var target = Name;
        if (Endpoint.SocketPath is { } socket)
        {
            var socketError = FindInner<SocketException>(e);
            var message = socketError?.SocketErrorCode switch
            {
                SocketError.AddressNotAvailable or SocketError.AddressFamilyNotSupported =>
                    $"LXD unix socket \"{socket}\" not found: Please check LXD is running.",
                SocketError.AccessDenied =>
                    $"LXD unix socket \"{socket}\" not accessible: permission denied (run as root or as a member of the lxd group).",
                SocketError.ConnectionRefused =>
                    $"LXD unix socket \"{socket}\" refused the connection: Please check LXD is running.",
                _ when !File.Exists(socket) => $"LXD unix socket \"{socket}\" not found: Please check LXD is running.",
                _ => $"Cannot talk to LXD over \"{socket}\": {e.Message}",
            };
            return new LxdConnectionException(message, e) { Target = target };
        }

        if (FindInner<AuthenticationException>(e) is { } authentication)
        {
            if (_certificatePolicy.LastMismatch is { } mismatch)
            {
                return new LxdCertificatePinMismatchException(
                    $"{target} presented the certificate {mismatch.Actual}, not the pinned {mismatch.Expected}. This can mean a "
                    + "man-in-the-middle or a reinstalled server; if the server really changed, remove the remote and add it again.",
                    mismatch.Expected,
                    mismatch.Actual)
                { Target = target };
            }

            var hint = RuntimeInformation.IsOSPlatform(OSPlatform.Windows)
                ? " LXD speaks TLS 1.3 only, which Windows offers from Windows 11 / Server 2022 on."
                : string.Empty;
            var pinHint = _certificatePolicy.PinnedFingerprint is null
                ? " The server's certificate is not chain-valid and no certificate is pinned: add the remote (Add-LxdRemote) to pin it."
                : string.Empty;
            return new LxdTlsException($"TLS with {target} failed: {authentication.Message}{pinHint}{hint}", e) { Target = target };
        }

        var where = request?.RequestUri is { } uri ? $" ({request.Method} {uri})" : string.Empty;
        return new LxdConnectionException($"Cannot reach {target}{where}: {e.Message}", e) { Target = target };
    }

    private static T? FindInner<T>(Exception e)
        where T : Exception
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }
        }

        return null;
    }

    private static bool IsIdempotent(HttpMethod method) => method == HttpMethod.Get || method == HttpMethod.Head;

    private static async ValueTask<Stream> ConnectUnixAsync(string path, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    internal static string Encode(string value) => Uri.EscapeDataString(value);

    internal static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
