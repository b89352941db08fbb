using System.Collections.Concurrent;
using System.Management.Automation;
using LxdCompose.Deploy;

namespace LxdCompose.PowerShell.Host;

/// <summary>
/// The deploy engine's host for cmdlets: engine events (from worker threads) are queued and written by
/// <see cref="Run{T}"/> on the pipeline thread, the only thread allowed to call Write*. ShouldProcess answers come from
/// decisions the cmdlet made on the pipeline thread before the work started.
/// </summary>
internal sealed class QueuedDeployHost : IDeployHost
{
    private readonly BlockingCollection<Action<PSCmdlet>> _events = new();
    private readonly Func<string, string, bool> _decide;
    private readonly Action<PSCmdlet, NodeResult>? _writeResult;

    /// <param name="decide">The ShouldProcess answers (default: yes).</param>
    /// <param name="writeResult">Writes a node's result as soon as the engine reports it; null: results are not written here.</param>
    public QueuedDeployHost(Func<string, string, bool>? decide = null, Action<PSCmdlet, NodeResult>? writeResult = null)
    {
        _decide = decide ?? ((_, _) => true);
        _writeResult = writeResult;
    }

    public void Log(DeployLogLevel level, string message) => Post(level switch
    {
        DeployLogLevel.Warning => c => c.WriteWarning(message),
        DeployLogLevel.Information => c => c.WriteVerbose(message),
        _ => c => c.WriteVerbose(message),
    });

    public void Progress(DeployProgress progress) => Post(c =>
    {
        var record = new ProgressRecord(progress.ActivityId, progress.Activity, progress.Status.Length == 0 ? " " : progress.Status)
        {
            ParentActivityId = progress.ParentId,
            PercentComplete = Math.Clamp(progress.PercentComplete, 0, 100),
            RecordType = progress.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
        };
        c.WriteProgress(record);
    });

    /// <summary>Hook output goes to the information stream, tagged with node, event and stream for filtering.</summary>
    public void HookOutput(HookOutputLine line) => Post(c =>
    {
        var record = new InformationRecord($"[{line.Node}] {Internal.HostColour.ForHost(c, line.Text)}", $"{line.Node}/{line.Event}");
        record.Tags.Add("LxdHookOutput");
        record.Tags.Add("node:" + line.Node);
        record.Tags.Add("event:" + line.Event);
        record.Tags.Add(line.Stream == HookStream.Stdout ? "stdout" : "stderr");
        c.WriteInformation(record);
    });

    public bool ShouldProcess(string target, string action) => _decide(target, action);

    public void NodeFinished(NodeResult result)
    {
        if (_writeResult is { } write)
        {
            Post(c => write(c, result));
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on a worker and writes its events on this (the pipeline) thread until it ends.
    /// Cancellation surfaces as <see cref="PipelineStoppedException"/>.
    /// </summary>
    public T Run<T>(PSCmdlet cmdlet, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        var task = Task.Run(() => work(cancellationToken), cancellationToken);
        task.ContinueWith(_ => _events.CompleteAdding(), TaskScheduler.Default);
        foreach (var write in _events.GetConsumingEnumerable())
        {
            write(cmdlet);
        }

        try
        {
            return task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    private void Post(Action<PSCmdlet> write)
    {
        try
        {
            _events.Add(write);
        }
        catch (InvalidOperationException)
        {
            // the run already ended (a late callback of a cancelled operation): nothing to write it to
        }
    }
}
