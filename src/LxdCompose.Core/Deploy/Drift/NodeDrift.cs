using LxdCompose.Lxd.Api;

namespace LxdCompose.Deploy;

/// <summary>What apply does to a node, from what the spec wants and what its server has.</summary>
internal static class NodeDrift
{
    /// <summary>
    /// Absent: Create. <c>-Upgrade</c>: Upgrade (the changes are shown, the node is recreated anyway). A change LXD cannot
    /// make in place: Replace. Other changes: Update. None: Unchanged when running, else Start. A stopped instance that is
    /// kept shows the start as a <c>state</c> change.
    /// </summary>
    public static (PlannedAction Action, IReadOnlyList<FieldChange> Changes) Plan(DesiredInstance desired, LxdInstance? live, bool upgrade)
    {
        if (live is null)
        {
            return (PlannedAction.Create, Array.Empty<FieldChange>());
        }

        var drift = InstanceDriftDetector.Compare(desired, live);
        if (upgrade)
        {
            return (PlannedAction.Upgrade, drift.Changes);
        }

        if (drift.NeedsReplace)
        {
            return (PlannedAction.Replace, drift.Changes);
        }

        var changes = drift.Changes.ToList();
        if (!live.IsRunning)
        {
            changes.Add(new FieldChange("state", live.Status, "Running", true));
        }

        return (!drift.IsEmpty ? PlannedAction.Update : live.IsRunning ? PlannedAction.Unchanged : PlannedAction.Start, changes);
    }

    /// <summary>The instance's own config without what the server keeps for itself (<c>volatile.*</c>, <c>image.*</c>).</summary>
    public static IReadOnlyDictionary<string, string> ServerConfig(LxdInstance live) =>
        live.Config.Where(e => !e.Key.StartsWith("volatile.", StringComparison.Ordinal) && !e.Key.StartsWith("image.", StringComparison.Ordinal))
            .ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
}
