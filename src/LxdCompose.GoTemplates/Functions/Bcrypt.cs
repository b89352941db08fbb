// Port of bcrypt/bcrypt.go and blowfish/ (golang.org/x/crypto, version not pinned down).
using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace LxdCompose.GoTemplates.Functions;

/// <summary>
/// bcrypt as golang.org/x/crypto/bcrypt writes it: <c>$2a$</c>, a two-digit cost, 22 characters of salt and 31 of hash
/// in bcrypt's base64 alphabet. .NET has no bcrypt, so the Blowfish core is here; its initial state is the fractional
/// part of π in hexadecimal, which is computed once instead of being carried as a table.
/// </summary>
internal static class Bcrypt
{
    /// <summary>x/crypto's DefaultCost, which sprig's <c>bcrypt</c> and <c>htpasswd</c> use.</summary>
    public const int DefaultCost = 10;

    public const int MinCost = 4;
    public const int MaxCost = 31;

    /// <summary>Longer passwords are refused, as x/crypto does since it stopped truncating silently.</summary>
    public const int MaxPasswordBytes = 72;

    private const string Alphabet = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static readonly byte[] MagicText = Encoding.ASCII.GetBytes("OrpheanBeholderScryDoubt");
    private static readonly Lazy<uint[]> PiWords = new(ComputePiWords);

    /// <summary>Hashes <paramref name="password"/> with a random salt.</summary>
    public static string Hash(string password, int cost = DefaultCost) =>
        Hash(Encoding.UTF8.GetBytes(password), cost, RandomNumberGenerator.GetBytes(16));

    /// <summary>Hashes with the given 16-byte salt; throws <see cref="ArgumentException"/> with x/crypto's texts.</summary>
    public static string Hash(byte[] password, int cost, byte[] salt)
    {
        if (password.Length > MaxPasswordBytes)
        {
            throw new ArgumentException("bcrypt: password length exceeds 72 bytes");
        }

        if (cost < MinCost || cost > MaxCost)
        {
            throw new ArgumentException($"crypto/bcrypt: cost {cost} is outside allowed inclusive range {MinCost}..{MaxCost}");
        }

        if (salt.Length != 16)
        {
            throw new ArgumentException("bcrypt: the salt must have 16 bytes", nameof(salt));
        }

        var hash = RawHash(password, cost, salt);
        return $"$2a${cost:00}${Encode(salt)}{Encode(hash.AsSpan(0, 23))}";
    }

