using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;

namespace LxdCompose.Tests.Lxd;

/// <summary>One request the fake server received: method, path with query, headers and the body as text.</summary>
internal sealed record FakeRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>The decoded value of a query parameter, or null.</summary>
    public string? Query(string name) =>
        PathAndQuery.Split('?', 2).Skip(1).SelectMany(q => q.Split('&')).Select(p => p.Split('=', 2))
            .Where(p => p[0] == name).Select(p => Uri.UnescapeDataString(p.Length > 1 ? p[1] : string.Empty)).FirstOrDefault();

    public override string ToString() => $"{Method} {Uri.UnescapeDataString(PathAndQuery)}";
}

/// <summary>The fake server's answer: status, extra headers, JSON (or raw) body.</summary>
internal sealed record FakeResponse(int Status, string Body, IReadOnlyDictionary<string, string>? Headers = null)
{
    public static FakeResponse Sync(string metadataJson = "{}") =>
        new(200, $$"""{"type":"sync","status":"Success","status_code":200,"metadata":{{metadataJson}}}""");

    /// <summary>No answer: the server closes the connection, as a daemon killed in the middle of the call.</summary>
    public static readonly FakeResponse Drop = new(0, string.Empty);

    public static FakeResponse Error(int code, string message) =>
        new(code, $$"""{"type":"error","error_code":{{code}},"error":"{{message}}","metadata":null}""");
}

/// <summary>
/// A minimal HTTP/1.1 server on a unix socket that records every request and answers with a handler: enough to see
/// which REST calls the client makes, without LXD.
/// </summary>
internal sealed class FakeLxdServer : IDisposable
{
    private readonly Socket _listener;
    private readonly Func<FakeRequest, FakeResponse> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly string _directory;

    public FakeLxdServer(Func<FakeRequest, FakeResponse> handler)
    {
        _handler = handler;
        _directory = Path.Combine(Path.GetTempPath(), "t-fakelxd-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_directory);
        SocketPath = Path.Combine(_directory, "unix.socket");
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _listener.Listen();
        _ = AcceptAsync();
    }

    public string SocketPath { get; }

    public ConcurrentQueue<FakeRequest> Requests { get; } = new();

    /// <summary>Stops taking connections (the socket file stays): later calls are refused, as by a dead daemon.</summary>
    public void StopListening()
    {
        _stop.Cancel();
        _listener.Dispose();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        Directory.Delete(_directory, true);
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = ServeAsync(connection);
        }
    }

    private async Task ServeAsync(Socket connection)
    {
        using var stream = new NetworkStream(connection, ownsSocket: true);
        var buffer = new List<byte>();
        var chunk = new byte[8192];
        try
        {
            while (true)
            {
                int headerEnd;
                while ((headerEnd = IndexOf(buffer, "\r\n\r\n"u8.ToArray())) < 0)
                {
                    var read = await stream.ReadAsync(chunk, _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    buffer.AddRange(chunk.AsSpan(0, read).ToArray());
                }

                var head = Encoding.ASCII.GetString(buffer.GetRange(0, headerEnd).ToArray()).Split("\r\n");
                var headers = head.Skip(1).Select(h => h.Split(':', 2)).Where(h => h.Length == 2)
                    .GroupBy(h => h[0].Trim(), StringComparer.OrdinalIgnoreCase)
                    .ToDictionary(g => g.Key, g => g.First()[1].Trim(), StringComparer.OrdinalIgnoreCase);
                var length = headers.TryGetValue("Content-Length", out var declared)
                    ? int.Parse(declared, System.Globalization.CultureInfo.InvariantCulture)
                    : 0;
                while (buffer.Count < headerEnd + 4 + length)
                {
                    var read = await stream.ReadAsync(chunk, _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    buffer.AddRange(chunk.AsSpan(0, read).ToArray());
                }

                var body = Encoding.UTF8.GetString(buffer.GetRange(headerEnd + 4, length).ToArray());
                buffer.RemoveRange(0, headerEnd + 4 + length);
                var requestLine = head[0].Split(' ');
                var request = new FakeRequest(requestLine[0], requestLine[1], headers, body);
                Requests.Enqueue(request);
                var response = _handler(request);
                if (ReferenceEquals(response, FakeResponse.Drop))
                {
                    return; // closes the connection without a word
                }

                var payload = Encoding.UTF8.GetBytes(response.Body);
                var text = new StringBuilder($"HTTP/1.1 {response.Status} Fake\r\nContent-Type: application/json\r\nContent-Length: {payload.Length}\r\n");
                foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
                {
                    text.Append($"{name}: {value}\r\n");
                }

                await stream.WriteAsync(Encoding.ASCII.GetBytes(text.Append("\r\n").ToString()), _stop.Token);
                await stream.WriteAsync(payload, _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
    }

    private static int IndexOf(List<byte> haystack, byte[] needle)
    {
        for (var i = 0; i <= haystack.Count - needle.Length; i++)
        {
            var match = true;
            for (var j = 0; j < needle.Length && match; j++)
            {
                match = haystack[i + j] == needle[j];
            }

            if (match)
            {
                return i;
            }
        }

        return -1;
    }
}
