using LxdCompose.Specs;

namespace LxdCompose.Loading;

/// <summary>Stable codes of validation diagnostics.</summary>
public static class ValidationCodes
{
    public const string DuplicateCommand = "DuplicateCommand";
    public const string CommandWithoutProject = "CommandWithoutProject";
    public const string CommandApplyAliasDisabled = "CommandApplyAliasDisabled";
    public const string DuplicateProject = "DuplicateProject";
    public const string DuplicateGroup = "DuplicateGroup";
    public const string DuplicateNode = "DuplicateNode";
    public const string ProjectHookNotOnHost = "ProjectHookNotOnHost";
    public const string NodeHookTarget = "NodeHookTarget";
    public const string HookEventNotAllowed = "HookEventNotAllowed";
    public const string UnknownHookEvent = "UnknownHookEvent";
    public const string InvalidInstanceName = "InvalidInstanceName";
    public const string InvalidProfileName = "InvalidProfileName";
    public const string UndeclaredProfile = "UndeclaredProfile";
    public const string PowerShellEntrypoint = "PowerShellEntrypoint";
}

/// <summary>
/// lxd-compose's <c>validate</c> rules (reference §1.17), applied to every environment, plus unknown hook events,
/// LXD name rules and profile references. Load problems are in <see cref="SpecSet.Diagnostics"/>, not here.
/// </summary>
public static class SpecValidator
{
    public static IReadOnlyList<SpecDiagnostic> Validate(SpecSet specs)
    {
        ArgumentNullException.ThrowIfNull(specs);
        var v = new Run();
        foreach (var env in specs.Environments)
        {
            foreach (var command in env.Commands)
            {
                v.CheckCommand(command);
            }

            foreach (var profile in env.Profiles)
            {
                if (LxdNames.ProfileNameProblem(profile.Name) is { } problem)
                {
                    v.Error(ValidationCodes.InvalidProfileName,
                        $"profile name '{profile.Name}' is not valid for LXD: {problem}; rename it", profile.Location);
                }
            }

            var declaredProfiles = new HashSet<string>(env.Profiles.Select(p => p.Name), StringComparer.Ordinal) { "default" };
            foreach (var project in env.Projects)
            {
                v.CheckProject(project, declaredProfiles);
            }
        }

        return v.Diagnostics;
    }

    private sealed class Run
    {
        private readonly Dictionary<string, SourceLocation> _commands = new(StringComparer.Ordinal);
        private readonly Dictionary<string, SourceLocation> _projects = new(StringComparer.Ordinal);
        private readonly Dictionary<string, SourceLocation> _groups = new(StringComparer.Ordinal);
        private readonly Dictionary<string, SourceLocation> _nodes = new(StringComparer.Ordinal);

        public List<SpecDiagnostic> Diagnostics { get; } = new();

        public void Error(string code, string message, SourceLocation at, string? project = null, string? group = null,
            string? node = null) =>
            Diagnostics.Add(new SpecDiagnostic(DiagnosticSeverity.Error, code, message, at)
            {
                Project = project, Group = group, Node = node,
            });

        private void Warning(string code, string message, SourceLocation at, string? project, string? group, string? node) =>
            Diagnostics.Add(new SpecDiagnostic(DiagnosticSeverity.Warning, code, message, at)
            {
                Project = project, Group = group, Node = node,
            });

        /// <summary>True when <paramref name="name"/> was seen before; reports the second occurrence.</summary>
        private bool Duplicate(Dictionary<string, SourceLocation> seen, string kind, string code, string name,
            SourceLocation at, string? project = null, string? group = null, string? node = null)
        {
            if (seen.TryGetValue(name, out var first))
            {
                Error(code, $"{kind} '{name}' is declared twice (first declared at {first}); rename or remove one",
                    at, project, group, node);
                return true;
            }

            seen[name] = at;
            return false;
        }

        public void CheckCommand(LxdCommand command)
        {
            Duplicate(_commands, "command", ValidationCodes.DuplicateCommand, command.Name, command.Location);
            if (command.Project.Length == 0)
            {
                Error(ValidationCodes.CommandWithoutProject,
                    $"command '{command.Name}' has no project; set 'project:' to the project it applies", command.Location);
            }

            if (!command.ApplyAlias)
            {
                Error(ValidationCodes.CommandApplyAliasDisabled,
                    $"command '{command.Name}' does not set apply_alias: true; commands are only supported as apply " +
                    "aliases, so add 'apply_alias: true'", command.Location);
            }
        }

