using System.Text;
using LxdCompose.Loading;
using LxdCompose.Security;
using LxdCompose.Specs;
using LxdCompose.Tests.Loading;
using Xunit;

namespace LxdCompose.Tests.Security;

/// <summary>Which values are secret, and how text and files are checked for them.</summary>
public sealed class SecretValuesTests : IDisposable
{
    private readonly TempSpecs _t = new();

    public void Dispose() => _t.Dispose();

    private static SecretValues With(params string[] values)
    {
        var secrets = new SecretValues();
        foreach (var value in values)
        {
            secrets.Add(value);
        }

        return secrets;
    }

    [Fact]
    public void Masks_every_occurrence_longest_first()
    {
        var secrets = With("hunter2hunter2", "hunter2");

        Assert.Equal("a ******** b ******** c", secrets.MaskText("a hunter2hunter2 b hunter2 c"));
    }

    [Fact]
    public void Short_values_are_masked_only_where_they_stand_alone()
    {
        var secrets = With("ab1");

        Assert.Equal("x=******** ab12 cab1 (********)", secrets.MaskText("x=ab1 ab12 cab1 (ab1)"));
        Assert.True(secrets.Reveals("pw:ab1"));
        Assert.False(secrets.Reveals("tab1e"));
    }

    [Fact]
    public void Blank_and_punctuation_only_short_values_are_never_secrets()
    {
        var secrets = With("", "  ", "-", "{}");

        Assert.Equal(0, secrets.Count);
        Assert.Equal("a - {} b", secrets.MaskText("a - {} b"));
    }

    [Fact]
    public void Each_line_of_a_multi_line_value_and_the_trimmed_value_are_secrets()
    {
        var secrets = With("-----BEGIN KEY-----\nMIIEvQIBADANBgkq\n-----END KEY-----\n");

        Assert.Equal("line: ********", secrets.MaskText("line: MIIEvQIBADANBgkq"));
        Assert.Equal("[********]", secrets.MaskText("[-----BEGIN KEY-----\nMIIEvQIBADANBgkq\n-----END KEY-----]"));
    }

    [Fact]
    public void Names_match_the_default_patterns_without_regard_to_case()
    {
        var names = SecretNamePatterns.Default;

        Assert.All(new[] { "DB_PASSWORD", "api_token", "client-secret", "ssh_key", "Keyring" }, n => Assert.True(names.IsSecretName(n), n));
        Assert.All(new[] { "user", "replicas", "", "passwd" }, n => Assert.False(names.IsSecretName(n), n));
    }

    [Fact]
    public void Named_values_are_secret_under_a_secret_name_at_any_depth()
    {
        var secrets = new SecretValues();
        secrets.AddNamed("db", new Dictionary<string, object?>
        {
            ["host"] = "db.internal",
            ["auth"] = new Dictionary<string, object?> { ["Password"] = "deepsecret1", ["user"] = "admin" },
            ["tokens"] = new List<object?> { "tok-one-111", 4242L },
        });

        Assert.Equal("db.internal admin ******** ******** ********", secrets.MaskText("db.internal admin deepsecret1 tok-one-111 4242"));
    }

    [Fact]
    public void Vars_blocks_encrypted_or_marked_secret_make_every_value_secret_others_only_secret_names()
    {
        var secrets = new SecretValues();
        secrets.AddVarsBlock(new VarsBlock { Encrypted = true, Envs = new Dictionary<string, object?> { ["plainname"] = "fromencrypted" } });
        secrets.AddVarsBlock(new VarsBlock { Secret = true, Envs = new Dictionary<string, object?> { ["other"] = "frommarked", ["flag"] = true } });
        secrets.AddVarsBlock(new VarsBlock { Envs = new Dictionary<string, object?> { ["api_token"] = "fromname", ["user"] = "visible" } });

        Assert.Equal("******** ******** ******** visible true", secrets.MaskText("fromencrypted frommarked fromname visible true"));
    }

