using LxdCompose.Specs;
using LxdCompose.Templating;

namespace LxdCompose.Deploy;

/// <summary>What apply will do to a node.</summary>
public enum PlannedAction
{
    /// <summary>Absent: create (pre/post-node-creation hooks) and start.</summary>
    Create,
    /// <summary>Present but not running: start.</summary>
    Start,
    /// <summary>Present and <c>-Upgrade</c>: pre-node-upgrade, delete, create, post-node-upgrade.</summary>
    Upgrade,
    /// <summary>Present and running: only the sync steps.</summary>
    Unchanged,
    /// <summary>
    /// Present, but its config, profiles, devices or <c>ephemeral</c> differ from the spec in ways LXD changes on the
    /// existing instance (<see cref="NodePlan.Changes"/>): updated in place (started when stopped), then the sync steps.
    /// </summary>
    Update,
    /// <summary>
    /// Present, but it differs from the spec in a way LXD cannot change on it (another image, a key LXD reads only at
    /// start): deleted and created again as <see cref="Upgrade"/> does, upgrade and creation hooks included.
    /// </summary>
    Replace,
    /// <summary>
    /// Present with its creation mark (<see cref="CreationMark"/>): an earlier creation did not finish. Its remaining
    /// creation steps run (start if needed, wait_ip, post-node-creation[, post-node-upgrade]), then the sync steps.
    /// </summary>
    Resume,
}

/// <summary>A hook that will run for an event, and where.</summary>
public sealed record PlannedHook(string Event, string Target, LxdHook Hook)
{
    public override string ToString() => $"{Event} on {Target}";
}

/// <summary>The image a node is created from: where it was found and whether the target server needs a copy.</summary>
public sealed record ImagePlan(string Source, string Remote, string RemoteAddress, string RemoteProtocol, string Fingerprint, bool CopyNeeded)
{
    /// <summary>When the image was built, as its remote says (what P2P mode compares); null when the remote does not say.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>Whether <see cref="Remote"/> serves the image to anyone; a private image is copied with a one-time secret.</summary>
    public bool RemotePublic { get; init; } = true;

    public override string ToString() => $"{Source} ({Fingerprint[..Math.Min(12, Fingerprint.Length)]}) from {Remote}{(CopyNeeded ? ", copy" : string.Empty)}";
}

/// <summary>One node's part of the plan.</summary>
public sealed class NodePlan
{
    public string Project { get; init; } = string.Empty;
    public string Group { get; init; } = string.Empty;
    /// <summary>The instance name.</summary>
    public string Node { get; init; } = string.Empty;
    public string Remote { get; init; } = string.Empty;
    public PlannedAction Action { get; init; }
    /// <summary>The instance status now, or <c>Absent</c>.</summary>
    public string CurrentState { get; init; } = string.Empty;
    /// <summary>Set when the node is (re)created.</summary>
    public ImagePlan? Image { get; init; }
    /// <summary>The instance's profiles on the server; for a node to create, the spec's.</summary>
    public IReadOnlyList<string> Profiles { get; init; } = Array.Empty<string>();
    /// <summary>
    /// The instance's own config on the server, without the keys the server keeps for itself (<c>volatile.*</c>,
    /// <c>image.*</c>); for a node to create, the spec's: group config, node config, then <c>user.&lt;label&gt;</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string> Config { get; init; } = new Dictionary<string, string>();
    /// <summary>What the spec wants of the instance: what a creation sends and what the server's state is compared with.</summary>
    public DesiredInstance? Desired { get; init; }
    /// <summary>How the server differs from the spec (old -> new), for <see cref="PlannedAction.Update"/> and <see cref="PlannedAction.Replace"/>.</summary>
    public IReadOnlyList<FieldChange> Changes { get; init; } = Array.Empty<FieldChange>();
    public IReadOnlyList<PlannedHook> Hooks { get; init; } = Array.Empty<PlannedHook>();
    /// <summary>Sync resources with their host source resolved (empty with <c>-SkipSync</c>).</summary>
    public IReadOnlyList<FileMapping> Files { get; init; } = Array.Empty<FileMapping>();
    public LxdNode Spec { get; init; } = new();
    /// <summary>The node's config templates (part of the node's item); null when it has none.</summary>
    public TemplatePlan? Templates { get; init; }
    /// <summary>
    /// The phase (<see cref="CreationMark.Create"/> or <see cref="CreationMark.Upgrade"/>) of the unfinished creation this
    /// <see cref="PlannedAction.Resume"/> finishes or <see cref="PlannedAction.Replace"/> makes again; null for any other node.
    /// </summary>
    public string? Unfinished { get; init; }