        public void CheckProject(LxdProject project, IReadOnlySet<string> declaredProfiles)
        {
            Duplicate(_projects, "project", ValidationCodes.DuplicateProject, project.Name, project.Location, project.Name);
            foreach (var hook in project.Hooks)
            {
                if (CheckEvent(hook, HookLevel.Project, project.Name, null, null)
                    && hook.Event is HookEvents.PreProject or HookEvents.PreGroup && hook.Node != HookTargets.Host)
                {
                    Error(ValidationCodes.ProjectHookNotOnHost,
                        $"project hook '{hook.Event}' runs before any container exists, so it must run on the host; " +
                        $"set 'node: host' (it has node '{hook.Node}') or move it to a group", hook.Location, project.Name);
                }
            }

            foreach (var group in project.Groups)
            {
                CheckGroup(project, group, declaredProfiles);
            }
        }

        private void CheckGroup(LxdProject project, LxdGroup group, IReadOnlySet<string> declaredProfiles)
        {
            Duplicate(_groups, "group", ValidationCodes.DuplicateGroup, group.Name, group.Location, project.Name, group.Name);
            foreach (var hook in group.Hooks)
            {
                CheckEvent(hook, HookLevel.Group, project.Name, group.Name, null);
            }

            CheckProfiles(group.CommonProfiles, declaredProfiles, $"group '{group.Name}'", group.Location, project.Name,
                group.Name, null);
            foreach (var node in group.Nodes)
            {
                CheckNode(project, group, node, declaredProfiles);
            }
        }

        private void CheckNode(LxdProject project, LxdGroup group, LxdNode node, IReadOnlySet<string> declaredProfiles)
        {
            var instance = node.InstanceName;
            Duplicate(_nodes, "node", ValidationCodes.DuplicateNode, instance, node.Location, project.Name, group.Name,
                instance);
            if (LxdNames.InstanceNameProblem(instance) is { } problem)
            {
                Error(ValidationCodes.InvalidInstanceName,
                    $"node name '{instance}' is not a valid LXD instance name: {problem}; use 1-63 ASCII letters, " +
                    "digits and dashes, starting with a letter and not ending with a dash", node.Location,
                    project.Name, group.Name, instance);
            }

            foreach (var hook in node.Hooks)
            {
                if (CheckEvent(hook, HookLevel.Node, project.Name, group.Name, instance)
                    && hook.Node is not (HookTargets.AllNodes or HookTargets.Host))
                {
                    Error(ValidationCodes.NodeHookTarget,
                        $"node hook '{hook.Event}' has node '{hook.Node}'; a node's hooks run on that node or on the " +
                        "host, so remove 'node:' or set it to host (or move the hook to the group)", hook.Location,
                        project.Name, group.Name, instance);
                }
            }

            CheckProfiles(node.Profiles, declaredProfiles, $"node '{instance}'", node.Location, project.Name, group.Name,
                instance);
        }

        private void CheckProfiles(IEnumerable<string> profiles, IReadOnlySet<string> declared, string who,
            SourceLocation at, string project, string group, string? node)
        {
            foreach (var profile in profiles)
            {
                if (!declared.Contains(profile))
                {
                    Warning(ValidationCodes.UndeclaredProfile,
                        $"{who} uses profile '{profile}', which this environment does not declare; it must already " +
                        "exist on the LXD server, or declare it under profiles/include_profiles_files", at, project,
                        group, node);
                }
            }
        }

        /// <summary>Checks the event name and its level; true when the event is valid where it is declared.</summary>
        private bool CheckEvent(LxdHook hook, HookLevel level, string project, string? group, string? node)
        {
            if (Deploy.HostHookEntrypoints.Problem(hook.Entrypoint, hook.Node) is { } entrypointProblem)
            {
                Error(ValidationCodes.PowerShellEntrypoint, $"{hook.Event} hook: {entrypointProblem}", hook.Location, project, group, node);
            }

            if (!HookEvents.IsKnown(hook.Event))
            {
                var what = hook.Event.Length == 0 ? "has no event" : $"has unknown event '{hook.Event}'";
                Error(ValidationCodes.UnknownHookEvent,
                    $"hook {what}; use one of: {string.Join(", ", HookEvents.All)}", hook.Location, project, group, node);
                return false;
            }

            var allowed = level switch
            {
                HookLevel.Project => HookEvents.All,
                HookLevel.Group => HookEvents.NodeEvents.Concat(HookEvents.GroupEvents),
                _ => HookEvents.NodeEvents,
            };
            if (allowed.Contains(hook.Event, StringComparer.Ordinal))
            {
                return true;
            }

            var where = HookEvents.GroupEvents.Contains(hook.Event, StringComparer.Ordinal)
                ? "project or group level" : "project level";
            Error(ValidationCodes.HookEventNotAllowed,
                $"'{hook.Event}' hooks cannot be declared on a {level.ToString().ToLowerInvariant()}; move the hook " +
                $"to the {where}", hook.Location, project, group, node);
            return false;
        }
    }
}
