using System.Management.Automation;
using LxdCompose.PowerShell.Completers;
using LxdCompose.PowerShell.Internal;

namespace LxdCompose.PowerShell.Commands;

/// <summary>Lists the remotes of the lxc/incus client configuration (like <c>lxc remote list</c>).</summary>
[Cmdlet(VerbsCommon.Get, "LxdRemote", DefaultParameterSetName = "Name")]
[OutputType(typeof(LxdRemoteInfo))]
public sealed class GetLxdRemoteCommand : LxdRemoteCmdlet
{
    /// <summary>Remote names; wildcards allowed. Piped names, or the Name of piped remotes.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(RemoteNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Only the default remote.</summary>
    [Parameter]
    public SwitchParameter Default { get; set; }

    protected override void ProcessRecord()
    {
        try
        {
            WriteRemotes();
        }
        catch (Exception e) when (ErrorRecords.IsClientFailure(e))
        {
            ThrowTerminatingError(ErrorRecords.FromClientFailure(e, ConfigDirectory));
        }
    }

    private void WriteRemotes()
    {
        var config = LoadConfig();
        WriteVerbose(config.FileExists ? $"Reading remotes from '{config.ConfigFile}'." : $"No '{config.ConfigFile}': listing the built-in remotes.");
        var filter = new NameFilter(Name);
        foreach (var remote in config.Remotes.Values.OrderBy(r => r.Name, StringComparer.Ordinal))
        {
            if (filter.IsMatch(remote.Name) && (!Default || remote.Name == config.DefaultRemote))
            {
                WriteObject(ToInfo(config, remote));
            }
        }

        foreach (var name in filter.UnmatchedLiterals)
        {
            WriteError(ErrorRecords.NotFound(ErrorIds.RemoteNotFound,
                $"No remote named '{name}' in '{config.ConfigFile}'. Known: {string.Join(", ", config.Remotes.Keys.Order(StringComparer.Ordinal))}.", name));
        }
    }
}
