using LxdCompose.Deploy;
using LxdCompose.Loading;
using LxdCompose.Lxd;
using LxdCompose.PowerShell.Commands;
using LxdCompose.PowerShell.Internal;

namespace LxdCompose.PowerShell.Host;

/// <summary>
/// Remotes given to a deploy cmdlet (-Remote, or piped with -Project): each project's groups narrowed to those whose
/// connection is one of the remotes, so <c>Get-VM | Add-LxdRemote | Invoke-LxdApply -Project web</c> applies what runs on those VMs.
/// Every project is selected before anything runs, so a remote no project uses is reported before any change.
/// </summary>
internal sealed class RemoteGroupSelection
{
    private readonly LxdSpecCmdlet _cmdlet;
    private readonly IReadOnlyList<LxdRemoteInfo> _remotes;
    private readonly HashSet<LxdRemoteInfo> _refused = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _projects = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _connections = new(StringComparer.Ordinal);
    private bool _anyProjectExamined;

    public RemoteGroupSelection(LxdSpecCmdlet cmdlet, IReadOnlyList<LxdRemoteInfo> remotes)
    {
        _cmdlet = cmdlet;
        _remotes = remotes;
    }

    /// <summary>
    /// The group names (escaped, as patterns) of one project to act on; null when none. Reports a named group the project
    /// lacks, and once per remote one from another client configuration than the specs deploy with.
    /// </summary>
    public IReadOnlyList<string>? Select(object specsObject, string projectName, IReadOnlyList<string> groups, string[]? disableGroups)
    {
        var specs = (SpecSet)specsObject;
        var project = specs.FindProject(projectName)!;
        _projects.Add(project.Name);
        if (!DeployCommands.ReportUnknownGroups(_cmdlet, project, groups))
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
            _cmdlet.WriteError(ErrorRecords.FromClientConfigProblem(e, specs.Config.General.LxdConfDir));
            return null;
        }

        string ConnectionOf(Specs.LxdGroup group) => group.Connection.Length > 0 ? group.Connection : defaultRemote;
        var usable = new HashSet<string>(StringComparer.Ordinal);
        foreach (var remote in _remotes)
        {
            if (remote.ConfigDirectory.Length == 0 || SameDirectory(remote.ConfigDirectory, directory))
            {
                usable.Add(remote.Name);
            }
            else if (_refused.Add(remote))
            {
                _cmdlet.WriteError(ErrorRecords.InvalidArgument(ErrorIds.RemoteConfigMismatch,
                    $"The remote '{remote.Name}' is in the client configuration '{remote.ConfigDirectory}', but project '{project.Name}' " +
                    $"deploys with '{directory}'. Add the remote there (Add-LxdRemote -ConfigDirectory '{directory}'), or set " +
                    $"general.lxd_confdir in '{specs.Config.File}' to '{remote.ConfigDirectory}'.", remote));
            }
        }

        var filter = new GroupFilter(groups.Count == 0 ? null : groups, disableGroups);
        var candidates = project.Groups.Where(filter.Includes).ToList();
        _connections.UnionWith(candidates.Select(ConnectionOf));
        _anyProjectExamined = true;
        var selected = candidates.Where(g => usable.Contains(ConnectionOf(g))).ToList();
        _used.UnionWith(selected.Select(ConnectionOf));
        if (selected.Count == 0)
        {
            _cmdlet.WriteVerbose($"No group of project '{project.Name}' runs on {string.Join(", ", _remotes.Select(r => r.Name))}: nothing to do there.");
            return null;
        }

        _cmdlet.WriteVerbose($"Groups of project '{project.Name}' on {string.Join(", ", selected.Select(ConnectionOf).Distinct())}: " +
            $"{string.Join(", ", selected.Select(g => g.Name))}.");
        return selected.Select(g => System.Management.Automation.WildcardPattern.Escape(g.Name)).ToList();
    }

    /// <summary>
    /// After every project was selected: one error per remote (not refused) that no selected group runs on. Nothing when
    /// no project got that far (an unknown project or group was already reported, and would only be repeated per remote).
    /// </summary>
    public void ReportUnusedRemotes()
    {
        if (!_anyProjectExamined)
        {
            return;
        }

        foreach (var remote in _remotes.Where(r => !_refused.Contains(r) && !_used.Contains(r.Name)))
        {
            _cmdlet.WriteError(ErrorRecords.NotFound(ErrorIds.RemoteHasNoGroup,
                $"No selected group of project {string.Join(", ", _projects.Select(p => $"'{p}'"))} runs on remote '{remote.Name}'; " +
                $"the groups' connections are: {string.Join(", ", _connections)}. Pipe the remotes a group's 'connection' names, " +
                "or set the connection in the spec.", remote.Name));
        }
    }

    private static bool SameDirectory(string a, string b) =>
        string.Equals(Path.TrimEndingDirectorySeparator(Path.GetFullPath(a)), Path.TrimEndingDirectorySeparator(Path.GetFullPath(b)),
            OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);
}
