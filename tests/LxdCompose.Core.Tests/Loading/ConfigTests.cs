using LxdCompose.Loading;
using LxdCompose.Specs;
using Xunit;

namespace LxdCompose.Tests.Loading;

/// <summary>Config lookup, every key of reference §1.1, and LXD_COMPOSE_* overrides.</summary>
public sealed class ConfigTests : IDisposable
{
    private readonly TempSpecs _t = new();

    public void Dispose() => _t.Dispose();

    private ComposeConfig Load(IReadOnlyDictionary<string, string>? env = null, string? configPath = null) =>
        SpecLoader.LoadConfig(new LoadOptions
        {
            WorkingDirectory = _t.Root,
            ConfigPath = configPath,
            EnvironmentVariables = env ?? SpecTestKit.NoEnvironment,
        });

    [Fact]
    public void Missing_config_names_the_directory_and_the_fix()
    {
        var e = Assert.Throws<SpecException>(() => Load());
        Assert.Equal(LoadCodes.ConfigNotFound, e.Diagnostic.Code);
        Assert.Equal($"no .lxd-compose.yml in {_t.Root}; pass -ConfigPath or create one", e.Diagnostic.Message);
    }

    [Fact]
    public void Explicit_path_is_relative_to_the_working_directory_and_wins_over_the_variable()
    {
        _t.Write("conf/my.yml", "render_engine: helm\n").Write(".lxd-compose.yml", "render_engine: other\n");
        var config = Load(new Dictionary<string, string> { ["LXD_COMPOSE_CONFIG"] = ".lxd-compose.yml" }, "conf/my.yml");
        Assert.Equal(_t.PathOf("conf/my.yml"), config.File);
        Assert.Equal(_t.PathOf("conf"), config.BaseDirectory);
        Assert.Equal("helm", config.RenderEngine);
        var missing = Assert.Throws<SpecException>(() => Load(configPath: "nope.yml"));
        Assert.Contains("check -ConfigPath", missing.Message);
    }

    [Fact]
    public void Explicit_folder_stands_for_the_lxd_compose_yml_in_it()
    {
        _t.Write("conf/.lxd-compose.yml", "env_dirs: [x]\n").Write("empty/readme.txt", "no config here\n");
        var config = Load(configPath: "conf");
        Assert.Equal(_t.PathOf("conf/.lxd-compose.yml"), config.File);
        Assert.Equal(new[] { "x" }, config.EnvDirs);
        var missing = Assert.Throws<SpecException>(() => Load(configPath: "empty"));
        Assert.Equal(LoadCodes.ConfigNotFound, missing.Diagnostic.Code);
        Assert.Equal($"no .lxd-compose.yml in the folder {_t.PathOf("empty")}; check -ConfigPath", missing.Diagnostic.Message);
    }

    [Fact]
    public void The_config_variable_is_used_when_no_path_is_given()
    {
        _t.Write("other/c.yml", "env_dirs: [x]\n").Write(".lxd-compose.yml", "env_dirs: [y]\n");
        var config = Load(new Dictionary<string, string> { ["LXD_COMPOSE_CONFIG"] = "other/c.yml" });
        Assert.Equal(new[] { "x" }, config.EnvDirs);
        var missing = Assert.Throws<SpecException>(() =>
            Load(new Dictionary<string, string> { ["LXD_COMPOSE_CONFIG"] = "gone.yml" }));
        Assert.Contains("LXD_COMPOSE_CONFIG", missing.Message);
    }

    [Fact]
    public void Defaults_of_an_empty_config()
    {
        _t.Write(".lxd-compose.yml", "");
        var config = Load();
        Assert.Equal(new[] { "./lxd-compose/envs" }, config.EnvDirs);
        Assert.Equal(("info", "./logs/lxd-compose.log"), (config.Logging.Level, config.Logging.Path));
        Assert.True(config.Logging.EnableEmoji && config.Logging.Color && config.Logging.RuntimeCmdsOutput && config.Logging.CmdsOutput);
        Assert.False(config.Logging.PushProgressbar || config.Logging.JsonFormat || config.Logging.EnableLogfile);
        Assert.Equal(Environment.ProcessorCount, config.General.Concurrency);
        Assert.Equal((3u, 65536u, 32u, (byte)4), (config.Security.DkaOpts.TimeIterations, config.Security.DkaOpts.MemoryUsage,
            config.Security.DkaOpts.KeyLength, config.Security.DkaOpts.Parallelism));
        Assert.Null(config.Security.EncryptedSecrets);
        Assert.False(config.RenderEnabled);
    }

