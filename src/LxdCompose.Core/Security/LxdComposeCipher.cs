using System.Security.Cryptography;
using Konscious.Security.Cryptography;
using LxdCompose.Specs;

namespace LxdCompose.Security;

/// <summary>
/// lxd-compose's encryption (reference §6.1): an Argon2id key derived from the key bytes with a random salt and
/// <c>dka_opts</c>, then AES-GCM with a random nonce and no associated data; the blob is
/// <c>salt(16) | nonce(12) | ciphertext | tag(16)</c>, stored as standard base64.
/// </summary>
public static class LxdComposeCipher
{
    public const int SaltSize = 16;
    public const int NonceSize = 12;
    public const int TagSize = 16;

    /// <summary>lxd-compose's <c>security genkey</c> default and minimum sizes, in bytes.</summary>
    public const int DefaultKeySize = 64;
    public const int MinimumKeySize = 32;

    /// <summary>A new random key of <paramref name="size"/> bytes (at least <see cref="MinimumKeySize"/>).</summary>
    public static byte[] NewKey(int size = DefaultKeySize)
    {
        if (size < MinimumKeySize)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size,
                $"an encryption key needs at least {MinimumKeySize} bytes (lxd-compose refuses shorter ones)");
        }

        return RandomNumberGenerator.GetBytes(size);
    }

    /// <summary>The key bytes of a base64 key as written in <c>security.key</c> or a key file; line breaks are ignored, as Go's decoder does.</summary>
    public static byte[] DecodeKey(string base64Key)
    {
        ArgumentNullException.ThrowIfNull(base64Key);
        var text = base64Key.Replace("\r", string.Empty, StringComparison.Ordinal)
            .Replace("\n", string.Empty, StringComparison.Ordinal).Trim();
        if (text.Length == 0)
        {
            throw new CipherException("the encryption key is empty");
        }

        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException e)
        {
            throw new CipherException("the encryption key is not valid base64 (use a key made by New-LxdEncryptionKey " +
                "or 'lxd-compose security genkey')", e);
        }
    }

    public static byte[] Encrypt(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> key, DkaOptions options)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltSize);
        var nonce = RandomNumberGenerator.GetBytes(NonceSize);
        var blob = new byte[SaltSize + NonceSize + plaintext.Length + TagSize];
        salt.CopyTo(blob, 0);
        nonce.CopyTo(blob, SaltSize);
        using var aes = new AesGcm(DeriveKey(key, salt, options), TagSize);
        aes.Encrypt(nonce, plaintext, blob.AsSpan(SaltSize + NonceSize, plaintext.Length),
            blob.AsSpan(SaltSize + NonceSize + plaintext.Length, TagSize));
        return blob;
    }

    /// <summary>Throws <see cref="CipherException"/> with lxd-compose's texts for short data, and for a wrong key or <c>dka_opts</c>.</summary>
    public static byte[] Decrypt(ReadOnlySpan<byte> blob, ReadOnlySpan<byte> key, DkaOptions options)
    {
        if (blob.Length < SaltSize)
        {
            throw new CipherException("invalid cipher text too short");
        }

        if (blob.Length < SaltSize + NonceSize)
        {
            throw new CipherException("invalid cipher text and nonce too short");
        }

        var sealedText = blob[(SaltSize + NonceSize)..];
        if (sealedText.Length < TagSize)
        {
            throw AuthenticationFailed(null);
        }

        var derived = DeriveKey(key, blob[..SaltSize], options);
        var plaintext = new byte[sealedText.Length - TagSize];
        try
        {
            using var aes = new AesGcm(derived, TagSize);
            aes.Decrypt(blob.Slice(SaltSize, NonceSize), sealedText[..^TagSize], sealedText[^TagSize..], plaintext);
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw AuthenticationFailed(e);
        }

        return plaintext;
    }

    /// <summary>Base64 text of <see cref="Encrypt"/>, as lxd-compose writes it.</summary>
    public static string EncryptToBase64(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> key, DkaOptions options) =>
        Convert.ToBase64String(Encrypt(plaintext, key, options));

    /// <summary><see cref="Decrypt"/> of base64 text (line breaks ignored); bad base64 is a <see cref="CipherException"/>.</summary>
    public static byte[] DecryptBase64(string base64, ReadOnlySpan<byte> key, DkaOptions options)
    {
        ArgumentNullException.ThrowIfNull(base64);
        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(base64.Replace("\r", string.Empty, StringComparison.Ordinal)
                .Replace("\n", string.Empty, StringComparison.Ordinal).Trim());
        }
        catch (FormatException e)
        {
            throw new CipherException("the encrypted content is not valid base64", e);
        }

        return Decrypt(blob, key, options);
    }

    /// <summary>Argon2id(password = key bytes, salt, dka_opts), as Go's <c>argon2.IDKey</c>.</summary>
    public static byte[] DeriveKey(ReadOnlySpan<byte> key, ReadOnlySpan<byte> salt, DkaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        using var argon = new Argon2id(key.ToArray())
        {
            Salt = salt.ToArray(),
            Iterations = checked((int)options.TimeIterations),
            MemorySize = checked((int)options.MemoryUsage),
            DegreeOfParallelism = options.Parallelism,
        };
        return argon.GetBytes((int)options.KeyLength);
    }

    private static void Validate(DkaOptions options)
    {
        if (options.KeyLength is not (16 or 24 or 32))
        {
            throw new CipherException($"dka_opts.key_length is {options.KeyLength}; AES needs 16, 24 or 32 (32 is lxd-compose's default)");
        }

        if (options.TimeIterations < 1 || options.Parallelism < 1)
        {
            throw new CipherException("dka_opts.time_iterations and dka_opts.parallelism must be at least 1");
        }

        if (options.MemoryUsage > int.MaxValue)
        {
            throw new CipherException($"dka_opts.memory_usage {options.MemoryUsage} KiB is too large");
        }

        // Below 8 KiB per lane Go's argon2 silently derives with 8 KiB per lane (hashing the value as written), which
        // Konscious cannot reproduce; such a setting is never useful, so it is refused rather than derived differently.
        if (options.MemoryUsage < 8u * options.Parallelism)
        {
            throw new CipherException($"dka_opts.memory_usage is {options.MemoryUsage} KiB; use at least 8 KiB per lane " +
                $"({8 * options.Parallelism} for parallelism {options.Parallelism})");
        }
    }

    private static CipherException AuthenticationFailed(Exception? inner) => new(
        "cipher: message authentication failed: the key is wrong, or security.dka_opts differ from the options " +
        "the content was encrypted with", inner);
}

/// <summary>A key, content or option problem of <see cref="LxdComposeCipher"/>; the message says what is wrong.</summary>
public sealed class CipherException : Exception
{
    public CipherException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
