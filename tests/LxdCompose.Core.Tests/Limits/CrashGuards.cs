using LxdCompose.Specs;
using LxdCompose.Templating;
using LxdCompose.Templating.Helm;
using LxdCompose.Yaml;
using Xunit;

namespace LxdCompose.Tests.Limits;

/// <summary>
/// Quick checks, on a huge stack, that a limit exists at all. A test whose input overflowed the stack before the fix
/// calls one first: on the old code the check fails within a second, so the test stops before the input that would
/// have taken the test host down.
/// </summary>
internal static class CrashGuards
{
    public static void RequireYamlDepthLimit()
    {
        var text = "v: " + new string('[', YamlLimits.MaxDepth + 1) + new string(']', YamlLimits.MaxDepth + 1);
        var e = StackThreads.Run(StackThreads.Huge, () => Assert.Throws<SpecException>(() => YamlTreeReader.Parse(text, "guard.yml")));
        Assert.Equal("YamlTooDeep", e.Diagnostic.Code);
    }

    public static void RequireTemplateDepthLimit()
    {
        var context = RenderContext.Create(new Dictionary<string, object?>(), null, null, Array.Empty<string>());
        var e = StackThreads.Run(StackThreads.Huge, () => Assert.Throws<SpecException>(() =>
            new HelmSpecRenderer(context).Render("guard.yml", "{{ define \"r\" }}{{ include \"r\" . }}{{ end }}{{ include \"r\" . }}")));
        Assert.Equal(TemplateCodes.TemplateLimitExceeded, e.Diagnostic.Code);
    }
}
