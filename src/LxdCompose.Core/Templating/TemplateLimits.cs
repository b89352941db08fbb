using LxdCompose.GoTemplates;

namespace LxdCompose.Templating;

/// <summary>
/// The bounds every template runs within, whatever its engine (Helm and mottainai Go templates, Scriban): so that a
/// runaway or hostile template stops with an error naming the limit and its position instead of exhausting the
/// process. Set in <c>.lxd-compose.yml</c> under <c>general:</c> (<see cref="ConfigKeys"/>; docs/templates.md).
/// </summary>
public sealed record TemplateLimits
{
    public static readonly TemplateLimits Default = new();

    /// <summary>Config keys (under <c>general:</c>) and the limit each sets.</summary>
    public static class ConfigKeys
    {
        public const string LoopIterations = "template_loop_limit";
        public const string OutputChars = "template_output_limit";
        public const string Depth = "template_depth_limit";
    }

    /// <summary>
    /// Iterations of one loop (<c>range</c>, Scriban's <c>for</c>/<c>while</c>), and the length of a list a function
    /// builds from a count (<c>until</c>, <c>seq</c>). Scriban's <c>LoopLimit</c>.
    /// </summary>
    public long LoopIterations { get; init; } = 1_000_000;

    /// <summary>
    /// Characters one template may write, and the length of any string a function returns (<c>repeat</c>,
    /// <c>indent</c>, <c>printf</c> widths, an <c>include</c>'s result). 16 Mi characters (32 MiB).
    /// </summary>
    public long OutputChars { get; init; } = 16L * 1024 * 1024;

    /// <summary>
    /// Nesting of <c>template</c>, <c>include</c>, <c>tpl</c> and Scriban <c>include</c>/function calls; Helm stops
    /// at 1,000 too. Deeper nesting than the thread's stack allows stops earlier, with the same error.
    /// </summary>
    public int Depth { get; init; } = 1_000;

    /// <summary>The message of an exceeded limit: which limit, the value, and how to raise it.</summary>
    public static string Exceeded(string what, string configKey, long limit) =>
        $"{what} (limit {limit:N0}; raise general.{configKey} in .lxd-compose.yml if this is intended)";

    /// <summary>The config key of a Go-template bound.</summary>
    public static string ConfigKey(GoLimit limit) => limit switch
    {
        GoLimit.LoopIterations => ConfigKeys.LoopIterations,
        GoLimit.OutputChars => ConfigKeys.OutputChars,
        GoLimit.Depth => ConfigKeys.Depth,
        _ => throw new ArgumentOutOfRangeException(nameof(limit), limit, null),
    };

    /// <summary>These bounds for the Go-template engine, whose errors then say which config key raises them.</summary>
    public GoTemplateLimits ForGoTemplates() => new()
    {
        LoopIterations = LoopIterations,
        OutputChars = OutputChars,
        Depth = Depth,
        Describe = (what, limit, value) => Exceeded(what, ConfigKey(limit), value),
    };
}
