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

    // The node commands (Invoke-LxdExec, Copy-LxdFile, Get-LxdInstance).
    /// <summary>A command run with Invoke-LxdExec exited with a non-zero code, or could not run.</summary>
    public const string ExecFailed = "LxdExecFailed";
    /// <summary>Copy-LxdFile could not push into a node.</summary>
    public const string CopyFailed = "LxdCopyFailed";
    /// <summary>Copy-LxdFile's -Path does not exist on this machine.</summary>
    public const string CopySourceNotFound = "LxdCopySourceNotFound";
    /// <summary>Get-LxdInstance could not read the instances of a remote.</summary>
    public const string InstanceListFailed = "LxdInstanceListFailed";
    /// <summary>Get-LxdInstance -Name without wildcards matched no instance on the servers read.</summary>
    public const string InstanceNotFound = "LxdInstanceNotFound";
    // Resources declared in environments (Get-/Publish-LxdProfile, -LxdNetwork, -LxdStoragePool, -LxdNetworkAcl, -LxdCertificate).
    /// <summary>A resource name without wildcards that no environment declares (Publish-*) or no server has (Get-*).</summary>
    public const string ResourceNotFound = "LxdResourceNotFound";
    /// <summary>Publish-* without resource names and without -All, or with both.</summary>
    public const string ResourceNameMissing = "LxdResourceNameMissing";
    /// <summary>A server's resources could not be read.</summary>
    public const string ResourceListFailed = "LxdResourceListFailed";
    /// <summary>A resource could not be created or updated.</summary>
    public const string ResourcePublishFailed = "LxdResourcePublishFailed";
    // Part 16C: images purge, backup and restore, pack and unpack.

    /// <summary>Remove-LxdImage without -Name, -WithoutAlias or -AliasMatch: nothing says which images.</summary>
    public const string ImageSelectionMissing = "LxdImageSelectionMissing";
    /// <summary>Remove-LxdImage without -Project and without -Remote: no server to purge.</summary>
    public const string ImageServerMissing = "LxdImageServerMissing";
    public const string ImagePurgeFailed = "LxdImagePurgeFailed";
    public const string BackupFailed = "LxdBackupFailed";
    public const string RestoreFailed = "LxdRestoreFailed";
    public const string PackFailed = "LxdPackFailed";
    public const string UnpackFailed = "LxdUnpackFailed";
    // Part 16D: diagnostics and lxd-compose's command line.
    /// <summary>Get-LxdVariable: -AsYaml and -AsJson together.</summary>
    public const string VariableFormatConflict = "LxdVariableFormatConflict";
    /// <summary>Invoke-LxdCompose: an lxd-compose command line with an unknown command, unknown or refused flag, or missing argument.</summary>
    public const string CommandLineInvalid = "LxdCommandLineInvalid";
    /// <summary>Invoke-LxdCompose: the command maps onto a cmdlet (or a parameter) this build does not have.</summary>
    public const string CommandLineNotAvailable = "LxdCommandLineNotAvailable";
}
