using System.Management.Automation;
using LxdCompose.PowerShell.Completers;
using LxdCompose.PowerShell.Host;

namespace LxdCompose.PowerShell.Commands;

/// <summary>
/// lxd-compose pack: writes the files the projects need (their environment files and includes, vars files, config
/// template sources, <c>pack_extra</c>, the client config folder, the render files) and a generated
/// <c>.lxd-compose.yml</c> into a tar archive, gzip-compressed for <c>.tar.gz</c>/<c>.tgz</c>. The archive never holds
/// the encryption key, each path is written once, and files holding secrets are 0600 in it (the archive too).
/// </summary>
[Cmdlet(VerbsData.Export, "LxdEnvironment", DefaultParameterSetName = "Project", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType("LxdCompose.Maintenance.PackResult")]
public sealed class ExportLxdEnvironmentCommand : LxdConfigBoundCmdlet
{
    /// <summary>Project names (wildcards allowed), like lxd-compose's <c>pack &lt;project&gt;...</c>; piped projects bind by name.</summary>
    [Parameter(ParameterSetName = "Project", Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("ProjectName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProjectNameCompleter))]
    public string[] Project { get; set; } = Array.Empty<string>();

    /// <summary>Like --to: the archive to write (<c>.tar</c>, or <c>.tar.gz</c>/<c>.tgz</c> for gzip).</summary>
    [Parameter(ParameterSetName = "Project", Mandatory = true, Position = 1)]
    [Alias("To")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>
    /// Like --source-common-path: config template sources under this folder go to <c>sources/</c> in the archive
    /// (relative to the config's folder, or absolute).
    /// </summary>
    [Parameter(ParameterSetName = "Project")]
    [ValidateNotNullOrEmpty]
    public string? SourceCommonPath { get; set; }

    /// <summary>Like --nodes-prefix (it changes no file: accepted for command lines that give it).</summary>
    [Parameter(ParameterSetName = "Project")]
    public string? NodesPrefix { get; set; }

    private protected override string? NodesPrefixOption => NodesPrefix;

    private readonly List<(object Specs, List<string> Projects)> _requests = new();

    private readonly CancellationTokenSource _cancel = new();

    protected override void StopProcessing()
    {
        _cancel.Cancel();
        base.StopProcessing();
    }

    protected override void ProcessInput()
    {
        if (LoadSpecs() is not { } specs)
        {
            return;
        }

        var index = _requests.FindIndex(r => ReferenceEquals(r.Specs, specs));
        if (index < 0)
        {
            _requests.Add((specs, new List<string>()));
            index = _requests.Count - 1;
        }

        var names = _requests[index].Projects;
        names.AddRange(SelectProjects(specs, Project, inPatternOrder: true).Select(p => p.Name).Where(n => !names.Contains(n)));
    }

    protected override void EndCommand()
    {
        if (_requests.Count > 1)
        {
            ThrowTerminatingError(Internal.ErrorRecords.InvalidArgument(Internal.ErrorIds.PackFailed,
                "The piped projects come from more than one config; one archive holds the projects of one config.", null));
        }

        var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        foreach (var (specs, projects) in _requests.Where(r => r.Projects.Count > 0))
        {
            MaintenanceCommands.Pack(this, specs, projects, path, SourceCommonPath, _cancel.Token);
        }
    }
}
