using System.Management.Automation;
using LxdCompose.Deploy;
using LxdCompose.Loading;
using LxdCompose.Lxd;
using LxdCompose.PowerShell.Commands;
using LxdCompose.PowerShell.Internal;

namespace LxdCompose.PowerShell.Host;

/// <summary>
/// The Remote parameter set of the deploy cmdlets: a project's groups narrowed to those whose connection is one of the
/// piped remotes, so <c>Get-VM | Add-LxdRemote | Invoke-LxdApply -Project web</c> applies what runs on those VMs.
/// </summary>
internal static class RemoteGroupSelection
{
    /// <summary>
    /// The group names (escaped, as patterns) to act on; null when there is nothing to do. Errors: a remote from another
    /// client configuration than the specs deploy with, a remote no group uses, a named group the project lacks.
    /// </summary>
    public static IReadOnlyList<string>? Select(LxdSpecCmdlet cmdlet, object specsObject, string projectName, IReadOnlyList<string> groups,
        string[]? disableGroups, IReadOnlyList<LxdRemoteInfo> remotes)
    {
        var specs = (SpecSet)specsObject;
        var project = specs.FindProject(projectName)!;
        if (!DeployCommands.ReportUnknownGroups(cmdlet, project, groups))
        {
            return null;
        }

        string directory;
        string defaultRemote;
        try
        {
            var (config, _) = DeployClientConfig.Resolve(specs, new DeployOptions());
            directory = config.Directory;
            defaultRemote = config.DefaultRemote;
        }
        catch (LxdException e)
        {
            cmdlet.WriteError(ErrorRecords.FromClientConfigProblem(e, specs.Config.General.LxdConfDir));
            return null;
        }

        var usable = new List<string>();
        foreach (var remote in remotes)
        {
            if (remote.ConfigDirectory.Length > 0 && !SameDirectory(remote.ConfigDirectory, directory))
            {
                cmdlet.WriteError(ErrorRecords.InvalidArgument(ErrorIds.RemoteConfigMismatch,
                    $"The remote '{remote.Name}' is in the client configuration '{remote.ConfigDirectory}', but project '{project.Name}' " +
                    $"deploys with '{directory}'. Add the remote there (Add-LxdRemote -ConfigDirectory '{directory}'), or set " +
                    $"general.lxd_confdir in '{specs.Config.File}' to '{remote.ConfigDirectory}'.", remote));
                continue;
            }

            usable.Add(remote.Name);
        }

        var filter = new GroupFilter(groups.Count == 0 ? null : groups, disableGroups);
        var selected = project.Groups
            .Where(g => filter.Includes(g) && usable.Contains(g.Connection.Length > 0 ? g.Connection : defaultRemote, StringComparer.Ordinal))
            .ToList();
        foreach (var name in usable.Where(r => !selected.Any(g => (g.Connection.Length > 0 ? g.Connection : defaultRemote) == r)))
        {
            var connections = project.Groups.Select(g => g.Connection.Length > 0 ? g.Connection : defaultRemote).Distinct(StringComparer.Ordinal);
            cmdlet.WriteError(ErrorRecords.NotFound(ErrorIds.RemoteHasNoGroup,
                $"No {(groups.Count > 0 || disableGroups is { Length: > 0 } ? "selected " : string.Empty)}group of project '{project.Name}' " +
                $"runs on remote '{name}'; its groups' connections are: {string.Join(", ", connections)}. Pipe the remotes a group's " +
                "'connection' names, or set the connection in the spec.", name));
        }

        if (selected.Count == 0)
        {
            cmdlet.WriteVerbose($"No group of project '{project.Name}' runs on {string.Join(", ", remotes.Select(r => r.Name))}: nothing to do.");
            return null;
        }

        cmdlet.WriteVerbose($"Groups of project '{project.Name}' on {string.Join(", ", usable)}: {string.Join(", ", selected.Select(g => g.Name))}.");
        return selected.Select(g => WildcardPattern.Escape(g.Name)).ToList();
    }

    private static bool SameDirectory(string a, string b) =>
        string.Equals(Path.TrimEndingDirectorySeparator(Path.GetFullPath(a)), Path.TrimEndingDirectorySeparator(Path.GetFullPath(b)),
            OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);
}
