namespace LxdCompose.Deploy;

/// <summary>What kind of change a plan item is; with its target and what it names, an item's identity.</summary>
public enum PlanItemKind
{
    /// <summary>The project's own hooks (pre/post-project, or pre/post-project-shutdown).</summary>
    ProjectHooks,
    /// <summary>A group's own hooks (pre/post-group); in stop/destroy: the group's shutdown hooks and its nodes.</summary>
    GroupHooks,
    CreateStoragePool,
    CreateNetwork,
    CreateProfile,
    /// <summary>A declared profile, network or storage pool that differs on the server, updated with -UpdateResources.</summary>
    UpdateResource,
    /// <summary>An image the target server copies from its remote (apply and fetch).</summary>
    CopyImage,
    /// <summary>The config templates of one level (project, group or node), compiled on this machine.</summary>
    CompileTemplates,
    /// <summary>A node's planned action (<see cref="PlannedAction"/>) with its creation and sync hooks and files.</summary>
    Node,
    /// <summary>Stop (stop) or delete (destroy) a node, with its shutdown hooks.</summary>
    ShutdownNode,
    /// <summary>Fetch: create and delete a throw-away container from an image so the server unpacks it.</summary>
    TestImage,
}

/// <summary>The stable identity of a plan item: the same change in the same run has the same id.</summary>
/// <param name="Target">Who is changed (an instance name, "group web of project p", "image x on vm2").</param>
/// <param name="What">Which change of that target (e.g. a planned action, a template level, a profile name).</param>
public sealed record PlanItemId(PlanItemKind Kind, string Target, string What)
{
    public override string ToString() => $"{Kind} {Target} ({What})";
}

/// <summary>
/// One change a run makes, known before anything changes. Hosts ask about it with <see cref="Target"/> and
/// <see cref="Description"/> (ShouldProcess); the engine does exactly the approved items. An item with a
/// <see cref="Parent"/> is part of it: it is done only when its parent is approved too.
/// </summary>
public sealed record PlanItem(PlanItemId Id, string Description, PlanItemId? Parent = null)
{
    public PlanItemKind Kind => Id.Kind;

    public string Target => Id.Target;

    /// <summary>Whether doing the item deletes an instance (hosts may ask about these even when they ask about nothing else).</summary>
    public bool Deletes { get; init; }

    public override string ToString() => $"{Target}: {Description}";
}

/// <summary>The decisions on a plan's items: which were approved. Immutable.</summary>
public sealed class PlanApproval
{
    private readonly HashSet<PlanItemId> _approved;

    private PlanApproval(IEnumerable<PlanItemId> approved) => _approved = approved.ToHashSet();

    public static PlanApproval None { get; } = new(Array.Empty<PlanItemId>());

    /// <summary>Every item approved (a host that does not ask).</summary>
    public static PlanApproval All(IEnumerable<PlanItem> items) => new(items.Select(i => i.Id));

    /// <summary>
    /// The items <paramref name="decide"/> approves, asked in plan order. An item whose parent was declined is not
    /// approved; it is not asked either, unless <paramref name="askPartsOfDeclined"/> says so (a -WhatIf run lists every
    /// item).
    /// </summary>
    public static PlanApproval Decide(IEnumerable<PlanItem> items, Func<PlanItem, bool> decide, Func<bool>? askPartsOfDeclined = null)
    {
        var approved = new HashSet<PlanItemId>();
        foreach (var item in items)
        {
            var partOfDeclined = item.Parent is not null && !approved.Contains(item.Parent);
            if (partOfDeclined)
            {
                if (askPartsOfDeclined?.Invoke() == true)
                {
                    decide(item);
                }

                continue;
            }

            if (decide(item))
            {
                approved.Add(item.Id);
            }
        }

        return new PlanApproval(approved);
    }

    public bool IsEmpty => _approved.Count == 0;

    public IReadOnlyCollection<PlanItemId> Approved => _approved;

    public bool Approves(PlanItemId id) => _approved.Contains(id);

    public bool Approves(PlanItem? item) => item is not null && _approved.Contains(item.Id);

    /// <summary>These decisions and <paramref name="other"/>'s (items of two plans of one run).</summary>
    public PlanApproval With(PlanApproval other) => new(_approved.Concat(other._approved));
}

/// <summary>Decides on plan items before a run changes anything.</summary>
public interface IPlanApprover
{
    /// <summary>The approved items of <paramref name="items"/> (in plan order; parents before their parts).</summary>
    Task<PlanApproval> ApproveAsync(IReadOnlyList<PlanItem> items, CancellationToken cancellationToken);
}

/// <summary>
/// Decisions made before the run (e.g. asked before its locks were taken): a plan of the same state has the same item
/// ids, so they apply to the run's own plan.
/// </summary>
public sealed class DecidedApprover(PlanApproval approval) : IPlanApprover
{
    public Task<PlanApproval> ApproveAsync(IReadOnlyList<PlanItem> items, CancellationToken cancellationToken) => Task.FromResult(approval);
}

/// <summary>Approves every item: a run nobody is asked about.</summary>
public sealed class ApproveAll : IPlanApprover
{
    public static ApproveAll Instance { get; } = new();

    public Task<PlanApproval> ApproveAsync(IReadOnlyList<PlanItem> items, CancellationToken cancellationToken) =>
        Task.FromResult(PlanApproval.All(items));
}
