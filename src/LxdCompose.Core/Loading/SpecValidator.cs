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
    public const string UnknownHookNode = "UnknownHookNode";
    public const string HookWithoutCommands = "HookWithoutCommands";
    public const string InvalidVariableName = "InvalidVariableName";
    public const string SyncSourceNotFound = "SyncSourceNotFound";
    public const string ClientConfigDirNotFound = "ClientConfigDirNotFound";
    public const string ClientConfigInvalid = "ClientConfigInvalid";
    public const string UnknownRemote = "UnknownRemote";
}

/// <summary>How strictly <see cref="SpecValidator.Problems"/> judges specs.</summary>
public sealed class ValidationOptions
{
    /// <summary>Every warning is an error too (the code stays; the message says why it is an error).</summary>
    public bool Strict { get; init; }

    /// <summary>
    /// Variables a deploy adds after the project's own (<c>-VarsFile</c> blocks, then <c>-Env</c>), so that config
    /// templates are compiled with what the deploy will give them.
    /// </summary>
    public IReadOnlyList<VarsBlock> ExtraVars { get; init; } = Array.Empty<VarsBlock>();
}

/// <summary>
/// lxd-compose's <c>validate</c> rules (reference §1.17), applied to every environment, plus the checks that would
/// otherwise fail half-way through a deploy: hook events, targets and commands, LXD name rules, profile references,
/// sync sources, config templates (found and compiled with the project's variables) and the client configuration's
/// remotes. Load problems are in <see cref="SpecSet.Diagnostics"/>; <see cref="Problems"/> gives both.
/// </summary>
public static partial class SpecValidator
{
    /// <summary>
    /// Everything wrong with <paramref name="specs"/>: the load problems, then the validation problems. With
    /// <see cref="ValidationOptions.Strict"/>, warnings are errors. Verbose details are kept (callers show them as such).
    /// </summary>
    public static IReadOnlyList<SpecDiagnostic> Problems(SpecSet specs, ValidationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(specs);
        var problems = specs.Diagnostics.Concat(Validate(specs, options));
        return options?.Strict == true ? problems.Select(Strict).ToList() : problems.ToList();
    }

    /// <summary>A warning as the error -Strict makes of it; other problems as they are.</summary>
    public static SpecDiagnostic Strict(SpecDiagnostic problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return problem.Severity != DiagnosticSeverity.Warning ? problem
            : new SpecDiagnostic(DiagnosticSeverity.Error, problem.Code, problem.Message + " (a warning, an error with -Strict)",
                problem.Location)
            { Project = problem.Project, Group = problem.Group, Node = problem.Node };
    }

