using LxdCompose.Lxd;
using LxdCompose.Lxd.Transport;
using Xunit;

namespace LxdCompose.Tests.Lxd;

/// <summary>Which REST calls a recursive push makes, seen by a fake server: the parent is only made when it is missing.</summary>
public sealed class FilePushRequestTests : IDisposable
{
    private readonly string _source = Path.Combine(Path.GetTempPath(), "t-push-" + Guid.NewGuid().ToString("N")[..8] + ".conf");
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal) { "/", "/srv" };

    /// <summary>How many file writes the server drops the way LXD's forkfile helper does before it takes one.</summary>
    private int _forkfileResets;

    public FilePushRequestTests() => File.WriteAllText(_source, "key = 1\n");

    public void Dispose() => File.Delete(_source);

    /// <summary>The file API of a container whose only directories are <see cref="_directories"/>.</summary>
    private FakeResponse Files(FakeRequest request)
    {
        var path = request.Query("path") ?? string.Empty;
        var parent = path.LastIndexOf('/') <= 0 ? "/" : path[..path.LastIndexOf('/')];
        switch (request.Method)
        {
            case "GET" when _directories.Contains(path):
                return FakeResponse.Sync("[]") with
                {
                    Headers = new Dictionary<string, string> { ["X-LXD-type"] = "directory", ["X-LXD-uid"] = "0", ["X-LXD-gid"] = "0", ["X-LXD-mode"] = "0755" },
                };
            case "POST" when _directories.Contains(parent) && _forkfileResets > 0:
                _forkfileResets--;
                return FakeResponse.Error(500, "read unix @->/proc/self/fd/93/forkfile.sock: read: connection reset by peer");
            case "POST" when _directories.Contains(parent):
                if (request.Headers.TryGetValue("X-LXD-type", out var type) && type == "directory")
                {
                    _directories.Add(path);
                }

                return FakeResponse.Sync();
            default:
                return FakeResponse.Error(404, "Not Found");
        }
    }

    private async Task<IReadOnlyList<string>> PushAsync(string target)
    {
        using var server = new FakeLxdServer(Files);
        using var client = new LxdClient(new LxdTransport(LxdEndpoint.Parse("unix:" + server.SocketPath)),
            new LxdClientOptions { Dialect = LxdDialect.Lxd });

        await client.Files.PushRecursiveAsync("c1", _source, target, null, LabFixture.Timeout(30));

        return server.Requests.Select(r => r.ToString().Replace("/1.0/instances/c1/files?path=", " ", StringComparison.Ordinal)).ToList();
    }

    [Fact]
    public async Task A_file_into_an_existing_directory_is_one_request()
    {
        Assert.Equal(new[] { "POST  /srv/a.conf" }, await PushAsync("/srv/a.conf"));
    }

    [Fact]
    public async Task A_missing_parent_is_made_like_mkdir_p_and_the_file_sent_again()
    {
        Assert.Equal(
            new[]
            {
                "POST  /srv/deep/x/a.conf", "GET  /srv/deep/x", "GET  /srv/deep", "GET  /srv", "POST  /srv/deep", "POST  /srv/deep/x",
                "POST  /srv/deep/x/a.conf",
            },
            await PushAsync("/srv/deep/x/a.conf"));
        Assert.Contains("/srv/deep/x", _directories);
    }

    [Fact]
    public async Task A_write_lxds_file_helper_dropped_is_sent_again()
    {
        _forkfileResets = 2;

        Assert.Equal(new[] { "POST  /srv/a.conf", "POST  /srv/a.conf", "POST  /srv/a.conf" }, await PushAsync("/srv/a.conf"));
    }

    [Fact]
    public async Task A_file_helper_that_keeps_dropping_writes_fails_the_push_after_three_tries()
    {
        _forkfileResets = 3;

        var failure = await Assert.ThrowsAsync<LxdApiException>(() => PushAsync("/srv/a.conf"));

        Assert.Contains("forkfile", failure.Message, StringComparison.Ordinal);
        Assert.Equal(0, _forkfileResets);
    }
}
