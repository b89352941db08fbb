using System.Text;
using LxdCompose.Security;
using LxdCompose.Specs;
using LxdCompose.Tests.Loading;
using Xunit;

namespace LxdCompose.Tests.Security;

/// <summary>lxd-compose's Argon2id + AES-GCM layout (reference §6.1), against its own vectors and ours.</summary>
public sealed class CipherTests
{
    /// <summary>Cheap options for tests that do not need lxd-compose's defaults; every field differs from them.</summary>
    internal static readonly DkaOptions Quick = new() { TimeIterations = 1, MemoryUsage = 1024, Parallelism = 2, KeyLength = 16 };

    private static readonly byte[] Key = LxdComposeCipher.DecodeKey(
        "lEtZ/UvTCDIhSrZT+DYhNyJo5eWWSvk1w7eumRpAqRw+EZMmXNkSQSa2bXMBGUsV4+5OgMVPMAGLhNW81aLZmw==");

    /// <summary>"envs:\n  a: b\n" encrypted by our code (default dka_opts) with <see cref="Key"/>: pins the layout without ../shared.</summary>
    internal const string OwnVector =
        "nWJZHRocQaLb+kn1ThfePlPahnfgvEDkNm8YJo+NObDEE23h7kaQg2RVPnqvp0Umf0kLuacTmyS5";

    [SharedEncryptionVectorsFact]
    public void Lxd_compose_vectors_decrypt_to_their_plain_files()
    {
        var dir = SharedCorpus.EncryptionVectors!;
        var key = LxdComposeCipher.DecodeKey(File.ReadAllText(Path.Combine(dir, "key.txt")));
        var varsBlock = File.ReadAllLines(Path.Combine(dir, "vars-enc.yml"));
        var encContent = varsBlock.Single(l => l.StartsWith("enc_content: ", StringComparison.Ordinal))["enc_content: ".Length..];

        var vars = LxdComposeCipher.DecryptBase64(encContent, key, new DkaOptions());
        var secrets = LxdComposeCipher.DecryptBase64(File.ReadAllText(Path.Combine(dir, "secrets-enc.txt")), key, new DkaOptions());

        Assert.Equal(File.ReadAllText(Path.Combine(dir, "vars-plain.yml")), Encoding.UTF8.GetString(vars));
        Assert.Equal(File.ReadAllText(Path.Combine(dir, "secrets-plain.yml")), Encoding.UTF8.GetString(secrets));
    }

