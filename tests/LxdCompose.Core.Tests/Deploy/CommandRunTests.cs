using LxdCompose.Deploy;
using LxdCompose.Lxd.Config;
using LxdCompose.Specs;
using LxdCompose.Templating;
using LxdCompose.Tests.Loading;
using Xunit;

namespace LxdCompose.Tests.Deploy;

/// <summary>command run (lxd-compose ApplyCommand): include_hooks_files and vars_files of a command, no LXD needed.</summary>
public sealed class CommandRunTests : IDisposable
{
    private readonly TempSpecs _t = new();

    public void Dispose() => _t.Dispose();

    private void WriteSpecs(string commandFiles)
    {
        _t.Write(".lxd-compose.yml", "env_dirs: [envs]\nrender_default_file: render/default.yaml\n")
            .Write("render/default.yaml", "who: rendered\n")
            .Env($$"""
                version: "1"
                projects:
                  - name: p
                    vars:
                      - envs:
                          shared: project
                          out: "{{_t.PathOf("out.txt")}}"
                    hooks:
                      - event: pre-project
                        node: host
                        commands:
                          - echo "project hook" >> "$out"
                commands:
                  - name: c
                    project: p
                    apply_alias: true
                    {{commandFiles}}
                    envs:
                      envs:
                        shared: envs
                        from_envs: "yes"
                """);
    }

    [PosixShellFact]
    public async Task Command_hooks_files_are_rendered_and_appended_to_the_project_hooks_and_vars_follow_lxd_compose_order()
    {
        WriteSpecs("include_hooks_files: [../cmd/hooks.yml]\n    vars_files: [../cmd/vars.yml]");
        _t.Write("cmd/hooks.yml", """
            hooks:
              - event: pre-project
                node: host
                commands:
                  - echo "command hook {{ .Values.who }}" >> "$out"
              - event: post-project
                node: host
                commands:
                  - echo "shared=$shared from_file=$from_file from_envs=$from_envs" >> "$out"
            """)
            .Write("cmd/vars.yml", "envs:\n  shared: vars_file\n  from_file: \"{{ .Values.who }}\"\n");
        var specs = _t.Load();
        Assert.Empty(_t.Problems(specs));
        var command = specs.Commands.Single();
        var renderer = TemplateEngines.SpecRendererFor(specs.Config, null);

        var run = CommandOptions.Prepare(specs, command, new[] { DeployLabKit.Env(("shared", "env")) }, renderer);

        Assert.Single(specs.FindProject("p")!.Hooks); // the loaded project is left alone
        Assert.Equal(3, run.Project.Hooks.Count);
        Assert.All(run.Project.Hooks.Skip(1), h => Assert.Equal(HookLevel.Project, h.Level));
        Assert.Equal(new[] { "vars_file", "envs", "env" }, run.Options.ExtraVars.Select(b => b.Envs["shared"]));

        var confDir = _t.PathOf("conf");
        Directory.CreateDirectory(confDir);
        File.WriteAllText(Path.Combine(confDir, "config.yml"), "default-remote: local\nremotes: {}\n");
        using var connections = new LxdConnections(LxdClientConfig.Load(confDir));
        var outcome = (await new DeployRunner(specs, connections).ApplyAsync(run.Project, run.Options, new ApplyRunOptions(), ApproveAll.Instance,
            new RecordingDeployHost(), CancellationToken.None)).Outcome;

        Assert.True(outcome.Succeeded, string.Join("\n", outcome.Failures.Select(f => f.Exception.Message)));
        Assert.Equal(new[] { "project hook", "command hook rendered", "shared=env from_file=rendered from_envs=yes" },
            File.ReadAllLines(_t.PathOf("out.txt")));
    }

    [Fact]
    public void A_missing_command_hooks_file_is_an_error_at_the_command()
    {
        WriteSpecs("include_hooks_files: [../cmd/missing.yml]");
        var specs = _t.Load();
        var command = specs.Commands.Single();

        var error = Assert.Throws<SpecException>(() => CommandOptions.Prepare(specs, command, Array.Empty<VarsBlock>(), null));

        Assert.Equal("IncludeNotFound", error.Diagnostic.Code);
        Assert.Equal(command.Location, error.Diagnostic.Location);
        Assert.Contains("cmd/missing.yml", error.Message);
    }

    [Fact]
    public void A_hooks_file_without_a_hooks_list_is_a_warning()
    {
        WriteSpecs("include_hooks_files: [../cmd/flat.yml]");
        _t.Write("cmd/flat.yml", "event: pre-project\nnode: host\n");
        var specs = _t.Load();

        var run = CommandOptions.Prepare(specs, specs.Commands.Single(), Array.Empty<VarsBlock>(), null);

        Assert.Single(run.Project.Hooks);
        Assert.Equal("HooksFileWithoutHooksKey", Assert.Single(run.Warnings).Code);
    }
}
