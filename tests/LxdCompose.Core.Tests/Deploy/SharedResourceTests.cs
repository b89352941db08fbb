using LxdCompose.Deploy;
using LxdCompose.Tests.Lxd;
using Xunit;

namespace LxdCompose.Tests.Deploy;

/// <summary>Resources the environment declares are created once per server, even when several groups there use them.</summary>
[Collection(LabCollection.Name)]
[Trait("Category", "Lab")]
public sealed class SharedResourceTests
{
    private const string Profile = "t-shared-profile";

    [Fact]
    public async Task Two_groups_on_one_server_sharing_a_missing_declared_profile_create_it_once_and_both_apply()
    {
        var lab = LabEnvironment.Load();
        static string Group(string name) =>
            $"      - name: {name}\n        connection: local\n        common_profiles: [default, {Profile}]\n        nodes:\n" +
            $"          - name: {name}-n\n            image_source: busybox/lab\n            image_remote_server: local\n";
        var root = DeployLabKit.NewSpecRoot(lab, "t-shared",
            "version: \"1\"\nprofiles:\n  - name: " + Profile + "\n    config:\n      user.shared: \"yes\"\nprojects:\n" +
            "  - name: t-shared\n    groups:\n" + Group("g1") + Group("g2"));
        var specs = DeployLabKit.Load(root, "t-sh");
        var token = LabFixture.Timeout(300);
        var (config, _) = DeployClientConfig.Resolve(specs, new DeployOptions());
        using var connections = new LxdConnections(config);
        var client = connections.ForRemote("local");
        try
        {
            if (await client.Profiles.ExistsAsync(Profile, token))
            {
                await client.Profiles.DeleteAsync(Profile, token);
            }

            var host = new RecordingDeployHost();
            var (plan, outcome) = await DeployLabKit.ApplyAsync(specs, "t-shared", new DeployOptions(), host, token);

            // Both groups were planned before either ran, so both list the profile; it is created once.
            Assert.All(plan.Groups, g => Assert.Contains(g.ProfilesToCreate, p => p.Name == Profile));
            Assert.Empty(outcome.Failures);
            Assert.Equal(new[] { ("t-sh-g1-n", NodeAction.Created), ("t-sh-g2-n", NodeAction.Created) },
                outcome.Results.Select(r => (r.Node, r.Action)));
            Assert.Single(host.Logs, l => l.Message.StartsWith($"Creating profile {Profile} ", StringComparison.Ordinal));
            Assert.Equal("yes", (await client.Profiles.GetAsync(Profile, token)).Config["user.shared"]);
        }
        finally
        {
            await DeployLabKit.ShutdownAsync(specs, "t-shared", ShutdownKind.Destroy, new DeployOptions(), new RecordingDeployHost(), token);
            if (await client.Profiles.ExistsAsync(Profile, token))
            {
                await client.Profiles.DeleteAsync(Profile, token);
            }

            Directory.Delete(root, true);
        }
    }
}
