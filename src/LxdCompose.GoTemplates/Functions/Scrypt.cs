// Port of scrypt/scrypt.go (golang.org/x/crypto, version not pinned down).
using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;

namespace LxdCompose.GoTemplates.Functions;

/// <summary>scrypt (RFC 7914), which .NET lacks: PBKDF2-HMAC-SHA256 around ROMix with Salsa20/8 BlockMix.</summary>
internal static class Scrypt
{
    /// <summary>Derives <paramref name="keyLength"/> bytes; the parameter rules and error texts are x/crypto/scrypt's.</summary>
    public static byte[] DeriveKey(byte[] password, byte[] salt, int n, int r, int p, int keyLength)
    {
        if (n <= 1 || !BitOperations.IsPow2(n))
        {
            throw new ArgumentException("scrypt: N must be > 1 and a power of 2");
        }

        if ((long)r * p >= 1 << 30 || r > int.MaxValue / 128 / p || r > int.MaxValue / 256 || n > int.MaxValue / 128 / r)
        {
            throw new ArgumentException("scrypt: parameters are too large");
        }

        int blockSize = 128 * r;
        var b = Rfc2898DeriveBytes.Pbkdf2(password, salt, 1, HashAlgorithmName.SHA256, p * blockSize);
        var x = new uint[32 * r];
        var v = new uint[32 * r * n];
        var scratch = new uint[32 * r];
        for (int i = 0; i < p; i++)
        {
            var block = b.AsSpan(i * blockSize, blockSize);
            for (int k = 0; k < x.Length; k++)
            {
                x[k] = BinaryPrimitives.ReadUInt32LittleEndian(block[(k * 4)..]);
            }

            RoMix(x, v, scratch, n, r);
            for (int k = 0; k < x.Length; k++)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(block[(k * 4)..], x[k]);
            }
        }
        return Rfc2898DeriveBytes.Pbkdf2(password, b, 1, HashAlgorithmName.SHA256, keyLength);
    }

    private static void RoMix(uint[] x, uint[] v, uint[] scratch, int n, int r)
    {
        int words = 32 * r;
        for (int i = 0; i < n; i++)
        {
            Array.Copy(x, 0, v, i * words, words);
            BlockMix(x, scratch, r);
        }
        for (int i = 0; i < n; i++)
        {
            // Integerify: the first word of the last 64-byte block, modulo n (a power of two).
            int j = (int)(x[(2 * r - 1) * 16] & (uint)(n - 1));
            for (int k = 0; k < words; k++)
            {
                x[k] ^= v[j * words + k];
            }

            BlockMix(x, scratch, r);
        }
    }

    /// <summary>BlockMix: Salsa20/8 over the 2r 64-byte blocks, even outputs first, then odd ones.</summary>
    private static void BlockMix(uint[] b, uint[] y, int r)
    {
        Span<uint> t = stackalloc uint[16];
        b.AsSpan((2 * r - 1) * 16, 16).CopyTo(t);
        for (int i = 0; i < 2 * r; i++)
        {
            for (int k = 0; k < 16; k++)
            {
                t[k] ^= b[i * 16 + k];
            }

            Salsa208(t);
            int target = (i % 2 == 0 ? i / 2 : r + i / 2) * 16;
            t.CopyTo(y.AsSpan(target, 16));
        }
        Array.Copy(y, b, 32 * r);
    }

    private static void Salsa208(Span<uint> b)
    {
        Span<uint> x = stackalloc uint[16];
        b.CopyTo(x);
        for (int i = 0; i < 8; i += 2)
        {
            x[4] ^= BitOperations.RotateLeft(x[0] + x[12], 7);
            x[8] ^= BitOperations.RotateLeft(x[4] + x[0], 9);
            x[12] ^= BitOperations.RotateLeft(x[8] + x[4], 13);
            x[0] ^= BitOperations.RotateLeft(x[12] + x[8], 18);
            x[9] ^= BitOperations.RotateLeft(x[5] + x[1], 7);
            x[13] ^= BitOperations.RotateLeft(x[9] + x[5], 9);
            x[1] ^= BitOperations.RotateLeft(x[13] + x[9], 13);
            x[5] ^= BitOperations.RotateLeft(x[1] + x[13], 18);
            x[14] ^= BitOperations.RotateLeft(x[10] + x[6], 7);
            x[2] ^= BitOperations.RotateLeft(x[14] + x[10], 9);
            x[6] ^= BitOperations.RotateLeft(x[2] + x[14], 13);
            x[10] ^= BitOperations.RotateLeft(x[6] + x[2], 18);
            x[3] ^= BitOperations.RotateLeft(x[15] + x[11], 7);
            x[7] ^= BitOperations.RotateLeft(x[3] + x[15], 9);
            x[11] ^= BitOperations.RotateLeft(x[7] + x[3], 13);
            x[15] ^= BitOperations.RotateLeft(x[11] + x[7], 18);
            x[1] ^= BitOperations.RotateLeft(x[0] + x[3], 7);
            x[2] ^= BitOperations.RotateLeft(x[1] + x[0], 9);
            x[3] ^= BitOperations.RotateLeft(x[2] + x[1], 13);
            x[0] ^= BitOperations.RotateLeft(x[3] + x[2], 18);
            x[6] ^= BitOperations.RotateLeft(x[5] + x[4], 7);
            x[7] ^= BitOperations.RotateLeft(x[6] + x[5], 9);
            x[4] ^= BitOperations.RotateLeft(x[7] + x[6], 13);
            x[5] ^= BitOperations.RotateLeft(x[4] + x[7], 18);
            x[11] ^= BitOperations.RotateLeft(x[10] + x[9], 7);
            x[8] ^= BitOperations.RotateLeft(x[11] + x[10], 9);
            x[9] ^= BitOperations.RotateLeft(x[8] + x[11], 13);
            x[10] ^= BitOperations.RotateLeft(x[9] + x[8], 18);
            x[12] ^= BitOperations.RotateLeft(x[15] + x[14], 7);
            x[13] ^= BitOperations.RotateLeft(x[12] + x[15], 9);
            x[14] ^= BitOperations.RotateLeft(x[13] + x[12], 13);
            x[15] ^= BitOperations.RotateLeft(x[14] + x[13], 18);
        }
        for (int i = 0; i < 16; i++)
        {
            b[i] += x[i];
        }
    }
}
