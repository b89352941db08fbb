using LxdCompose.Loading;
using LxdCompose.Specs;
using LxdCompose.Templating;
using Xunit;

namespace LxdCompose.Tests.Loading;

/// <summary>Spec files go through the render engine only when the config enables it, and are never parsed raw with actions.</summary>
public sealed class RendererTests : IDisposable
{
    private readonly TempSpecs _t = new();

    public void Dispose() => _t.Dispose();

    [Fact]
    public void Pending_renderer_passes_text_without_actions_through()
    {
        const string text = "projects: []\n# { single braces } are fine\n";
        Assert.Same(text, new PendingGoTemplateRenderer().Render("f.yml", text));
    }

    [Fact]
    public void Pending_renderer_fails_at_the_first_action_and_says_the_file_was_not_parsed_raw()
    {
        var e = Assert.Throws<SpecException>(() =>
            new PendingGoTemplateRenderer().Render("/x/f.yml", "a: 1\nb: x {{ .Values.b }}\nc: {{ .c }}\n"));
        Assert.Equal(("TemplateEngineUnavailable", "/x/f.yml", 2, 6),
            (e.Diagnostic.Code, e.Diagnostic.File, e.Diagnostic.Line, e.Diagnostic.Column));
        Assert.Contains("cannot render Go templates yet", e.Diagnostic.Message);
        Assert.Contains("not parsed raw", e.Diagnostic.Message);
    }

    [Fact]
    public void Without_render_files_specs_are_parsed_as_written()
    {
        _t.Env("projects: [{name: p, description: \"{{ literal }}\"}]\n");
        Assert.Equal("{{ literal }}", _t.LoadSingle().Projects[0].Description);
    }

    [Fact]
    public void With_render_files_the_default_renderer_excludes_files_with_actions_anywhere_in_their_include_graph()
    {
        _t.Write(".lxd-compose.yml", "env_dirs: [envs]\nrender_default_file: render/default.yaml\n")
            .Env("projects: [{name: plain}]\n", "a.yml")
            .Env("include_profiles_files: [inc/p.yml]\n", "b.yml")
            .Write("envs/inc/p.yml", "name: {{ .Values.name }}\n");
        var specs = _t.Load();
        Assert.Equal(new[] { "plain" }, specs.Projects.Select(p => p.Name));
        Assert.Equal(new[] { "Error TemplateEngineUnavailable envs/inc/p.yml:1:7", "Error EnvironmentExcluded envs/b.yml:0:0" },
            _t.Problems(specs));
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
