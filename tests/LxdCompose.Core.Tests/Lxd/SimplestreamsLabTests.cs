using LxdCompose.Lxd.Simplestreams;
using Xunit;

namespace LxdCompose.Tests.Lxd;

[Collection(LabCollection.Name)]
[Trait("Category", "Lab")]
public sealed class SimplestreamsLabTests
{
    private readonly LabFixture _lab;

    public SimplestreamsLabTests(LabFixture lab) => _lab = lab;

    [Fact]
    public async Task The_lab_simplestreams_server_lists_its_images_and_the_cache_serves_them_again()
    {
        var lab = _lab.Lab;
        var url = lab.SimplestreamsUrl;
        using var pinned = lab.LoadConfig().LoadPinnedCertificate("myserver");
        var cacheDirectory = Path.Combine(Path.GetTempPath(), LabFixture.UniqueName("lxdc-sscache"));
        try
        {
            var cache = new SimplestreamsCache(cacheDirectory, TimeSpan.FromHours(1));
            using (var client = SimplestreamsClient.Create(url, pinned, cache))
            {
                var images = await client.ListImagesAsync(LabFixture.Timeout());
                Assert.Contains(images, i => i.Aliases.Contains(lab.BusyboxAlias) && i.Fingerprint.Length == 64);
            }

            Assert.NotEmpty(Directory.GetFiles(cacheDirectory));

            // The cached copy answers although this client cannot even reach a server.
            using var offline = new SimplestreamsClient(
                new LxdCompose.Lxd.Transport.LxdTransport(LxdCompose.Lxd.Transport.LxdEndpoint.Parse("https://127.0.0.1:1")), url, cache, ownsTransport: true);
            var cached = await offline.FindAsync(lab.BusyboxAlias, LabFixture.Timeout());
            Assert.NotNull(cached);
        }
        finally
        {
            if (Directory.Exists(cacheDirectory))
            {
                Directory.Delete(cacheDirectory, recursive: true);
            }
        }
    }
}
