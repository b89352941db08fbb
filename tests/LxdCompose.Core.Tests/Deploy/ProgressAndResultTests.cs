using System.Text.Json;
using LxdCompose.Deploy;
using LxdCompose.Lxd.Api;
using Xunit;

namespace LxdCompose.Tests.Deploy;

/// <summary>Results reported in order as groups finish in any order; the download percentage of an image copy.</summary>
public sealed class ProgressAndResultTests
{
    private static NodeResult Result(string node) => new() { Node = node, Action = NodeAction.Created };

    [Fact]
    public void Results_of_the_first_unfinished_group_go_out_at_once_later_groups_wait_for_it()
    {
        var host = new RecordingDeployHost();
        var stream = new OrderedResultStream(host, 3);

        stream.Add(1, Result("b1")); // group 1 runs in parallel with group 0
        stream.Add(0, Result("a1"));
        Assert.Equal(new[] { "a1" }, host.Results.Select(r => r.Node));

        stream.Add(2, Result("c1"));
        stream.Finish(2);
        stream.Add(1, Result("b2"));
        stream.Finish(1);
        Assert.Equal(new[] { "a1" }, host.Results.Select(r => r.Node));

        stream.Add(0, Result("a2"));
        stream.Finish(0);
        Assert.Equal(new[] { "a1", "a2", "b1", "b2", "c1" }, host.Results.Select(r => r.Node));
    }

    [Theory]
    [InlineData("""{"download_progress": "rootfs: 42% (3.10MB/s)"}""", 42, "rootfs: 42% (3.10MB/s)")]
    [InlineData("""{"download_progress": "metadata: 100.00% (1.2kB/s)"}""", 100, "metadata: 100.00% (1.2kB/s)")]
    [InlineData("""{}""", 0, "waiting for the server")]
    public void The_download_percentage_comes_from_the_operation_metadata(string metadata, int percent, string status)
    {
        var operation = new LxdOperation { Metadata = JsonDocument.Parse(metadata).RootElement.Clone() };

        var progress = ImageResolver.DownloadProgress(operation, 12, 10, "Image x");

        Assert.Equal(new DeployProgress(12, 10, "Image x", status, percent), progress);
    }
}
