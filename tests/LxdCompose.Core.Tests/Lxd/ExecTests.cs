using System.Security.Cryptography;
using System.Text;
using LxdCompose.Lxd;
using Xunit;

namespace LxdCompose.Tests.Lxd;

[Collection(LabCollection.Name)]
[Trait("Category", "Lab")]
public sealed class ExecTests
{
    private readonly LabFixture _lab;

    public ExecTests(LabFixture lab) => _lab = lab;

    private static LxdExecRequest Shell(string script) => new(new[] { "/bin/sh", "-c", script });

    [Fact]
    public async Task Recorded_output_returns_stdout_stderr_and_exit_code()
    {
        var result = await _lab.Tls.Exec.RunRecordedAsync(_lab.Container, Shell("echo out; echo err >&2; exit 7"), LabFixture.Timeout());

        Assert.Equal(7, result.ExitCode);
        Assert.Equal("out\n", result.Stdout);
        Assert.Equal("err\n", result.Stderr);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Streamed_exec_separates_stdout_and_stderr_on_both_transports(bool overTls)
    {
        var client = overTls ? _lab.Tls : _lab.Unix;

        var result = await client.Exec.RunCapturedAsync(_lab.Container, Shell("echo one; echo two >&2; echo three; exit 3"), LabFixture.Timeout());

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("one\nthree\n", result.Stdout);
        Assert.Equal("two\n", result.Stderr);
    }

    [Fact]
    public async Task Environment_working_directory_and_user_are_applied()
    {
        var request = Shell("echo \"$GREETING\"; pwd; id -u; id -g") with
        {
            Environment = new Dictionary<string, string> { ["GREETING"] = "hello world", ["PATH"] = "/bin:/sbin:/usr/bin" },
            WorkingDirectory = "/tmp",
            User = 1234,
            Group = 4321,
        };

        var result = await _lab.Tls.Exec.RunCapturedAsync(_lab.Container, request, LabFixture.Timeout());

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("hello world\n/tmp\n1234\n4321\n", result.Stdout);
    }

    [Fact]
    public async Task Ten_megabytes_of_output_arrive_intact_with_the_exit_code()
    {
        const int size = 10 * 1024 * 1024;
        // A line of 64 characters repeated: deterministic, so the expected bytes are known here.
        var line = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.\n";
        var expected = new StringBuilder(size);
        while (expected.Length < size)
        {
            expected.Append(line);
        }

        var expectedBytes = Encoding.ASCII.GetBytes(expected.ToString(0, size));
        using var received = new MemoryStream();
        using var errors = new MemoryStream();

        var code = await _lab.Tls.Exec.RunAsync(
            _lab.Container, Shell($"yes '{line.TrimEnd('\n')}' | head -c {size}; echo done >&2; exit 42"), received, errors, LabFixture.Timeout(300));

        Assert.Equal(42, code);
        Assert.Equal(size, received.Length);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(expectedBytes)), Convert.ToHexString(SHA256.HashData(received.ToArray())));
        Assert.Equal("done\n", Encoding.UTF8.GetString(errors.ToArray()));
    }

    [Fact]
    public async Task Output_is_delivered_while_the_command_still_runs()
    {
        var firstChunk = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var sink = new NotifyingStream(() => firstChunk.TrySetResult(watch.ElapsedMilliseconds));

        // The command waits for a file that only appears after the first output was seen here.
        var run = _lab.Tls.Exec.RunAsync(
            _lab.Container, Shell("echo started; while [ ! -e /tmp/release-exec ]; do sleep 0.1; done; rm /tmp/release-exec; echo finished"),
            sink, null, LabFixture.Timeout());
        await firstChunk.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.False(run.IsCompleted);
        await _lab.Tls.Files.PushBytesAsync(_lab.Container, "/tmp/release-exec", Array.Empty<byte>(), null, LabFixture.Timeout());

        Assert.Equal(0, await run);
        Assert.Equal("started\nfinished\n", Encoding.UTF8.GetString(sink.ToArray()));
    }

    [Fact]
    public async Task Stdin_is_passed_to_the_command()
    {
        using var input = new MemoryStream(Encoding.UTF8.GetBytes("line one\nline two\n"));
        using var output = new MemoryStream();

        var code = await _lab.Tls.Exec.RunAsync(_lab.Container, new LxdExecRequest(new[] { "wc", "-l" }), output, null, LabFixture.Timeout(), input);

        Assert.Equal(0, code);
        Assert.Equal("2", Encoding.UTF8.GetString(output.ToArray()).Trim());
    }

    [Fact]
    public async Task A_missing_program_fails_with_the_servers_error_text_or_exit_code()
    {
        try
        {
            var result = await _lab.Tls.Exec.RunCapturedAsync(_lab.Container, new LxdExecRequest(new[] { "/no/such/program" }), LabFixture.Timeout());
            Assert.NotEqual(0, result.ExitCode);
        }
        catch (LxdOperationException e)
        {
            Assert.False(string.IsNullOrEmpty(e.ServerError));
        }
    }

    [Fact]
    public async Task Exec_in_a_missing_instance_is_not_found()
    {
        await Assert.ThrowsAsync<LxdNotFoundException>(
            () => _lab.Tls.Exec.RunCapturedAsync("lxdc-no-such-instance", Shell("true"), LabFixture.Timeout()));
    }

    private sealed class NotifyingStream : MemoryStream
    {
        private readonly Action _onWrite;

        public NotifyingStream(Action onWrite) => _onWrite = onWrite;

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await base.WriteAsync(buffer, cancellationToken);
            _onWrite();
        }
    }
}
