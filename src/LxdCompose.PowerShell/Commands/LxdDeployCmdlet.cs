using System.Collections;
using System.Management.Automation;
using LxdCompose.PowerShell.Host;

namespace LxdCompose.PowerShell.Commands;

/// <summary>
/// Plumbing of the cmdlets that act on the LXD servers of collected projects: cancellation and the collected requests.
/// Work is split PSResourceGet-style: records are collected, then in EndProcessing each project is planned (worker),
/// confirmed (pipeline thread) and executed (worker) while events are written on the pipeline thread. Core types appear
/// only inside method bodies and in <see cref="DeployCmdletSupport"/>.
/// </summary>
public abstract class LxdServerCmdlet : LxdSpecCmdlet
{
    private readonly CancellationTokenSource _cancel = new();

    internal CancellationToken StopToken => _cancel.Token;

    protected override void StopProcessing()
    {
        _cancel.Cancel();
        base.StopProcessing();
    }

    /// <summary>Records each piped project (and group) for EndProcessing; later records add groups to earlier ones.</summary>
    private protected readonly List<(object Specs, string Project, List<string> Groups)> Requests = new();

    private protected void Collect(string[]? projects, string[]? groups)
    {
        var specs = LoadSpecs();
        foreach (var project in SelectProjects(specs, projects, inPatternOrder: true))
        {
            var existing = Requests.FindIndex(r => ReferenceEquals(r.Specs, specs) && r.Project == project.Name);
            if (existing < 0)
            {
                Requests.Add((specs, project.Name, new List<string>(groups ?? Array.Empty<string>())));
            }
            else if (groups is not null)
            {
                Requests[existing].Groups.AddRange(groups.Where(g => !Requests[existing].Groups.Contains(g)));
            }
        }
    }
}

/// <summary>
/// The parameters the cmdlets that run hooks share (apply, plan, stop, destroy): flags, variables, nodes prefix.
/// </summary>
public abstract class LxdDeployCmdlet : LxdServerCmdlet
{
    /// <summary>Like --enable-flag: only hooks carrying one of these flags run (disabled hooks too, when they match).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? EnableFlag { get; set; }

    /// <summary>Like --disable-flag: hooks carrying one of these flags never run.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? DisableFlag { get; set; }

    /// <summary>Like --env: project variables with the highest precedence; values keep their types.</summary>
    [Parameter]
    public Hashtable? Env { get; set; }

    /// <summary>Like --vars-file: vars files (<c>envs:</c>) applied after the project's own variables, before -Env.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? VarsFile { get; set; }

    /// <summary>Like --nodes-prefix: prefixes the instance name of every node without its own name_prefix.</summary>
    [Parameter]
    public string? NodesPrefix { get; set; }

    private protected override string? NodesPrefixOption => NodesPrefix;

    /// <summary>Vars files (rendered when the render engine is on), then the -Env block.</summary>
    private protected List<object> ExtraVarsBlocks(object specs) => DeployCmdletSupport.ExtraVars(this, specs, VarsFile, Env);
}
