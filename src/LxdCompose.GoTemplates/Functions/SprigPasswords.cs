// Port of bcrypt, htpasswd and derivePassword of crypto.go (Masterminds/sprig v3.3.0 and v2.22.0).
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace LxdCompose.GoTemplates.Functions;

/// <summary>sprig's password functions: bcrypt, htpasswd (v3) and derivePassword (Master Password, both versions).</summary>
public static partial class SprigFunctions
{
    private static void RegisterPasswords(GoFunctionTable t, bool v3)
    {
        t.Add("derivePassword", (_, a) => DerivePassword((uint)a[0]!, Str(a[1]), Str(a[2]), Str(a[3]), Str(a[4])),
            [GoType.UInt32, S, S, S, S]);
        if (!v3)
        {
            return;
        }

        t.Add("bcrypt", (_, a) => BcryptText(Str(a[0])), [S]);
        t.Add("htpasswd", (_, a) => Htpasswd(Str(a[0]), Str(a[1])), [S, S]);
    }

    /// <summary>sprig returns failures as text rather than errors.</summary>
    private static string BcryptText(string input)
    {
        try
        {
            return Bcrypt.Hash(input);
        }
        catch (ArgumentException e)
        {
            return "failed to encrypt string with bcrypt: " + e.Message;
        }
    }

    /// <summary>RFC 2617 forbids ':' in a user name; sprig answers with text, not an error.</summary>
    private static string Htpasswd(string username, string password) =>
        username.Contains(':', StringComparison.Ordinal) ? "invalid username: " + username : username + ":" + BcryptText(password);

    private const string MasterPasswordSeed = "com.lyndir.masterpassword";

    private static readonly Dictionary<string, string[]> PasswordTemplates = new(StringComparer.Ordinal)
    {
        ["maximum"] = ["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
        ["long"] =
        [
            "CvcvnoCvcvCvcv", "CvcvCvcvnoCvcv", "CvcvCvcvCvcvno", "CvccnoCvcvCvcv", "CvccCvcvnoCvcv", "CvccCvcvCvcvno",
            "CvcvnoCvccCvcv", "CvcvCvccnoCvcv", "CvcvCvccCvcvno", "CvcvnoCvcvCvcc", "CvcvCvcvnoCvcc", "CvcvCvcvCvccno",
            "CvccnoCvccCvcv", "CvccCvccnoCvcv", "CvccCvccCvcvno", "CvcvnoCvccCvcc", "CvcvCvccnoCvcc", "CvcvCvccCvccno",
            "CvccnoCvcvCvcc", "CvccCvcvnoCvcc", "CvccCvcvCvccno",
        ],
        ["medium"] = ["CvcnoCvc", "CvcCvcno"],
        ["short"] = ["Cvcn"],
        ["basic"] = ["aaanaaan", "aannaaan", "aaannaaa"],
        ["pin"] = ["nnnn"],
    };

    private static readonly Dictionary<char, string> TemplateCharacters = new()
    {
        ['V'] = "AEIOU",
        ['C'] = "BCDFGHJKLMNPQRSTVWXYZ",
        ['v'] = "aeiou",
        ['c'] = "bcdfghjklmnpqrstvwxyz",
        ['A'] = "AEIOUBCDFGHJKLMNPQRSTVWXYZ",
        ['a'] = "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
        ['n'] = "0123456789",
        ['o'] = "@&%?,=[]_:-+*$#!'^~;()/.",
        ['x'] = "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
    };

    /// <summary>The Master Password algorithm: scrypt(password, seed‖len(user)‖user) keys an HMAC of the site and counter.</summary>
    internal static string DerivePassword(uint counter, string passwordType, string password, string user, string site)
    {
        if (!PasswordTemplates.TryGetValue(passwordType, out var templates))
        {
            return "cannot find password template " + passwordType;
        }

        var key = Scrypt.DeriveKey(Encoding.UTF8.GetBytes(password), SeedAndText(user, null), 32768, 8, 2, 64);
        var seed = HMACSHA256.HashData(key, SeedAndText(site, counter));
        var template = templates[seed[0] % templates.Length];
        var sb = new StringBuilder(template.Length);
        for (int i = 0; i < template.Length; i++)
        {
            var chars = TemplateCharacters[template[i]];
            sb.Append(chars[seed[i + 1] % chars.Length]);
        }
        return sb.ToString();
    }

    /// <summary>The seed, the big-endian byte length of <paramref name="text"/>, the text, then the counter if any.</summary>
    private static byte[] SeedAndText(string text, uint? counter)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var buffer = new List<byte>(Encoding.ASCII.GetBytes(MasterPasswordSeed));
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(word, (uint)bytes.Length);
        buffer.AddRange(word.ToArray());
        buffer.AddRange(bytes);
        if (counter is { } c)
        {
            BinaryPrimitives.WriteUInt32BigEndian(word, c);
            buffer.AddRange(word.ToArray());
        }
        return buffer.ToArray();
    }
}
