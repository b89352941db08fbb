using LxdCompose.Specs;

namespace LxdCompose.Deploy;

/// <summary>The kinds of server objects the specs declare beside instances (apply creates and updates the first three).</summary>
public enum ResourceKind
{
    Profile,
    Network,
    StoragePool,
    NetworkAcl,
    Certificate,
}

/// <summary>
/// A declared profile, network or storage pool that differs on the group's server (<see cref="Changes"/>: old -> new).
/// <see cref="Update"/>: apply makes it match its declaration (<see cref="DeployOptions.UpdateResources"/>); otherwise
/// it is left alone and only shown.
/// </summary>
public sealed record ResourceDrift(ResourceKind Kind, string Name, IReadOnlyList<FieldChange> Changes, bool Update)
{
    /// <summary>The remote of the group whose plan found it.</summary>
    public string Remote { get; init; } = string.Empty;

    /// <summary>The project whose plan found it (so a plan item piped on names its project and group).</summary>
    public string Project { get; init; } = string.Empty;

    /// <summary>The group whose plan found it (the first one, when several groups on one server use it).</summary>
    public string Group { get; init; } = string.Empty;

    /// <summary><c>Update</c>, or <c>LeftAlone</c> without <see cref="DeployOptions.UpdateResources"/>.</summary>
    public string Action => Update ? "Update" : "LeftAlone";

    /// <summary>Where the declaration is (<c>file:line:column</c>).</summary>
    public SourceLocation Location { get; init; }

    /// <summary>The declaration: an <see cref="LxdProfile"/>, <see cref="LxdNetwork"/> or <see cref="LxdStoragePool"/>.</summary>
    public object? Declaration { get; init; }

    /// <summary>At least one change LXD refuses on an existing object (a network's type, a pool's driver or source).</summary>
    public bool NeedsRecreate => Changes.Any(c => !c.InPlace);

    public override string ToString() =>
        $"{Kind} {Name}: {string.Join("; ", Changes)}{(Update ? string.Empty : " (left alone)")}";
}
