using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace LxdCompose.PowerShell.Internal;

/// <summary>
/// One run of one pipeline, as the module's cmdlets in it see it, so that a problem every one of them meets while
/// loading the same specs (<c>Get-LxdProject | Get-LxdGroup | Get-LxdNode</c>) is reported once per pipeline, while a
/// separate pipeline (the next statement of a script, the next turn of a loop) reports it again.
/// </summary>
/// <remarks>
/// PowerShell has no public pipeline identity, but two public facts give one: every command of a pipeline shares
/// <see cref="InvocationInfo.HistoryId"/> and <see cref="InvocationInfo.PipelineLength"/>, and PowerShell begins all
/// commands of a pipeline, in position order, before any record flows. So a cmdlet joins the scope the previous module
/// cmdlet of its runspace opened when that scope is still beginning, has the same history id and length, and a lower
/// position; otherwise it opens a new one. A scope stops taking members as soon as one of them processes anything, so a
/// later pipeline never joins an earlier one (all statements of a script share one history id).
/// </remarks>
internal sealed class PipelineScope
{
    private static readonly ConditionalWeakTable<Runspace, PipelineScope> Latest = new();

    private readonly long _historyId;
    private readonly int _length;
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);
    private int _lastPosition;
    private bool _beginning = true;

    private PipelineScope(InvocationInfo invocation)
    {
        _historyId = invocation.HistoryId;
        _length = invocation.PipelineLength;
        _lastPosition = invocation.PipelinePosition;
    }

    /// <summary>The scope of the pipeline a beginning cmdlet belongs to; call from BeginProcessing.</summary>
    public static PipelineScope Join(InvocationInfo invocation)
    {
        var runspace = Runspace.DefaultRunspace;
        if (runspace is null)
        {
            return new PipelineScope(invocation);
        }

        lock (Latest)
        {
            if (Latest.TryGetValue(runspace, out var latest) && latest.Admits(invocation))
            {
                latest._lastPosition = invocation.PipelinePosition;
                return latest;
            }

            var scope = new PipelineScope(invocation);
            Latest.AddOrUpdate(runspace, scope);
            return scope;
        }
    }

    /// <summary>True the first time <paramref name="problem"/> is reported in this pipeline; later members stay quiet.</summary>
    public bool FirstReport(string problem)
    {
        _beginning = false;
        return _reported.Add(problem);
    }

    /// <summary>A member started processing: no command that begins from now on belongs to this pipeline.</summary>
    public void Started() => _beginning = false;

    private bool Admits(InvocationInfo invocation) =>
        _beginning
        && invocation.HistoryId == _historyId
        && invocation.PipelineLength == _length
        && invocation.PipelinePosition > _lastPosition;
}