    /// <summary>The validation problems only (no load problems), as found; <paramref name="options"/> Strict is not applied here.</summary>
    public static IReadOnlyList<SpecDiagnostic> Validate(SpecSet specs, ValidationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(specs);
        var v = new Run(specs, options ?? new ValidationOptions());
        v.CheckClientConfig();
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
                v.CheckFiles(env, project);
            }
        }

        return v.Diagnostics;
    }

    private sealed partial class Run
    {
        private readonly SpecSet _specs;
        private readonly ValidationOptions _options;
        private readonly Dictionary<string, SourceLocation> _commands = new(StringComparer.Ordinal);
        private readonly Dictionary<string, SourceLocation> _projects = new(StringComparer.Ordinal);
        private readonly Dictionary<string, SourceLocation> _groups = new(StringComparer.Ordinal);
        private readonly Dictionary<string, SourceLocation> _nodes = new(StringComparer.Ordinal);

        public Run(SpecSet specs, ValidationOptions options)
        {
            _specs = specs;
            _options = options;
        }

        public List<SpecDiagnostic> Diagnostics { get; } = new();

        public void Error(string code, string message, SourceLocation at, string? project = null, string? group = null,
            string? node = null) =>
            Diagnostics.Add(new SpecDiagnostic(DiagnosticSeverity.Error, code, message, at)
            {
                Project = project, Group = group, Node = node,
            });

        public void Warning(string code, string message, SourceLocation at, string? project, string? group, string? node) =>
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
                if (CheckHook(project, hook, HookLevel.Project, null, null)
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
                CheckHook(project, hook, HookLevel.Group, group.Name, null);
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
                var what = instance == node.Name ? $"node name '{instance}'"
                    : $"instance name '{instance}' (node '{node.Name}' with the prefix '{node.NamePrefix}')";
                Error(ValidationCodes.InvalidInstanceName,
                    $"{what} is not a valid LXD instance name: {problem}; use 1-63 ASCII letters, " +
                    "digits and dashes, starting with a letter and not ending with a dash", node.Location,
                    project.Name, group.Name, instance);
            }

            foreach (var hook in node.Hooks)
            {
                if (CheckHook(project, hook, HookLevel.Node, group.Name, instance)
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
                if (LxdNames.ProfileNameProblem(profile) is { } problem)
                {
                    Error(ValidationCodes.InvalidProfileName,
                        $"{who} uses profile '{profile}', which is not a valid LXD profile name: {problem}; fix the name",
                        at, project, group, node);
                }
                else if (!declared.Contains(profile))
                {
                    Warning(ValidationCodes.UndeclaredProfile,
                        $"{who} uses profile '{profile}', which this environment does not declare; it must already " +
                        "exist on the LXD server, or declare it under profiles/include_profiles_files", at, project,
                        group, node);
                }
            }
        }

        /// <summary>
        /// Checks what a hook runs (commands, out2var/err2var, the node it names) and its event name and level; true
        /// when the event is valid where it is declared.
        /// </summary>
        private bool CheckHook(LxdProject projectSpec, LxdHook hook, HookLevel level, string? group, string? node)
        {
            var project = projectSpec.Name;
            if (Deploy.HostHookEntrypoints.Problem(hook.Entrypoint, hook.Node) is { } entrypointProblem)
            {
                Error(ValidationCodes.PowerShellEntrypoint, $"{hook.Event} hook: {entrypointProblem}", hook.Location, project, group, node);
            }

            if (hook.Commands.Count == 0 || hook.Commands.All(string.IsNullOrWhiteSpace))
            {
                Error(ValidationCodes.HookWithoutCommands,
                    $"'{hook.Event}' hook has no commands, so it would do nothing; give it 'commands:' (a list of command " +
                    "lines) or remove it", hook.Location, project, group, node);
            }

            foreach (var (key, name) in new[] { ("out2var", hook.Out2Var), ("err2var", hook.Err2Var) })
            {
                if (!string.IsNullOrEmpty(name) && !IsVariableName(name))
                {
                    Error(ValidationCodes.InvalidVariableName,
                        $"'{hook.Event}' hook: {key} '{name}' is not a variable name; use letters, digits and '_', not " +
                        "starting with a digit (hooks read it as an environment variable, templates as a field)",
                        hook.Location, project, group, node);
                }
            }

            // Node hooks may only name their own node or the host (NodeHookTarget); others may name any node.
            if (level != HookLevel.Node && hook.Node is not (HookTargets.Host or HookTargets.Star) && hook.Node.Length > 0
                && _specs.FindHookNode(projectSpec, hook.Node) is null)
            {
                var names = _specs.Nodes.Select(n => n.InstanceName).Concat(_specs.Nodes.Select(n => n.Name)).Distinct();
                Error(ValidationCodes.UnknownHookNode,
                    $"'{hook.Event}' hook runs on node '{hook.Node}', which no loaded project declares" +
                    $"{Spelling.DidYouMean(hook.Node, names)}; name a node (of any group or project), 'host', or " +
                    "remove 'node:' to run it on every node in scope", hook.Location, project, group, node);
            }

            if (!HookEvents.IsKnown(hook.Event))
            {
                var what = hook.Event.Length == 0 ? "has no event" : $"has unknown event '{hook.Event}'";
                Error(ValidationCodes.UnknownHookEvent,
                    $"hook {what}{Spelling.DidYouMean(hook.Event, HookEvents.All)}; use one of: " +
                    string.Join(", ", HookEvents.All), hook.Location, project, group, node);
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

        /// <summary>A name hooks can read as an environment variable and templates as a field: [A-Za-z_][A-Za-z0-9_]*.</summary>
        private static bool IsVariableName(string name) =>
            (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
    }
}