    [Fact]
    public void File_check_finds_a_secret_across_the_chunk_border_and_respects_standalone_short_values()
    {
        var secrets = With("needle-in-the-file", "ab1");
        var big = _t.PathOf("big.txt");
        var text = new StringBuilder().Append('x', (1 << 20) - 5).Append("needle-in-the-file").Append('y', 100).ToString();
        File.WriteAllText(big, text);
        var words = _t.PathOf("words.txt");
        File.WriteAllText(words, "tab1e cab1 ab12\n");
        var standalone = _t.PathOf("standalone.txt");
        File.WriteAllText(standalone, "pin=ab1");

        Assert.True(secrets.FileReveals(big));
        Assert.False(secrets.FileReveals(words));
        Assert.True(secrets.FileReveals(standalone));
    }

    [Fact]
    public void A_load_collects_secret_values_of_every_kind_and_the_config_can_replace_the_name_patterns()
    {
        _t.Write(".lxd-compose.yml", "env_dirs: [envs]\nrender_default_file: values.yml\nrender_secrets_file: secrets.yml\n")
            .Write("values.yml", "db_password_default: fromvaluesname\nregion: eu-west\n")
            .Write("secrets.yml", "anything: fromsecretsfile\n")
            .Env("""
                projects:
                  - name: p
                    vars:
                      - envs: {api_token: fromvarname, region2: visible-region}
                      - secret: true
                        envs: {plain: frommarkedblock}
                    groups:
                      - name: g
                        config: {environment.SERVICE_KEY: fromgroupconfig}
                        nodes:
                          - name: n
                            labels: {token: fromlabel, role: web}
                            config: {environment.DB_PASSWORD: fromnodeconfig}
                commands:
                  - name: c
                    project: p
                    envs:
                      envs: {deploy_secret: fromcommandenvs}
                """);

        var specs = _t.Load();

        Assert.DoesNotContain(specs.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        foreach (var value in new[] { "fromvaluesname", "fromsecretsfile", "fromvarname", "frommarkedblock", "fromgroupconfig", "fromlabel", "fromnodeconfig", "fromcommandenvs" })
        {
            Assert.Equal(SecretValues.Mask, specs.Secrets.MaskText(value));
        }

        Assert.Equal("eu-west visible-region web", specs.Secrets.MaskText("eu-west visible-region web"));

        _t.Write(".lxd-compose.yml", "env_dirs: [envs]\nrender_default_file: values.yml\nrender_secrets_file: secrets.yml\n" +
            "security:\n  secret_name_patterns: ['region*']\n");
        var custom = _t.Load();

        Assert.Equal("******** ******** fromvarname ********", custom.Secrets.MaskText("eu-west visible-region fromvarname fromsecretsfile"));
    }

    [Fact]
    public void An_empty_pattern_list_turns_name_matching_off_but_not_the_secret_sources()
    {
        _t.Write(".lxd-compose.yml", "env_dirs: [envs]\nsecurity:\n  secret_name_patterns: []\n")
            .Env("projects:\n  - name: p\n    vars:\n      - envs: {api_token: namedonly}\n      - secret: true\n        envs: {x: stillsecret}\n");

        var specs = _t.Load();

        Assert.Equal("namedonly ********", specs.Secrets.MaskText("namedonly stillsecret"));
    }

    [Fact]
    public void The_secret_key_of_a_vars_block_is_kept_by_decryption_and_known_to_the_validator()
    {
        var key = Convert.ToBase64String(LxdComposeCipher.NewKey());
        _t.Write(".lxd-compose.yml", "env_dirs: [envs]\n" + EncryptedSpecTests.SecurityBlock(key))
            .Env($"projects:\n  - name: p\n    vars:\n      - encrypted: true\n        secret: true\n        enc_content: {EncryptedSpecTests.EncryptVars(key, "envs:\n  x: decryptedvalue\n")}\n");

        var specs = _t.Load();

        Assert.DoesNotContain(specs.Diagnostics, d => d.Severity != DiagnosticSeverity.Verbose);
        var block = Assert.Single(specs.Projects.Single().Vars);
        Assert.True(block.Secret && block.Encrypted);
        Assert.Equal(SecretValues.Mask, specs.Secrets.MaskText("decryptedvalue"));
        Assert.Equal(SecretValues.Mask, specs.Secrets.MaskText(key));
    }
}
