using System.Collections;
using System.Management.Automation;
using LxdCompose.Deploy;
using LxdCompose.Loading;
using LxdCompose.Lxd;
using LxdCompose.Lxd.Config;
using LxdCompose.Maintenance;
using LxdCompose.PowerShell.Commands;
using LxdCompose.PowerShell.Internal;
using LxdCompose.Specs;

namespace LxdCompose.PowerShell.Host;

/// <summary>
/// The Core-typed half of Remove-LxdImage, Backup-LxdGroup, Restore-LxdNode, Export-LxdEnvironment and
/// Import-LxdEnvironment: confirmation and writing on the pipeline thread, server calls on a worker.
/// </summary>
internal static class MaintenanceCommands
{
    /// <summary>The servers of the selected groups of a project, each (connection) once, with the remote name to report.</summary>
    public static IEnumerable<(ILxdServer Server, string Remote, LxdGroup? Group)> GroupServers(LxdConnections connections, LxdProject project,
        GroupFilter filter) =>
        project.Groups.Where(filter.Includes)
            .Select(g => (Server: connections.ForGroup(g), Remote: connections.RemoteNameOf(g), Group: (LxdGroup?)g));

    // ---- images purge -------------------------------------------------------------------------------------------

    public static object Selection(string[]? names, bool withoutAlias, string[]? aliasMatch, bool includeUsed) => new ImagePurgeSelection
    {
        Names = names ?? Array.Empty<string>(),
        WithoutAlias = withoutAlias,
        AliasMatch = aliasMatch ?? Array.Empty<string>(),
        IncludeUsed = includeUsed,
    };

    /// <summary>Purges the images of the selected groups' servers, each server once per call (<paramref name="done"/>).</summary>
    public static void PurgeProject(LxdSpecCmdlet cmdlet, object specsObject, string projectName, IReadOnlyList<string> groups, object selection,
        HashSet<string> done, CancellationToken cancellationToken)
    {
        var specs = (SpecSet)specsObject;
        var project = specs.FindProject(projectName)!;
        if (!DeployCommands.ReportUnknownGroups(cmdlet, project, groups))
        {
            return;
        }

        var options = DeployCmdletSupport.Options(groups.Count == 0 ? null : groups, null, null, null, Array.Empty<object>());
        if (DeployCmdletSupport.Connect(cmdlet, specs, options) is not var (connections, resolved))
        {
            return;
        }

        using (connections)
        {
            foreach (var (server, remote, _) in GroupServers(connections, project, resolved.Groups))
            {
                if (done.Add($"{connections.Config.ConfigFile}\n{remote}"))
                {
                    Purge(cmdlet, server, remote, (ImagePurgeSelection)selection, specs, cancellationToken);
                }
            }
        }
    }

    /// <summary>Purges the named remotes of the specs' client config (or, without a config, the default client config).</summary>
    public static void PurgeRemotes(LxdSpecCmdlet cmdlet, IReadOnlyList<string> remotes, object selection, HashSet<string> done,
        CancellationToken cancellationToken)
    {
        SpecSet? specs = null;
        LxdClientConfig config;
        try
        {
            try
            {
                specs = cmdlet.LoadSpecsOrThrow(reportDiagnostics: false);
                config = DeployClientConfig.Load(specs.Config);
            }
            catch (SpecException)
            {
                config = LxdClientConfig.Load(LxdConfigDirectory.Resolve(null)); // no specs here: the usual client config
            }
        }
        catch (LxdException e)
        {
            cmdlet.WriteError(ErrorRecords.FromClientFailure(e, null));
            return;
        }

        using var connections = new LxdConnections(config);
        foreach (var remote in remotes)
        {
            if (!done.Add($"{config.ConfigFile}\n{remote}"))
            {
                continue;
            }

            if (!config.Remotes.ContainsKey(remote))
            {
                cmdlet.WriteError(ErrorRecords.NotFound(ErrorIds.RemoteNotFound, $"No remote named '{remote}' in '{config.ConfigFile}'.", remote,
                    "Get-LxdRemote lists the remotes."));
                continue;
            }

            Purge(cmdlet, connections.ForRemote(remote), remote, (ImagePurgeSelection)selection, specs, cancellationToken);
        }
    }

