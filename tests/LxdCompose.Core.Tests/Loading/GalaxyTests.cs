using LxdCompose.Loading;
using LxdCompose.Specs;
using Xunit;

namespace LxdCompose.Tests.Loading;

/// <summary>A fact that needs the public spec corpus in ../shared next to the repository; skipped with the reason when absent.</summary>
public sealed class SharedCorpusFactAttribute : FactAttribute
{
    public SharedCorpusFactAttribute()
    {
        if (SharedCorpus.Galaxy is null)
        {
            Skip = "../shared/corpus/lxd-compose-galaxy is absent next to the repository; the corpus tests need it";
        }
    }
}

/// <summary>A fact that needs lxd-compose's examples in ../shared next to the repository; skipped with the reason when absent.</summary>
public sealed class SharedExamplesFactAttribute : FactAttribute
{
    public SharedExamplesFactAttribute()
    {
        if (SharedCorpus.Examples is null)
        {
            Skip = "../shared/corpus/lxd-compose-examples is absent next to the repository; the examples tests need it";
        }
    }
}

/// <summary>A fact that needs the encryption vectors lxd-compose made, in ../shared; skipped with the reason when absent.</summary>
public sealed class SharedEncryptionVectorsFactAttribute : FactAttribute
{
    public SharedEncryptionVectorsFactAttribute()
    {
        if (SharedCorpus.EncryptionVectors is null)
        {
            Skip = "../shared/vectors/encryption is absent next to the repository; the lxd-compose vector tests need it";
        }
    }
}

internal static class SharedCorpus
{
    public static string? Galaxy { get; } = Find("corpus", "lxd-compose-galaxy");

    /// <summary>lxd-compose's contrib/ examples and tests/tasks/.</summary>
    public static string? Examples { get; } = Find("corpus", "lxd-compose-examples");

    /// <summary>Files encrypted by lxd-compose itself, with their key and plain text.</summary>
    public static string? EncryptionVectors { get; } = Find("vectors", "encryption");

    private static string? Find(string area, string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LxdCompose.sln")))
            {
                var corpus = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", area, name));
                return Directory.Exists(corpus) ? corpus : null;
            }
        }

        return null;
    }
}

/// <summary>
/// The galaxy environments whose whole include graph has no Go template actions (nginx, sonarqube-ce-server and the
/// arm mottainai-agent) load under the galaxy's render config with the counts of galaxy-and-templates.md §1.2.
/// The template-using ones belong to the template engine's tests.
/// </summary>
public sealed class GalaxyTests : IDisposable
{
    private readonly TempSpecs _t = new();

    public void Dispose() => _t.Dispose();

    [SharedCorpusFact]
    public void Template_free_environments_load_with_the_documented_counts()
    {
        var galaxy = SharedCorpus.Galaxy!;
        _t.Write(".lxd-compose.yml", $"""
            render_default_file: {Path.Combine(galaxy, "render", "default.yaml")}
            env_dirs:
              - {Path.Combine(galaxy, "envs", "nginx")}
              - {Path.Combine(galaxy, "envs", "sonarqube-ce-server")}
              - {Path.Combine(galaxy, "envs-arm", "mottainai-agent")}
            """);
        var specs = _t.Load();

        Assert.Empty(specs.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString()));
        var summary = specs.Environments.Select(e => (
            Path.GetFileName(e.File),
            e.TemplateEngine.Engine,
            e.Projects.Count,
            e.Projects.Sum(p => p.Groups.Count),
            e.Projects.SelectMany(p => p.Groups).Sum(g => g.Nodes.Count),
            e.Projects.Sum(p => p.Hooks.Count + p.Groups.Sum(g => g.Hooks.Count + g.Nodes.Sum(n => n.Hooks.Count))),
            e.Profiles.Count));
        Assert.Equal(new[]
        {
            ("nginx.yml", "mottainai", 1, 1, 1, 6, 0),
            ("sonar-ce.yml", "jinja2", 1, 1, 1, 5, 1),
            ("mottainai-agent-rpi4.yml", "mottainai", 1, 1, 1, 4, 6),
        }, summary);

        Assert.Equal("nginx-proxy", specs.Environments[0].Projects[0].Name);
        Assert.NotEmpty(specs.Environments[1].Projects[0].Groups[0].IncludedFrom ?? string.Empty);
    }
}
