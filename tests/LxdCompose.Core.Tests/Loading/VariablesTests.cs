using LxdCompose.Loading;
using LxdCompose.Specs;
using LxdCompose.Templating;
using LxdCompose.Templating.Helm;
using Xunit;

namespace LxdCompose.Tests.Loading;

/// <summary>Variables and their precedence (reference §3.10) and vars files.</summary>
public sealed class VariablesTests : IDisposable
{
    private readonly TempSpecs _t = new();

    public void Dispose() => _t.Dispose();

    private static VarsBlock Block(params (string Key, object? Value)[] pairs) =>
        new() { Envs = pairs.ToDictionary(p => p.Key, p => p.Value) };

    [Fact]
    public void Inline_blocks_then_env_files_then_vars_files_then_env_pairs_later_wins()
    {
        var project = _t.Env("""
            projects:
              - name: p
                include_env_files: [vars/v.yml]
                vars:
                  - envs: { a: inline1, b: inline1, c: inline1, d: inline1, e: inline1 }
                  - envs: { b: inline2 }
            """).Write("envs/vars/v.yml", "envs: { c: file, d: file, e: file }\n").LoadSingle().Projects[0];

        var merged = ProjectVariables.Merge(project, new[] { Block(("d", "vars-file"), ("e", "vars-file")), Block(("e", "--env")) });

        Assert.Equal(new Dictionary<string, object?>
        {
            ["a"] = "inline1", ["b"] = "inline2", ["c"] = "file", ["d"] = "vars-file", ["e"] = "--env",
        }, merged);
    }

    [Fact]
    public void Later_blocks_replace_whole_values_without_deep_merging()
    {
        var project = new LxdProject
        {
            Vars = new[]
            {
                Block(("obj", new Dictionary<string, object?> { ["x"] = 1L, ["y"] = 2L })),
                Block(("obj", new Dictionary<string, object?> { ["x"] = 3L })),
            },
        };
        var obj = Assert.IsType<Dictionary<string, object?>>(ProjectVariables.Merge(project)["obj"]);
        Assert.Equal(new[] { "x" }, obj.Keys);
    }

    [Fact]
    public void Encrypted_blocks_give_their_variables_in_their_place()
    {
        var key = Convert.ToBase64String(LxdCompose.Security.LxdComposeCipher.NewKey());
        var secret = Tests.Security.EncryptedSpecTests.EncryptVars(key, "envs: { a: encrypted, b: encrypted }\n");
        _t.Write(".lxd-compose.yml", "env_dirs: [envs]\n" + Tests.Security.EncryptedSpecTests.SecurityBlock(key));
        var project = _t.Env($$"""
            projects:
              - name: p
                vars:
                  - envs: { a: plain, b: plain, c: plain }
                  - encrypted: true
                    enc_content: {{secret}}
                  - envs: { b: later }
            """).LoadSingle().Projects[0];

        Assert.Equal(new Dictionary<string, object?> { ["a"] = "encrypted", ["b"] = "later", ["c"] = "plain" },
            ProjectVariables.Merge(project));
        Assert.True(project.Vars[1].Encrypted);
    }

    [Fact]
    public void Load_vars_file_plain_and_encrypted()
    {
        _t.Write("plain.yml", "envs:\n  port: 80\n  name: web\n").Write("enc.yml", "encrypted: true\nenc_content: YWJj\n");
        var plain = ProjectVariables.LoadVarsFile(_t.PathOf("plain.yml"), renderer: null, config: null);
        Assert.Equal(80L, plain.Envs["port"]);
        Assert.Equal(_t.PathOf("plain.yml"), plain.File);
        var encrypted = Assert.Throws<SpecException>(() => ProjectVariables.LoadVarsFile(_t.PathOf("enc.yml"), null, null));
        Assert.Equal((LoadCodes.EncryptionKeyMissing, _t.PathOf("enc.yml")), (encrypted.Diagnostic.Code, encrypted.Diagnostic.File));
    }

    [Fact]
    public void Load_vars_file_renders_first_and_fails_clearly()
    {
        _t.Write("t.yml", "envs: { a: {{ .Values.a }} }\n").Write("bad.yml", "envs: [1]\n");
        var context = RenderContext.Create(new Dictionary<string, object?> { ["a"] = 5L }, null, null, Array.Empty<string>());
        var rendered = ProjectVariables.LoadVarsFile(_t.PathOf("t.yml"), new HelmSpecRenderer(context), null);
        Assert.Equal(5L, rendered.Envs["a"]);
        var unrendered = Assert.Throws<SpecException>(() => ProjectVariables.LoadVarsFile(_t.PathOf("t.yml"), null, null));
        Assert.Equal(_t.PathOf("t.yml"), unrendered.Diagnostic.File);
        var bad = Assert.Throws<SpecException>(() => ProjectVariables.LoadVarsFile(_t.PathOf("bad.yml"), null, null));
        Assert.Equal((LoadCodes.TypeMismatch, 1, 7), (bad.Diagnostic.Code, bad.Diagnostic.Line, bad.Diagnostic.Column));
        var missing = Assert.Throws<SpecException>(() => ProjectVariables.LoadVarsFile(_t.PathOf("none.yml"), null, null));
        Assert.Equal(LoadCodes.IncludeNotFound, missing.Diagnostic.Code);
    }
}
