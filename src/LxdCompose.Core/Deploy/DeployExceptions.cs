using System.Net.Sockets;
using System.Net.WebSockets;
using LxdCompose.Lxd;
using LxdCompose.Specs;

namespace LxdCompose.Deploy;

/// <summary>
/// The failures a deploy step may end with, as the executors report them: each becomes a Failed (or Skipped) result
/// and a <see cref="DeployFailure"/>, never an exception out of the run. Anything else is a bug and is left to surface.
/// </summary>
public static class DeployFailures
{
    /// <summary>
    /// True for the module's own failures and for a connection lost in the middle of a call (a daemon killed or
    /// restarted: the socket, HTTP or websocket layer fails with an I/O error such as "Transport endpoint is not connected").
    /// </summary>
    public static bool IsDeployFailure(Exception exception) =>
        exception is DeployException or LxdException or SpecException
            or IOException or SocketException or WebSocketException or HttpRequestException;

    /// <summary>
    /// The failure as it is reported: the module's own as they are; a lost connection as an
    /// <see cref="LxdConnectionException"/> that names the <paramref name="server"/> and keeps the I/O error inside.
    /// </summary>
    public static Exception Normalize(Exception exception, string server) =>
        exception is DeployException or LxdException or SpecException
            ? exception
            : new LxdConnectionException($"The connection to {server} was lost during the deploy: {exception.Message}", exception) { Target = server };
}

/// <summary>A deploy step failed; <see cref="Target"/> names what it was acting on (node, group, profile, image).</summary>
public class DeployException : Exception
{
    public DeployException(string message, string target, Exception? inner = null, DeployProblem problem = DeployProblem.Failed)
        : base(message, inner)
    {
        Target = target;
        Problem = problem;
    }

    public string Target { get; }

    public DeployProblem Problem { get; }
}

/// <summary>The kind of a deploy failure, for error categories.</summary>
public enum DeployProblem
{
    Failed,
    /// <summary>Something the specs name is missing (image, profile, remote).</summary>
    NotFound,
    /// <summary>A server could not be reached.</summary>
    Unreachable,
    HookFailed,
    Timeout,
    /// <summary>Another run holds the project's lock on a server (<see cref="DeployLockedException"/>).</summary>
    Locked,
}

/// <summary>A hook command ran longer than its limit and was stopped: names hook, node, event and limit.</summary>
public sealed class HookTimeoutException : DeployException
{
    public HookTimeoutException(string node, string hookEvent, string command, TimeSpan limit, SourceLocation location, string stopped)
        : base($"The {hookEvent} hook command on {node} ran longer than its limit of {limit.TotalSeconds:0.###} s and was stopped " +
               $"({stopped}): {FirstLine(command)} (hook at {location})", node, null, DeployProblem.Timeout)
    {
        Node = node;
        Event = hookEvent;
        Command = command;
        Limit = limit;
        Location = location;
    }

    public string Node { get; }
    public string Event { get; }
    public string Command { get; }
    public TimeSpan Limit { get; }
    public SourceLocation Location { get; }

    private static string FirstLine(string command)
    {
        var line = command.Trim().Split('\n')[0];
        return line.Length > 200 ? line[..200] + "…" : line;
    }
}

/// <summary>A hook command failed: names node, event, command, exit code and the end of its stderr.</summary>
public sealed class HookFailedException : DeployException
{
    public HookFailedException(string node, string hookEvent, string command, int exitCode, string stderrTail, Exception? inner = null,
        bool mayHaveRun = false)
        : base(Describe(node, hookEvent, command, exitCode, stderrTail, mayHaveRun), node, inner,
            inner is LxdTimeoutException ? DeployProblem.Timeout : DeployProblem.HookFailed)
    {
        Node = node;
        Event = hookEvent;
        Command = command;
        ExitCode = exitCode;
        StderrTail = stderrTail;
    }

    public string Node { get; }
    public string Event { get; }
    public string Command { get; }
    /// <summary>-1 when the command could not be started at all.</summary>
    public int ExitCode { get; }
    public string StderrTail { get; }

    private static string Describe(string node, string hookEvent, string command, int exitCode, string stderrTail, bool mayHaveRun)
    {
        // A server that stopped answering (frozen, killed) may have run the command, or may run it when it resumes.
        var what = exitCode >= 0 ? $"exited with code {exitCode}"
            : mayHaveRun ? "got no exit code from the server (the command may have run there, or may still run)"
            : "could not run";
        var tail = stderrTail.Length == 0 ? string.Empty : $"; stderr ends with: {stderrTail}";
        return $"The {hookEvent} hook command on {node} {what}: {FirstLine(command)}{tail}";
    }

    private static string FirstLine(string command)
    {
        var line = command.Trim().Split('\n')[0];
        return line.Length > 200 ? line[..200] + "…" : line;
    }

    /// <summary>The last lines of stderr, at most about 1000 characters.</summary>
    public static string Tail(string stderr)
    {
        var text = stderr.TrimEnd();
        var lines = text.Split('\n');
        var tail = string.Join('\n', lines.Skip(Math.Max(0, lines.Length - 5)));
        return tail.Length > 1000 ? tail[^1000..] : tail;
    }
}