    private static void Purge(LxdSpecCmdlet cmdlet, ILxdServer server, string remote, ImagePurgeSelection selection, SpecSet? specs,
        CancellationToken cancellationToken)
    {
        IReadOnlyList<ImagePurgeResult> planned;
        try
        {
            planned = new QueuedDeployHost().Run(cmdlet, token => ImagePurge.PlanAsync(server, remote, selection, token), cancellationToken);
        }
        catch (Exception e) when (ErrorRecords.IsClientFailure(e))
        {
            cmdlet.WriteError(DeployCmdletSupport.ErrorOf(cmdlet, e, ErrorIds.ImagePurgeFailed, remote));
            return;
        }

        if (planned.Count == 0)
        {
            cmdlet.WriteVerbose($"No image on {remote} is chosen.");
        }

        foreach (var image in planned)
        {
            var aliases = image.Aliases.Count == 0 ? "no alias" : string.Join(", ", image.Aliases);
            if (image.Action == ImagePurgeAction.KeepInUse)
            {
                cmdlet.WriteVerbose($"Kept the image {image.ShortFingerprint} ({aliases}) on {remote}: {string.Join(", ", image.UsedBy)} " +
                    "were made from it (-IncludeUsed removes it too).");
                Write(cmdlet, image, specs);
                continue;
            }

            var used = image.UsedBy.Count == 0 ? string.Empty : $"; used by {string.Join(", ", image.UsedBy)}";
            if (!cmdlet.ShouldProcess($"image {image.ShortFingerprint} ({aliases}{used}) on {remote}", "Remove image"))
            {
                continue;
            }

            try
            {
                Write(cmdlet, new QueuedDeployHost().Run(cmdlet, token => ImagePurge.RemoveAsync(server, image, token), cancellationToken), specs);
            }
            catch (Exception e) when (ErrorRecords.IsClientFailure(e))
            {
                cmdlet.WriteError(DeployCmdletSupport.ErrorOf(cmdlet, e, ErrorIds.ImagePurgeFailed, image.Fingerprint));
            }
        }
    }

    private static void Write(LxdSpecCmdlet cmdlet, object item, SpecSet? specs)
    {
        if (specs is null)
        {
            cmdlet.WriteObject(item);
        }
        else
        {
            cmdlet.WriteSpecObject(item, specs);
        }
    }

    // ---- backup and restore -------------------------------------------------------------------------------------

    private static IEnumerable<(ILxdServer Server, NodeBackupTarget Target)> Targets(LxdConnections connections, LxdProject project, GroupFilter groups,
        Func<LxdNode, bool> nodeSelected) =>
        project.Groups.Where(groups.Includes).SelectMany(g => g.Nodes.Where(nodeSelected).Select(n =>
            (connections.ForGroup(g), new NodeBackupTarget(project.Name, g.Name, n.Name, n.InstanceName, connections.RemoteNameOf(g)))));

    public static void Backup(LxdSpecCmdlet cmdlet, object specsObject, string projectName, IReadOnlyList<string> groups, string[]? removeProfiles,
        int maxBackups, CancellationToken cancellationToken)
    {
        var specs = (SpecSet)specsObject;
        var project = specs.FindProject(projectName)!;
        if (!DeployCommands.ReportUnknownGroups(cmdlet, project, groups))
        {
            return;
        }

        var options = DeployCmdletSupport.Options(groups.Count == 0 ? null : groups, null, null, null, Array.Empty<object>());
        if (DeployCmdletSupport.Connect(cmdlet, specs, options) is not var (connections, resolved))
        {
            return;
        }

        var day = DateOnly.FromDateTime(DateTime.Now); // lxd-compose dates backups by the local day
        var removed = (IReadOnlyCollection<string>?)removeProfiles ?? Array.Empty<string>();
        using (connections)
        {
            foreach (var (server, target) in Targets(connections, project, resolved.Groups, _ => true))
            {
                var name = NodeBackup.BackupName(target.Instance, day);
                var keep = maxBackups > 0 ? $", then keep the newest {maxBackups} backup(s)" : string.Empty;
                var without = removed.Count > 0 ? $" without profile(s) {string.Join(", ", removed)}" : string.Empty;
                if (!cmdlet.ShouldProcess($"instance {target.Instance} on {target.Remote}", $"Copy to {name}{without}{keep}"))
                {
                    continue;
                }

                try
                {
                    var results = new QueuedDeployHost().Run(cmdlet,
                        token => NodeBackup.BackupAsync(server, target, day, removed, maxBackups, token), cancellationToken);
                    foreach (var result in results)
                    {
                        cmdlet.WriteSpecObject(result, specs);
                    }
                }
                catch (Exception e) when (ErrorRecords.IsClientFailure(e))
                {
                    cmdlet.WriteError(DeployCmdletSupport.ErrorOf(cmdlet, e, ErrorIds.BackupFailed, target.Instance));
                }
            }
        }
    }

