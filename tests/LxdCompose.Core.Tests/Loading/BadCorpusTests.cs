using LxdCompose.Deploy;
using LxdCompose.Loading;
using LxdCompose.Specs;
using LxdCompose.Tests.Deploy;
using Xunit;

namespace LxdCompose.Tests.Loading;

/// <summary>One case of tests/corpus/bad: a folder with a config and the one problem it must give (cases.tsv).</summary>
public sealed record BadCase(string Name, DiagnosticSeverity Severity, string Code, string File, int Line)
{
    public string Directory => Path.Combine(BadCorpus.Root, Name);

    public string Expected => $"{Severity} {Code} {File}:{Line}";

    public override string ToString() => Name;
}

/// <summary>tests/corpus/bad and what it takes to load and judge a case as a deploy cmdlet does.</summary>
public static class BadCorpus
{
    public static string Root => Path.Combine(DeployLabKit.RepositoryRoot(), "tests", "corpus", "bad");

    public static IReadOnlyList<BadCase> Cases() =>
        File.ReadAllLines(Path.Combine(Root, "cases.tsv"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('\t'))
            .Select(f => new BadCase(f[0], Enum.Parse<DiagnosticSeverity>(f[1]), f[2], f[3], int.Parse(f[4], System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in Cases())
        {
            data.Add(c.Name);
        }

        return data;
    }

    /// <summary>
    /// Loads a case (<paramref name="directory"/> holds its config) and returns its specs (null when the config does
    /// not load at all) with every problem but the verbose details and EnvironmentExcluded, which only names the file a
    /// load error leaves out.
    /// </summary>
    public static (SpecSet? Specs, IReadOnlyList<SpecDiagnostic> Problems) Load(string directory,
        IReadOnlyDictionary<string, string>? environment = null, ValidationOptions? options = null)
    {
        SpecSet specs;
        try
        {
            specs = SpecLoader.Load(new LoadOptions { WorkingDirectory = directory, EnvironmentVariables = environment ?? SpecTestKit.NoEnvironment });
        }
        catch (SpecException e)
        {
            return (null, new[] { e.Diagnostic });
        }

        return (specs, SpecValidator.Problems(specs, options)
            .Where(p => p.Severity != DiagnosticSeverity.Verbose && p.Code != LoadCodes.EnvironmentExcluded).ToList());
    }
}

/// <summary>Every broken spec of tests/corpus/bad gives exactly its one problem, and the deploy gate refuses it.</summary>
public sealed class BadCorpusTests
{
    [Fact]
    public void The_corpus_has_at_least_80_cases_each_a_folder_listed_once()
    {
        var cases = BadCorpus.Cases();
        Assert.True(cases.Count >= 80, $"{cases.Count} cases");
        Assert.Equal(cases.Count, cases.Select(c => c.Name).Distinct().Count());
        Assert.Equal(cases.Select(c => c.Name).Order(StringComparer.Ordinal),
            Directory.GetDirectories(BadCorpus.Root).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(BadCorpus.CaseNames), MemberType = typeof(BadCorpus))]
    public void Each_case_gives_exactly_its_problem_and_the_gate_refuses_it(string name)
    {
        var badCase = BadCorpus.Cases().Single(c => c.Name == name);
        var (specs, problems) = BadCorpus.Load(badCase.Directory);

        Assert.Equal(new[] { badCase.Expected },
            problems.Select(p => $"{p.Severity} {p.Code} {SpecTestKit.Relative(p.File, badCase.Directory)}:{p.Line}"));
        if (specs is null || !specs.Projects.Any())
        {
            return; // nothing loaded to deploy: a deploy cmdlet finds no project and contacts no server
        }

        // As Invoke-LxdApply on every project: an error refuses; a warning refuses with -Strict only.
        var projects = specs.Projects.ToList();
        Assert.True(DeployGate.Refuses(DeployGate.Problems(specs, projects, new ValidationOptions { Strict = true })), $"-Strict lets {name} through");
        Assert.Equal(badCase.Severity == DiagnosticSeverity.Error, DeployGate.Refuses(DeployGate.Problems(specs, projects, new ValidationOptions())));
    }
}
