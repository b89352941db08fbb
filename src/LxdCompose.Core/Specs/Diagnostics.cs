namespace LxdCompose.Specs;

public enum DiagnosticSeverity
{
    /// <summary>Worth knowing while debugging (e.g. *.yaml files in env dirs, which lxd-compose also skips).</summary>
    Verbose,
    Warning,
    Error,
}

/// <summary>One problem found while loading or validating specs, with its position.</summary>
public sealed class SpecDiagnostic
{
    public SpecDiagnostic(DiagnosticSeverity severity, string code, string message, SourceLocation location)
    {
        Severity = severity;
        Code = code;
        Message = message;
        Location = location;
    }

    public DiagnosticSeverity Severity { get; }
    /// <summary>Stable PascalCase identifier, e.g. <c>DuplicateNode</c>.</summary>
    public string Code { get; }
    public string Message { get; }
    public SourceLocation Location { get; }
    public string File => Location.File;
    public int Line => Location.Line;
    public int Column => Location.Column;
    public string? Project { get; init; }
    public string? Group { get; init; }
    public string? Node { get; init; }

    public override string ToString() =>
        Location.IsKnown ? $"{Location}: {Message}" : Message;
}

/// <summary>A spec problem that stops loading; carries the diagnostic with its position.</summary>
public sealed class SpecException : Exception
{
    public SpecException(SpecDiagnostic diagnostic, Exception? inner = null)
        : base(diagnostic.ToString(), inner)
    {
        Diagnostic = diagnostic;
    }

    public SpecException(string code, string message, SourceLocation location, Exception? inner = null)
        : this(new SpecDiagnostic(DiagnosticSeverity.Error, code, message, location), inner)
    {
    }

    public SpecDiagnostic Diagnostic { get; }
}