    public static void Restore(LxdSpecCmdlet cmdlet, object specsObject, string projectName, IReadOnlyList<string> groups, string[]? nodeNames,
        IReadOnlyCollection<string>? pipedNodes, string? backup, CancellationToken cancellationToken)
    {
        var specs = (SpecSet)specsObject;
        var project = specs.FindProject(projectName)!;
        if (!DeployCommands.ReportUnknownGroups(cmdlet, project, groups))
        {
            return;
        }

        var options = DeployCmdletSupport.Options(groups.Count == 0 ? null : groups, null, null, null, Array.Empty<object>());
        if (DeployCmdletSupport.Connect(cmdlet, specs, options) is not var (connections, resolved))
        {
            return;
        }

        var byName = new NameFilter(nodeNames);
        bool Selected(LxdNode node) => byName.IsMatch(node.Name, node.InstanceName)
            && (pipedNodes is null || pipedNodes.Contains(node.Name) || pipedNodes.Contains(node.InstanceName));
        using (connections)
        {
            var targets = Targets(connections, project, resolved.Groups, Selected).ToList();
            foreach (var literal in byName.UnmatchedLiterals)
            {
                cmdlet.WriteNotFound(ErrorIds.NodeNotFound, "node", literal);
            }

            foreach (var (server, target) in targets)
            {
                try
                {
                    var source = new QueuedDeployHost().Run(cmdlet, token => NodeBackup.FindBackupAsync(server, target.Instance, backup, token),
                        cancellationToken);
                    if (!cmdlet.ShouldProcess($"instance {target.Instance} on {target.Remote}",
                            $"Delete it and put a copy of its backup {source} in its place"))
                    {
                        continue;
                    }

                    var result = new QueuedDeployHost().Run(cmdlet, token => NodeBackup.RestoreAsync(server, target, source, token), cancellationToken);
                    cmdlet.WriteSpecObject(result, specs);
                }
                catch (Exception e) when (ErrorRecords.IsClientFailure(e))
                {
                    cmdlet.WriteError(DeployCmdletSupport.ErrorOf(cmdlet, e, ErrorIds.RestoreFailed, target.Instance));
                }
            }
        }
    }

    // ---- pack and unpack ----------------------------------------------------------------------------------------

    public static void Pack(LxdSpecCmdlet cmdlet, object specsObject, IReadOnlyList<string> projectNames, string path, string? sourceCommonPath,
        CancellationToken cancellationToken)
    {
        var specs = (SpecSet)specsObject;
        var projects = projectNames.Select(n => specs.FindProject(n)!).ToList();
        EnvironmentPackage package;
        try
        {
            package = EnvironmentPacker.Collect(specs, projects, new PackOptions { SourceCommonPath = sourceCommonPath });
        }
        catch (SpecException e)
        {
            cmdlet.WriteError(ErrorRecords.FromFatalSpecProblem(e));
            return;
        }

        if (!cmdlet.ShouldProcess(path, $"Write {package.Entries.Count + 1} file(s) of project(s) {string.Join(", ", projectNames)}"))
        {
            return;
        }

        try
        {
            var result = new QueuedDeployHost().Run(cmdlet, token => EnvironmentPacker.WriteAsync(package, path, projectNames, token), cancellationToken);
            if (result.SourceBaseDirectory is { } sourceBase)
            {
                cmdlet.WriteVerbose($"Template sources are under '{sourceBase}' as seen from the packed environment folder.");
            }

            cmdlet.WriteSpecObject(result, specs);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            cmdlet.WriteError(new ErrorRecord(e, ErrorIds.PackFailed, ErrorCategory.WriteError, path));
        }
    }

    public static void Unpack(PSCmdlet cmdlet, string archive, string destination, bool sameOwner, string? renderFile, Hashtable? renderValues,
        CancellationToken cancellationToken)
    {
        var options = new UnpackOptions
        {
            SameOwner = sameOwner,
            RenderFile = renderFile,
            RenderValues = (renderValues ?? new Hashtable()).Cast<DictionaryEntry>()
                .ToDictionary(e => e.Key.ToString()!, e => LanguagePrimitives.ConvertTo<string>(e.Value) ?? string.Empty, StringComparer.Ordinal),
        };
        try
        {
            var result = EnvironmentUnpacker.ExtractAsync(archive, destination, options, cancellationToken).GetAwaiter().GetResult();
            cmdlet.WriteObject(result);
        }
        catch (PackageException e)
        {
            cmdlet.WriteError(new ErrorRecord(e, "Lxd" + e.Code, ErrorCategory.InvalidData, e.Target ?? archive));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            cmdlet.WriteError(new ErrorRecord(e, ErrorIds.UnpackFailed, ErrorCategory.WriteError, destination));
        }
    }
}
