using LxdCompose.Deploy;
using LxdCompose.Security;
using LxdCompose.Tests.Lxd;
using LxdCompose.Tests.Security;
using Xunit;

namespace LxdCompose.Tests.Deploy;

/// <summary>An encrypted vars block reaches a node's hook decrypted (issue 14's acceptance).</summary>
[Collection(LabCollection.Name)]
[Trait("Category", "Lab")]
public sealed class EncryptedVarsLabTests
{
    [Fact]
    public async Task Hook_sees_the_decrypted_value_of_an_encrypted_vars_block()
    {
        var lab = LabEnvironment.Load();
        var key = Convert.ToBase64String(LxdComposeCipher.NewKey());
        var secret = "crypt-" + Guid.NewGuid().ToString("N")[..12];
        var encrypted = EncryptedSpecTests.EncryptVars(key, $"envs:\n  db_password: {secret}\n");
        var root = DeployLabKit.NewSpecRoot(lab, "crypt", $$"""
            version: "1"
            projects:
              - name: crypt
                vars:
                  - encrypted: true
                    enc_content: {{encrypted}}
                groups:
                  - name: g
                    connection: local
                    nodes:
                      - name: box
                        image_source: busybox/lab
                        image_remote_server: local
                        entrypoint: ["/bin/sh", "-c"]
                        hooks:
                          - event: post-node-sync
                            commands:
                              - echo "$db_password" > /tmp/crypt.txt
                              - cat /tmp/crypt.txt
            """);
        File.AppendAllText(Path.Combine(root, ".lxd-compose.yml"), EncryptedSpecTests.SecurityBlock(key));
        var specs = DeployLabKit.Load(root, "crypt");
        var token = LabFixture.Timeout(300);
        try
        {
            var host = new RecordingDeployHost();
            var (_, outcome) = await DeployLabKit.ApplyAsync(specs, "crypt", new DeployOptions(), host, token);

            Assert.Equal(NodeAction.Created, Assert.Single(outcome.Results).Action);
            Assert.Contains(host.Output, l => l.Node == "crypt-box" && l.Text.Trim() == secret);
        }
        finally
        {
            await DeployLabKit.ShutdownAsync(specs, "crypt", ShutdownKind.Destroy, new DeployOptions(), new RecordingDeployHost(), token);
            Directory.Delete(root, true);
        }
    }
}