    [SharedEncryptionVectorsFact]
    public void Lxd_compose_vector_with_other_parallelism_fails_authentication()
    {
        var dir = SharedCorpus.EncryptionVectors!;
        var key = LxdComposeCipher.DecodeKey(File.ReadAllText(Path.Combine(dir, "key.txt")));
        var blob = File.ReadAllText(Path.Combine(dir, "secrets-enc.txt"));

        var e = Assert.Throws<CipherException>(() =>
            LxdComposeCipher.DecryptBase64(blob, key, new DkaOptions { Parallelism = 1 }));
        Assert.StartsWith("cipher: message authentication failed", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Own_vector_decrypts_with_lxd_compose_defaults()
    {
        var plain = LxdComposeCipher.DecryptBase64(OwnVector, Key, new DkaOptions());
        Assert.Equal("envs:\n  a: b\n", Encoding.UTF8.GetString(plain));
    }

    [Fact]
    public void Encryption_uses_lxd_compose_layout_and_round_trips_with_default_options()
    {
        var plain = "envs:\n  db_password: s3cr3t\n"u8.ToArray();

        var first = LxdComposeCipher.Encrypt(plain, Key, new DkaOptions());
        var second = LxdComposeCipher.Encrypt(plain, Key, new DkaOptions());

        Assert.Equal(16 + 12 + plain.Length + 16, first.Length);
        // Random salt and nonce: the same text never encrypts the same way.
        Assert.NotEqual(first[..16], second[..16]);
        Assert.NotEqual(first[16..28], second[16..28]);
        Assert.Equal(plain, LxdComposeCipher.Decrypt(first, Key, new DkaOptions()));
    }

    [Fact]
    public void Dka_options_are_honoured_and_must_match_to_decrypt()
    {
        var blob = LxdComposeCipher.EncryptToBase64("hello"u8, Key, Quick);

        Assert.Equal("hello"u8.ToArray(), LxdComposeCipher.DecryptBase64(blob, Key, Quick));
        foreach (var other in new[]
                 {
                     new DkaOptions { TimeIterations = 2, MemoryUsage = 1024, Parallelism = 2, KeyLength = 16 },
                     new DkaOptions { TimeIterations = 1, MemoryUsage = 2048, Parallelism = 2, KeyLength = 16 },
                     new DkaOptions { TimeIterations = 1, MemoryUsage = 1024, Parallelism = 1, KeyLength = 16 },
                     new DkaOptions { TimeIterations = 1, MemoryUsage = 1024, Parallelism = 2, KeyLength = 32 },
                 })
        {
            Assert.Throws<CipherException>(() => LxdComposeCipher.DecryptBase64(blob, Key, other));
        }
    }

    [Theory]
    [InlineData(31u, 4, 32u, 1u)]
    [InlineData(1024u, 0, 32u, 1u)]
    [InlineData(1024u, 2, 32u, 0u)]
    [InlineData(1024u, 2, 20u, 1u)]
    public void Options_lxd_compose_could_not_use_the_same_way_are_refused(uint memory, byte parallelism, uint keyLength, uint time)
    {
        var options = new DkaOptions { MemoryUsage = memory, Parallelism = parallelism, KeyLength = keyLength, TimeIterations = time };

        Assert.Throws<CipherException>(() => LxdComposeCipher.Encrypt("x"u8, Key, options));
        // The smallest memory Go and Konscious derive the same way: 8 KiB per lane.
        Assert.NotEmpty(LxdComposeCipher.Encrypt("x"u8, Key, new DkaOptions { MemoryUsage = 16, Parallelism = 2, TimeIterations = 1 }));
    }

    [Fact]
    public void Wrong_key_fails_authentication()
    {
        var blob = LxdComposeCipher.Encrypt("hello"u8, Key, Quick);

        var e = Assert.Throws<CipherException>(() => LxdComposeCipher.Decrypt(blob, LxdComposeCipher.NewKey(), Quick));

        Assert.StartsWith("cipher: message authentication failed", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "invalid cipher text too short")]
    [InlineData(15, "invalid cipher text too short")]
    [InlineData(16, "invalid cipher text and nonce too short")]
    [InlineData(27, "invalid cipher text and nonce too short")]
    public void Truncated_data_gives_lxd_compose_errors(int length, string message)
    {
        var blob = LxdComposeCipher.Encrypt("hello"u8, Key, Quick);

        var e = Assert.Throws<CipherException>(() => LxdComposeCipher.Decrypt(blob.AsSpan(0, length), Key, Quick));

        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Data_cut_inside_the_tag_fails_authentication()
    {
        var blob = LxdComposeCipher.Encrypt("hello"u8, Key, Quick);

        var e = Assert.Throws<CipherException>(() => LxdComposeCipher.Decrypt(blob.AsSpan(0, blob.Length - 1), Key, Quick));

        Assert.StartsWith("cipher: message authentication failed", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_are_random_with_lxd_compose_sizes_and_decode_across_line_breaks()
    {
        Assert.Equal(64, LxdComposeCipher.NewKey().Length);
        Assert.Equal(32, LxdComposeCipher.NewKey(32).Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => LxdComposeCipher.NewKey(31));
        Assert.NotEqual(LxdComposeCipher.NewKey(), LxdComposeCipher.NewKey());

        var key = LxdComposeCipher.NewKey();
        var base64 = Convert.ToBase64String(key);
        Assert.Equal(key, LxdComposeCipher.DecodeKey(base64[..40] + "\r\n" + base64[40..] + "\n"));
        Assert.Throws<CipherException>(() => LxdComposeCipher.DecodeKey("not base64!"));
        Assert.Throws<CipherException>(() => LxdComposeCipher.DecodeKey("\n"));
    }
}