    [Fact]
    public void Every_key()
    {
        _t.Write(".lxd-compose.yml", """
            general:
              debug: true
              lxd_confdir: ./lxd-conf
              lxd_local_disable: true
              p2pmode: true
              legacyapi: true
              concurrency: 3
            logging:
              level: debug
              enable_logfile: true
              path: ./l.log
              json_format: true
              enable_emoji: false
              color: false
              runtime_cmds_output: false
              cmds_output: false
              push_progressbar: true
            env_dirs: [./a, ./b]
            render_default_file: render/default.yaml
            render_values_file: render/values.yaml
            render_secrets_file: render/secrets.yaml
            render_templates_dirs: [render/tpl]
            render_engine: helm
            security:
              key: c2VjcmV0
              keyfile: key.txt
              encrypted_secrets: true
              dka_opts:
                time_iterations: 4
                memory_usage: 1024
                key_length: 16
                parallelism: 2
            """);
        var c = Load();
        Assert.Equal((true, "./lxd-conf", true, true, true, 3),
            (c.General.Debug, c.General.LxdConfDir, c.General.LxdLocalDisable, c.General.P2PMode, c.General.LegacyApi, c.General.Concurrency));
        Assert.Equal(("debug", true, "./l.log", true, false, false, false, false, true),
            (c.Logging.Level, c.Logging.EnableLogfile, c.Logging.Path, c.Logging.JsonFormat, c.Logging.EnableEmoji,
                c.Logging.Color, c.Logging.RuntimeCmdsOutput, c.Logging.CmdsOutput, c.Logging.PushProgressbar));
        Assert.Equal(new[] { "./a", "./b" }, c.EnvDirs);
        Assert.Equal(("render/default.yaml", "render/values.yaml", "render/secrets.yaml", "helm"),
            (c.RenderDefaultFile, c.RenderValuesFile, c.RenderSecretsFile, c.RenderEngine));
        Assert.Equal(new[] { "render/tpl" }, c.RenderTemplatesDirs);
        Assert.True(c.RenderEnabled);
        Assert.Equal(("c2VjcmV0", "key.txt", true), (c.Security.Key, c.Security.KeyFile, c.Security.EncryptedSecrets));
        Assert.Equal((4u, 1024u, 16u, (byte)2), (c.Security.DkaOpts.TimeIterations, c.Security.DkaOpts.MemoryUsage,
            c.Security.DkaOpts.KeyLength, c.Security.DkaOpts.Parallelism));
        Assert.Equal("key: <set>", c.Security.ToString());
        Assert.Equal(new SourceLocation(_t.PathOf(".lxd-compose.yml"), 1, 1), c.Location);
    }

    [Fact]
    public void Relative_paths_resolve_against_the_config_directory()
    {
        _t.Write("project/.lxd-compose.yml", "env_dirs: [envs]\n");
        var config = Load(configPath: "project/.lxd-compose.yml");
        Assert.Equal(_t.PathOf("project/envs"), config.Resolve(config.EnvDirs[0]));
        Assert.Equal("/abs", config.Resolve("/abs"));
    }

    [Fact]
    public void Environment_variables_override_keys_as_viper_does()
    {
        _t.Write(".lxd-compose.yml", "general: { lxd_confdir: ./from-file }\nlogging: { level: info }\n");
        var config = Load(new Dictionary<string, string>
        {
            ["LXD_COMPOSE_GENERAL__LXD_CONFDIR"] = "./from-env",
            ["LXD_COMPOSE_LOGGING__LEVEL"] = "debug",
            ["LXD_COMPOSE_LOGGING__COLOR"] = "0",
            ["LXD_COMPOSE_GENERAL__P2PMODE"] = "t",
            ["LXD_COMPOSE_GENERAL__CONCURRENCY"] = "0x2",
            ["LXD_COMPOSE_ENV_DIRS"] = "one,two",
            ["LXD_COMPOSE_RENDER_VALUES_FILE"] = "values.yaml",
            ["LXD_COMPOSE_SECURITY__DKA_OPTS__PARALLELISM"] = "8",
            ["LXD_COMPOSE_LOGGING__PATH"] = "", // empty variables are ignored (Viper's AllowEmptyEnv is off)
        });
        Assert.Equal("./from-env", config.General.LxdConfDir);
        Assert.Equal("debug", config.Logging.Level);
        Assert.False(config.Logging.Color);
        Assert.True(config.General.P2PMode);
        Assert.Equal(2, config.General.Concurrency);
        Assert.Equal(new[] { "one", "two" }, config.EnvDirs);
        Assert.Equal("values.yaml", config.RenderValuesFile);
        Assert.Equal((byte)8, config.Security.DkaOpts.Parallelism);
        Assert.Equal("./logs/lxd-compose.log", config.Logging.Path);
    }

