using LxdCompose.Lxd;
using LxdCompose.Lxd.Api;
using Xunit;

namespace LxdCompose.Tests.Lxd;

[Collection(LabCollection.Name)]
[Trait("Category", "Lab")]
public sealed class OperationTests
{
    private readonly LabFixture _lab;

    public OperationTests(LabFixture lab) => _lab = lab;

    private async Task<LxdOperation> StartSleepAsync(int seconds)
    {
        var response = await _lab.Tls.SendAsync(
            HttpMethod.Post,
            _lab.Tls.Url($"/1.0/instances/{_lab.Container}/exec"),
            new LxdExecPost { Command = new() { "sleep", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture) }, RecordOutput = true },
            LabFixture.Timeout());
        Assert.Equal("async", response.Type);
        return response.As<LxdOperation>("operation");
    }

    [Fact]
    public async Task A_wait_with_a_limit_times_out_and_a_later_wait_sees_success()
    {
        var operation = await StartSleepAsync(3);

        await Assert.ThrowsAsync<LxdTimeoutException>(() => _lab.Tls.Operations.WaitAsync(operation.Id, TimeSpan.FromSeconds(1), null, LabFixture.Timeout()));
        var done = await _lab.Tls.Operations.WaitAsync(operation.Id, TimeSpan.FromSeconds(60), null, LabFixture.Timeout());

        Assert.True(done.Succeeded);
        Assert.Equal(0, done.Metadata.GetProperty("return").GetInt32());
    }

    [Fact]
    public async Task Progress_reports_the_running_operation_until_it_ends()
    {
        var operation = await StartSleepAsync(2);
        var reports = new List<LxdOperation>();

        var done = await _lab.Tls.Operations.WaitAsync(operation.Id, null, new SynchronousProgress<LxdOperation>(reports.Add), LabFixture.Timeout());

        Assert.True(done.Succeeded);
        Assert.NotEmpty(reports);
        Assert.All(reports, r => Assert.True(r.IsRunning));
    }

    [Fact]
    public async Task Cancelling_the_token_stops_waiting()
    {
        var operation = await StartSleepAsync(5);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _lab.Tls.Operations.WaitAsync(operation.Id, null, null, cancel.Token));
        await _lab.Tls.Operations.WaitAsync(operation.Id, null, null, LabFixture.Timeout());
    }

    [Fact]
    public async Task A_failed_operation_carries_the_servers_error_text()
    {
        await using var project = await LabProject.CreateAsync(_lab.Tls, _lab.Lab, _lab.Vm, ownImages: true);

        var failure = await Assert.ThrowsAsync<LxdOperationException>(() => project.Client.Images.CopyFromAsync(
            new LxdImageCopySource("https://127.0.0.1:1", "lxd", "busybox/lab"), LabFixture.Timeout()));

        Assert.False(string.IsNullOrEmpty(failure.ServerError));
        Assert.Contains(failure.ServerError!, failure.Message);
        Assert.False(string.IsNullOrEmpty(failure.OperationId));
    }

    [Fact]
    public void Operation_ids_are_taken_from_urls()
    {
        Assert.Equal("abc-123", LxdOperations.IdOf("/1.0/operations/abc-123"));
        Assert.Equal("abc-123", LxdOperations.IdOf("/1.0/operations/abc-123?project=x"));
        Assert.Equal("abc-123", LxdOperations.IdOf("abc-123"));
    }

    private sealed class SynchronousProgress<T> : IProgress<T>
    {
        private readonly Action<T> _report;

        public SynchronousProgress(Action<T> report) => _report = report;

        public void Report(T value) => _report(value);
    }
}
