using System.Management.Automation;
using LxdCompose.Lxd;

namespace LxdCompose.PowerShell.Commands;

/// <summary>Removes a remote from config.yml and its pinned certificate (like <c>lxc remote remove</c>).</summary>
[Cmdlet(VerbsCommon.Remove, "LxdRemote", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class RemoveLxdRemoteCommand : LxdRemoteCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = Array.Empty<string>();

    protected override void ProcessRecord()
    {
        foreach (var name in Name)
        {
            try
            {
                Remove(name);
            }
            catch (Exception e) when (IsClientFailure(e))
            {
                WriteError(ToErrorRecord(e, name));
            }
        }
    }

    private void Remove(string name)
    {
        var config = LoadConfig();
        var remote = config.Remotes.TryGetValue(name, out var found)
            ? found
            : throw new LxdNotFoundException($"No remote named '{name}' in '{config.ConfigFile}'.") { Target = name };
        if (ShouldProcess($"remote '{name}' ({remote.Address}) in {config.ConfigFile}", "Remove LXD remote"))
        {
            LxdRemoteOnboarding.Remove(config, name);
        }
    }
}
