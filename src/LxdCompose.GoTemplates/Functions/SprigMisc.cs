// Port of regex.go, url.go and the hash/encryption functions of crypto.go (Masterminds/sprig v3.3.0 and v2.22.0).
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace LxdCompose.GoTemplates.Functions;

public static partial class SprigFunctions
{
    // ---------------------------------------------------------------- regex (Go RE2 syntax run on .NET's engine)

    private static readonly ConcurrentDictionary<string, Regex?> RegexCache = new(StringComparer.Ordinal);

    private static Regex? TryCompile(string pattern) => RegexCache.GetOrAdd(pattern, static p =>
    {
        try
        {
            // Go's $ without (?m) matches only at the very end; .NET's would also match before a final \n.
            var translated = TranslateDollar(p);
            return new Regex(translated, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(5));
        }
        catch (ArgumentException)
        {
            return null;
        }
    });

    private static string TranslateDollar(string p)
    {
        var sb = new StringBuilder(p.Length + 4);
        bool inClass = false;
        for (int i = 0; i < p.Length; i++)
        {
            char c = p[i];
            if (c == '\\' && i + 1 < p.Length)
            {
                sb.Append(c).Append(p[++i]);
                continue;
            }
            if (c == '[')
            {
                inClass = true;
            }
            else if (c == ']')
            {
                inClass = false;
            }

            if (c == '$' && !inClass)
            {
                sb.Append(@"(?(?=\n\z)(?!)|$)");
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }

    private static Regex MustCompile(string pattern, bool must)
    {
        var r = TryCompile(pattern);
        if (r != null)
        {
            return r;
        }

        var quoted = GoFormat.Quote(pattern);
        if (!pattern.Contains('`') && !pattern.Any(char.IsControl))
        {
            quoted = "`" + pattern + "`";
        }

        throw new GoFunctionException(must
            ? $"error parsing regexp: invalid expression: {quoted}"
            : $"regexp: Compile({quoted}): error parsing regexp: invalid expression: {quoted}");
    }

    /// <summary>Go's FindAll: successive matches, skipping an empty match right after the previous match.</summary>
    private static List<Match> GoMatches(Regex re, string s, long n)
    {
        var result = new List<Match>();
        if (n == 0)
        {
            return result;
        }

        int prevEnd = -1;
        for (var m = re.Match(s); m.Success; m = m.NextMatch())
        {
            if (m.Length == 0 && m.Index == prevEnd)
            {
                continue;
            }

            result.Add(m);
            prevEnd = m.Index + m.Length;
            if (n > 0 && result.Count >= n)
            {
                break;
            }
        }
        return result;
    }

    private static string GoReplace(Regex re, string s, string repl, bool literal)
    {
        var sb = new StringBuilder(s.Length);
        int last = 0;
        foreach (var m in GoMatches(re, s, -1))
        {
            sb.Append(s, last, m.Index - last);
            if (literal)
            {
                sb.Append(repl);
            }
            else
            {
                Expand(sb, repl, re, m);
            }

            last = m.Index + m.Length;
        }
        sb.Append(s, last, s.Length - last);
        return sb.ToString();
    }

    /// <summary>regexp.Expand: $name or ${name}, where name is the longest run of letters, digits and underscores.</summary>
    private static void Expand(StringBuilder sb, string template, Regex re, Match m)
    {
        for (int i = 0; i < template.Length; i++)
        {
            char c = template[i];
            if (c != '$' || i + 1 >= template.Length)
            {
                sb.Append(c);
                continue;
            }
            if (template[i + 1] == '$')
            {
                sb.Append('$');
                i++;
                continue;
            }
            string name;
            int end;
            if (template[i + 1] == '{')
            {
                int close = template.IndexOf('}', i + 2);
                if (close < 0)
                { sb.Append(c); continue; }
                name = template[(i + 2)..close];
                end = close;
                if (name.Length == 0 || !name.All(ch => ch == '_' || char.IsLetterOrDigit(ch)))
                { sb.Append(c); continue; }
            }
            else
            {
                int k = i + 1;
                while (k < template.Length && (template[k] == '_' || char.IsLetterOrDigit(template[k])))
                {
                    k++;
                }

                if (k == i + 1)
                { sb.Append(c); continue; }
                name = template[(i + 1)..k];
                end = k - 1;
            }
            Group? g = null;
            if (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int num))
            {
                if (num < re.GetGroupNumbers().Length)
                {
                    g = m.Groups[num];
                }
            }
            else if (re.GroupNumberFromName(name) >= 0)
            {
                g = m.Groups[name];
            }

            if (g is { Success: true })
            {
                sb.Append(g.Value);
            }

            i = end;
        }
    }

    private static List<string> GoRegexSplit(Regex re, string s, long n)
    {
        if (n == 0)
        {
            return [];
        }

        if (re.ToString().Length > 0 && s.Length == 0)
        {
            return [""];
        }

        var result = new List<string>();
        int beg = 0, end = 0;
        foreach (var m in GoMatches(re, s, n))
        {
            if (n > 0 && result.Count == n - 1)
            {
                break;
            }

            end = m.Index;
            if (m.Index + m.Length != 0)
            {
                result.Add(s[beg..end]);
            }

            beg = m.Index + m.Length;
        }
        if (end != s.Length)
        {
            result.Add(s[beg..]);
        }

        return result;
    }

    private static void RegisterRegex(GoFunctionTable t, bool v3)
    {
        t.Add("regexMatch", (_, a) => TryCompile(Str(a[0])) is { } r && r.IsMatch(Str(a[1])), [S, S]);
        t.Add("regexFindAll", (_, a) => GoMatches(MustCompile(Str(a[0]), false), Str(a[1]), (long)a[2]!).Select(m => m.Value).ToList(), [S, S, I]);
        t.Add("regexFind", (_, a) => GoMatches(MustCompile(Str(a[0]), false), Str(a[1]), 1).Select(m => m.Value).FirstOrDefault() ?? "", [S, S]);
        t.Add("regexReplaceAll", (_, a) => GoReplace(MustCompile(Str(a[0]), false), Str(a[1]), Str(a[2]), false), [S, S, S]);
        t.Add("regexReplaceAllLiteral", (_, a) => GoReplace(MustCompile(Str(a[0]), false), Str(a[1]), Str(a[2]), true), [S, S, S]);
        t.Add("regexSplit", (_, a) => GoRegexSplit(MustCompile(Str(a[0]), false), Str(a[1]), (long)a[2]!), [S, S, I]);
        if (!v3)
        {
            return;
        }

        t.Add("mustRegexMatch", (_, a) => MustCompile(Str(a[0]), true).IsMatch(Str(a[1])), [S, S]);
        t.Add("mustRegexFindAll", (_, a) => GoMatches(MustCompile(Str(a[0]), true), Str(a[1]), (long)a[2]!).Select(m => m.Value).ToList(), [S, S, I]);
        t.Add("mustRegexFind", (_, a) => GoMatches(MustCompile(Str(a[0]), true), Str(a[1]), 1).Select(m => m.Value).FirstOrDefault() ?? "", [S, S]);
        t.Add("mustRegexReplaceAll", (_, a) => GoReplace(MustCompile(Str(a[0]), true), Str(a[1]), Str(a[2]), false), [S, S, S]);
        t.Add("mustRegexReplaceAllLiteral", (_, a) => GoReplace(MustCompile(Str(a[0]), true), Str(a[1]), Str(a[2]), true), [S, S, S]);
        t.Add("mustRegexSplit", (_, a) => GoRegexSplit(MustCompile(Str(a[0]), true), Str(a[1]), (long)a[2]!), [S, S, I]);
        t.Add("regexQuoteMeta", (_, a) =>
        {
            var sb = new StringBuilder();
            foreach (char c in Str(a[0]))
            {
                if (@"\.+*?()|[]{}^$".Contains(c))
                {
                    sb.Append('\\');
                }

                sb.Append(c);
            }
            return sb.ToString();
        }, [S]);
    }

    // ---------------------------------------------------------------- urls

    private static void RegisterUrls(GoFunctionTable t)
    {
        t.Add("urlParse", (_, a) => GoUrl.Parse(Str(a[0])), [S]);
        t.Add("urlJoin", (_, a) => GoUrl.Join(Map(a[0])), [M]);
    }

    // ---------------------------------------------------------------- crypto and hashes

    private static void RegisterCrypto(GoFunctionTable t, bool v3, SprigEnvironment environment)
    {
        _ = environment;
        t.Add("sha1sum", (_, a) => Hex(SHA1.HashData(Encoding.UTF8.GetBytes(Str(a[0])))), [S]);
        t.Add("sha256sum", (_, a) => Hex(SHA256.HashData(Encoding.UTF8.GetBytes(Str(a[0])))), [S]);
        t.Add("adler32sum", (_, a) => Adler32(Encoding.UTF8.GetBytes(Str(a[0]))).ToString(CultureInfo.InvariantCulture), [S]);
        t.Add("encryptAES", (_, a) => EncryptAes(Str(a[0]), Str(a[1])), [S, S]);
        t.Add("decryptAES", (_, a) => DecryptAes(Str(a[0]), Str(a[1])), [S, S]);
        t.Add("genPrivateKey", (_, a) => SprigCertificates.GeneratePrivateKey(Str(a[0])), [S]);
        t.Add("buildCustomCert", (_, a) => SprigCertificates.BuildCustom(Str(a[0]), Str(a[1])), [S, S]);
        t.Add("genCA", (_, a) => SprigCertificates.GenerateCA(Str(a[0]), (long)a[1]!, null), [S, I]);
        t.Add("genSelfSignedCert", (_, a) => SprigCertificates.GenerateSelfSigned(Str(a[0]), AsList(a[1]), AsList(a[2]), (long)a[3]!, null), [S, ListOfAny, ListOfAny, I]);
        t.Add("genSignedCert", (_, a) => SprigCertificates.GenerateSigned(Str(a[0]), AsList(a[1]), AsList(a[2]), (long)a[3]!, (SprigCertificate)a[4]!, null), [S, ListOfAny, ListOfAny, I, SprigCertificates.CertificateType]);
        if (!v3)
        {
            return;
        }

        t.Add("sha512sum", (_, a) => Hex(SHA512.HashData(Encoding.UTF8.GetBytes(Str(a[0])))), [S]);
        t.Add("randBytes", (ctx, a) =>
        {
            GoLimits.CheckLength(ctx, 4.0 * Math.Ceiling((long)a[0]! / 3.0));
            return Convert.ToBase64String(RandomNumberGenerator.GetBytes(checked((int)(long)a[0]!)));
        }, [I]);
        t.Add("genCAWithKey", (_, a) => SprigCertificates.GenerateCA(Str(a[0]), (long)a[1]!, Str(a[2])), [S, I, S]);
        t.Add("genSelfSignedCertWithKey", (_, a) => SprigCertificates.GenerateSelfSigned(Str(a[0]), AsList(a[1]), AsList(a[2]), (long)a[3]!, Str(a[4])), [S, ListOfAny, ListOfAny, I, S]);
        t.Add("genSignedCertWithKey", (_, a) => SprigCertificates.GenerateSigned(Str(a[0]), AsList(a[1]), AsList(a[2]), (long)a[3]!, (SprigCertificate)a[4]!, Str(a[5])), [S, ListOfAny, ListOfAny, I, SprigCertificates.CertificateType, S]);
    }

    private static IList<object?>? AsList(object? o) => o switch
    {
        null => null,
        IList<object?> l => l,
        _ => null,
    };

    private static string Hex(byte[] b) => Convert.ToHexString(b).ToLowerInvariant();

    private static uint Adler32(byte[] data)
    {
        const uint mod = 65521;
        uint s1 = 1, s2 = 0;
        foreach (var b in data)
        {
            s1 = (s1 + b) % mod;
            s2 = (s2 + s1) % mod;
        }
        return s2 << 16 | s1;
    }

    /// <summary>sprig's encryptAES: key = password bytes zero-padded/truncated to 32, PKCS#7 padding, random IV prepended, base64.</summary>
    internal static string EncryptAes(string password, string plaintext)
    {
        if (plaintext.Length == 0)
        {
            return "";
        }

        using var aes = Aes.Create();
        aes.Key = AesKey(password);
        var iv = RandomNumberGenerator.GetBytes(16);
        var cipher = aes.EncryptCbc(Encoding.UTF8.GetBytes(plaintext), iv, PaddingMode.PKCS7);
        return Convert.ToBase64String([.. iv, .. cipher]);
    }

    internal static string DecryptAes(string password, string crypt64)
    {
        if (crypt64.Length == 0)
        {
            return "";
        }

        byte[] crypt;
        try
        {
            crypt = Convert.FromBase64String(crypt64);
        }
        catch (FormatException)
        {
            throw new GoFunctionException(GoBase64Decode(crypt64));
        }
        if (crypt.Length < 16)
        {
            throw new GoFunctionException($"runtime error: slice bounds out of range [:16] with capacity {crypt.Length}");
        }

        if ((crypt.Length - 16) % 16 != 0)
        {
            throw new GoFunctionException("crypto/cipher: input not full blocks");
        }

        using var aes = Aes.Create();
        aes.Key = AesKey(password);
        var plain = aes.DecryptCbc(crypt.AsSpan(16), crypt.AsSpan(0, 16), PaddingMode.None);
        if (plain.Length == 0)
        {
            throw new GoFunctionException("runtime error: index out of range [-1]");
        }

        int pad = plain[^1];
        if (pad > plain.Length)
        {
            throw new GoFunctionException($"runtime error: slice bounds out of range [:{plain.Length - pad}]");
        }

        return Encoding.UTF8.GetString(plain, 0, plain.Length - pad);
    }

    private static byte[] AesKey(string password)
    {
        var key = new byte[32];
        var pw = Encoding.UTF8.GetBytes(password);
        Array.Copy(pw, key, Math.Min(32, pw.Length));
        return key;
    }
}