    [Fact]
    public void A_bad_override_value_is_fatal_and_names_the_variable()
    {
        _t.Write(".lxd-compose.yml", "");
        var e = Assert.Throws<SpecException>(() =>
            Load(new Dictionary<string, string> { ["LXD_COMPOSE_GENERAL__DEBUG"] = "maybe" }));
        Assert.Equal("$env:LXD_COMPOSE_GENERAL__DEBUG", e.Diagnostic.File);
    }

    [Theory]
    [InlineData("general: { debug: maybe }", "1:19")]
    [InlineData("env_dirs: ./envs", "1:11")]
    [InlineData("general: { concurrency: 0 }", "1:25")]
    [InlineData("logging: [a]", "1:10")]
    [InlineData("- a list", "1:1")]
    [InlineData("a: 1\na: 2", "2:1")]
    public void Config_problems_are_fatal_with_position(string text, string position)
    {
        _t.Write(".lxd-compose.yml", text);
        var e = Assert.Throws<SpecException>(() => Load());
        Assert.Equal(_t.PathOf(".lxd-compose.yml"), e.Diagnostic.File);
        Assert.Equal(position, $"{e.Diagnostic.Line}:{e.Diagnostic.Column}");
    }

    [Fact]
    public void Unknown_config_keys_are_warnings_of_the_spec_set()
    {
        _t.Write(".lxd-compose.yml", "env_dirs: [envs]\netcd-config: false\n").Env("projects: []\n");
        var specs = _t.Load();
        var unknown = Assert.Single(specs.Diagnostics);
        Assert.Equal((LoadCodes.UnknownKey, DiagnosticSeverity.Warning, 2, 1), (unknown.Code, unknown.Severity, unknown.Line, unknown.Column));
    }

    [Fact]
    public void A_missing_env_dir_is_a_warning_at_its_entry()
    {
        _t.Write(".lxd-compose.yml", "env_dirs:\n  - envs\n  - missing\n").Env("projects: [{name: p}]\n");
        var specs = _t.Load();
        Assert.Single(specs.Environments);
        Assert.Equal(new[] { "Warning EnvDirNotFound .lxd-compose.yml:3:5" }, _t.Problems(specs));
    }

    [Fact]
    public void Env_files_load_in_ordinal_name_order_across_dirs_in_config_order()
    {
        _t.Write(".lxd-compose.yml", "env_dirs: [second, first]\n")
            .Write("first/a.yml", "projects: [{name: first-a}]\n")
            .Write("second/b.yml", "projects: [{name: second-b}]\n")
            .Write("second/B.yml", "projects: [{name: second-B}]\n")
            .Write("second/a.yml", "projects: [{name: second-a}]\n")
            .Write("second/notes.txt", "not an env\n");
        var specs = _t.Load();
        Assert.Equal(new[] { "second-B", "second-a", "second-b", "first-a" }, specs.Projects.Select(p => p.Name));
    }

    [Fact]
    public void Process_environment_is_read_when_none_is_injected()
    {
        _t.Write(".lxd-compose.yml", "");
        var name = "LXD_COMPOSE_RENDER_SECRETS_FILE";
        Environment.SetEnvironmentVariable(name, "from-process.yaml");
        try
        {
            var config = SpecLoader.LoadConfig(new LoadOptions { WorkingDirectory = _t.Root });
            Assert.Equal("from-process.yaml", config.RenderSecretsFile);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }
}
