// Port of crypto.go, certificate functions (Masterminds/sprig v3.3.0 and v2.22.0).
using System.Formats.Asn1;
using System.Net;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace LxdCompose.GoTemplates.Functions;

/// <summary>sprig's certificate struct: PEM texts, read in templates as <c>.Cert</c> and <c>.Key</c>.</summary>
public sealed class SprigCertificate
{
    public SprigCertificate(string cert, string key)
    {
        Cert = cert;
        Key = key;
    }

    public string Cert { get; }

    public string Key { get; }
}

/// <summary>Key and certificate generation with sprig's parameters (RSA 2048 for certificates, 128-bit serials).</summary>
internal static class SprigCertificates
{
    public static readonly GoType CertificateType = GoType.Custom("sprig.certificate", false, v => v is SprigCertificate);

    public static string GeneratePrivateKey(string type)
    {
        switch (type)
        {
            case "" or "rsa":
            {
                using var rsa = RSA.Create(4096);
                return Pem("RSA PRIVATE KEY", rsa.ExportRSAPrivateKey());
            }
            case "ecdsa":
            {
                using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                return Pem("EC PRIVATE KEY", ec.ExportECPrivateKey());
            }
            case "ed25519":
            {
                // PKCS#8 of an Ed25519 key holds only the 32-byte seed, as Go's MarshalPKCS8PrivateKey writes it.
                var seed = RandomNumberGenerator.GetBytes(32);
                var w = new AsnWriter(AsnEncodingRules.DER);
                using (w.PushSequence())
                {
                    w.WriteInteger(0);
                    using (w.PushSequence())
                    {
                        w.WriteObjectIdentifier("1.3.101.112");
                    }

                    var inner = new AsnWriter(AsnEncodingRules.DER);
                    inner.WriteOctetString(seed);
                    w.WriteOctetString(inner.Encode());
                }
                return Pem("PRIVATE KEY", w.Encode());
            }
            case "dsa":
            {
                using var dsa = DSA.Create(2048);
                var p = dsa.ExportParameters(true);
                var w = new AsnWriter(AsnEncodingRules.DER);
                using (w.PushSequence())
                {
                    w.WriteInteger(0);
                    foreach (var part in new[] { p.P!, p.Q!, p.G!, p.Y!, p.X! })
                    {
                        w.WriteInteger(new BigInteger(part, isUnsigned: true, isBigEndian: true));
                    }
                }
                return Pem("DSA PRIVATE KEY", w.Encode());
            }
            default:
                return "Unknown type " + type;
        }
    }

    internal static string Pem(string type, byte[] der)
    {
        var sb = new StringBuilder();
        sb.Append("-----BEGIN ").Append(type).Append("-----\n");
        var b64 = Convert.ToBase64String(der);
        for (int i = 0; i < b64.Length; i += 64)
        {
            sb.Append(b64, i, Math.Min(64, b64.Length - i)).Append('\n');
        }

        sb.Append("-----END ").Append(type).Append("-----\n");
        return sb.ToString();
    }

    private static AsymmetricAlgorithm ParsePrivateKey(string pem)
    {
        int begin = pem.IndexOf("-----BEGIN ", StringComparison.Ordinal);
        if (begin < 0)
        {
            throw new GoFunctionException("no PEM data in input");
        }

        int typeEnd = pem.IndexOf("-----", begin + 11, StringComparison.Ordinal);
        var type = pem[(begin + 11)..typeEnd];
        if (type != "PRIVATE KEY" && !type.EndsWith(" PRIVATE KEY", StringComparison.Ordinal))
        {
            throw new GoFunctionException($"no private key data in PEM block of type {type}");
        }

        try
        {
            switch (type)
            {
                case "RSA PRIVATE KEY" or "PRIVATE KEY" when TryRsa(pem, out var rsa):
                    return rsa;
                case "EC PRIVATE KEY" or "PRIVATE KEY":
                {
                    var ec = ECDsa.Create();
                    ec.ImportFromPem(pem);
                    return ec;
                }
                default:
                    throw new GoFunctionException($"invalid private key type {type}");
            }
        }
        catch (CryptographicException e)
        {
            throw new GoFunctionException($"parsing private key from PEM: {e.Message}");
        }
        catch (ArgumentException e)
        {
            throw new GoFunctionException($"parsing private key from PEM: {e.Message}");
        }
    }

