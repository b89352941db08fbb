using System.Management.Automation;
using System.Security;
using LxdCompose.PowerShell.Host;
using LxdCompose.Security;
using LxdCompose.Specs;

namespace LxdCompose.PowerShell.Commands;

/// <summary>
/// lxd-compose's <c>security genkey</c>: a random key of -Size bytes as base64, to the pipeline or a file (-Path).
/// </summary>
[Cmdlet(VerbsCommon.New, "LxdEncryptionKey", DefaultParameterSetName = PipelineSet, SupportsShouldProcess = true)]
[OutputType(typeof(string), typeof(SecureString))]
public sealed class NewLxdEncryptionKeyCommand : PSCmdlet
{
    private const string PipelineSet = "Pipeline";
    private const string PathSet = "Path";

    /// <summary>Key size in bytes: 64 by default, at least 32 (as lxd-compose).</summary>
    [Parameter(Position = 0)]
    [ValidateRange(32, 4096)]
    public int Size { get; set; } = 64;

    /// <summary>Writes the key to this file (created readable by its owner only) instead of the pipeline.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>Replaces an existing -Path file (whatever it encrypted can no longer be decrypted with the new key).</summary>
    [Parameter(ParameterSetName = PathSet)]
    public SwitchParameter Force { get; set; }

    /// <summary>Outputs the key as a SecureString, ready for -Key.</summary>
    [Parameter(ParameterSetName = PipelineSet)]
    public SwitchParameter AsSecureString { get; set; }

    protected override void EndProcessing()
    {
        var key = CipherCmdletSupport.NewKey(Size);
        if (Path is null)
        {
            WriteObject(AsSecureString ? CipherCmdletSupport.ToSecureString(key) : key);
            return;
        }

        var target = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        if (File.Exists(target) && !Force)
        {
            ThrowTerminatingError(new ErrorRecord(
                new IOException($"'{target}' exists; a new key would make what it encrypted undecryptable. Use -Force to replace it."),
                "LxdEncryptionKeyFileExists", ErrorCategory.ResourceExists, target));
        }

        if (ShouldProcess(target, $"Write a new {Size}-byte encryption key"))
        {
            PrivateFile.WriteAllText(target, key + "\n");
        }
    }
}

/// <summary>What Protect-LxdVariable and Unprotect-LxdVariable share: the file, the key, where the result goes.</summary>
public abstract class LxdCipherCmdlet : PSCmdlet
{
    private protected const string VarsFileSet = "VarsFile";
    private protected const string SecretsFileSet = "SecretsFile";

    /// <summary>A vars file (envs: ...), as lxd-compose's --vars-file.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = VarsFileSet)]
    [ValidateNotNullOrEmpty]
    public string VarsFile { get; set; } = string.Empty;

    /// <summary>A render secrets file, as lxd-compose's --secrets-file.</summary>
    [Parameter(Mandatory = true, ParameterSetName = SecretsFileSet)]
    [ValidateNotNullOrEmpty]
    public string SecretsFile { get; set; } = string.Empty;

    /// <summary>Writes the result to this file instead of the pipeline.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Destination { get; set; }

    /// <summary>The base64 key; wins over -KeyFile and the config's security.key/keyfile.</summary>
    [Parameter]
    public SecureString? Key { get; set; }

    /// <summary>A file holding the base64 key; wins over the config's key.</summary>
    [Parameter]
    public string? KeyFile { get; set; }

    /// <summary>The config whose security.key/keyfile and dka_opts apply; default: LXD_COMPOSE_CONFIG, else .lxd-compose.yml here.</summary>
    [Parameter]
    public string? ConfigPath { get; set; }

    private protected abstract bool Encrypting { get; }

    protected override void EndProcessing()
    {
        var secrets = ParameterSetName == SecretsFileSet;
        var source = SessionState.Path.GetUnresolvedProviderPathFromPSPath(secrets ? SecretsFile : VarsFile);
        string result;
        try
        {
            result = CipherCmdletSupport.Transform(this, source, secrets, Encrypting);
        }
        catch (SpecException e)
        {
            ThrowTerminatingError(Internal.ErrorRecords.FromFatalSpecProblem(e));
            return;
        }

        if (Destination is null)
        {
            WriteObject(result);
            return;
        }

        var target = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Destination);
        var what = (Encrypting ? "encrypted " : "decrypted ") + (secrets ? "secrets file" : "vars file");
        if (ShouldProcess(target, $"Write the {what} of '{source}'"))
        {
            // Decrypted text holds the secrets: only its owner may read it.
            if (Encrypting)
            {
                File.WriteAllText(target, result);
            }
            else
            {
                PrivateFile.WriteAllText(target, result);
            }
        }
    }
}

/// <summary>lxd-compose's <c>security encrypt</c>: a vars file to an encrypted vars block, a secrets file to base64 text.</summary>
[Cmdlet(VerbsSecurity.Protect, "LxdVariable", DefaultParameterSetName = VarsFileSet, SupportsShouldProcess = true)]
[OutputType(typeof(string))]
public sealed class ProtectLxdVariableCommand : LxdCipherCmdlet
{
    private protected override bool Encrypting => true;
}

/// <summary>lxd-compose's <c>security decrypt</c>: the plain text of an encrypted vars file or secrets file.</summary>
[Cmdlet(VerbsSecurity.Unprotect, "LxdVariable", DefaultParameterSetName = VarsFileSet, SupportsShouldProcess = true)]
[OutputType(typeof(string))]
public sealed class UnprotectLxdVariableCommand : LxdCipherCmdlet
{
    private protected override bool Encrypting => false;
}
