using System.Text;
using LxdCompose.Loading;
using LxdCompose.Security;
using LxdCompose.Specs;
using LxdCompose.Templating;
using LxdCompose.Tests.Loading;
using Xunit;

namespace LxdCompose.Tests.Security;

/// <summary>Encrypted vars blocks and the encrypted render secrets file, decrypted at load (reference §6.2).</summary>
public sealed class EncryptedSpecTests : IDisposable
{
    private readonly TempSpecs _t = new();
    private readonly string _key = Convert.ToBase64String(LxdComposeCipher.NewKey());

    public void Dispose() => _t.Dispose();

    /// <summary>A config <c>security:</c> block with the key and <see cref="CipherTests.Quick"/> dka_opts.</summary>
    internal static string SecurityBlock(string key, string extra = "") =>
        $"security:\n  key: {key}\n  dka_opts: {{time_iterations: 1, memory_usage: 1024, parallelism: 2, key_length: 16}}\n{extra}";

    internal static string EncryptVars(string key, string plain) =>
        LxdComposeCipher.EncryptToBase64(Encoding.UTF8.GetBytes(plain), LxdComposeCipher.DecodeKey(key), CipherTests.Quick);

    private const string Plain = "envs:\n  db_password: s3cr3t\n  replicas: 3\n";

    private string InlineEnv(string content) => $"""
        projects:
          - name: p
            vars:
              - encrypted: true
                enc_content: {content}
        """;

    private SpecSet Load(string? key = null, string? keyFile = null) => SpecLoader.Load(new LoadOptions
    {
        WorkingDirectory = _t.Root,
        EnvironmentVariables = SpecTestKit.NoEnvironment,
        Key = key,
        KeyFile = keyFile,
    });

    private static IReadOnlyDictionary<string, object?> Variables(SpecSet specs)
    {
        Assert.True(specs.Environments.Count == 1, string.Join("\n", specs.Diagnostics));
        return ProjectVariables.Merge(specs.Environments[0].Projects[0]);
    }

    [Fact]
    public void Inline_encrypted_block_gives_its_variables_without_a_render_file()
    {
        _t.Write(".lxd-compose.yml", "env_dirs: [envs]\n" + SecurityBlock(_key)).Env(InlineEnv(EncryptVars(_key, Plain)));

        var vars = Variables(Load());

        Assert.Equal(("s3cr3t", 3L), (vars["db_password"], vars["replicas"]));
    }

    [Fact]
    public void Included_encrypted_env_file_gives_its_variables()
    {
        _t.Write(".lxd-compose.yml", "env_dirs: [envs]\n" + SecurityBlock(_key))
            .Write("envs/vars/secret.yml", $"enc_content: {EncryptVars(_key, Plain)}\nencrypted: true\n")
            .Env("projects:\n  - name: p\n    include_env_files: [vars/secret.yml]\n");

        Assert.Equal("s3cr3t", Variables(Load())["db_password"]);
    }

    [Fact]
    public void Decrypted_text_is_rendered_when_the_render_engine_is_on()
    {
        _t.Write(".lxd-compose.yml", "env_dirs: [envs]\nrender_values_file: values.yaml\n" + SecurityBlock(_key))
            .Write("values.yaml", "who: world\n")
            .Env(InlineEnv(EncryptVars(_key, "envs:\n  greeting: hello {{ .Values.who }}\n")));

        Assert.Equal("hello world", Variables(Load())["greeting"]);
    }

    [Fact]
    public void Vars_file_encrypted_gives_its_variables_with_the_config_key()
    {
        _t.Write(".lxd-compose.yml", "env_dirs: [envs]\n" + SecurityBlock(_key))
            .Write("extra.yml", $"enc_content: {EncryptVars(_key, Plain)}\nencrypted: true\n");
        var config = SpecLoader.LoadConfig(new LoadOptions { WorkingDirectory = _t.Root, EnvironmentVariables = SpecTestKit.NoEnvironment });

        var block = ProjectVariables.LoadVarsFile(_t.PathOf("extra.yml"), renderer: null, config);

        Assert.Equal("s3cr3t", block.Envs["db_password"]);
        Assert.True(block.Encrypted);
    }

    [Fact]
    public void Missing_key_is_an_error_at_the_block_and_the_environment_is_left_out()
    {
        _t.Env(InlineEnv(EncryptVars(_key, Plain)));

        var specs = _t.Load();

        Assert.Empty(specs.Environments);
        var error = Assert.Single(specs.Diagnostics, d => d.Code == LoadCodes.EncryptionKeyMissing);
        Assert.Equal("Error EncryptionKeyMissing envs/env.yml:4:9", SpecTestKit.Describe(error, _t.Root));
        Assert.Contains("-KeyFile", error.Message);
    }

    [Fact]
    public void Wrong_key_is_an_error_naming_the_included_file_and_the_key_origin()
    {
        var other = Convert.ToBase64String(LxdComposeCipher.NewKey());
        _t.Write(".lxd-compose.yml", "env_dirs: [envs]\n" + SecurityBlock(other))
            .Write("envs/vars/secret.yml", $"enc_content: {EncryptVars(_key, Plain)}\nencrypted: true\n")
            .Env("projects:\n  - name: p\n    include_env_files: [vars/secret.yml]\n");

        var specs = Load();

        var error = Assert.Single(specs.Diagnostics, d => d.Code == LoadCodes.DecryptionFailed);
        Assert.Equal(_t.PathOf("envs/vars/secret.yml"), error.File);
        Assert.Contains("cipher: message authentication failed", error.Message);
        Assert.Contains("security.key of " + _t.PathOf(".lxd-compose.yml"), error.Message);
        Assert.DoesNotContain(other, error.Message);
    }

