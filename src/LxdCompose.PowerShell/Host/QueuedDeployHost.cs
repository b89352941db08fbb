using System.Collections.Concurrent;
using System.Management.Automation;
using System.Runtime.ExceptionServices;
using LxdCompose.Deploy;

namespace LxdCompose.PowerShell.Host;

/// <summary>
/// The deploy engine's host for cmdlets: engine events (from worker threads) are queued and written by
/// <see cref="Run{T}"/> on the pipeline thread, the only thread allowed to call Write*. As the plan's approver it asks
/// ShouldProcess about each plan item there (so -WhatIf and -Confirm show exactly the plan's items). Work that needs
/// the caller's runspace (a <c>pwsh:session</c> hook) is queued the same way and runs there; what it reports meanwhile
/// is written at once.
/// </summary>
internal sealed class QueuedDeployHost : IDeployHost, IPlanApprover
{
    private readonly BlockingCollection<Action<PSCmdlet>> _events = new();
    private readonly Action<PSCmdlet, NodeResult>? _writeResult;
    private volatile PSCmdlet? _running;
    private int _pipelineThread = -1;

    /// <param name="writeResult">Writes a node's result as soon as the engine reports it; null: results are not written here.</param>
    public QueuedDeployHost(Action<PSCmdlet, NodeResult>? writeResult = null)
    {
        _writeResult = writeResult;
        PowerShellHooks = new PowerShellHookRunner(this);
    }

    public IPowerShellHookRunner PowerShellHooks { get; }

    /// <summary>Asked on the pipeline thread before the items are (e.g. one question before deleting); false: nothing is approved.</summary>
    public Func<PSCmdlet, IReadOnlyList<PlanItem>, bool>? ConfirmFirst { get; init; }

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

    /// <summary>
    /// ShouldProcess per item on the pipeline thread, worded as ShouldProcess(target, description) words it ("What if:
    /// Performing the operation ... on target ..."). The parts of an item the user declined are not asked; under -WhatIf
    /// they are, so the What-if lines list every item of the plan.
    /// </summary>
    public Task<PlanApproval> ApproveAsync(IReadOnlyList<PlanItem> items, CancellationToken cancellationToken) =>
        OnPipelineThread(cmdlet => ConfirmFirst is { } confirm && !confirm(cmdlet, items) ? PlanApproval.None : Ask(cmdlet, items), cancellationToken);

    /// <summary>ShouldProcess about each item, on the pipeline thread (see <see cref="ApproveAsync"/>).</summary>
    public static PlanApproval Ask(PSCmdlet cmdlet, IReadOnlyList<PlanItem> items)
    {
        var whatIf = false;
        bool AskOne(PlanItem item)
        {
            var operation = $"Performing the operation \"{item.Description}\" on target \"{item.Target}\".";
            var approved = cmdlet.ShouldProcess(operation, $"Are you sure you want to perform this action?{Environment.NewLine}{operation}", "Confirm",
                out var reason);
            whatIf |= reason == ShouldProcessReason.WhatIf;
            return approved;
        }

        return PlanApproval.Decide(items, AskOne, () => whatIf);
    }

    public void NodeFinished(NodeResult result)
    {
        if (_writeResult is { } write)
        {
            Post(c => write(c, result));
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on a worker and writes its events on this (the pipeline) thread until it ends.
    /// Cancellation surfaces as <see cref="PipelineStoppedException"/>. When a write throws (Ctrl+C, a downstream
    /// <c>Select-Object -First</c>, <c>-InformationAction Stop</c>), the work is cancelled and waited for — it never goes
    /// on unsupervised with connections the caller is about to dispose — and that exception is rethrown.
    /// </summary>
    public T Run<T>(PSCmdlet cmdlet, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _pipelineThread = Environment.CurrentManagedThreadId;
        _running = cmdlet;
        var task = Task.Run(() => work(stop.Token), stop.Token);
        task.ContinueWith(_ => _events.CompleteAdding(), TaskScheduler.Default);
        ExceptionDispatchInfo? writeFailure = null;
        try
        {
            foreach (var write in _events.GetConsumingEnumerable())
            {
                if (writeFailure is not null)
                {
                    continue; // draining until the cancelled work ends; its queued session hooks were cancelled with it
                }

                try
                {
                    write(cmdlet);
                }
                catch (Exception e)
                {
                    writeFailure = ExceptionDispatchInfo.Capture(e);
                    _running = null;
                    stop.Cancel();
                }
            }
        }
        finally
        {
            _running = null;
        }

        writeFailure?.Throw();
        try
        {
            return task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the pipeline thread, between the events queued before it, and hands back its result
    /// (from a worker; the caller's runspace may only be used there). Fails when the run has ended.
    /// </summary>
    public Task<T> OnPipelineThread<T>(Func<PSCmdlet, T> work, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        // Cancelled while still queued (Ctrl+C, a failed write): the waiting worker is released, the work never runs.
        var registration = cancellationToken.Register(() => done.TrySetCanceled(cancellationToken));
        _ = done.Task.ContinueWith(_ => registration.Dispose(), TaskScheduler.Default);
        void Run(PSCmdlet cmdlet)
        {
            if (cancellationToken.IsCancellationRequested || done.Task.IsCompleted)
            {
                done.TrySetCanceled(cancellationToken);
                return;
            }

            try
            {
                done.TrySetResult(work(cmdlet));
            }
            catch (OperationCanceledException e)
            {
                done.TrySetCanceled(e.CancellationToken);
            }
            catch (Exception e)
            {
                done.TrySetException(e);
            }
        }

        if (OnPipelineThreadNow() is { } running)
        {
            Run(running);
        }
        else if (!TryPost(Run))
        {
            done.TrySetException(new PowerShellHookStartException("the command that ran the deploy has ended, so its session cannot run the hook"));
        }

        return done.Task;
    }

    /// <summary>The running cmdlet when called on its pipeline thread during <see cref="Run{T}"/>; else null.</summary>
    private PSCmdlet? OnPipelineThreadNow() =>
        _running is { } cmdlet && Environment.CurrentManagedThreadId == Volatile.Read(ref _pipelineThread) ? cmdlet : null;

    private void Post(Action<PSCmdlet> write)
    {
        // Reported by work running on the pipeline thread itself (a session hook's output): written now, so it is live.
        if (OnPipelineThreadNow() is { } cmdlet)
        {
            write(cmdlet);
            return;
        }

        TryPost(write);
    }

    private bool TryPost(Action<PSCmdlet> write)
    {
        try
        {
            _events.Add(write);
            return true;
        }
        catch (InvalidOperationException)
        {
            // the run already ended (a late callback of a cancelled operation): nothing to write it to
            return false;
        }
    }
}
