using System.Management.Automation;
using LxdCompose.Specs;

namespace LxdCompose.PowerShell.Commands;

/// <summary>
/// lxd-compose's <c>print</c>: the effective configuration (the config file with LXD_COMPOSE_* variables, -KeyFile and
/// the defaults applied) as an object. The encryption key is never shown, not even with -ShowSecret: KeySet says
/// whether there is one, KeyOrigin where it comes from.
/// </summary>
[Cmdlet(VerbsCommon.Get, "LxdComposeConfig", DefaultParameterSetName = "Config")]
[OutputType("LxdCompose.PowerShell.Commands.LxdComposeConfigInfo")]
public sealed class GetLxdComposeConfigCommand : LxdConfigBoundCmdlet
{
    protected override void ProcessInput()
    {
        if (LoadSpecs() is { } specs)
        {
            WriteObject(LxdComposeConfigInfo.From(specs.Config));
        }
    }
}

/// <summary>The effective configuration as Get-LxdComposeConfig shows it: every setting but the key itself.</summary>
public sealed class LxdComposeConfigInfo
{
    public string ConfigFile { get; init; } = string.Empty;
    public IReadOnlyList<string> EnvDirs { get; init; } = Array.Empty<string>();
    public string LxdConfDir { get; init; } = string.Empty;
    public string RenderEngine { get; init; } = string.Empty;
    public string RenderDefaultFile { get; init; } = string.Empty;
    public string RenderValuesFile { get; init; } = string.Empty;
    public string RenderSecretsFile { get; init; } = string.Empty;
    public IReadOnlyList<string> RenderTemplatesDirs { get; init; } = Array.Empty<string>();
    public object General { get; init; } = new();
    public object Logging { get; init; } = new();
    public bool KeySet { get; init; }
    public string KeyFile { get; init; } = string.Empty;
    public string KeyOrigin { get; init; } = string.Empty;
    public bool? EncryptedSecrets { get; init; }
    public object DkaOptions { get; init; } = new();
    public IReadOnlyList<string>? SecretNamePatterns { get; init; }

    internal static LxdComposeConfigInfo From(ComposeConfig config) => new()
    {
        ConfigFile = config.File,
        EnvDirs = config.EnvDirs,
        LxdConfDir = config.General.LxdConfDir,
        RenderEngine = config.RenderEngine.Length > 0 ? config.RenderEngine : "helm",
        RenderDefaultFile = config.RenderDefaultFile,
        RenderValuesFile = config.RenderValuesFile,
        RenderSecretsFile = config.RenderSecretsFile,
        RenderTemplatesDirs = config.RenderTemplatesDirs,
        General = config.General,
        Logging = config.Logging,
        KeySet = config.Security.Key.Length > 0 || config.Security.KeyFile.Length > 0,
        KeyFile = config.Security.KeyFile,
        KeyOrigin = config.Security.Key.Length > 0 || config.Security.KeyFile.Length > 0 ? config.Security.KeyOrigin : string.Empty,
        EncryptedSecrets = config.Security.EncryptedSecrets,
        DkaOptions = config.Security.DkaOpts,
        SecretNamePatterns = config.Security.SecretNamePatterns,
    };
}
