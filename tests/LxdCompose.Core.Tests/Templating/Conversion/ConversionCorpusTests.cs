using LxdCompose.Templating.Conversion;
using LxdCompose.Tests.Loading;
using Xunit;
using Xunit.Abstractions;

namespace LxdCompose.Tests.Templating.Conversion;

/// <summary>Every Go template of the public corpus converts and the result parses as Scriban.</summary>
public sealed class ConversionCorpusTests
{
    private readonly ITestOutputHelper _output;

    public ConversionCorpusTests(ITestOutputHelper output) => _output = output;

    private static IEnumerable<string> FilesWithActions(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yml", StringComparison.Ordinal) || f.EndsWith(".yaml", StringComparison.Ordinal)
                        || f.EndsWith(".tmpl", StringComparison.Ordinal))
            .Where(f => File.ReadAllText(f).Contains("{{", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    /// <summary>.tmpl files are mottainai config templates (§2.5); everything else is a spec file.</summary>
    private static ConversionTarget TargetOf(string file) =>
        file.EndsWith(".tmpl", StringComparison.Ordinal) ? ConversionTarget.ConfigTemplate : ConversionTarget.Render;

    private List<(string File, ConversionResult Result)> ConvertAll(string root)
    {
        var results = new List<(string, ConversionResult)>();
        foreach (var file in FilesWithActions(root))
        {
            var result = GoToScribanConverter.Convert(File.ReadAllText(file), file,
                new ConversionOptions { Target = TargetOf(file) });
            var parsed = global::Scriban.Template.Parse(result.Text, file);
            Assert.False(parsed.HasErrors, file + ": " + string.Join("; ", parsed.Messages));
            Assert.DoesNotContain(result.Warnings, w => w.Construct == "scriban");
            foreach (var w in result.Warnings)
            {
                _output.WriteLine($"{Path.GetRelativePath(root, file)}:{w}");
            }

            results.Add((Path.GetRelativePath(root, file), result));
        }
        return results;
    }

    [SharedCorpusFact]
    public void Every_galaxy_file_with_Go_actions_converts_to_parsable_Scriban()
    {
        var results = ConvertAll(SharedCorpus.Galaxy!);

        // §2.4: 63 galaxy files contain Go actions.
        Assert.Equal(63, results.Count);
        // §2.2: 12 ranges, 4 of them over sprig's until (a list); the other 8 take a key and a value, which go.range
        // gives exactly (map or list), so nothing is warned about; no function is unknown to the engines.
        Assert.Empty(results.SelectMany(r => r.Result.Warnings));
        Assert.Equal(8, results.Sum(r => CountOf(r.Result.Text, "(go.range ")));
        Assert.DoesNotContain(results, r => r.Result.Text.Contains(GoToScribanConverter.UntranslatedMarker, StringComparison.Ordinal));
    }

    private static int CountOf(string text, string part)
    {
        int count = 0;
        for (int i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    [SharedCorpusFact]
    public void Galaxy_highlights_translate_as_expected()
    {
        var galaxy = SharedCorpus.Galaxy!;
        string Converted(string relative) => GoToScribanConverter.Convert(
            File.ReadAllText(Path.Combine(galaxy, relative)), relative,
            new ConversionOptions { Target = TargetOf(relative) }).Text;

        var mysql = Converted("envs/mysql8-cluster/mysql8-cluster.yml");
        Assert.Contains("{{- for $i in (gosprig.until $nodes) }}\n                {{- $instance = gosprig.add1 $i }}\n" +
                        "                {{- if $instance != 1 }}", mysql, StringComparison.Ordinal);
        var app = Converted("envs/funtoo/files/app.ini.tmpl");
        Assert.Contains("SSH_DOMAIN = {{ $with = node; if go.truth $with }}{{ $with.Name }}{{ end }}", app, StringComparison.Ordinal);
        Assert.Contains("{{ `ACCESS_LOG_TEMPLATE = {{.Ctx.RemoteHost}}", app, StringComparison.Ordinal);
        var steam = Converted("envs/steam/steam.yml");
        Assert.Contains("{{ gosprig.default \"0\" values.steam_x", steam, StringComparison.Ordinal);
    }

    [SharedCorpusFact]
    public void Lxd_compose_examples_convert_with_warnings_for_cross_file_templates()
    {
        var examples = Path.Combine(SharedCorpus.Galaxy!, "..", "lxd-compose-examples");
        var results = ConvertAll(examples);

        Assert.Equal(7, results.Count);
        var constructs = results.SelectMany(r => r.Result.Warnings.Select(w => r.File + ":" + w.Construct)).ToList();
        // env1.yml uses defines and templates-dir partials of other files; tvalue.yaml is such a partial, whose dot
        // is the include argument, not the render root. master.yml's key/value range over a variable is exact (go.range).
        Assert.Equal(new[]
        {
            "contrib/examples/envs/env1.yml:template", "contrib/examples/envs/env1.yml:include",
            "contrib/examples/envs/env1.yml:include", "contrib/examples/templates/commands.yaml:template",
            "contrib/examples/templates/tvalue.yaml:root object",
        }, constructs);
        Assert.Contains("(go.range ", results.Single(r => r.File == "tests/tasks/envs/tests/master.yml").Result.Text, StringComparison.Ordinal);
    }
}
