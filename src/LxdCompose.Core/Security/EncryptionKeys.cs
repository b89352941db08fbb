using LxdCompose.Loading;
using LxdCompose.Specs;

namespace LxdCompose.Security;

/// <summary>The key bytes a load decrypts with: <c>security.key</c>, else the content of <c>security.keyfile</c> (after -Key/-KeyFile).</summary>
public static class EncryptionKeys
{
    /// <summary>What to tell a user whose spec needs a key and has none.</summary>
    public const string HowToGiveAKey =
        "pass -Key (a SecureString) or -KeyFile, or set security.key or security.keyfile in .lxd-compose.yml";

    /// <summary>
    /// Null when no key is configured. Throws <see cref="SpecException"/> (<see cref="LoadCodes.EncryptionKeyInvalid"/>)
    /// for an unreadable key file or a key that is not base64; <paramref name="at"/> is where it was needed.
    /// </summary>
    public static byte[]? Resolve(ComposeConfig config, SourceLocation at)
    {
        ArgumentNullException.ThrowIfNull(config);
        var security = config.Security;
        string text;
        if (security.Key.Length > 0)
        {
            text = security.Key;
        }
        else if (security.KeyFile.Length > 0)
        {
            var file = config.Resolve(security.KeyFile);
            try
            {
                text = File.ReadAllText(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new SpecException(LoadCodes.EncryptionKeyInvalid,
                    $"cannot read the key file '{file}' ({security.KeyOrigin}): {e.Message}; fix the path or pass -Key", at, e);
            }
        }
        else
        {
            return null;
        }

        try
        {
            return LxdComposeCipher.DecodeKey(text);
        }
        catch (CipherException e)
        {
            throw new SpecException(LoadCodes.EncryptionKeyInvalid, $"{e.Message} ({security.KeyOrigin})", at, e);
        }
    }
}
