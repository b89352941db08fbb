using System.Management.Automation;
using LxdCompose.Lxd;
using LxdCompose.PowerShell.Internal;

namespace LxdCompose.PowerShell.Commands;

/// <summary>Checks remotes: reachable, trusted, server version and dialect (LXD or Incus). Problems are results, not errors.</summary>
[Cmdlet(VerbsDiagnostic.Test, "LxdRemote")]
[OutputType(typeof(LxdRemoteTestResult))]
public sealed class TestLxdRemoteCommand : LxdRemoteCmdlet
{
    /// <summary>Remote names (wildcards allowed); default: the default remote.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Only $true or $false: reachable and trusted (public image servers: reachable).</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    protected override void ProcessRecord()
    {
        try
        {
            TestRemotes();
        }
        catch (Exception e) when (IsClientFailure(e))
        {
            ThrowTerminatingError(ToErrorRecord(e, Name));
        }
    }

    private void TestRemotes()
    {
        var config = LoadConfig();
        var filter = new NameFilter(Name ?? new[] { config.DefaultRemote });
        foreach (var remote in config.Remotes.Values.Where(r => filter.IsMatch(r.Name)).OrderBy(r => r.Name, StringComparer.Ordinal))
        {
            WriteVerbose($"Testing remote '{remote.Name}' at {remote.Address}.");
            var status = Run(token => LxdRemoteOnboarding.ProbeAsync(config, remote.Name, token));
            if (Quiet)
            {
                WriteObject(status.Reachable && (status.Trusted || remote.Public));
                continue;
            }

            WriteObject(new LxdRemoteTestResult
            {
                Name = status.Name,
                Address = status.Address,
                Reachable = status.Reachable,
                Trusted = status.Trusted,
                ServerVersion = status.ServerVersion,
                Dialect = status.Dialect?.ServerName,
                Fingerprint = status.Fingerprint,
                Problem = status.Failure?.Message ?? (status.Reachable && !status.Trusted && !remote.Public ? "The server does not trust this client certificate." : null),
            });
        }

        foreach (var name in filter.UnmatchedLiterals)
        {
            WriteError(new ErrorRecord(
                new ItemNotFoundException($"No remote named '{name}' in '{config.ConfigFile}'."), "LxdRemoteNotFound", ErrorCategory.ObjectNotFound, name));
        }
    }
}
