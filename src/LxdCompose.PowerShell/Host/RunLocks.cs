using System.Globalization;
using System.Management.Automation;
using LxdCompose.Deploy;
using LxdCompose.Specs;

namespace LxdCompose.PowerShell.Host;

/// <summary>A cmdlet that takes the project's locks for its run (apply, stop, destroy) and has -LockTimeout.</summary>
internal interface ILockingCmdlet
{
    TimeSpan LockTimeout { get; }
}

/// <summary>Lets -LockTimeout take seconds (30, 1.5, '30') as well as a TimeSpan ('00:02:00', [TimeSpan]); never negative.</summary>
internal sealed class SecondsTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        var span = value switch
        {
            TimeSpan given => given,
            int or long or double or float or decimal => TimeSpan.FromSeconds(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
            string text when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) => TimeSpan.FromSeconds(seconds),
            string text when TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => throw new ArgumentTransformationMetadataException($"'{value}' is neither a number of seconds nor a TimeSpan."),
        };
        return span < TimeSpan.Zero ? throw new ArgumentTransformationMetadataException("The timeout cannot be negative.") : span;
    }
}

/// <summary>
/// The locks of one run taken from a cmdlet: one per server of the groups the run acts on (see <see cref="DeployLock"/>).
/// The run's host gets <see cref="Log"/> (<see cref="ReportTo"/>), so that what the heartbeat reports (a lock lost) is
/// written by the run.
/// </summary>
internal sealed class RunLocks
{
    private readonly DeployLeases _leases;

    private RunLocks(DeployLeases leases, RelayDeployHost log)
    {
        _leases = leases;
        Log = log;
    }

    public RelayDeployHost Log { get; }

    /// <summary>
    /// Takes the locks (waiting up to -LockTimeout); null after an error record (LxdProjectLocked when another run holds
    /// one), and also null with nothing to free under -WhatIf, which changes nothing and so takes no lock.
    /// </summary>
    /// <param name="phaseId">The error id of a server that cannot be reached, as the run's first step would report it.</param>
    public static (bool Proceed, RunLocks? Locks) Take(PSCmdlet cmdlet, LxdProject project, LxdConnections connections, DeployOptions options,
        string phaseId, CancellationToken cancellationToken)
    {
        if (IsWhatIf(cmdlet))
        {
            return (true, null);
        }

        var timeout = cmdlet is ILockingCmdlet locking && cmdlet.MyInvocation.BoundParameters.ContainsKey(nameof(ILockingCmdlet.LockTimeout))
            ? locking.LockTimeout
            : options.LockTimeout;
        var lockOptions = new DeployLockOptions
        {
            Timeout = timeout,
            Identity = DeployLockIdentity.Current($"{cmdlet.MyInvocation.MyCommand.Name} -Project {project.Name}"),
        };
        var relay = new RelayDeployHost();
        var host = new QueuedDeployHost();
        relay.Target = host;
        try
        {
            var leases = host.Run(cmdlet, token =>
            {
                // Resolving a group's client may fail (unknown remote): reported like any other deploy failure.
                var servers = project.Groups.Where(options.Groups.Includes).Select(connections.ForGroup).ToList();
                return DeployLock.AcquireAllAsync(servers, project.Name, lockOptions, relay, token);
            }, cancellationToken);
            return (true, new RunLocks(leases, relay));
        }
        catch (Exception e) when (DeployFailures.IsDeployFailure(e))
        {
            cmdlet.WriteError(DeployCmdletSupport.ErrorOf(cmdlet, DeployFailures.Normalize(e, "the servers of project " + project.Name),
                phaseId, project.Name));
            return (false, null);
        }
    }

    /// <summary>What the locks report from now on (a lost lock) is written by <paramref name="host"/>'s run.</summary>
    public void ReportTo(IDeployHost host) => Log.Target = host;

    /// <summary>Frees the locks; their warnings (a lock another run took meanwhile) are written here.</summary>
    public void Release(PSCmdlet cmdlet)
    {
        var host = new QueuedDeployHost();
        Log.Target = host;
        host.Run(cmdlet, async _ =>
        {
            await _leases.DisposeAsync().ConfigureAwait(false);
            return true;
        }, CancellationToken.None);
    }

    private static bool IsWhatIf(PSCmdlet cmdlet) =>
        cmdlet.MyInvocation.BoundParameters.TryGetValue("WhatIf", out var given)
            ? LanguagePrimitives.IsTrue(given)
            : LanguagePrimitives.IsTrue(cmdlet.GetVariableValue("WhatIfPreference"));
}

/// <summary>Forwards the lock's reports to the host of the phase that runs now.</summary>
internal sealed class RelayDeployHost : IDeployHost
{
    private volatile IDeployHost _target = SilentDeployHost.Instance;

    public IDeployHost Target
    {
        get => _target;
        set => _target = value;
    }

    public void Log(DeployLogLevel level, string message) => _target.Log(level, message);

    public void Progress(DeployProgress progress) => _target.Progress(progress);

    public void HookOutput(HookOutputLine line) => _target.HookOutput(line);
}
