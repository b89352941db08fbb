using LxdCompose.Lxd;

namespace LxdCompose.Tests.Lxd;

/// <summary>A throw-away LXD project (own image store when asked), deleted with everything in it.</summary>
internal sealed class LabProject : IAsyncDisposable
{
    private readonly LxdClient _admin;

    private readonly bool _ownImages;

    private LabProject(LxdClient admin, string name, LxdClient scoped, bool ownImages)
    {
        _admin = admin;
        _ownImages = ownImages;
        Name = name;
        Client = scoped;
    }

    public string Name { get; }

    /// <summary>A client of the same server scoped to this project.</summary>
    public LxdClient Client { get; }

    public static async Task<LabProject> CreateAsync(LxdClient admin, LabEnvironment lab, string vm, bool ownImages)
    {
        var name = LabFixture.UniqueName("lxdc");
        await admin.SendAsync(HttpMethod.Post, "/1.0/projects", new
        {
            Name = name,
            Config = new Dictionary<string, string>
            {
                ["features.images"] = ownImages ? "true" : "false",
                ["features.profiles"] = "false",
                ["features.storage.volumes"] = "false",
            },
        }, LabFixture.Timeout());
        var scoped = LxdConnector.Connect(lab.LoadConfig(), vm, new LxdConnectOptions { Project = name });
        return new LabProject(admin, name, scoped, ownImages);
    }

    public async ValueTask DisposeAsync()
    {
        var token = LabFixture.Timeout();
        foreach (var instance in await Client.Instances.ListAsync(token))
        {
            await Client.Instances.DeleteAsync(instance.Name, token);
        }

        // Without its own image store the project sees the default project's images: those are not ours to delete.
        foreach (var image in _ownImages ? await Client.Images.ListAsync(token) : Array.Empty<LxdCompose.Lxd.Api.LxdImage>())
        {
            await Client.Images.DeleteAsync(image.Fingerprint, token);
        }

        Client.Dispose();
        await _admin.SendAsync(HttpMethod.Delete, $"/1.0/projects/{Name}", null, token);
    }
}
