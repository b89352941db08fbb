using System.Text;
using LxdCompose.Security;
using LxdCompose.Specs;
using LxdCompose.Templating;
using LxdCompose.Yaml;

namespace LxdCompose.Loading;

/// <summary>
/// Turns encrypted <c>vars</c> blocks into their variables (reference §6.2): the plain text is a vars file, rendered
/// by the render engine when it is on (lxd-compose renders it always and fails without a render file; we do not),
/// then parsed. A missing or wrong key is an error at the block: variables never go missing silently.
/// </summary>
public sealed class VarsDecryptor
{
    private readonly ComposeConfig? _config;
    private readonly ISpecRenderer? _renderer;
    private byte[]? _key;
    private bool _keyResolved;

    /// <param name="config">Its key and <c>dka_opts</c>; null: no key, so an encrypted block is an error.</param>
    /// <param name="renderer">Renders the plain text; null when the render engine is off.</param>
    public VarsDecryptor(ComposeConfig? config, ISpecRenderer? renderer)
    {
        _config = config;
        _renderer = renderer;
    }

    /// <summary>
    /// The block with the decrypted variables (still marked <see cref="VarsBlock.Encrypted"/>: they came from an
    /// encrypted source); a plain block as it is. Throws <see cref="SpecException"/> at the block's position.
    /// </summary>
    public VarsBlock Decrypt(VarsBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (!block.Encrypted)
        {
            return block;
        }

        var at = block.Location;
        var key = Key(at) ?? throw new SpecException(LoadCodes.EncryptionKeyMissing,
            $"this vars block is encrypted and no encryption key is set: {EncryptionKeys.HowToGiveAKey}", at);
        string text;
        try
        {
            text = Encoding.UTF8.GetString(LxdComposeCipher.DecryptBase64(block.EncryptedContent, key, _config!.Security.DkaOpts));
        }
        catch (CipherException e)
        {
            throw new SpecException(LoadCodes.DecryptionFailed,
                $"cannot decrypt this vars block with the key from {_config!.Security.KeyOrigin}: {e.Message}; use the key " +
                "it was encrypted with (Protect-LxdVariable or 'lxd-compose security encrypt') and the same security.dka_opts",
                at, e);
        }

        var file = at.File.Length > 0 ? at.File : block.File ?? string.Empty;
        if (_renderer is not null)
        {
            text = _renderer.Render(file, text);
        }

        var sink = new DiagnosticSink();
        VarsBlock plain;
        try
        {
            var root = YamlTreeReader.Parse(text, file);
            plain = ObjectReader.For(root, "decrypted variables file", sink) is { } reader
                ? EnvironmentLoader.ReadVarsBlock(reader, block.File)
                : new VarsBlock();
        }
        catch (SpecException e)
        {
            throw PlainTextInvalid(at, e.Diagnostic.Message, e);
        }

        if (sink.Items.FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error) is { } error)
        {
            throw PlainTextInvalid(at, error.Message, null);
        }

        return new VarsBlock
        {
            Envs = plain.Envs,
            Encrypted = true,
            EncryptedContent = block.EncryptedContent,
            Secret = block.Secret,
            File = block.File,
            Location = block.Location,
        };
    }

    private byte[]? Key(SourceLocation at)
    {
        if (!_keyResolved && _config is not null)
        {
            _key = EncryptionKeys.Resolve(_config, at);
            _keyResolved = true;
        }

        return _key;
    }

    // The decrypted text's own positions would point into text no file holds: the block's position is given instead.
    private static SpecException PlainTextInvalid(SourceLocation at, string reason, Exception? inner) =>
        new(LoadCodes.DecryptionFailed, $"the decrypted vars block is not a vars file (envs: ...): {reason}", at, inner);
}
