namespace LxdCompose.Deploy;

/// <summary>
/// One difference between the spec and the server. <see cref="Field"/> names what differs (<c>config.limits.memory</c>,
/// <c>profiles</c>, <c>devices.eth1</c>, <c>ephemeral</c>, <c>image</c>); <see cref="Old"/> is the server's value (null:
/// absent), <see cref="New"/> the spec's (null: to be removed). <see cref="InPlace"/> is false when LXD cannot apply the
/// change to the existing instance, so the instance is replaced.
/// </summary>
public sealed record FieldChange(string Field, string? Old, string? New, bool InPlace)
{
    /// <summary>Why the change cannot be made in place; null when it can.</summary>
    public string? ReplaceReason { get; init; }

    public override string ToString() =>
        $"{Field}: {Old ?? "(absent)"} -> {New ?? "(removed)"}{(InPlace ? string.Empty : " (replace)")}";
}
