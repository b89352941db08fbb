namespace LxdCompose.Templating.Conversion;

/// <summary>Which Scriban environment the converted template is meant for; it decides what Go's root dot becomes.</summary>
public enum ConversionTarget
{
    /// <summary>
    /// A spec file rendered by the Scriban spec renderer: Helm's <c>.Values</c> is the global <c>values</c>; the other
    /// Helm root objects (<c>.Chart</c>, <c>.Release</c>, …) do not exist there.
    /// </summary>
    Render,

    /// <summary>A config template (<c>config_templates</c>): the project variables are top-level globals.</summary>
    ConfigTemplate,
}

public sealed class ConversionOptions
{
    public static readonly ConversionOptions Defaults = new();

    public ConversionTarget Target { get; init; } = ConversionTarget.Render;
}

/// <summary>Something the converter could not translate exactly; <see cref="Line"/>/<see cref="Column"/> are 1-based in the Go source.</summary>
public sealed record ConversionWarning(int Line, int Column, string Construct, string Message)
{
    public override string ToString() => $"{Line}:{Column}: {Construct}: {Message}";
}

public sealed class ConversionResult
{
    internal ConversionResult(string text, IReadOnlyList<ConversionWarning> warnings, IReadOnlyList<string> helpers)
    {
        Text = text;
        Warnings = warnings;
        HelperFunctions = helpers;
    }

    /// <summary>The Scriban template.</summary>
    public string Text { get; }

    public IReadOnlyList<ConversionWarning> Warnings { get; }

    /// <summary>The helper functions (<c>go.printf</c>, <c>gosprig.default</c>, …) the Scriban text calls, sorted.</summary>
    public IReadOnlyList<string> HelperFunctions { get; }
}
