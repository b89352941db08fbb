namespace LxdCompose.Deploy;

/// <summary>The differences between what the spec wants of an instance and what the server has, in a stable order.</summary>
public sealed record InstanceDrift(IReadOnlyList<FieldChange> Changes)
{
    public static InstanceDrift None { get; } = new(Array.Empty<FieldChange>());

    public bool IsEmpty => Changes.Count == 0;

    /// <summary>At least one change cannot be made to the existing instance: it is deleted and created again.</summary>
    public bool NeedsReplace => Changes.Any(c => !c.InPlace);
}
