using LxdCompose.Loading;
using LxdCompose.Specs;
using Xunit;

namespace LxdCompose.Tests.Loading;

/// <summary>Loads fixture folders (Fixtures/&lt;case&gt;/) and throw-away spec folders written by a test.</summary>
internal static class SpecTestKit
{
    public static readonly IReadOnlyDictionary<string, string> NoEnvironment = new Dictionary<string, string>();

    public static string FixtureDir(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    public static SpecSet LoadFixture(string name, string? nodesPrefix = null) =>
        SpecLoader.Load(new LoadOptions
        {
            WorkingDirectory = FixtureDir(name),
            NodesPrefix = nodesPrefix,
            EnvironmentVariables = NoEnvironment,
        });

    /// <summary>Diagnostics as "Severity Code file:line:column" with the file relative to <paramref name="root"/>.</summary>
    public static string Describe(SpecDiagnostic d, string root) =>
        $"{d.Severity} {d.Code} {Relative(d.File, root)}:{d.Line}:{d.Column}";

    public static string Relative(string file, string root) =>
        file.Length == 0 ? string.Empty : Path.GetRelativePath(root, file).Replace('\\', '/');

    public static IReadOnlyList<string> Problems(IEnumerable<SpecDiagnostic> diagnostics, string root,
        DiagnosticSeverity minimum = DiagnosticSeverity.Warning) =>
        diagnostics.Where(d => d.Severity >= minimum).Select(d => Describe(d, root)).ToList();
}

/// <summary>A temporary spec folder: a config (default: env_dirs [envs]) and files written by the test.</summary>
internal sealed class TempSpecs : IDisposable
{
    public TempSpecs()
    {
        Root = Path.Combine(Path.GetTempPath(), "lxdc-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public TempSpecs Write(string relativePath, string text)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return this;
    }

    public TempSpecs Env(string text, string name = "env.yml") => Write(Path.Combine("envs", name), text);

    public string PathOf(string relativePath) => Path.Combine(Root, relativePath);

    public SpecSet Load(string? nodesPrefix = null, IReadOnlyDictionary<string, string>? environment = null,
        LxdCompose.Templating.ISpecRenderer? renderer = null)
    {
        if (!File.Exists(PathOf(".lxd-compose.yml")))
        {
            Write(".lxd-compose.yml", "env_dirs: [envs]\n");
        }

        return SpecLoader.Load(new LoadOptions
        {
            WorkingDirectory = Root,
            NodesPrefix = nodesPrefix,
            EnvironmentVariables = environment ?? SpecTestKit.NoEnvironment,
            Renderer = renderer,
        });
    }

    /// <summary>Loads and returns the one environment, failing with the diagnostics when it did not load.</summary>
    public LxdEnvironment LoadSingle(string? nodesPrefix = null)
    {
        var specs = Load(nodesPrefix);
        Assert.True(specs.Environments.Count == 1,
            "expected one environment; diagnostics:\n" + string.Join("\n", specs.Diagnostics));
        return specs.Environments[0];
    }

    public IReadOnlyList<string> Problems(SpecSet specs, DiagnosticSeverity minimum = DiagnosticSeverity.Warning) =>
        SpecTestKit.Problems(specs.Diagnostics, Root, minimum);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
