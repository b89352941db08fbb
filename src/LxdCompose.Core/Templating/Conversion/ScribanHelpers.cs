using LxdCompose.Templating.Scriban;

namespace LxdCompose.Templating.Conversion;

/// <summary>
/// The helper objects converted templates call, and which Go function goes to which of them. Every helper takes its
/// arguments in Go's order (a piped value is the last argument), so that a converted call reads like the Go one; that is
/// why sprig's functions go to <c>gosprig</c>, not to the Scriban-order <c>sprig</c> of native templates.
/// docs/scriban-migration.md lists them for the engines that must provide them.
/// </summary>
internal static class ScribanHelpers
{
    /// <summary>Go builtins with Go semantics: <c>go.truth</c>, <c>go.printf</c>, …</summary>
    public const string Go = "go";

    /// <summary>sprig functions in Go's argument order (v3 semantics in spec files, v2 in mottainai config templates).</summary>
    public const string GoSprig = "gosprig";

    /// <summary>The Scriban-order sprig of native templates: never emitted, but a converted name must not shadow it.</summary>
    public const string NativeSprig = "sprig";

    /// <summary>Helm's additions, available only to spec files (the render target).</summary>
    public const string Helm = "helm";

    /// <summary>lxd-compose's mottainai engine additions, available only to config templates.</summary>
    public const string Mottainai = "mottainai";

    /// <summary>Go's truthiness: false, 0, "", nil and empty collections are false. Scriban counts only null and false.</summary>
    public const string Truth = Go + ".truth";

    /// <summary>Go's two-variable range: key/value entries of a map in sorted key order, index/element of a list.</summary>
    public const string Range = Go + ".range";

    /// <summary>Go builtins that stay functions (the comparisons, not and index become Scriban operators).</summary>
    public static readonly IReadOnlySet<string> GoFunctions =
        new HashSet<string>(StringComparer.Ordinal) { "and", "or", "print", "printf", "println", "html", "js", "urlquery" };

    /// <summary>Helm's functions besides sprig (include is translated separately).</summary>
    public static readonly IReadOnlySet<string> HelmFunctions = new HashSet<string>(StringComparer.Ordinal)
    {
        "tpl", "required", "toYaml", "toYamlPretty", "fromYaml", "fromYamlArray", "toJson", "fromJson",
        "fromJsonArray", "toToml", "fromToml", "lookup",
    };

    /// <summary>mottainai's additions and its overrides of sprig (join and sort take Go's list-first order there).</summary>
    public static readonly IReadOnlySet<string> MottainaiFunctions = new HashSet<string>(StringComparer.Ordinal)
    {
        "isInt", "isString", "isSlice", "isArray", "isMap", "replaceAll", "getKeys", "cast2StringArray",
        "joinWithPrefix", "joinWithPrefixAndPostfix", "join", "sort",
    };

    /// <summary>Functions whose result is always a list, so a range over them needs no map/integer warning.</summary>
    public static readonly IReadOnlySet<string> ListFunctions = new HashSet<string>(StringComparer.Ordinal)
    {
        "until", "untilStep", "list", "splitList", "sortAlpha", "uniq", "compact", "append", "prepend", "concat",
        "reverse", "initial", "rest", "without", "slice", "keys", "values", "regexFindAll", "chunk",
    };

    /// <summary>
    /// True when the Scriban engine of the target provides <paramref name="qualifiedName"/> (from <see cref="QualifiedName"/>):
    /// go, helm and mottainai members are fixed lists; gosprig has the target's sprig version.
    /// </summary>
    public static bool Exists(string qualifiedName, ConversionTarget target)
    {
        const string sprigPrefix = GoSprig + ".";
        if (!qualifiedName.StartsWith(sprigPrefix, StringComparison.Ordinal))
        {
            return true;
        }

        var profile = target == ConversionTarget.Render ? ScribanHelperProfile.SpecFile : ScribanHelperProfile.ConfigTemplate;
        return ScribanGoHelpers.TryGetSprigFunction(profile, qualifiedName[sprigPrefix.Length..], out _);
    }

    /// <summary>The Scriban helper a Go function name maps to, for the given target.</summary>
    public static string QualifiedName(string goFunction, ConversionTarget target)
    {
        if (GoFunctions.Contains(goFunction))
        {
            return Go + "." + goFunction;
        }

        if (target == ConversionTarget.Render && HelmFunctions.Contains(goFunction))
        {
            return Helm + "." + goFunction;
        }

        if (target == ConversionTarget.ConfigTemplate && MottainaiFunctions.Contains(goFunction))
        {
            return Mottainai + "." + goFunction;
        }

        return GoSprig + "." + goFunction; // slice included: both lxd-compose engines take sprig's
    }
}
