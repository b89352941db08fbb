using System.Globalization;
using LxdCompose.Specs;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace LxdCompose.Templating.Scriban;

/// <summary>
/// How LxdCompose runs Scriban, in one place: parse with positions, a context that is safe for YAML output (no
/// auto-indent, invariant culture), values converted to Scriban objects, and every error as a <see cref="SpecException"/>
/// with file:line:column.
/// </summary>
internal static class ScribanTemplates
{
    public static Template Parse(string text, string file)
    {
        var template = Template.Parse(text, file);
        if (template.HasErrors)
        {
            var first = template.Messages.First(m => m.Type == ParserMessageType.Error);
            throw new SpecException(TemplateCodes.TemplateParseError,
                $"Scriban cannot parse this template: {first.Message}", At(first.Span, file));
        }

        return template;
    }

    /// <summary>
    /// Renders with <paramref name="globals"/> as the top scope; named templates resolve through
    /// <paramref name="loader"/>. <paramref name="limits"/> (default: <see cref="TemplateLimits.Default"/>) become
    /// Scriban's own limits: LoopLimit, OutputLimit and LimitToString (exceeding either throws), RecursiveLimit.
    /// </summary>
    public static string Render(Template template, string file, ScriptObject globals, ITemplateLoader? loader = null,
        TemplateLimits? limits = null)
    {
        limits ??= TemplateLimits.Default;
        var outputChars = (int)Math.Min(limits.OutputChars, int.MaxValue);
        var context = new TemplateContext
        {
            AutoIndent = false,
            LoopLimit = (int)Math.Min(limits.LoopIterations, int.MaxValue),
            RecursiveLimit = limits.Depth,
            OutputLimit = outputChars,
            OnOutputLimit = ScriptLimitBehavior.Throw,
            LimitToString = outputChars,
            OnStringLimit = ScriptLimitBehavior.Throw,
            StrictVariables = false,
            TemplateLoader = loader,
            // .NET results of Go helpers (sprig's semver) keep Go's member names: (sprig.semver "1.2.3").Major.
            MemberRenamer = member => member.Name,
        };
        context.PushCulture(CultureInfo.InvariantCulture);
        context.PushGlobal(globals);
        SpecException? tooDeep = null;
        try
        {
            return template.Render(context);
        }
        catch (InsufficientExecutionStackException)
        {
            // Built here, thrown below once the handler has left the deep stack.
            tooDeep = new SpecException(TemplateCodes.TemplateLimitExceeded,
                "Scriban: the template nests too deep for this thread's stack" +
                $" ({TemplateLimits.Exceeded("depth", TemplateLimits.ConfigKeys.Depth, limits.Depth)})",
                At(context.CurrentSpan, file));
        }
        catch (ScriptRuntimeException e)
        {
            var hint = LimitHint(e.OriginalMessage);
            throw new SpecException(hint.Length > 0 ? TemplateCodes.TemplateLimitExceeded : TemplateCodes.TemplateRenderError,
                $"Scriban: {e.OriginalMessage}{hint}", At(e.Span, file), e);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException
                                      or InvalidCastException or OverflowException)
        {
            throw new SpecException(TemplateCodes.TemplateRenderError, $"Scriban: {e.Message}",
                At(context.CurrentSpan, file), e);
        }

        throw tooDeep;
    }

    /// <summary>A global scope: every entry of <paramref name="variables"/> by name, plus the profile's helper objects.</summary>
    public static ScriptObject Globals(IEnumerable<KeyValuePair<string, object?>> variables,
        ScribanHelperProfile profile = ScribanHelperProfile.SpecFile)
    {
        var globals = new ScriptObject(StringComparer.Ordinal);
        ScribanGoHelpers.AddTo(globals, profile);
        foreach (var (name, value) in variables)
        {
            globals.SetValue(name, ToScript(value), readOnly: false);
        }

        return globals;
    }

    /// <summary>Maps become <see cref="ScriptObject"/> (keys as written, order kept), lists <see cref="ScriptArray"/>.</summary>
    public static object? ToScript(object? value)
    {
        StackGuard.Check();
        switch (value)
        {
            case IReadOnlyDictionary<string, object?> map:
                var obj = new ScriptObject(StringComparer.Ordinal);
                foreach (var (key, item) in map)
                {
                    obj.SetValue(key, ToScript(item), readOnly: false);
                }

                return obj;
            case IReadOnlyDictionary<object, object?> general:
                // A YAML map with non-string keys: Scriban objects have string members, so the keys become their text.
                var keyed = new ScriptObject(StringComparer.Ordinal);
                foreach (var (key, item) in general)
                {
                    keyed.SetValue(GoTemplates.GoFormat.Sprint([key]), ToScript(item), readOnly: false);
                }

                return keyed;
            case string:
                return value;
            case System.Collections.IList list:
                var array = new ScriptArray();
                foreach (var item in list)
                {
                    array.Add(ToScript(item));
                }

                return array;
            default:
                return value;
        }
    }

    /// <summary>For Scriban's own limit errors: which <see cref="TemplateLimits"/> key raises the limit.</summary>
    private static string LimitHint(string message)
    {
        string? key = message switch
        {
            _ when message.Contains("LoopLimit", StringComparison.Ordinal)
                   || message.Contains("iteration limit", StringComparison.OrdinalIgnoreCase) => TemplateLimits.ConfigKeys.LoopIterations,
            _ when message.Contains("LimitToString", StringComparison.Ordinal)
                   || message.Contains("OutputLimit", StringComparison.Ordinal)
                   || message.Contains("output limit", StringComparison.OrdinalIgnoreCase) => TemplateLimits.ConfigKeys.OutputChars,
            _ when message.Contains("recursive depth", StringComparison.OrdinalIgnoreCase) => TemplateLimits.ConfigKeys.Depth,
            _ => null,
        };
        return key is null ? string.Empty : $" (raise general.{key} in .lxd-compose.yml if this is intended)";
    }

    private static SourceLocation At(SourceSpan span, string file) =>
        new(string.IsNullOrEmpty(span.FileName) ? file : span.FileName, span.Start.Line + 1, span.Start.Column + 1);
}

/// <summary>Resolves <c>include "tpl/name"</c> to the named templates of <c>render_templates_dirs</c>.</summary>
internal sealed class NamedTemplateLoader : ITemplateLoader
{
    private readonly IReadOnlyList<NamedTemplate> _templates;

    public NamedTemplateLoader(IReadOnlyList<NamedTemplate> templates)
    {
        _templates = templates;
    }

    public string GetPath(TemplateContext context, SourceSpan callerSpan, string templateName) =>
        _templates.LastOrDefault(t => string.Equals(t.Name, templateName, StringComparison.Ordinal))?.File
        ?? throw new ScriptRuntimeException(callerSpan,
            $"no named template '{templateName}'" + (_templates.Count == 0
                ? "; render_templates_dirs gives none"
                : $"; known: {string.Join(", ", _templates.Select(t => t.Name))}"));

    public string Load(TemplateContext context, SourceSpan callerSpan, string templatePath) =>
        _templates.Last(t => string.Equals(t.File, templatePath, StringComparison.Ordinal)).Text;

    public ValueTask<string?> LoadAsync(TemplateContext context, SourceSpan callerSpan, string templatePath) =>
        new(Load(context, callerSpan, templatePath));
}