    /// <summary>For <see cref="PlannedAction.Resume"/>: whether the unfinished creation was an upgrade (post-node-upgrade still due).</summary>
    public bool ResumesUpgrade => Action == PlannedAction.Resume && Unfinished == CreationMark.Upgrade;

    public override string ToString() => $"{Node}: {Action}";
}

/// <summary>One group's part of the plan.</summary>
public sealed class GroupPlan
{
    public LxdGroup Spec { get; init; } = new();
    /// <summary>Position among the plan's groups.</summary>
    public int Index { get; init; }
    public string Remote { get; init; } = string.Empty;
    public IReadOnlyList<NodePlan> Nodes { get; init; } = Array.Empty<NodePlan>();
    public IReadOnlyList<PlannedHook> Hooks { get; init; } = Array.Empty<PlannedHook>();
    /// <summary>Declared in the environment, used by the group, missing on its server.</summary>
    public IReadOnlyList<LxdProfile> ProfilesToCreate { get; init; } = Array.Empty<LxdProfile>();
    public IReadOnlyList<LxdNetwork> NetworksToCreate { get; init; } = Array.Empty<LxdNetwork>();
    public IReadOnlyList<LxdStoragePool> StoragePoolsToCreate { get; init; } = Array.Empty<LxdStoragePool>();
    /// <summary>Images the group's server copies, each at most once.</summary>
    public IReadOnlyList<ImagePlan> ImagesToCopy { get; init; } = Array.Empty<ImagePlan>();
    /// <summary>
    /// Declared profiles, networks and storage pools the group uses that differ on its server; updated only when
    /// <see cref="DeployOptions.UpdateResources"/> (<see cref="ResourceDrift.Update"/>).
    /// </summary>
    public IReadOnlyList<ResourceDrift> DriftedResources { get; init; } = Array.Empty<ResourceDrift>();
    public IEnumerable<ResourceDrift> ProfilesToUpdate => ToUpdate(ResourceKind.Profile);
    public IEnumerable<ResourceDrift> NetworksToUpdate => ToUpdate(ResourceKind.Network);
    public IEnumerable<ResourceDrift> StoragePoolsToUpdate => ToUpdate(ResourceKind.StoragePool);
    /// <summary>The group's config templates; null when it has none.</summary>
    public TemplatePlan? Templates { get; init; }

    public override string ToString() => $"{Spec.Name} on {Remote}";

    private IEnumerable<ResourceDrift> ToUpdate(ResourceKind kind) => DriftedResources.Where(r => r.Kind == kind && r.Update);
}

/// <summary>What apply will do; built from the specs and the servers' state without changing anything.</summary>
public sealed class ApplyPlan
{
    private IReadOnlyList<PlanItem>? _items;

    public LxdProject Project { get; init; } = new();
    public DeployOptions Options { get; init; } = new();
    public IReadOnlyList<GroupPlan> Groups { get; init; } = Array.Empty<GroupPlan>();
    public IReadOnlyList<PlannedHook> ProjectHooks { get; init; } = Array.Empty<PlannedHook>();
    /// <summary>Differences the plan leaves alone (e.g. an existing profile that differs from its declaration).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = Array.Empty<string>();
    /// <summary>The project's config templates; null when it has none.</summary>
    public TemplatePlan? Templates { get; init; }
    /// <summary>Every change apply makes, in the order it makes them (<see cref="PlanItemsOf.Apply"/>).</summary>
    public IReadOnlyList<PlanItem> Items => _items ??= ApplyPlanItems.Of(this);

    public IEnumerable<NodePlan> Nodes => Groups.SelectMany(g => g.Nodes);
}

/// <summary>The config templates of one level, each source with its destination, as planned.</summary>
/// <param name="Group">The group's name (group and node level); empty at project level.</param>
/// <param name="Node">The node's name (not its instance name) at node level; empty otherwise.</param>
public sealed record TemplatePlan(ConfigTemplateLevel Level, string Group, string Node, IReadOnlyList<TemplateJobPlan> Jobs)
{
    public override string ToString() => string.Join(", ", Jobs);
}

/// <summary>One config template: its source and the file it writes.</summary>
public sealed record TemplateJobPlan(string Source, string Destination)
{
    public override string ToString() => $"{Source} -> {Destination}";
}
