using System.Security.Cryptography;
using LxdCompose.Lxd;
using LxdCompose.Lxd.Api;
using LxdCompose.Lxd.Simplestreams;
using LxdCompose.Lxd.Transport;
using Xunit;

namespace LxdCompose.Tests.Lxd;

[Collection(LabCollection.Name)]
[Trait("Category", "Lab")]
public sealed class ImageTests
{
    private readonly LabFixture _lab;

    public ImageTests(LabFixture lab) => _lab = lab;

    [Fact]
    public async Task Images_are_found_by_alias_and_by_fingerprint_prefix()
    {
        var byAlias = await _lab.Tls.Images.FindAsync(_lab.Lab.BusyboxAlias, LabFixture.Timeout());
        Assert.NotNull(byAlias);
        Assert.Contains(byAlias!.Aliases, a => a.Name == _lab.Lab.BusyboxAlias);

        var byPrefix = await _lab.Tls.Images.FindAsync(byAlias.Fingerprint[..12], LabFixture.Timeout());
        Assert.Equal(byAlias.Fingerprint, byPrefix!.Fingerprint);

        Assert.Contains(await _lab.Tls.Images.ListAsync(LabFixture.Timeout()), i => i.Fingerprint == byAlias.Fingerprint);
        Assert.Null(await _lab.Tls.Images.FindAsync("lxdc/no-such-alias", LabFixture.Timeout()));
    }

    [Fact]
    public async Task Aliases_are_created_listed_and_deleted()
    {
        var image = (await _lab.Tls.Images.FindAsync(_lab.Lab.BusyboxAlias, LabFixture.Timeout()))!;
        var alias = LabFixture.UniqueName("lxdc/alias");

        await _lab.Tls.Images.CreateAliasAsync(alias, image.Fingerprint, LabFixture.Timeout(), "test alias");
        try
        {
            var read = await _lab.Tls.Images.GetAliasAsync(alias, LabFixture.Timeout());
            Assert.Equal(image.Fingerprint, read.Target);
            Assert.Equal("test alias", read.Description);
            Assert.Contains(await _lab.Tls.Images.ListAliasesAsync(LabFixture.Timeout()), a => a.Name == alias);
        }
        finally
        {
            await _lab.Tls.Images.DeleteAliasAsync(alias, LabFixture.Timeout());
        }

        await Assert.ThrowsAsync<LxdNotFoundException>(() => _lab.Tls.Images.GetAliasAsync(alias, LabFixture.Timeout()));
    }

    [Fact]
    public async Task Export_writes_the_image_files_whose_combined_hash_is_the_fingerprint()
    {
        var image = (await _lab.Tls.Images.FindAsync(_lab.Lab.BusyboxAlias, LabFixture.Timeout()))!;
        var directory = Path.Combine(Path.GetTempPath(), LabFixture.UniqueName("lxdc-export"));
        try
        {
            var files = await _lab.Tls.Images.ExportAsync(image.Fingerprint, directory, LabFixture.Timeout());

            // LXD's fingerprint is the SHA-256 over the metadata file followed by the rootfs file (or of the single tarball).
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            foreach (var file in files.OrderBy(f => new FileInfo(f).Length))
            {
                hash.AppendData(await File.ReadAllBytesAsync(file));
            }

            Assert.Equal(image.Fingerprint, Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task An_image_is_copied_from_the_lab_image_server_with_progress_and_deleted()
    {
        var config = _lab.Lab.LoadConfig();
        var imageServer = config.GetRemote("imgsrv");
        using var imageServerCertificate = config.LoadPinnedCertificate("imgsrv")!;
        await using var project = await LabProject.CreateAsync(_lab.Tls, _lab.Lab, _lab.Vm, ownImages: true);
        var reports = new List<LxdOperation>();

        var copied = await project.Client.Images.CopyFromAsync(
            new LxdImageCopySource(imageServer.Address, "lxd", _lab.Lab.BusyboxAlias) { Certificate = LxdCertificateFiles.ToPem(imageServerCertificate) },
            LabFixture.Timeout(300),
            aliases: new[] { "copied/busybox" },
            progress: new Progress(reports.Add));

        Assert.Contains(copied.Aliases, a => a.Name == "copied/busybox");
        Assert.Equal(copied.Fingerprint, (await project.Client.Images.GetAliasAsync("copied/busybox", LabFixture.Timeout())).Target);
        await project.Client.Images.DeleteAsync(copied.Fingerprint, LabFixture.Timeout());
        Assert.Null(await project.Client.Images.FindAsync(copied.Fingerprint, LabFixture.Timeout()));
    }

    [Fact]
    public async Task An_instance_is_created_from_an_image_pulled_from_the_lab_image_server()
    {
        var config = _lab.Lab.LoadConfig();
        using var certificate = config.LoadPinnedCertificate("imgsrv")!;
        await using var project = await LabProject.CreateAsync(_lab.Tls, _lab.Lab, _lab.Vm, ownImages: true);
        var name = LabFixture.UniqueName("lxdc-pull");

        var created = await project.Client.Instances.CreateAsync(
            new LxdInstanceCreateRequest
            {
                Name = name,
                Source = LxdInstances.PullSource(config.GetRemote("imgsrv").Address, "lxd", _lab.Lab.BusyboxAlias, certificatePem: LxdCertificateFiles.ToPem(certificate)),
            },
            LabFixture.Timeout(300));

        Assert.Equal(name, created.Name);
        Assert.NotEmpty(await project.Client.Images.ListAsync(LabFixture.Timeout()));
    }

    [Fact]
    public async Task An_image_is_copied_from_the_lab_simplestreams_server()
    {
        var lab = _lab.Lab;
        var config = lab.LoadConfig();
        if (!config.Remotes.ContainsKey("myserver"))
        {
            Assert.Fail($"{LabEnvironment.NotUpMessage} (the lab config has no 'myserver' simplestreams remote)");
        }

        using var pinned = config.LoadPinnedCertificate("myserver");
        using var streams = SimplestreamsClient.Create(lab.SimplestreamsUrl, pinned);
        var offered = await streams.FindAsync(lab.BusyboxAlias, LabFixture.Timeout());
        Assert.NotNull(offered);
        await using var project = await LabProject.CreateAsync(_lab.Tls, lab, _lab.Vm, ownImages: true);

        var copied = await project.Client.Images.CopyFromAsync(
            new LxdImageCopySource(lab.SimplestreamsUrl.TrimEnd('/'), "simplestreams", lab.BusyboxAlias)
            {
                Certificate = pinned is null ? null : LxdCertificateFiles.ToPem(pinned),
            },
            LabFixture.Timeout(300));

        Assert.Equal(offered!.Fingerprint, copied.Fingerprint);
    }

    private sealed class Progress : IProgress<LxdOperation>
    {
        private readonly Action<LxdOperation> _report;

        public Progress(Action<LxdOperation> report) => _report = report;

        public void Report(LxdOperation value) => _report(value);
    }
}
