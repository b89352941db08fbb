namespace LxdCompose.GoTemplates;

/// <summary>A bound of <see cref="GoTemplateLimits"/>; <see cref="GoTemplateException.Limit"/> names the one a run passed.</summary>
public enum GoLimit
{
    /// <summary>Iterations of range loops (counted across nested loops), and lists a function builds from a count.</summary>
    LoopIterations,

    /// <summary>Characters one run writes, and the length of a string a function returns.</summary>
    OutputChars,

    /// <summary>Nesting of template, include and tpl calls.</summary>
    Depth,
}

/// <summary>
/// The bounds a run stays within, so that a runaway or hostile template stops with an error naming the bound and its
/// position instead of exhausting the process. Go has no such bounds except its 100,000-level nesting limit; Helm
/// stops nesting at 1,000.
/// </summary>
public sealed record GoTemplateLimits
{
    public static readonly GoTemplateLimits Default = new();

    /// <summary>Iterations of one run's range loops, and the length of a list a function builds from a count (until, seq).</summary>
    public long LoopIterations { get; init; } = 1_000_000;

    /// <summary>Characters one run writes, and the length of a string a function returns. 16 Mi characters (32 MiB).</summary>
    public long OutputChars { get; init; } = 16L * 1024 * 1024;

    /// <summary>
    /// Nesting of template, include and tpl calls (a thread's normal stack holds it; Go allows 100,000 levels).
    /// Deeper nesting than the thread's stack allows stops earlier, with the same error.
    /// </summary>
    public int Depth { get; init; } = 1_000;

    /// <summary>
    /// Words the error of an exceeded bound from what happened, the bound and its value: a host replaces it to say how
    /// its users raise the bound.
    /// </summary>
    public Func<string, GoLimit, long, string> Describe { get; init; } = DescribeDefault;

    /// <summary>The default wording: what happened, then the bound's value.</summary>
    public static string DescribeDefault(string what, GoLimit limit, long value) => $"{what} (limit {value:N0})";

    /// <summary>The value of <paramref name="limit"/> in these bounds.</summary>
    public long ValueOf(GoLimit limit) => limit switch
    {
        GoLimit.LoopIterations => LoopIterations,
        GoLimit.OutputChars => OutputChars,
        GoLimit.Depth => Depth,
        _ => throw new ArgumentOutOfRangeException(nameof(limit), limit, null),
    };

    /// <summary>The error message when <paramref name="limit"/> is exceeded.</summary>
    public string Exceeded(string what, GoLimit limit) => Describe(what, limit, ValueOf(limit));
}
