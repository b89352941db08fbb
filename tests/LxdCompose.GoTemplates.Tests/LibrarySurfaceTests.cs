using System.Reflection;
using LxdCompose.GoTemplates.Functions;
using Xunit;

namespace LxdCompose.GoTemplates.Tests;

/// <summary>
/// What a host sees of the library: its public types, its dependencies (the framework only), the bounds it words
/// through the host, the YAML reader the host supplies, and the parse layer on its own.
/// </summary>
public class LibrarySurfaceTests
{
    private static readonly Assembly Library = typeof(GoTemplate).Assembly;

    /// <summary>The public surface; anything else stays internal. A new public type is a decision: add it here and to README.md.</summary>
    private static readonly string[] PublicTypes =
    [
        "LxdCompose.GoTemplates.Functions.GoJson",
        "LxdCompose.GoTemplates.Functions.GoYamlDecoder",
        "LxdCompose.GoTemplates.Functions.HelmFunctions",
        "LxdCompose.GoTemplates.Functions.SprigCertificate",
        "LxdCompose.GoTemplates.Functions.SprigEnvironment",
        "LxdCompose.GoTemplates.Functions.SprigFunctions",
        "LxdCompose.GoTemplates.Functions.SprigVersion",
        "LxdCompose.GoTemplates.GoActionNode",
        "LxdCompose.GoTemplates.GoBoolNode",
        "LxdCompose.GoTemplates.GoBranchKind",
        "LxdCompose.GoTemplates.GoBranchNode",
        "LxdCompose.GoTemplates.GoBreakNode",
        "LxdCompose.GoTemplates.GoCallContext",
        "LxdCompose.GoTemplates.GoChainNode",
        "LxdCompose.GoTemplates.GoCommandNode",
        "LxdCompose.GoTemplates.GoCommentNode",
        "LxdCompose.GoTemplates.GoContinueNode",
        "LxdCompose.GoTemplates.GoDotNode",
        "LxdCompose.GoTemplates.GoElseNode",
        "LxdCompose.GoTemplates.GoEndNode",
        "LxdCompose.GoTemplates.GoExecuteOptions",
        "LxdCompose.GoTemplates.GoFieldNode",
        "LxdCompose.GoTemplates.GoFormat",
        "LxdCompose.GoTemplates.GoFunction",
        "LxdCompose.GoTemplates.GoFunctionBody",
        "LxdCompose.GoTemplates.GoFunctionException",
        "LxdCompose.GoTemplates.GoFunctionTable",
        "LxdCompose.GoTemplates.GoIdentifierNode",
        "LxdCompose.GoTemplates.GoLimit",
        "LxdCompose.GoTemplates.GoLimitException",
        "LxdCompose.GoTemplates.GoLimits",
        "LxdCompose.GoTemplates.GoListNode",
        "LxdCompose.GoTemplates.GoMemberAccess",
        "LxdCompose.GoTemplates.GoMissing",
        "LxdCompose.GoTemplates.GoMissingKey",
        "LxdCompose.GoTemplates.GoNilNode",
        "LxdCompose.GoTemplates.GoNode",
        "LxdCompose.GoTemplates.GoNumberNode",
        "LxdCompose.GoTemplates.GoPipeNode",
        "LxdCompose.GoTemplates.GoPointer",
        "LxdCompose.GoTemplates.GoStringNode",
        "LxdCompose.GoTemplates.GoSyntax",
        "LxdCompose.GoTemplates.GoTemplate",
        "LxdCompose.GoTemplates.GoTemplateException",
        "LxdCompose.GoTemplates.GoTemplateExecException",
        "LxdCompose.GoTemplates.GoTemplateLimits",
        "LxdCompose.GoTemplates.GoTemplateNode",
        "LxdCompose.GoTemplates.GoTemplateParseException",
        "LxdCompose.GoTemplates.GoTemplateTree",
        "LxdCompose.GoTemplates.GoTextNode",
        "LxdCompose.GoTemplates.GoToken",
        "LxdCompose.GoTemplates.GoTokenKind",
        "LxdCompose.GoTemplates.GoType",
        "LxdCompose.GoTemplates.GoTypeNameAttribute",
        "LxdCompose.GoTemplates.GoValues",
        "LxdCompose.GoTemplates.GoVariableNode",
        "LxdCompose.GoTemplates.IGoMethods",
    ];

    [Fact]
    public void Only_the_documented_types_are_public()
    {
        var exported = Library.GetExportedTypes().Select(t => t.FullName!).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(PublicTypes, exported);
    }

    [Fact]
    public void The_library_depends_on_the_framework_only()
    {
        var references = Library.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.NotEmpty(references);
        Assert.All(references, name => Assert.True(name.StartsWith("System.", StringComparison.Ordinal) || name is "netstandard" or "mscorlib",
            $"{name} is not part of the framework"));
    }

