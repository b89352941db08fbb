using LxdCompose.Lxd;
using LxdCompose.Lxd.Config;
using Xunit;

namespace LxdCompose.Tests.Lxd;

/// <summary>
/// The lab of tests/lab/lab.sh, read from lab.env (env LXDCOMPOSE_LAB_ENV, default /var/lib/lxdcompose-lab/lab.env).
/// Integration tests fail, never skip, when it is absent.
/// </summary>
public sealed class LabEnvironment
{
    public const string NotUpMessage = "the LXD lab is not up: run `sudo bash tests/lab/lab.sh up`";

    private readonly IReadOnlyDictionary<string, string> _values;

    private LabEnvironment(string file, IReadOnlyDictionary<string, string> values)
    {
        File = file;
        _values = values;
    }

    public string File { get; }

    public string ConfigDirectory => Require("LXDCOMPOSE_LAB_CONF");

    public IReadOnlyList<string> Vms => Require("LXDCOMPOSE_LAB_VMS").Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public string Socket(string vm) => Require($"LXDCOMPOSE_LAB_SOCKET_{vm}");

    public string Address(string vm) => Require($"LXDCOMPOSE_LAB_ADDRESS_{vm}");

    public string BusyboxAlias => Require("LXDCOMPOSE_LAB_IMAGE_BUSYBOX");

    public string DebianAlias => Require("LXDCOMPOSE_LAB_IMAGE_DEBIAN");

    public string SimplestreamsUrl => Require("LXDCOMPOSE_LAB_SIMPLESTREAMS");

    /// <summary>The Incus server of <c>lab.sh up --incus</c>.</summary>
    public string IncusSocket => Require("LXDCOMPOSE_LAB_INCUS_SOCKET");

    public string IncusAddress => Require("LXDCOMPOSE_LAB_INCUS_ADDRESS");

    public LxdClientConfig LoadConfig() => LxdClientConfig.Load(ConfigDirectory);

    public static string EnvFile =>
        Environment.GetEnvironmentVariable("LXDCOMPOSE_LAB_ENV") is { Length: > 0 } given ? given : "/var/lib/lxdcompose-lab/lab.env";

    /// <summary>The lab, or a failed test with the contract's message.</summary>
    public static LabEnvironment Load()
    {
        var lab = TryLoad(out var failure);
        if (lab is null)
        {
            Assert.Fail(failure);
        }

        return lab!;
    }

    /// <summary>The lab, or null with the failure message (for fixtures, which must not throw before a test runs).</summary>
    public static LabEnvironment? TryLoad(out string failure)
    {
        var file = EnvFile;
        if (!System.IO.File.Exists(file))
        {
            failure = $"{NotUpMessage} ({file} is missing)";
            return null;
        }

        failure = string.Empty;
        return new LabEnvironment(file, Parse(System.IO.File.ReadAllLines(file)));
    }

    public string? BusyboxAliasOrNull => _values.TryGetValue("LXDCOMPOSE_LAB_IMAGE_BUSYBOX", out var alias) ? alias : null;

    /// <summary>Shell KEY=VALUE lines; values may be single- or double-quoted; comments and blanks are ignored.</summary>
    public static IReadOnlyDictionary<string, string> Parse(IEnumerable<string> lines)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var equals = line.IndexOf('=');
            if (equals <= 0)
            {
                continue;
            }

            var value = line[(equals + 1)..].Trim();
            if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0])
            {
                value = value[1..^1];
            }

            values[line[..equals].Trim()] = value;
        }

        return values;
    }

    private string Require(string key)
    {
        if (!_values.TryGetValue(key, out var value) || value.Length == 0)
        {
            Assert.Fail($"{NotUpMessage} ({File} has no {key}; this test needs that part of the lab)");
        }

        return value!;
    }

    public LxdClient ConnectTls(string vm) => LxdConnector.Connect(LoadConfig(), vm);

    public LxdClient ConnectUnix(string vm) => LxdConnector.ConnectSocket(Socket(vm));
}
