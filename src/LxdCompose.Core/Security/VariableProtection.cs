using System.Text;
using LxdCompose.Loading;
using LxdCompose.Specs;
using LxdCompose.Yaml;

namespace LxdCompose.Security;

/// <summary>
/// lxd-compose's <c>security encrypt/decrypt</c> (reference §6.2): a vars file becomes the YAML
/// <c>enc_content: &lt;base64&gt;</c> + <c>encrypted: true</c> (keys sorted, as ghodss marshals), a render secrets file
/// becomes bare base64 text. Problems are <see cref="SpecException"/> at the file.
/// </summary>
public static class VariableProtection
{
    public static string ProtectVarsFile(string path, byte[] key, DkaOptions options)
    {
        var text = ReadPlain(path);
        RequireMap(text, path, "a vars file (envs: ...)");
        return $"enc_content: {LxdComposeCipher.EncryptToBase64(Encoding.UTF8.GetBytes(text), key, options)}\nencrypted: true\n";
    }

    public static string ProtectSecretsFile(string path, byte[] key, DkaOptions options)
    {
        var text = ReadPlain(path);
        RequireMap(text, path, "a render secrets file (a YAML map)");
        return LxdComposeCipher.EncryptToBase64(Encoding.UTF8.GetBytes(text), key, options);
    }

    /// <summary>The plain text of an encrypted vars file; it must say <c>encrypted: true</c>, as lxd-compose requires.</summary>
    public static string UnprotectVarsFile(string path, byte[] key, DkaOptions options)
    {
        var at = SourceLocation.FileOnly(path);
        var sink = new DiagnosticSink();
        var reader = ObjectReader.For(YamlTreeReader.Parse(ReadPlain(path), path), "encrypted vars file", sink);
        var block = reader is null ? null : EnvironmentLoader.ReadVarsBlock(reader, path);
        if (sink.Items.FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error) is { } error)
        {
            throw new SpecException(error);
        }

        if (block is not { Encrypted: true })
        {
            throw new SpecException(LoadCodes.DecryptionFailed,
                "not an encrypted vars file: it has no 'encrypted: true' (decrypt a file made by Protect-LxdVariable -VarsFile)", at);
        }

        return Decrypt(block.EncryptedContent, key, options, at, "vars file");
    }

    public static string UnprotectSecretsFile(string path, byte[] key, DkaOptions options) =>
        Decrypt(ReadPlain(path), key, options, SourceLocation.FileOnly(path), "secrets file");

    private static string Decrypt(string base64, byte[] key, DkaOptions options, SourceLocation at, string what)
    {
        try
        {
            return Encoding.UTF8.GetString(LxdComposeCipher.DecryptBase64(base64, key, options));
        }
        catch (CipherException e)
        {
            throw new SpecException(LoadCodes.DecryptionFailed,
                $"cannot decrypt the {what}: {e.Message}; use the key it was encrypted with and the same security.dka_opts", at, e);
        }
    }

    private static string ReadPlain(string path)
    {
        if (!File.Exists(path))
        {
            throw new SpecException(LoadCodes.IncludeNotFound, $"'{path}' does not exist; check the path", SourceLocation.None);
        }

        return InputFiles.ReadText(path);
    }

    private static void RequireMap(string text, string path, string what)
    {
        if (YamlTreeReader.Parse(text, path) is not YamlMapping)
        {
            throw new SpecException(LoadCodes.TypeMismatch, $"this file is not {what}: nothing encrypted", SourceLocation.FileOnly(path));
        }
    }
}
