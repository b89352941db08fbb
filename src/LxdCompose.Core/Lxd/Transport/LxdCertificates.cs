using System.Net.Security;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace LxdCompose.Lxd.Transport;

/// <summary>Certificate helpers: LXD fingerprints, PEM files, the client identity lxc generates.</summary>
public static class LxdCertificateFiles
{
    /// <summary>LXD's fingerprint: lowercase hex SHA-256 of the DER certificate.</summary>
    public static string Fingerprint(X509Certificate2 certificate) =>
        Convert.ToHexString(SHA256.HashData(certificate.RawData)).ToLowerInvariant();

    /// <summary>Fingerprints match when one is a prefix (at least 12 hex digits, as lxc prints) of the other.</summary>
    public static bool FingerprintsMatch(string a, string b)
    {
        var x = a.Replace(":", string.Empty, StringComparison.Ordinal).Trim().ToLowerInvariant();
        var y = b.Replace(":", string.Empty, StringComparison.Ordinal).Trim().ToLowerInvariant();
        return x.Length >= 12 && y.Length >= 12 && (x.StartsWith(y, StringComparison.Ordinal) || y.StartsWith(x, StringComparison.Ordinal));
    }

    public static X509Certificate2 LoadCertificate(string path)
    {
        try
        {
            return X509Certificate2.CreateFromPem(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new LxdConfigException($"Cannot read the certificate '{path}': {e.Message}", e) { Target = path };
        }
    }

    public static string ToPem(X509Certificate2 certificate) => certificate.ExportCertificatePem() + "\n";

    /// <summary>
    /// The client identity from client.crt + client.key (PEM; RSA, or the SEC1 "EC PRIVATE KEY" lxc writes). On Windows
    /// SChannel cannot use the ephemeral key of a PEM import, so the pair goes through PKCS#12 once.
    /// </summary>
    public static X509Certificate2 LoadClientIdentity(string certificatePath, string keyPath)
    {
        X509Certificate2 pair;
        try
        {
            pair = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new LxdConfigException(
                $"Cannot use the client certificate '{certificatePath}' with the key '{keyPath}': {e.Message}", e)
            { Target = certificatePath };
        }

        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            return pair;
        }

        using (pair)
        {
            var pkcs12 = pair.Export(X509ContentType.Pkcs12);
            return new X509Certificate2(pkcs12, (string?)null, X509KeyStorageFlags.Exportable);
        }
    }

    /// <summary>
    /// Writes a new client identity like lxc does: P-384 ECDSA, self-signed, 10 years, client authentication;
    /// the key as PEM "EC PRIVATE KEY" readable by the owner only.
    /// </summary>
    public static void GenerateClientIdentity(string certificatePath, string keyPath)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var user = Environment.UserName;
        var subject = new X500DistinguishedName($"O=LxdCompose, CN={user}@{Environment.MachineName}");
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA384);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            new OidCollection { new Oid("1.3.6.1.5.5.7.3.2") }, critical: false));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10));

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(certificatePath))!);
        Security.PrivateFile.WriteAllText(keyPath, key.ExportECPrivateKeyPem() + "\n");
        File.WriteAllText(certificatePath, ToPem(certificate));
    }
}

/// <summary>
/// Decides whether a server certificate is acceptable: with a pinned certificate only that exact certificate (SHA-256 of
/// the DER) is; without one only a chain-valid certificate for the host is. Remembers the last pin mismatch so the
/// transport can raise <see cref="LxdCertificatePinMismatchException"/> instead of a bare handshake error.
/// </summary>
public sealed class LxdServerCertificatePolicy
{
    private volatile PinMismatch? _lastMismatch;

    public LxdServerCertificatePolicy(X509Certificate2? pinned)
    {
        Pinned = pinned;
        PinnedFingerprint = pinned is null ? null : LxdCertificateFiles.Fingerprint(pinned);
    }

    public X509Certificate2? Pinned { get; }

    public string? PinnedFingerprint { get; }

    internal PinMismatch? LastMismatch => _lastMismatch;

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            return false;
        }

        if (PinnedFingerprint is null)
        {
            return errors == SslPolicyErrors.None;
        }

        using var presented = new X509Certificate2(certificate);
        var actual = LxdCertificateFiles.Fingerprint(presented);
        if (string.Equals(actual, PinnedFingerprint, StringComparison.Ordinal))
        {
            return true;
        }

        _lastMismatch = new PinMismatch(PinnedFingerprint, actual);
        return false;
    }

    internal sealed record PinMismatch(string Expected, string Actual);
}
