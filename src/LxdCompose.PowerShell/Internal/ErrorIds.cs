namespace LxdCompose.PowerShell.Internal;

/// <summary>Stable error ids of the module's own errors (load problems use the diagnostic's code).</summary>
internal static class ErrorIds
{
    public const string ProjectNotFound = "LxdProjectNotFound";
    public const string GroupNotFound = "LxdGroupNotFound";
    public const string NodeNotFound = "LxdNodeNotFound";
    public const string CommandNotFound = "LxdCommandNotFound";
    public const string InvalidRenderValue = "LxdInvalidRenderValue";
    public const string RenderValueNotFound = "LxdRenderValueNotFound";
    public const string TemplateFileNotFound = "LxdTemplateFileNotFound";
    public const string TemplateFileUnreadable = "LxdTemplateFileUnreadable";
    public const string GoTemplateInvalid = "LxdGoTemplateInvalid";
    public const string OutFileNeedsOneTemplate = "LxdOutFileNeedsOneTemplate";

    public const string RemoteNotFound = "LxdRemoteNotFound";
    public const string RemoteNameMissing = "LxdRemoteNameMissing";
    public const string RemoteAddressMissing = "LxdRemoteAddressMissing";

    /// <summary>A remote object reached a deploy cmdlet without -Project (its own Project is an LXD project, not a spec project).</summary>
    public const string RemoteNeedsProject = "LxdRemoteNeedsProject";
    /// <summary>A piped remote comes from another client configuration than the one the project deploys with.</summary>
    public const string RemoteConfigMismatch = "LxdRemoteConfigMismatch";
    /// <summary>No group of the project has a piped remote as its connection.</summary>
    public const string RemoteHasNoGroup = "LxdRemoteHasNoGroup";
    /// <summary>A piped object that names no project, group, node or command (and no -Project was given).</summary>
    public const string InputObjectNotRecognized = "LxdInputObjectNotRecognized";
    /// <summary>A run that deletes containers (-Upgrade, -Destroy) could not ask for confirmation (non-interactive session).</summary>
    /// <summary>Stop-LxdGroup or Remove-LxdGroup without -Project and without piped objects.</summary>
    public const string ProjectMissing = "LxdProjectMissing";
    public const string DeletionNotConfirmed = "LxdDeletionNotConfirmed";

    public const string HookFailed = "LxdHookFailed";

    /// <summary>A hook command ran past its <c>timeout</c> or -HookTimeout and was stopped.</summary>
    public const string HookTimeout = "LxdHookTimeout";
    public const string DeployFailed = "LxdDeployFailed";
    public const string PlanFailed = "LxdApplyPlanFailed";
    public const string ClientConfigInvalid = "LxdClientConfigInvalid";
    /// <summary>Another run holds the project's lock on a server (apply, stop, destroy: one run at a time).</summary>
    public const string ProjectLocked = "LxdProjectLocked";
    // Part 16D: diagnostics and lxd-compose's command line.
    /// <summary>Get-LxdVariable: -AsYaml and -AsJson together.</summary>
    public const string VariableFormatConflict = "LxdVariableFormatConflict";
    /// <summary>Invoke-LxdCompose: an lxd-compose command line with an unknown command, unknown or refused flag, or missing argument.</summary>
    public const string CommandLineInvalid = "LxdCommandLineInvalid";
    /// <summary>Invoke-LxdCompose: the command maps onto a cmdlet (or a parameter) this build does not have.</summary>
    public const string CommandLineNotAvailable = "LxdCommandLineNotAvailable";
}