    private static bool TryRsa(string pem, out AsymmetricAlgorithm key)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            key = rsa;
            return true;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            rsa.Dispose();
            key = null!;
            return false;
        }
    }

    public static SprigCertificate BuildCustom(string b64cert, string b64key)
    {
        string cert, key;
        try
        { cert = Encoding.UTF8.GetString(Convert.FromBase64String(b64cert)); }
        catch (FormatException) { throw new GoFunctionException("unable to decode base64 certificate"); }
        try
        { key = Encoding.UTF8.GetString(Convert.FromBase64String(b64key)); }
        catch (FormatException) { throw new GoFunctionException("unable to decode base64 private key"); }
        try
        {
            using var parsed = X509Certificate2.CreateFromPem(cert);
        }
        catch (CryptographicException e)
        {
            throw new GoFunctionException($"error parsing certificate: decodedCert.Bytes: {e.Message}");
        }
        using (ParsePrivateKey(key))
        { }
        return new SprigCertificate(cert, key);
    }

    public static SprigCertificate GenerateCA(string cn, long daysValid, string? keyPem)
    {
        using var key = keyPem == null ? RSA.Create(2048) : ParsePrivateKey(keyPem);
        var request = BaseRequest(cn, null, null, key);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        using var cert = request.CreateSelfSigned(now, now.AddDays(daysValid));
        return new SprigCertificate(Pem("CERTIFICATE", cert.RawData), KeyPem(key));
    }

    public static SprigCertificate GenerateSelfSigned(string cn, IList<object?>? ips, IList<object?>? dns, long daysValid, string? keyPem)
    {
        using var key = keyPem == null ? RSA.Create(2048) : ParsePrivateKey(keyPem);
        var request = BaseRequest(cn, ips, dns, key);
        AddLeafExtensions(request);
        var now = DateTimeOffset.UtcNow;
        using var cert = request.CreateSelfSigned(now, now.AddDays(daysValid));
        return new SprigCertificate(Pem("CERTIFICATE", cert.RawData), KeyPem(key));
    }

    public static SprigCertificate GenerateSigned(string cn, IList<object?>? ips, IList<object?>? dns, long daysValid, SprigCertificate ca, string? keyPem)
    {
        X509Certificate2 caCert;
        try
        { caCert = X509Certificate2.CreateFromPem(ca.Cert); }
        catch (CryptographicException) { throw new GoFunctionException("unable to decode certificate"); }
        using var caKey = ParsePrivateKey(ca.Key);
        using var key = keyPem == null ? RSA.Create(2048) : ParsePrivateKey(keyPem);
        var request = BaseRequest(cn, ips, dns, key);
        AddLeafExtensions(request);
        var now = DateTimeOffset.UtcNow;
        var serial = RandomSerial();
        X509Certificate2 cert;
        var subjectName = caCert.SubjectName;
        var generator = caKey switch
        {
            RSA r => X509SignatureGenerator.CreateForRSA(r, RSASignaturePadding.Pkcs1),
            ECDsa e => X509SignatureGenerator.CreateForECDsa(e),
            _ => throw new GoFunctionException("unsupported signer key type"),
        };
        var notAfter = now.AddDays(daysValid);
        if (notAfter > caCert.NotAfter)
        {
            notAfter = caCert.NotAfter;
        }

        cert = request.Create(subjectName, generator, now, notAfter, serial);
        using (cert)
        using (caCert)
        {
            return new SprigCertificate(Pem("CERTIFICATE", cert.RawData), KeyPem(key));
        }
    }

    private static void AddLeafExtensions(CertificateRequest request)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            new OidCollection { new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2") }, false));
    }

    private static CertificateRequest BaseRequest(string cn, IList<object?>? ips, IList<object?>? dns, AsymmetricAlgorithm key)
    {
        var subject = new X500DistinguishedNameBuilder();
        if (cn.Length > 0)
        {
            subject.AddCommonName(cn);
        }

        var request = key switch
        {
            RSA rsa => new CertificateRequest(subject.Build(), rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ECDsa ec => new CertificateRequest(subject.Build(), ec, HashAlgorithmName.SHA256),
            _ => throw new GoFunctionException($"unable to get public key for type {key.GetType().Name}"),
        };
        var san = new SubjectAlternativeNameBuilder();
        bool any = false;
        foreach (var ip in ips ?? [])
        {
            if (ip is not string s)
            {
                throw new GoFunctionException($"error parsing ip: {SprigValues.Strval(ip)} is not a string");
            }

            if (!IPAddress.TryParse(s, out var address))
            {
                throw new GoFunctionException($"error parsing ip: {s}");
            }

            san.AddIpAddress(address);
            any = true;
        }
        foreach (var name in dns ?? [])
        {
            if (name is not string s)
            {
                throw new GoFunctionException($"error processing alternate dns name: {SprigValues.Strval(name)} is not a string");
            }

            san.AddDnsName(s);
            any = true;
        }
        if (any)
        {
            request.CertificateExtensions.Add(san.Build());
        }

        return request;
    }

    private static byte[] RandomSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        if (serial[0] == 0)
        {
            serial[0] = 1;
        }

        return serial;
    }

    private static string KeyPem(AsymmetricAlgorithm key) => key switch
    {
        RSA rsa => Pem("RSA PRIVATE KEY", rsa.ExportRSAPrivateKey()),
        ECDsa ec => Pem("EC PRIVATE KEY", ec.ExportECPrivateKey()),
        _ => throw new GoFunctionException("unsupported key type"),
    };
}
