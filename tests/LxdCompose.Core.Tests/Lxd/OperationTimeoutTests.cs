using System.Diagnostics;
using LxdCompose.Lxd;
using Xunit;

namespace LxdCompose.Tests.Lxd;

/// <summary>
/// Every operation wait has a limit: on expiry the operation is cancelled on the server before the error; a server that
/// stops answering (a frozen daemon) fails the wait after about the request timeout, not minutes.
/// </summary>
public sealed class OperationTimeoutTests
{
    private const string OperationId = "0b8f6d0e-1c2d-4e5f-8a9b-0c1d2e3f4a5b";

    private static string Operation(string status, bool mayCancel = true) =>
        $$"""{"id":"{{OperationId}}","class":"task","description":"Creating instance","status":"{{status}}","status_code":{{(status == "Running" ? 103 : 401)}},"may_cancel":{{(mayCancel ? "true" : "false")}},"metadata":{},"err":""}""";

    private static FakeResponse Async(string status) =>
        new(202, $$"""{"type":"async","status":"Operation created","status_code":100,"operation":"/1.0/operations/{{OperationId}}","metadata":{{Operation(status)}}}""");

    [Fact]
    public async Task A_wait_past_the_clients_operation_timeout_cancels_the_operation_on_the_server_and_fails()
    {
        var cancelled = false;
        using var server = new FakeLxdServer(request => (request.Method, request.PathAndQuery.Split('?')[0]) switch
        {
            ("POST", "/1.0/instances") => Async("Running"),
            ("DELETE", $"/1.0/operations/{OperationId}") => Cancel(),
            ("GET", _) when request.PathAndQuery.StartsWith($"/1.0/operations/{OperationId}", StringComparison.Ordinal) =>
                FakeResponse.Sync(Operation(Volatile.Read(ref cancelled) ? "Cancelled" : "Running")),
            _ => FakeResponse.Error(404, "not found"),
        });
        FakeResponse Cancel()
        {
            Volatile.Write(ref cancelled, true);
            return FakeResponse.Sync();
        }

        using var client = LxdConnector.ConnectSocket(server.SocketPath, new LxdConnectOptions { OperationTimeout = TimeSpan.FromSeconds(1) });
        var error = await Assert.ThrowsAsync<LxdTimeoutException>(() => client.Instances.CreateAsync(
            new LxdCompose.Lxd.Api.LxdInstanceCreateRequest { Name = "c1", Source = LxdInstances.LocalSource("abc") }, LabFixture.Timeout(30)));

        Assert.Contains("within 1 s", error.Message, StringComparison.Ordinal);
        Assert.Contains("cancelled on the server", error.Message, StringComparison.Ordinal);
        Assert.Contains(server.Requests, r => r.Method == "DELETE" && r.PathAndQuery.StartsWith($"/1.0/operations/{OperationId}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_change_a_silent_server_got_fails_after_the_request_timeout_and_says_it_may_still_happen()
    {
        using var frozen = new ManualResetEventSlim();
        using var server = new FakeLxdServer(_ =>
        {
            frozen.Wait(TimeSpan.FromSeconds(60));
            return FakeResponse.Error(500, "thawed");
        });
        using var client = LxdConnector.ConnectSocket(server.SocketPath, new LxdConnectOptions { RequestTimeout = TimeSpan.FromSeconds(1) });
        try
        {
            var error = await Assert.ThrowsAsync<LxdTimeoutException>(() => client.Instances.StartAsync("c1", LabFixture.Timeout(30)));
            Assert.Contains("did not answer PUT", error.Message, StringComparison.Ordinal);
            Assert.Contains("may still carry it out", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            frozen.Set();
        }
    }

    [Fact]
    public async Task A_server_that_stops_answering_during_a_wait_fails_it_after_the_request_timeout()
    {
        using var frozen = new ManualResetEventSlim();
        using var server = new FakeLxdServer(request =>
        {
            if (request.Method == "POST")
            {
                return Async("Running");
            }

            frozen.Wait(TimeSpan.FromSeconds(60)); // a SIGSTOPped daemon: the connection is accepted, nothing answers
            return FakeResponse.Error(500, "thawed");
        });
        using var client = LxdConnector.ConnectSocket(server.SocketPath, new LxdConnectOptions { RequestTimeout = TimeSpan.FromSeconds(1) });
        var clock = Stopwatch.StartNew();
        try
        {
            var error = await Assert.ThrowsAsync<LxdTimeoutException>(() => client.Instances.CreateAsync(
                new LxdCompose.Lxd.Api.LxdInstanceCreateRequest { Name = "c1", Source = LxdInstances.LocalSource("abc") }, LabFixture.Timeout(60)));
            Assert.Contains("did not answer", error.Message, StringComparison.Ordinal);
            // One wait step (10 s on the server) plus the request timeout, not the 201 s of earlier versions.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"the wait failed after {clock.Elapsed}");
        }
        finally
        {
            frozen.Set();
        }
    }
}
