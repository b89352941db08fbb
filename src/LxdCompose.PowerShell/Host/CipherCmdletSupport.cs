using System.Net;
using System.Security;
using LxdCompose.Loading;
using LxdCompose.PowerShell.Commands;
using LxdCompose.Security;
using LxdCompose.Specs;

namespace LxdCompose.PowerShell.Host;

/// <summary>The Core-typed half of the encryption cmdlets (kept out of the cmdlet classes, see LxdSpecCmdlet).</summary>
internal static class CipherCmdletSupport
{
    public static string NewKey(int size) => Convert.ToBase64String(LxdComposeCipher.NewKey(size));

    public static SecureString ToSecureString(string text)
    {
        var secure = new NetworkCredential(string.Empty, text).SecurePassword;
        secure.MakeReadOnly();
        return secure;
    }

    /// <summary>Encrypts or decrypts <paramref name="source"/>; throws <see cref="SpecException"/>.</summary>
    public static string Transform(LxdCipherCmdlet cmdlet, string source, bool secrets, bool encrypting)
    {
        var (key, options) = KeyAndOptions(cmdlet);
        return (secrets, encrypting) switch
        {
            (false, true) => VariableProtection.ProtectVarsFile(source, key, options),
            (true, true) => VariableProtection.ProtectSecretsFile(source, key, options),
            (false, false) => VariableProtection.UnprotectVarsFile(source, key, options),
            (true, false) => VariableProtection.UnprotectSecretsFile(source, key, options),
        };
    }

    /// <summary>
    /// The key (-Key, -KeyFile, else the config's) and the config's dka_opts; without a config file, -Key or -KeyFile
    /// with lxd-compose's default dka_opts.
    /// </summary>
    private static (byte[] Key, DkaOptions Options) KeyAndOptions(LxdCipherCmdlet cmdlet)
    {
        var workingDirectory = cmdlet.SessionState.Path.CurrentFileSystemLocation.ProviderPath;
        var keyText = cmdlet.Key is null ? null : new NetworkCredential(string.Empty, cmdlet.Key).Password;
        var keyFile = string.IsNullOrEmpty(cmdlet.KeyFile) ? null : cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(cmdlet.KeyFile);
        var options = new LoadOptions
        {
            ConfigPath = string.IsNullOrEmpty(cmdlet.ConfigPath) ? null : cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(cmdlet.ConfigPath),
            WorkingDirectory = workingDirectory,
            Key = keyText,
            KeyFile = keyFile,
        };
        ComposeConfig config;
        try
        {
            config = SpecLoader.LoadConfig(options);
        }
        catch (SpecException e) when (e.Diagnostic.Code == LoadCodes.ConfigNotFound && options.ConfigPath is null
                                      && (keyText ?? keyFile) is not null)
        {
            config = new ComposeConfig
            {
                BaseDirectory = workingDirectory,
                Security = new SecuritySettings
                {
                    Key = keyText ?? string.Empty, KeyFile = keyText is null ? keyFile! : string.Empty,
                    KeyOrigin = keyText is null ? "-KeyFile" : "-Key",
                },
            };
        }

        var at = config.File.Length > 0 ? SourceLocation.FileOnly(config.File) : SourceLocation.None;
        var key = EncryptionKeys.Resolve(config, at) ?? throw new SpecException(LoadCodes.EncryptionKeyMissing,
            $"no encryption key: {EncryptionKeys.HowToGiveAKey}", at);
        return (key, config.Security.DkaOpts);
    }
}
