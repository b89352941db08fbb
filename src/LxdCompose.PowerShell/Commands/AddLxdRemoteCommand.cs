using System.Collections;
using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security;
using LxdCompose.Lxd;
using LxdCompose.PowerShell.Internal;

namespace LxdCompose.PowerShell.Commands;

/// <summary>
/// Adds a remote like <c>lxc remote add</c>: checks the server certificate (trust token fingerprint, -Fingerprint, chain
/// validity or -AcceptCertificate), pins it in servercerts/, generates a P-384 client certificate when there is none, gets
/// it trusted with the token, and writes config.yml. Binds objects by property name (Name, IPAddress, HostName) and
/// PowerCLI VMs through Guest.IPAddress.
/// </summary>
[Cmdlet(VerbsCommon.Add, "LxdRemote", DefaultParameterSetName = "Remote", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(LxdRemoteInfo))]
public sealed class AddLxdRemoteCommand : LxdRemoteCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("VmName", "ComputerName")]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>https://host[:port] (port 8443 by default), a host or IP address, or unix:/path. The first usable of several.</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("IPAddress", "IP", "HostName")]
    public string[]? Address { get; set; }

    /// <summary>Any object with Name and IPAddress/HostName, or a PowerCLI VM (Guest.IPAddress, Guest.HostName).</summary>
    [Parameter(ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    /// <summary>A trust token from <c>lxc config trust add</c> (string or SecureString); never shown in output.</summary>
    [Parameter]
    [TrustTokenTransformation]
    public SecureString? Token { get; set; }

    /// <summary>Trust the server's self-signed certificate on first contact (check its fingerprint first) and pin it.</summary>
    [Parameter]
    public SwitchParameter AcceptCertificate { get; set; }

    /// <summary>The fingerprint (or a prefix of at least 12 hex digits) the server's certificate must have.</summary>
    [Parameter]
    [ValidatePattern("^[0-9a-fA-F:]{12,}$")]
    public string? Fingerprint { get; set; }

    [Parameter]
    public string? Project { get; set; }

    [Parameter]
    [ValidateSet("lxd", "incus", "simplestreams")]
    public string Protocol { get; set; } = "lxd";

    /// <summary>Make it the default remote.</summary>
    [Parameter]
    public SwitchParameter Default { get; set; }

    protected override void ProcessRecord()
    {
        var name = Name ?? DuckText(InputObject, "Name", "VmName");
        var address = PickAddress(Address) ?? PickAddress(DuckAddresses(InputObject));
        if (string.IsNullOrEmpty(name))
        {
            WriteError(new ErrorRecord(
                new ArgumentException("The remote needs a name: pass -Name, or an object with a Name property."), ErrorIds.RemoteNameMissing, ErrorCategory.InvalidArgument, InputObject));
            return;
        }

        if (address is null && Token is null)
        {
            WriteError(new ErrorRecord(
                new ArgumentException($"The remote '{name}' needs an address: pass -Address, an object with IPAddress or HostName (for a PowerCLI VM, wait for VMware Tools to report Guest.IPAddress), or a -Token that lists addresses."),
                ErrorIds.RemoteAddressMissing,
                ErrorCategory.ResourceUnavailable,
                InputObject ?? (object)name));
            return;
        }

        var directory = ResolveConfigDirectory();
        if (!ShouldProcess($"remote '{name}' at {address ?? "the token's addresses"} in {directory}",
                Token is null ? "Add the LXD remote and pin its certificate" : "Add the LXD remote, pin its certificate and get this client trusted with the token"))
        {
            return;
        }

        try
        {
            WriteObject(AddRemote(name, address));
        }
        catch (Exception e) when (ErrorRecords.IsClientFailure(e))
        {
            WriteError(ErrorRecords.FromClientFailure(e, name));
        }
    }

    private LxdRemoteInfo AddRemote(string name, string? address)
    {
        var config = LoadConfig();
        var request = new LxdAddRemoteRequest(name)
        {
            Address = address,
            Token = Token is null ? null : Reveal(Token),
            AcceptCertificate = AcceptCertificate,
            ExpectedFingerprint = Fingerprint,
            Project = Project,
            Protocol = Protocol,
            MakeDefault = Default,
        };
        var result = Run(token => LxdRemoteOnboarding.AddAsync(config, request, token));
        if (result.GeneratedClientIdentity)
        {
            WriteVerbose($"Generated a client certificate in '{config.ClientCertificatePath}'.");
        }

        if (result.ServerFingerprint is { } fingerprint)
        {
            WriteVerbose($"Server certificate {fingerprint}{(result.Pinned ? " pinned in servercerts/" : string.Empty)}; server version {result.ServerVersion ?? "unknown"}.");
        }

        var written = Lxd.Config.LxdClientConfig.Load(config.Directory);
        return ToInfo(written, written.GetRemote(name));
    }

    /// <summary>The first address that is not link-local, written as lxc expects (IPv6 in brackets).</summary>
    internal static string? PickAddress(IEnumerable<string>? candidates)
    {
        foreach (var raw in candidates ?? Enumerable.Empty<string>())
        {
            var text = raw?.Trim();
            if (string.IsNullOrEmpty(text))
            {
                continue;
            }

            if (IPAddress.TryParse(text, out var ip))
            {
                if (ip.IsIPv6LinkLocal || (ip.AddressFamily == AddressFamily.InterNetwork && text.StartsWith("169.254.", StringComparison.Ordinal)))
                {
                    continue;
                }

                return ip.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{ip}]" : text;
            }

            return text;
        }

        return null;
    }

    private static IEnumerable<string>? DuckAddresses(PSObject? input)
    {
        if (input is null)
        {
            return null;
        }

        var guest = input.Properties["Guest"]?.Value is { } g ? PSObject.AsPSObject(g) : null;
        return Strings(guest?.Properties["IPAddress"]?.Value)
            .Concat(Strings(input.Properties["IPAddress"]?.Value))
            .Concat(Strings(guest?.Properties["HostName"]?.Value))
            .Concat(Strings(input.Properties["HostName"]?.Value))
            .ToList();
    }

    private static string? DuckText(PSObject? input, params string[] names) =>
        input is null ? null : names.Select(n => input.Properties[n]?.Value?.ToString()).FirstOrDefault(v => !string.IsNullOrEmpty(v));

    private static IEnumerable<string> Strings(object? value) => PSObject.AsPSObject(value ?? string.Empty).BaseObject switch
    {
        string s when s.Length > 0 => new[] { s },
        IEnumerable items and not string => items.Cast<object?>().Select(i => i?.ToString() ?? string.Empty).Where(s => s.Length > 0),
        _ => Array.Empty<string>(),
    };

    private static string Reveal(SecureString secret)
    {
        var pointer = Marshal.SecureStringToGlobalAllocUnicode(secret);
        try
        {
            return Marshal.PtrToStringUni(pointer) ?? string.Empty;
        }
        finally
        {
            Marshal.ZeroFreeGlobalAllocUnicode(pointer);
        }
    }
}

/// <summary>Lets -Token take a plain string (as lxc prints it) as well as a SecureString.</summary>
internal sealed class TrustTokenTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        if (value is string text)
        {
            var secure = new SecureString();
            foreach (var c in text.Trim())
            {
                secure.AppendChar(c);
            }

            secure.MakeReadOnly();
            return secure;
        }

        return value;
    }
}
