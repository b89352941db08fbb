using LxdCompose.Loading;
using LxdCompose.Specs;
using LxdCompose.Templating;
using Xunit;

namespace LxdCompose.Tests.Loading;

/// <summary>Spec files go through the render engine only when the config enables it.</summary>
public sealed class RendererTests : IDisposable
{
    private readonly TempSpecs _t = new();

    public void Dispose() => _t.Dispose();

    [Fact]
    public void Without_render_files_specs_are_parsed_as_written()
    {
        _t.Env("projects: [{name: p, description: \"{{ literal }}\"}]\n");
        Assert.Equal("{{ literal }}", _t.LoadSingle().Projects[0].Description);
    }

    [Fact]
    public void With_render_files_the_go_renderer_renders_every_file_and_an_error_excludes_its_environment()
    {
        _t.Write(".lxd-compose.yml", "env_dirs: [envs]\nrender_default_file: render/default.yaml\n")
            .Write("render/default.yaml", "name: web\n")
            .Env("projects: [{name: '{{ .Values.name }}', include_groups_files: [inc/g.yml]}]\n", "a.yml")
            .Write("envs/inc/g.yml", "name: g-{{ .Values.name }}\n")
            .Env("include_profiles_files: [inc/p.yml]\n", "b.yml")
            .Write("envs/inc/p.yml", "name: x\ndescription: {{ $undeclared }}\n");
        var specs = _t.Load();
        Assert.Equal(new[] { "web" }, specs.Projects.Select(p => p.Name));
        Assert.Equal("g-web", specs.Groups.Single().Name);
        Assert.Equal(new[] { "Error TemplateParseError envs/inc/p.yml:2:17", "Error EnvironmentExcluded envs/b.yml:0:0" },
            _t.Problems(specs));
        Assert.Contains("undefined variable \"$undeclared\"", specs.Diagnostics[0].Message);
    }

    [Fact]
    public void A_given_renderer_sees_every_spec_file_and_its_output_is_parsed()
    {
        _t.Write(".lxd-compose.yml", "env_dirs: [envs]\nrender_values_file: values.yaml\n")
            .Env("projects: [{name: NAME, include_groups_files: [inc/g.yml]}]\n")
            .Write("envs/inc/g.yml", "name: NAME\n");
        var renderer = new RecordingRenderer();
        var specs = _t.Load(renderer: renderer);
        Assert.Equal(("rendered", "rendered"), (specs.Projects.Single().Name, specs.Groups.Single().Name));
        Assert.Equal(new[] { _t.PathOf("envs/env.yml"), _t.PathOf("envs/inc/g.yml") }, renderer.Files);
    }

    private sealed class RecordingRenderer : ISpecRenderer
    {
        public List<string> Files { get; } = new();

        public string Render(string file, string text)
        {
            Files.Add(file);
            return text.Replace("NAME", "rendered", StringComparison.Ordinal);
        }
    }
}
