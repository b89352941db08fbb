namespace LxdCompose.PowerShell.Completers;

/// <summary>
/// The names the completers offer from one loaded config, as plain strings: no Core type is kept, so the cache and the
/// completer classes can be touched by PowerShell's attribute scan before LxdCompose.Core is resolvable.
/// </summary>
internal sealed class SpecNameIndex
{
    public static readonly SpecNameIndex Empty = new(Array.Empty<ProjectNames>(), Array.Empty<NamedItem>());

    public SpecNameIndex(IReadOnlyList<ProjectNames> projects, IReadOnlyList<NamedItem> unassignedProfiles)
    {
        Projects = projects;
        UnassignedProfiles = unassignedProfiles;
    }

    public IReadOnlyList<ProjectNames> Projects { get; }

    /// <summary>Profiles of environments that declare no project: still usable by name.</summary>
    public IReadOnlyList<NamedItem> UnassignedProfiles { get; }
}

/// <summary>A name and the one line the completion list shows beside it.</summary>
internal sealed record NamedItem(string Name, string ToolTip);

internal sealed record NodeNames(string Name, string InstanceName, string ToolTip);

/// <summary>A group's names; <see cref="Connection"/> is the remote it runs on as written (empty: the default remote).</summary>
internal sealed record GroupNames(string Name, string ToolTip, IReadOnlyList<NodeNames> Nodes, string Connection,
    IReadOnlyList<string> CommonProfiles);

/// <summary>
/// One project's names; profiles are those of its environment, flags those of every hook in scope and its commands,
/// template sources those of the config_templates of the project, its groups and nodes (as written in the spec).
/// </summary>
internal sealed record ProjectNames(
    string Name,
    string ToolTip,
    IReadOnlyList<GroupNames> Groups,
    IReadOnlyList<NamedItem> Commands,
    IReadOnlyList<NamedItem> HookFlags,
    IReadOnlyList<NamedItem> Profiles,
    IReadOnlyList<NamedItem> TemplateSources);