    /// <summary>Whether <paramref name="password"/> matches a <c>$2a$</c>, <c>$2b$</c> or <c>$2y$</c> hash.</summary>
    public static bool Verify(string password, string hash)
    {
        if (hash.Length != 60 || hash[0] != '$' || hash[1] != '2' || hash[3] != '$' || hash[6] != '$')
        {
            return false;
        }

        if (!int.TryParse(hash.AsSpan(4, 2), out int cost) || cost < MinCost || cost > MaxCost)
        {
            return false;
        }

        var salt = Decode(hash.AsSpan(7, 22), 16);
        var bytes = Encoding.UTF8.GetBytes(password);
        if (salt is null || bytes.Length > MaxPasswordBytes)
        {
            return false;
        }

        var expected = Encode(RawHash(bytes, cost, salt).AsSpan(0, 23));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(hash[29..]));
    }

    private static byte[] RawHash(byte[] password, int cost, byte[] salt)
    {
        // The key includes the NUL terminator of the C string ($2a$ semantics).
        var key = new byte[password.Length + 1];
        password.CopyTo(key, 0);
        var blowfish = new Blowfish(PiWords.Value);
        blowfish.ExpandKey(key, salt);
        long rounds = 1L << cost;
        for (long i = 0; i < rounds; i++)
        {
            blowfish.ExpandKey(key, null);
            blowfish.ExpandKey(salt, null);
        }
        var text = new uint[6];
        for (int i = 0; i < 6; i++)
        {
            text[i] = BinaryPrimitives.ReadUInt32BigEndian(MagicText.AsSpan(i * 4));
        }

        for (int i = 0; i < 64; i++)
        {
            for (int j = 0; j < 6; j += 2)
            {
                blowfish.Encrypt(ref text[j], ref text[j + 1]);
            }
        }

        var result = new byte[24];
        for (int i = 0; i < 6; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(result.AsSpan(i * 4), text[i]);
        }

        return result;
    }

    /// <summary>bcrypt's base64: its own alphabet, no padding.</summary>
    private static string Encode(ReadOnlySpan<byte> data)
    {
        var sb = new StringBuilder((data.Length * 4 + 2) / 3);
        for (int i = 0; i < data.Length; i += 3)
        {
            int c1 = data[i];
            sb.Append(Alphabet[c1 >> 2]);
            c1 = (c1 & 0x03) << 4;
            if (i + 1 >= data.Length)
            {
                sb.Append(Alphabet[c1]);
                break;
            }
            int c2 = data[i + 1];
            sb.Append(Alphabet[c1 | (c2 >> 4)]);
            c1 = (c2 & 0x0f) << 2;
            if (i + 2 >= data.Length)
            {
                sb.Append(Alphabet[c1]);
                break;
            }
            int c3 = data[i + 2];
            sb.Append(Alphabet[c1 | (c3 >> 6)]);
            sb.Append(Alphabet[c3 & 0x3f]);
        }
        return sb.ToString();
    }

    private static byte[]? Decode(ReadOnlySpan<char> text, int length)
    {
        var result = new byte[length];
        int bits = 0, acc = 0, n = 0;
        foreach (char c in text)
        {
            int v = Alphabet.IndexOf(c);
            if (v < 0)
            {
                return null;
            }

            acc = (acc << 6) | v;
            bits += 6;
            if (bits >= 8)
            {
                bits -= 8;
                if (n < length)
                {
                    result[n++] = (byte)(acc >> bits);
                }

                acc &= (1 << bits) - 1;
            }
        }
        return n == length ? result : null;
    }

    /// <summary>The 18 P-array words then the 4×256 S-box words: π's hexadecimal fraction, 8 digits per word.</summary>
    private static uint[] ComputePiWords()
    {
        const int words = 18 + 4 * 256;
        const int guardBits = 64;
        int bits = words * 32 + guardBits;
        var one = BigInteger.One << bits;
        // Machin: π = 16·atan(1/5) − 4·atan(1/239), in fixed point with `bits` fraction bits.
        var pi = 16 * ArcTanInverse(5, one) - 4 * ArcTanInverse(239, one);
        var fraction = (pi - (3 * one)) >> guardBits;
        var result = new uint[words];
        var mask = new BigInteger(uint.MaxValue);
        for (int i = 0; i < words; i++)
        {
            result[i] = (uint)((fraction >> ((words - 1 - i) * 32)) & mask);
        }

        return result;
    }

    private static BigInteger ArcTanInverse(int x, BigInteger one)
    {
        BigInteger x2 = x * x;
        var power = one / x;
        var sum = power;
        for (int k = 1; !power.IsZero; k++)
        {
            power /= x2;
            var term = power / (2 * k + 1);
            sum += k % 2 == 1 ? -term : term;
        }
        return sum;
    }

    private sealed class Blowfish
    {
        private readonly uint[] _p = new uint[18];
        private readonly uint[] _s = new uint[1024];

        public Blowfish(uint[] initial)
        {
            Array.Copy(initial, 0, _p, 0, 18);
            Array.Copy(initial, 18, _s, 0, 1024);
        }

        /// <summary>Blowfish key schedule; with a salt, the salt is mixed into each encrypted block (Eksblowfish).</summary>
        public void ExpandKey(byte[] key, byte[]? salt)
        {
            int keyPos = 0;
            for (int i = 0; i < 18; i++)
            {
                _p[i] ^= NextWord(key, ref keyPos);
            }

            uint l = 0, r = 0;
            int saltPos = 0;
            for (int i = 0; i < 18; i += 2)
            {
                if (salt != null)
                {
                    l ^= NextWord(salt, ref saltPos);
                    r ^= NextWord(salt, ref saltPos);
                }
                Encrypt(ref l, ref r);
                _p[i] = l;
                _p[i + 1] = r;
            }
            for (int i = 0; i < 1024; i += 2)
            {
                if (salt != null)
                {
                    l ^= NextWord(salt, ref saltPos);
                    r ^= NextWord(salt, ref saltPos);
                }
                Encrypt(ref l, ref r);
                _s[i] = l;
                _s[i + 1] = r;
            }
        }

        private static uint NextWord(byte[] data, ref int pos)
        {
            uint w = 0;
            for (int i = 0; i < 4; i++)
            {
                w = (w << 8) | data[pos];
                pos = (pos + 1) % data.Length;
            }
            return w;
        }

        private uint F(uint x) =>
            ((_s[x >> 24] + _s[256 + ((x >> 16) & 0xff)]) ^ _s[512 + ((x >> 8) & 0xff)]) + _s[768 + (x & 0xff)];

        public void Encrypt(ref uint left, ref uint right)
        {
            uint l = left, r = right;
            l ^= _p[0];
            for (int i = 1; i <= 16; i += 2)
            {
                r ^= F(l) ^ _p[i];
                l ^= F(r) ^ _p[i + 1];
            }
            r ^= _p[17];
            left = r;
            right = l;
        }
    }
}
