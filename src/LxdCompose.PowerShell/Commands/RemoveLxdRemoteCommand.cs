using System.Management.Automation;
using LxdCompose.Lxd;
using LxdCompose.PowerShell.Completers;
using LxdCompose.PowerShell.Internal;

namespace LxdCompose.PowerShell.Commands;

/// <summary>Removes a remote from config.yml and its pinned certificate (like <c>lxc remote remove</c>).</summary>
[Cmdlet(VerbsCommon.Remove, "LxdRemote", DefaultParameterSetName = NameSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemoveLxdRemoteCommand : LxdRemoteCmdlet
{
    private const string NameSet = "Name";
    private const string InputObjectSet = "InputObject";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = NameSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(RemoteNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Remote objects (Get-LxdRemote, Add-LxdRemote): each is removed from the configuration it was listed from.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    [ValidateNotNull]
    public LxdRemoteInfo[] InputObject { get; set; } = Array.Empty<LxdRemoteInfo>();

    protected override void ProcessRecord()
    {
        var targets = ParameterSetName == InputObjectSet
            ? InputObject.Select(r => (r.Name, Directory: r.ConfigDirectory.Length > 0 ? r.ConfigDirectory : ConfigDirectory))
            : Name.Select(n => (Name: n, Directory: ConfigDirectory));
        foreach (var (name, directory) in targets)
        {
            try
            {
                Remove(name, directory);
            }
            catch (Exception e) when (ErrorRecords.IsClientFailure(e))
            {
                WriteError(ErrorRecords.FromClientFailure(e, name));
            }
        }
    }

    private void Remove(string name, string? directory)
    {
        var config = LoadConfig(directory);
        var remote = config.Remotes.TryGetValue(name, out var found)
            ? found
            : throw new LxdNotFoundException($"No remote named '{name}' in '{config.ConfigFile}'.") { Target = name };
        if (ShouldProcess($"remote '{name}' ({remote.Address}) in {config.ConfigFile}", "Remove the LXD remote and its pinned certificate"))
        {
            LxdRemoteOnboarding.Remove(config, name);
            WriteVerbose($"Removed remote '{name}' from '{config.ConfigFile}'.");
        }
    }
}