    [Fact]
    public void Readme_sample_renders_a_template_with_sprig_v3()
    {
        // The README's "Use" sample, as written there.
        var functions = SprigFunctions.Register(GoFunctionTable.CreateWithBuiltins(), SprigVersion.V3);
        var template = GoTemplate.Parse("greeting", "Hello {{ .name | upper }}{{ range .items }} {{ . }}{{ end }}", functions);
        var data = new Dictionary<string, object?> { ["name"] = "world", ["items"] = new List<object?> { 1L, 2L } };
        string text = template.Execute(data, new GoExecuteOptions { MissingKey = GoMissingKey.Zero });

        Assert.Equal("Hello WORLD 1 2", text);
    }

    [Fact]
    public void An_exceeded_bound_is_named_and_worded_by_default_with_its_value()
    {
        var template = GoTemplate.Parse("t", "{{ range . }}x{{ end }}", GoFunctionTable.CreateWithBuiltins());
        var options = new GoExecuteOptions { Limits = new GoTemplateLimits { LoopIterations = 2 } };

        var e = Assert.Throws<GoTemplateExecException>(() => template.Execute(new List<object?> { 1L, 2L, 3L }, options));

        Assert.Equal(GoLimit.LoopIterations, e.Limit);
        Assert.EndsWith("range ran more than 2 iterations (counted across nested loops) (limit 2)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_host_words_exceeded_bounds_its_own_way()
    {
        var limits = new GoTemplateLimits { OutputChars = 10, Describe = (what, limit, value) => $"{what} [{limit}={value}, see the manual]" };
        var functions = SprigFunctions.Register(GoFunctionTable.CreateWithBuiltins(), SprigVersion.V3);
        var template = GoTemplate.Parse("t", "{{ repeat 50 \"x\" }}", functions);

        var e = Assert.Throws<GoTemplateExecException>(() => template.Execute(null, new GoExecuteOptions { Limits = limits }));

        Assert.Equal(GoLimit.OutputChars, e.Limit);
        Assert.Contains("the result would have 50 characters [OutputChars=10, see the manual]", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(GoLimit.LoopIterations, 7L)]
    [InlineData(GoLimit.OutputChars, 8L)]
    [InlineData(GoLimit.Depth, 9L)]
    public void Each_bound_has_its_value(GoLimit limit, long expected) =>
        Assert.Equal(expected, new GoTemplateLimits { LoopIterations = 7, OutputChars = 8, Depth = 9 }.ValueOf(limit));

    [Fact]
    public void FromYaml_without_a_host_decoder_is_an_error()
    {
        var template = GoTemplate.Parse("t", "{{ fromYaml \"a: 1\" }}", HelmFunctions.Register(GoFunctionTable.CreateWithBuiltins()));

        var e = Assert.Throws<GoTemplateExecException>(() => template.Execute(null));

        Assert.Contains("error calling fromYaml: no YAML decoder was given to HelmFunctions.Register", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromYaml_reads_through_the_host_decoder_and_json_like_sigs_k8s_io_yaml()
    {
        string? seen = null;
        GoYamlDecoder decode = text =>
        {
            seen = text;
            return new Dictionary<string, object?>(StringComparer.Ordinal) { ["a"] = 1L, ["b"] = new List<object?> { "x" } };
        };
        var functions = HelmFunctions.Register(GoFunctionTable.CreateWithBuiltins(), decode);

        var output = GoTemplate.Parse("t", "{{ $m := fromYaml \"doc\" }}{{ $m.a }} {{ typeOf $m.a }} {{ $m.b }}", functions).Execute(null);

        Assert.Equal(("doc", "1 float64 [x]"), (seen, output));
    }

    [Fact]
    public void FromYaml_turns_a_decoder_failure_into_helms_error_map()
    {
        GoYamlDecoder decode = _ => throw new FormatException("bad indentation");
        var functions = HelmFunctions.Register(GoFunctionTable.CreateWithBuiltins(), decode);

        var output = GoTemplate.Parse("t", "{{ (fromYaml \"x\").Error }}|{{ fromYamlArray \"x\" }}", functions).Execute(null);

        Assert.Equal("error converting YAML to JSON: bad indentation|[error converting YAML to JSON: bad indentation]", output);
    }

    [Fact]
    public void The_parse_layer_lexes_parses_and_unquotes_without_running()
    {
        const string text = "a{{ if .x }}c{{ end }}{{ define \"d\" }}b{{ end }}";
        var tokens = GoSyntax.Lex(text);
        var trees = GoSyntax.Parse("t", text, GoFunctionTable.CreateWithBuiltins());

        Assert.Equal(GoTokenKind.EOF, tokens[^1].Kind);
        Assert.Contains(tokens, t => t.Kind == GoTokenKind.Define);
        Assert.Equal(["d", "t"], trees.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("a{{if .x}}c{{end}}", trees["t"].Root.ToString());
        Assert.Equal("d\"q", GoSyntax.Unquote("\"d\\\"q\"", out var error));
        Assert.Null(error);
        Assert.Null(GoSyntax.Unquote("\"open", out error));
        Assert.NotNull(error);
        Assert.Equal((2, 3), GoSyntax.EmptyTree("t", "ab\ncde").LineColumn(5));
    }
}
