using System.Management.Automation;
using LxdCompose.Lxd;
using LxdCompose.Lxd.Config;
using LxdCompose.PowerShell.Completers;
using LxdCompose.PowerShell.Internal;

namespace LxdCompose.PowerShell.Commands;

/// <summary>Checks remotes: reachable, trusted, server version and dialect (LXD or Incus). Problems are results, not errors.</summary>
[Cmdlet(VerbsDiagnostic.Test, "LxdRemote", DefaultParameterSetName = NameSet)]
[OutputType(typeof(LxdRemoteTestResult))]
[OutputType(typeof(bool))]
public sealed class TestLxdRemoteCommand : LxdRemoteCmdlet
{
    private const string NameSet = "Name";
    private const string InputObjectSet = "InputObject";

    /// <summary>Remote names (wildcards allowed); default: the default remote.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = NameSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(RemoteNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Remote objects (Get-LxdRemote, Add-LxdRemote): each is tested with the configuration it was listed from.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    [ValidateNotNull]
    public LxdRemoteInfo[] InputObject { get; set; } = Array.Empty<LxdRemoteInfo>();

    /// <summary>Only $true or $false: reachable and trusted (public image servers: reachable).</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    protected override void ProcessRecord()
    {
        try
        {
            if (ParameterSetName == InputObjectSet)
            {
                foreach (var remote in InputObject)
                {
                    TestRemotes(remote.ConfigDirectory.Length > 0 ? remote.ConfigDirectory : ConfigDirectory, new[] { EscapeWildcards(remote.Name) });
                }
            }
            else
            {
                TestRemotes(ConfigDirectory, Name);
            }
        }
        catch (Exception e) when (ErrorRecords.IsClientFailure(e))
        {
            ThrowTerminatingError(ErrorRecords.FromClientFailure(e, Name));
        }
    }

    private void TestRemotes(string? directory, string[]? names)
    {
        var config = LoadConfig(directory);
        var filter = new NameFilter(names ?? new[] { config.DefaultRemote });
        foreach (var remote in config.Remotes.Values.Where(r => filter.IsMatch(r.Name)).OrderBy(r => r.Name, StringComparer.Ordinal))
        {
            Test(config, remote);
        }

        foreach (var name in filter.UnmatchedLiterals)
        {
            WriteError(ErrorRecords.NotFound(ErrorIds.RemoteNotFound, $"No remote named '{name}' in '{config.ConfigFile}'.", name));
        }
    }

    private void Test(LxdClientConfig config, LxdRemoteConfig remote)
    {
        WriteVerbose($"Testing remote '{remote.Name}' at {remote.Address}.");
        var status = Run(token => LxdRemoteOnboarding.ProbeAsync(config, remote.Name, token));
        WriteDebug($"Remote '{remote.Name}': reachable {status.Reachable}, trusted {status.Trusted}, version {status.ServerVersion ?? "unknown"}.");
        if (Quiet)
        {
            WriteObject(status.Reachable && (status.Trusted || remote.Public));
            return;
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

    private static string EscapeWildcards(string name) =>
        WildcardPattern.ContainsWildcardCharacters(name) ? WildcardPattern.Escape(name) : name;
}
