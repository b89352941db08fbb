using LxdCompose.GoTemplates.Functions;
using LxdCompose.Templating.Functions;
using LxdCompose.Templating.Helm;
using LxdCompose.GoTemplates;

namespace LxdCompose.Tests.Templating.Conformance;

/// <summary>
/// The two function sets and missing-key modes lxd-compose executes Go templates with: Helm's engine (sprig v3 with
/// Helm's extras, missingkey=zero) for spec files, and the mottainai engine (sprig v2 with lxd-compose's extras, Go's
/// default missing keys, the data passed by pointer) for config templates.
/// </summary>
internal static class ConformanceEngines
{
    private static readonly GoFunctionTable HelmTable = HelmSpecRenderer.CreateFunctionTable();

    private static readonly GoFunctionTable MottainaiTable =
        MottainaiFunctions.Register(SprigFunctions.Register(GoFunctionTable.CreateWithBuiltins(), SprigVersion.V2));

    public static string Helm(string template, object? data = null) =>
        GoTemplate.Parse("t", template, HelmTable).Execute(data, new GoExecuteOptions { MissingKey = GoMissingKey.Zero });

    public static string Mottainai(string template, object? data = null) =>
        GoTemplate.Parse("spec", template, MottainaiTable)
            .Execute(data is null ? null : new GoPointer(data), new GoExecuteOptions { MissingKey = GoMissingKey.Default });

    /// <summary>The message of the error a template stops with (Go's text after "executing ... at <...>: ").</summary>
    public static string Failure(Func<string, object?, string> engine, string template, object? data) =>
        Xunit.Assert.ThrowsAny<GoTemplateException>(() => engine(template, data)).Message;
}
