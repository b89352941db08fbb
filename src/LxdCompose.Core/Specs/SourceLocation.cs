namespace LxdCompose.Specs;

/// <summary>Where a spec element was written: file path, 1-based line and column.</summary>
public readonly record struct SourceLocation(string File, int Line, int Column)
{
    public static SourceLocation None { get; } = new(string.Empty, 0, 0);

    public bool IsKnown => !string.IsNullOrEmpty(File); // default(SourceLocation) has no file

    public static SourceLocation FileOnly(string file) => new(file, 0, 0);

    public override string ToString() =>
        !IsKnown ? string.Empty : Line > 0 ? $"{File}:{Line}:{Column}" : File;
}