    [Fact]
    public void Truncated_content_is_lxd_composes_error_at_the_block()
    {
        _t.Write(".lxd-compose.yml", "env_dirs: [envs]\n" + SecurityBlock(_key)).Env(InlineEnv("YWJj"));

        var error = Assert.Single(Load().Diagnostics, d => d.Code == LoadCodes.DecryptionFailed);

        Assert.Contains("invalid cipher text too short", error.Message);
    }

    [Fact]
    public void Key_parameter_wins_over_the_config_and_key_file_parameter_over_the_config()
    {
        var wrong = Convert.ToBase64String(LxdComposeCipher.NewKey());
        _t.Write(".lxd-compose.yml", "env_dirs: [envs]\n" + SecurityBlock(wrong)).Env(InlineEnv(EncryptVars(_key, Plain)))
            .Write("my.key", _key + "\n");

        Assert.Equal("s3cr3t", Variables(Load(key: _key, keyFile: "absent.key"))["db_password"]);
        Assert.Equal("s3cr3t", Variables(Load(keyFile: "my.key"))["db_password"]);
        Assert.Contains(Load().Diagnostics, d => d.Code == LoadCodes.DecryptionFailed);
    }

    [Fact]
    public void Config_keyfile_is_read_relative_to_the_config_and_an_absent_one_is_an_error()
    {
        var security = SecurityBlock(_key).Replace($"key: {_key}", "keyfile: secret.key", StringComparison.Ordinal);
        _t.Write(".lxd-compose.yml", "env_dirs: [envs]\n" + security).Env(InlineEnv(EncryptVars(_key, Plain)));

        Assert.Contains(Load().Diagnostics, d => d.Code == LoadCodes.EncryptionKeyInvalid && d.Message.Contains("secret.key"));
        _t.Write("secret.key", _key);
        Assert.Equal("s3cr3t", Variables(Load())["db_password"]);
    }

    [Fact]
    public void Encrypted_secrets_file_feeds_values_secrets()
    {
        _t.Write(".lxd-compose.yml", "env_dirs: [envs]\nrender_values_file: values.yaml\nrender_secrets_file: secrets.enc\n" +
                SecurityBlock(_key, "  encrypted_secrets: true\n"))
            .Write("values.yaml", "a: 1\n")
            .Write("secrets.enc", EncryptVars(_key, "database:\n  pwd: pass\n"))
            .Env("projects:\n  - name: p\n    vars:\n      - envs:\n          pwd: {{ .Values.secrets.database.pwd }}\n");

        Assert.Equal("pass", Variables(Load())["pwd"]);
    }

    [Fact]
    public void Encrypted_secrets_file_with_a_wrong_key_is_an_error_naming_it()
    {
        var other = Convert.ToBase64String(LxdComposeCipher.NewKey());
        _t.Write(".lxd-compose.yml", "env_dirs: [envs]\nrender_values_file: values.yaml\nrender_secrets_file: secrets.enc\n" +
                SecurityBlock(other, "  encrypted_secrets: true\n"))
            .Write("values.yaml", "a: 1\n")
            .Write("secrets.enc", EncryptVars(_key, "database:\n  pwd: pass\n"));
        var config = SpecLoader.LoadConfig(new LoadOptions { WorkingDirectory = _t.Root, EnvironmentVariables = SpecTestKit.NoEnvironment });

        var e = Assert.Throws<SpecException>(() => RenderContext.Build(config));

        Assert.Equal((LoadCodes.DecryptionFailed, _t.PathOf("secrets.enc")), (e.Diagnostic.Code, e.Diagnostic.File));
    }

    [SharedEncryptionVectorsFact]
    public void Lxd_compose_encrypted_vars_and_secrets_load_with_its_default_options()
    {
        var dir = SharedCorpus.EncryptionVectors!;
        var key = File.ReadAllText(Path.Combine(dir, "key.txt")).Trim();
        _t.Write(".lxd-compose.yml", $"env_dirs: [envs]\nrender_values_file: values.yaml\nrender_secrets_file: secrets.enc\n" +
                $"security:\n  key: {key}\n  encrypted_secrets: true\n")
            .Write("values.yaml", "a: 1\n")
            .Write("secrets.enc", File.ReadAllText(Path.Combine(dir, "secrets-enc.txt")))
            .Write("envs/vars/enc.yml", File.ReadAllText(Path.Combine(dir, "vars-enc.yml")))
            .Env("projects:\n  - name: p\n    include_env_files: [vars/enc.yml]\n    vars:\n" +
                 "      - envs:\n          user: {{ .Values.secrets.database.user }}\n");

        var vars = Variables(Load());

        Assert.Equal(("admin", "s3cr3t-Pa55", 3L, "myuser"), (vars["db_user"], vars["db_password"], vars["replicas"], vars["user"]));
        Assert.Equal(new object?[] { "blue", "green" }, Assert.IsAssignableFrom<IEnumerable<object?>>(vars["tags"]));
    }
}
