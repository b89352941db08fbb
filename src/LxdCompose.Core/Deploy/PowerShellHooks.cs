using LxdCompose.Specs;

namespace LxdCompose.Deploy;

/// <summary>Where a PowerShell host hook runs.</summary>
public enum PowerShellHookScope
{
    /// <summary>A new runspace per command, with the project variables as PowerShell variables.</summary>
    NewRunspace,

    /// <summary>The caller's own session (runspace), in a child scope: the caller's functions, modules and connections are visible.</summary>
    CallerSession,
}

/// <summary>
/// The entrypoints that make a host hook run PowerShell instead of a process. They are not executable names (a colon
/// cannot start a Windows file name and no Unix tool is called so), so lxd-compose fails on them loudly instead of
/// running PowerShell text in a shell.
/// </summary>
public static class HostHookEntrypoints
{
    public const string NewRunspace = "pwsh:runspace";
    public const string CallerSession = "pwsh:session";
    public const string Prefix = "pwsh:";

    /// <summary>A host hook without an entrypoint: a new PowerShell runspace on Windows, <c>/bin/bash -c</c> elsewhere.</summary>
    public static IReadOnlyList<string> PlatformDefault { get; } =
        OperatingSystem.IsWindows() ? new[] { NewRunspace } : new[] { "/bin/bash", "-c" };

    /// <summary>The PowerShell scope an entrypoint asks for; null for a process entrypoint.</summary>
    public static PowerShellHookScope? ScopeOf(IReadOnlyList<string> entrypoint) => entrypoint.Count == 0 ? null : entrypoint[0] switch
    {
        NewRunspace => PowerShellHookScope.NewRunspace,
        CallerSession => PowerShellHookScope.CallerSession,
        _ => null,
    };

    /// <summary>Why an entrypoint that looks like a PowerShell one cannot be used; null when it is fine (or a process).</summary>
    public static string? Problem(IReadOnlyList<string> entrypoint, string hookNode)
    {
        if (entrypoint.Count == 0 || !entrypoint[0].StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        if (ScopeOf(entrypoint) is null)
        {
            return $"entrypoint '{entrypoint[0]}' is not a PowerShell entrypoint; use {NewRunspace} or {CallerSession}";
        }

        if (entrypoint.Count > 1)
        {
            return $"entrypoint '{entrypoint[0]}' takes no arguments; remove the other entries";
        }

        return hookNode == HookTargets.Host ? null
            : $"entrypoint '{entrypoint[0]}' runs PowerShell on the host, so the hook needs 'node: host' (it has node '{hookNode}')";
    }
}

/// <summary>One PowerShell host hook command to run.</summary>
public sealed class PowerShellHookRequest
{
    public required string Event { get; init; }
    public required string Script { get; init; }
    public required PowerShellHookScope Scope { get; init; }

    /// <summary>PowerShell variable name → value (typed: strings, numbers, booleans, maps, lists); see <see cref="HookVariables"/>.</summary>
    public required IReadOnlyDictionary<string, object?> Variables { get; init; }

    /// <summary>Called for each line as it is written, from whatever thread writes it (may be the caller's pipeline thread).</summary>
    public required Action<HookStream, string> Output { get; init; }
}

/// <summary>
/// What a PowerShell hook produced: its exit code (0 success), the text of its success output (its stdout, for
/// out2var) and of its error stream (its stderr, for err2var and the failure message).
/// </summary>
public sealed record PowerShellHookResult(int ExitCode, string Stdout, string Stderr);

/// <summary>
/// Runs PowerShell host hooks; provided by the host that embeds the engine (the PowerShell module), which owns the
/// runspaces. Core knows no PowerShell types.
/// </summary>
public interface IPowerShellHookRunner
{
    /// <summary>
    /// Runs <paramref name="request"/>; throws <see cref="OperationCanceledException"/> when cancelled (the hook is stopped)
    /// and <see cref="PowerShellHookStartException"/> when it could not start at all (a syntax error, no session).
    /// </summary>
    Task<PowerShellHookResult> RunAsync(PowerShellHookRequest request, CancellationToken cancellationToken);
}

/// <summary>A PowerShell hook could not start (parse error, no caller session); the hook fails with exit code -1.</summary>
public sealed class PowerShellHookStartException : Exception
{
    public PowerShellHookStartException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}

/// <summary>
/// The variables of a PowerShell host hook: the same set a shell host hook gets in its environment (lxd-compose §3.2),
/// with their types kept. <c>project</c> is the project as a map (without vars), each project variable not in
/// <c>shell_envs_filter</c> under its name with <c>-</c> turned into <c>_</c>, <c>LXD_CONF</c>/<c>INCUS_CONF</c> when
/// <c>general.lxd_confdir</c> is set, and <c>LxdVars</c>: every exported variable under its spec name.
/// </summary>
public static class HookVariables
{
    public const string AllVariables = "LxdVars";

    public static Dictionary<string, object?> Build(LxdProject project, IReadOnlyDictionary<string, object?> variables, string? configDirectory)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["project"] = HookEnvironment.SanitizedProject(project),
        };
        var filtered = new HashSet<string>(project.ShellEnvsFilter, StringComparer.Ordinal);
        var all = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in variables)
        {
            if (!filtered.Contains(name))
            {
                result[name.Replace('-', '_')] = value;
                all[name] = value;
            }
        }

        if (configDirectory is not null)
        {
            result["LXD_CONF"] = configDirectory;
            result["INCUS_CONF"] = configDirectory;
        }

        result[AllVariables] = all;
        return result;
    }
}
