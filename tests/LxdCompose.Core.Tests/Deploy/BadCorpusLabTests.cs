using LxdCompose.Deploy;
using LxdCompose.Loading;
using LxdCompose.Tests.Loading;
using LxdCompose.Tests.Lxd;
using Xunit;

namespace LxdCompose.Tests.Deploy;

/// <summary>
/// Each broken spec of tests/corpus/bad, applied to the lab as Invoke-LxdApply -Strict does (the gate, then the plan and
/// the apply if the gate let it through), leaves the lab's instances, profiles, networks and images as they were.
/// </summary>
[Collection(LabCollection.Name)]
[Trait("Category", "Lab")]
public sealed class BadCorpusLabTests
{
    [Theory]
    [MemberData(nameof(BadCorpus.CaseNames), MemberType = typeof(BadCorpus))]
    public async Task Applying_a_broken_spec_changes_nothing_on_the_lab(string name)
    {
        var lab = LabEnvironment.Load();
        var token = LabFixture.Timeout(120);
        var root = DeployLabKit.NewTempDir("t-bad");
        try
        {
            CopyDirectory(Path.Combine(BadCorpus.Root, name), root);
            // A case without a client configuration of its own deploys to the lab (its groups use 'local').
            var environment = new Dictionary<string, string>();
            if (!File.ReadAllText(Path.Combine(root, ".lxd-compose.yml")).Contains("lxd_confdir", StringComparison.Ordinal))
            {
                var conf = Path.Combine(root, "t-lab-conf");
                DeployLabKit.WriteLabConf(lab, conf);
                environment["LXD_COMPOSE_GENERAL__LXD_CONFDIR"] = conf;
            }

            var before = await SnapshotAsync(lab, token);
            var passed = await ApplyAsync(root, environment, token);
            var after = await SnapshotAsync(lab, token);

            Assert.Empty(passed);
            Assert.Equal(before, after);
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }

    /// <summary>Applies every project the gate lets through (it should let none); returns their names.</summary>
    private static async Task<IReadOnlyList<string>> ApplyAsync(string root, IReadOnlyDictionary<string, string> environment, CancellationToken token)
    {
        var (specs, _) = BadCorpus.Load(root, environment);
        var passed = new List<string>();
        foreach (var project in specs?.Projects.ToList() ?? new())
        {
            if (DeployGate.Refuses(DeployGate.Problems(specs!, new[] { project }, new ValidationOptions { Strict = true })))
            {
                continue;
            }

            passed.Add(project.Name);
            try
            {
                await DeployLabKit.ApplyAsync(specs!, project.Name, new DeployOptions(), new RecordingDeployHost(), token);
            }
            catch (Exception e) when (DeployFailures.IsDeployFailure(e))
            {
                // what the server did is what the snapshot compares
            }
        }

        return passed;
    }

    /// <summary>
    /// Every lab server's instances, profiles, networks and images. Objects of other lab tests (named t-...) may come and
    /// go while this runs, so they are left out; no corpus case names anything t-....
    /// </summary>
    private static async Task<IReadOnlyList<string>> SnapshotAsync(LabEnvironment lab, CancellationToken token)
    {
        var items = new List<string>();
        foreach (var vm in lab.Vms)
        {
            using var client = lab.ConnectTls(vm);
            items.AddRange((await client.Instances.ListAsync(token)).Select(i => $"{vm} instance {i.Name}"));
            items.AddRange((await client.Profiles.ListNamesAsync(token)).Select(p => $"{vm} profile {p}"));
            items.AddRange((await client.Networks.ListNamesAsync(token)).Select(n => $"{vm} network {n}"));
            items.AddRange((await client.Images.ListAsync(token)).Select(i => $"{vm} image {i.Fingerprint}"));
        }

        return items.Where(i => !i.Split(' ')[2].StartsWith("t-", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
    }

    private static void CopyDirectory(string source, string target)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }
}
