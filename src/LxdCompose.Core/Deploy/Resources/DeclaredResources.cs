using System.Security.Cryptography.X509Certificates;
using LxdCompose.Lxd.Transport;
using LxdCompose.Specs;

namespace LxdCompose.Deploy;

/// <summary>A profile, network, storage pool, network ACL or certificate as an environment declares it.</summary>
public sealed record DeclaredResource(ResourceKind Kind, string Name, object Declaration)
{
    public string Description { get; init; } = string.Empty;

    /// <summary>Free text for people (storage pools and ACLs); never sent to LXD.</summary>
    public string Documentation { get; init; } = string.Empty;

    public SourceLocation Location { get; init; }

    public string EnvironmentFile { get; init; } = string.Empty;
}

/// <summary>The resources environments declare, by kind; a name declared twice is its first declaration (load order).</summary>
public static class DeclaredResources
{
    public static IReadOnlyList<DeclaredResource> Of(IEnumerable<LxdEnvironment> environments, ResourceKind kind)
    {
        var all = environments.SelectMany(env => kind switch
        {
            ResourceKind.Profile => env.Profiles.Select(p => new DeclaredResource(kind, p.Name, p)
            { Description = p.Description, Location = p.Location, EnvironmentFile = env.File }),
            ResourceKind.Network => env.Networks.Select(n => new DeclaredResource(kind, n.Name, n)
            { Description = n.Description, Location = n.Location, EnvironmentFile = env.File }),
            ResourceKind.StoragePool => env.Storages.Select(p => new DeclaredResource(kind, p.Name, p)
            { Description = p.Description, Documentation = p.Documentation, Location = p.Location, EnvironmentFile = env.File }),
            ResourceKind.NetworkAcl => env.Acls.Select(a => new DeclaredResource(kind, a.Name, a)
            { Description = a.Description, Documentation = a.Documentation, Location = a.Location, EnvironmentFile = env.File }),
            _ => env.Certificates.Select(c => new DeclaredResource(kind, c.Name, c) { Location = c.Location, EnvironmentFile = env.File }),
        });
        return all.DistinctBy(r => r.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>lxd-compose's description of what it creates without one (profiles and certificates have none).</summary>
    public static string DefaultDescription(ResourceKind kind, string name, string declared) => declared.Length > 0
        ? declared
        : kind switch
        {
            ResourceKind.Network => $"Network {name} created by lxd-compose",
            ResourceKind.StoragePool => $"Storage {name} created by lxd-compose",
            ResourceKind.NetworkAcl => $"ACL {name} created by lxd-compose",
            _ => string.Empty,
        };

    /// <summary>
    /// The certificate a declaration names: <c>certificate_path</c> (a PEM file), or the inline <c>certificate</c> (PEM, or
    /// base64 of the DER bytes as lxd-compose sends it).
    /// </summary>
    public static X509Certificate2 LoadCertificate(LxdCertificate declared)
    {
        try
        {
            if (declared.CertificatePath.Length > 0)
            {
                return LxdCertificateFiles.LoadCertificate(declared.CertificatePath);
            }

            var text = declared.Certificate.Trim();
            if (text.Length == 0)
            {
                throw new FormatException("it has neither certificate nor certificate_path");
            }

            return text.StartsWith("-----BEGIN", StringComparison.Ordinal)
                ? X509Certificate2.CreateFromPem(text)
                : new X509Certificate2(Convert.FromBase64String(text));
        }
        catch (Exception e) when (e is FormatException or System.Security.Cryptography.CryptographicException or IOException
                                      or UnauthorizedAccessException or Lxd.LxdException)
        {
            throw new DeployException($"The certificate '{declared.Name}' declared at {declared.Location} cannot be read: {e.Message}", declared.Name, e);
        }
    }
}
