using LxdCompose.Specs;
using LxdCompose.Templating;

namespace LxdCompose.Loading;

/// <summary>Finds the config, scans env dirs, renders and parses every spec file, resolves includes.</summary>
public static class SpecLoader
{
    /// <summary>Reads the main config. Problems are fatal (<see cref="SpecException"/>).</summary>
    public static ComposeConfig LoadConfig(LoadOptions options) => ConfigLoader.Load(options, new DiagnosticSink());

    /// <summary>
    /// Loads every environment of the config. An environment file with an error (in itself or in anything it
    /// includes) is left out whole, with its errors in <see cref="SpecSet.Diagnostics"/>; the others still load.
    /// </summary>
    public static SpecSet Load(LoadOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var diagnostics = new DiagnosticSink();
        var config = ConfigLoader.Load(options, diagnostics);
        // The render context is built here (not inside the renderer) so its secret values are known to mask.
        var renderContext = config.RenderEnabled && options.Renderer is null ? RenderContext.Build(config, options.RenderValues) : null;
        var renderer = !config.RenderEnabled ? null
            : options.Renderer ?? TemplateEngines.CreateSpecRenderer(TemplateEngines.RenderEngineName(config), renderContext!);
        var files = new SpecFileReader(renderer, new VarsDecryptor(config, renderer));

        var environments = new List<LxdEnvironment>();
        foreach (var envFile in EnvironmentFiles(config, diagnostics))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var sink = new DiagnosticSink();
            var environment = EnvironmentLoader.Load(envFile, files, options.NodesPrefix, sink);
            foreach (var diagnostic in sink.Items)
            {
                diagnostics.Add(diagnostic);
            }

            if (environment is not null && !sink.HasErrors)
            {
                environments.Add(environment);
            }
            else
            {
                var errors = sink.Items.Count(d => d.Severity == DiagnosticSeverity.Error);
                diagnostics.Error(LoadCodes.EnvironmentExcluded,
                    $"environment file not loaded because of {errors} error(s) above; nothing from it is used",
                    SourceLocation.FileOnly(envFile));
            }
        }

        return new SpecSet(config, environments, diagnostics.Items.ToList())
        {
            Secrets = SpecSecrets.Collect(config, renderContext, environments),
        };
    }

    /// <summary>The <c>*.yml</c> files directly in each env dir, sorted by name, as lxd-compose picks them.</summary>
    private static IEnumerable<string> EnvironmentFiles(ComposeConfig config, DiagnosticSink diagnostics)
    {
        for (var i = 0; i < config.EnvDirs.Count; i++)
        {
            var written = config.EnvDirs[i];
            var at = i < config.EnvDirLocations.Count ? config.EnvDirLocations[i] : config.Location;
            var directory = config.Resolve(written);
            if (!Directory.Exists(directory))
            {
                diagnostics.Warning(LoadCodes.EnvDirNotFound,
                    $"env dir '{written}' does not exist (looked for {directory}; relative paths are taken from the " +
                    "config file's directory); create it or fix env_dirs", at);
                continue;
            }

            var names = Directory.EnumerateFiles(directory).Select(Path.GetFileName).OfType<string>()
                .OrderBy(n => n, StringComparer.Ordinal);
            foreach (var name in names)
            {
                var path = Path.Combine(directory, name);
                if (name.EndsWith(".yml", StringComparison.Ordinal))
                {
                    yield return path;
                }
                else if (name.EndsWith(".yaml", StringComparison.Ordinal))
                {
                    diagnostics.Verbose(LoadCodes.YamlExtensionIgnored,
                        "not loaded as an environment: only *.yml files in env dirs are environments (lxd-compose " +
                        "ignores *.yaml too); rename it to .yml to load it", SourceLocation.FileOnly(path));
                }
            }
        }
    }
}
