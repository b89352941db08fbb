using LxdCompose.Lxd;
using LxdCompose.Lxd.Api;
using Xunit;

namespace LxdCompose.Tests.Lxd;

/// <summary>One running busybox container on the first VM, shared by the exec and file tests; removed at the end.</summary>
public sealed class LabFixture : IAsyncLifetime
{
    private LabEnvironment? _lab;
    private LxdClient? _tls;
    private LxdClient? _unix;
    private string? _failure;

    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    public LabEnvironment Lab => _lab ?? Fail<LabEnvironment>();

    public string Vm => Lab.Vms[0];

    /// <summary>Client of the first VM over HTTPS.</summary>
    public LxdClient Tls => _tls ?? Fail<LxdClient>();

    /// <summary>Client of the first VM over its unix socket.</summary>
    public LxdClient Unix => _unix ?? Fail<LxdClient>();

    public string Container { get; } = UniqueName("lxdc-shared");

    public static CancellationToken Timeout(int seconds = 120) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    public async Task InitializeAsync()
    {
        var lab = LabEnvironment.TryLoad(out var failure);
        if (lab is null)
        {
            _failure = failure;
            return;
        }

        _lab = lab;
        _tls = lab.ConnectTls(lab.Vms[0]);
        _unix = lab.ConnectUnix(lab.Vms[0]);
        var image = await _tls.Images.FindAsync(lab.BusyboxAliasOrNull ?? "busybox/lab", Timeout()) ?? throw new InvalidOperationException("busybox image missing on the lab VM");
        await _tls.Instances.CreateAsync(
            new LxdInstanceCreateRequest { Name = Container, Source = LxdInstances.LocalSource(image.Fingerprint) }, Timeout());
        await _tls.Instances.StartAsync(Container, Timeout());
    }

    public async Task DisposeAsync()
    {
        if (_tls is not null)
        {
            try
            {
                await _tls.Instances.DeleteAsync(Container, Timeout());
            }
            catch (LxdNotFoundException)
            {
            }

            _tls.Dispose();
        }

        _unix?.Dispose();
    }

    private T Fail<T>()
    {
        Assert.Fail(_failure ?? LabEnvironment.NotUpMessage);
        return default!;
    }
}

[CollectionDefinition(Name)]
public sealed class LabCollection : ICollectionFixture<LabFixture>
{
    /// <summary>All lab tests run one after the other: two cores, real daemons.</summary>
    public const string Name = "LXD lab";
}
