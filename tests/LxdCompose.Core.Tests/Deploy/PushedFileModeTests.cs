using LxdCompose.Deploy;
using LxdCompose.Tests.Deploy.FakeServer;
using Xunit;

namespace LxdCompose.Tests.Deploy;

/// <summary>The mode a sync_resources file is pushed with: its own, narrowed when it holds a secret value.</summary>
public sealed class PushedFileModeTests
{
    private const int Mode644 = 0b110_100_100;
    private const int Mode755 = 0b111_101_101;

    private static (FakeDeploy Deploy, ApplyRun Run) Start()
    {
        var deploy = new FakeDeploy("""
            version: "1"
            projects:
              - name: p
                vars:
                  - envs: {db_password: pushed-secret-value}
                groups:
                  - name: g
                    nodes:
                      - name: n1
                        image_source: img
            """);
        var context = new DeployContext(deploy.Specs, deploy.Project, new DeployOptions(), deploy.Connections, deploy.Host, CancellationToken.None);
        return (deploy, new ApplyRun(context, PlanApproval.None));
    }

    [Fact]
    public void A_file_holding_a_secret_loses_its_group_and_other_bits()
    {
        var (deploy, run) = Start();
        using var _ = deploy;
        var secret = deploy.PathOf("secret.conf");
        File.WriteAllText(secret, "password=pushed-secret-value\n");
        var plain = deploy.PathOf("plain.conf");
        File.WriteAllText(plain, "listen 80\n");

        Assert.Equal(0b110_000_000, run.PushedFileMode(secret, Mode644));
        Assert.Equal(0b111_000_000, run.PushedFileMode(secret, Mode755));
        Assert.Equal(Mode755, run.PushedFileMode(plain, Mode755));
    }

    [Fact]
    public void A_template_the_run_compiled_goes_as_0644_unless_it_holds_a_secret()
    {
        var (deploy, run) = Start();
        using var _ = deploy;
        var compiled = deploy.PathOf("compiled.conf");
        File.WriteAllText(compiled, "listen 80\n");
        var compiledSecret = deploy.PathOf("compiled-secret.conf");
        File.WriteAllText(compiledSecret, "pushed-secret-value");
        run.CompiledFiles[Path.GetFullPath(compiled)] = true;
        run.CompiledFiles[Path.GetFullPath(compiledSecret)] = true;
        var own = 0b110_000_000;

        Assert.Equal(Mode644, run.PushedFileMode(compiled, own));
        Assert.Equal(own, run.PushedFileMode(compiledSecret, own));
    }

    [Fact]
    public void A_secret_named_variable_a_hook_writes_becomes_a_secret_of_the_run()
    {
        var (deploy, run) = Start();
        using var _ = deploy;

        run.Context.SetRuntimeVariable("vault_token", "written-by-a-hook");
        run.Context.SetRuntimeVariable("hostname", "visible-host");

        Assert.Equal("******** visible-host", deploy.Specs.Secrets.MaskText("written-by-a-hook visible-host"));
    }
}
