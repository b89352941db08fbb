using System.Diagnostics;
using System.Runtime.CompilerServices;
using LxdCompose.Lxd;
using LxdCompose.Specs;

namespace LxdCompose.Deploy;

/// <summary>
/// Runs hooks (lxd-compose ProcessHooks, §3.2) with its bugs fixed: host hooks never need a group; a hook aimed at a
/// node runs through the client of that node's group (also a node of another group or project), and a node unknown to
/// the specs is looked for on the defining group's server; one client per server for the whole run.
/// </summary>
internal sealed class HookRunner
{
    private static readonly string[] DefaultContainerEntrypoint = { "/bin/bash", "-c" };
    private readonly DeployContext _context;

    public HookRunner(DeployContext context) => _context = context;

    private readonly AsyncLocal<StrongBox<int>?> _counter = new();

    /// <summary>
    /// Counts the commands run from here on in this async flow (a node's steps), apart from flows running in
    /// parallel; read <see cref="StrongBox{T}.Value"/> at the end.
    /// </summary>
    public StrongBox<int> StartCounting()
    {
        var box = new StrongBox<int>();
        _counter.Value = box;
        return box;
    }

    /// <summary>
    /// Runs hooks in order, each command in order; a hook for every node runs each command on every node of
    /// <paramref name="scope"/> (command-major, as lxd-compose). <paramref name="definingGroup"/> is the group whose
    /// server receives a hook aimed at a node the specs do not know (null: the default remote).
    /// </summary>
    public async Task RunAsync(string hookEvent, IEnumerable<TargetedHook> hooks, IReadOnlyList<(LxdNode Node, LxdGroup Group)> scope,
        LxdGroup? definingGroup)
    {
        foreach (var (hook, target) in hooks)
        {
            if (!_context.Options.Flags.ShouldRun(hook))
            {
                _context.Host.Log(DeployLogLevel.Verbose, $"Skipping the {hookEvent} hook at {hook.Location} (flags).");
                continue;
            }

            // Test-LxdEnvironment reports these too; apply checks them itself rather than run a wrong hook.
            var entrypoint = target.Kind == HookTargetKind.Host && hook.Entrypoint.Count == 0 ? _context.Options.DefaultHostEntrypoint : hook.Entrypoint;
            if (HostHookEntrypoints.Problem(entrypoint, target.Kind == HookTargetKind.Host ? HookTargets.Host : hook.Node) is { } problem)
            {
                throw new HookFailedException(target.Kind == HookTargetKind.Host ? HookTargets.Host : hook.Node, hookEvent,
                    hook.Commands.FirstOrDefault() ?? string.Empty, -1, $"{problem} ({hook.Location})");
            }

            foreach (var command in hook.Commands)
            {
                _context.CancellationToken.ThrowIfCancellationRequested();
                switch (target.Kind)
                {
                    case HookTargetKind.Host:
                        await RunOnHostAsync(hookEvent, hook, command).ConfigureAwait(false);
                        break;
                    case HookTargetKind.EveryNode:
                        foreach (var (node, group) in scope)
                        {
                            await RunOnNodeAsync(hookEvent, hook, command, node.InstanceName, node, group).ConfigureAwait(false);
                        }

                        break;
                    default:
                        var found = _context.FindNode(target.Node);
                        await RunOnNodeAsync(hookEvent, hook, command, found?.Node.InstanceName ?? target.Node, found?.Node,
                            found?.Group ?? definingGroup).ConfigureAwait(false);
                        break;
                }
            }
        }
    }

    private async Task RunOnNodeAsync(string hookEvent, LxdHook hook, string command, string instance, LxdNode? node, LxdGroup? group)
    {
        var (code, stdout, stderr) = await ExecOnNodeAsync(hookEvent, hook, command, instance, node, group, streamOutput: true).ConfigureAwait(false);
        Finish(hookEvent, hook, command, instance, code, stdout, stderr);
    }

    /// <summary>
    /// One command in a node as a hook command runs there (Invoke-LxdExec): the node's entrypoint, the project's
    /// variables, the run's limits; a non-zero exit code is returned, not thrown. Output lines reach the host's hook
    /// output only when <paramref name="streamOutput"/>; they are always in the result.
    /// </summary>
    public Task<(int ExitCode, string Stdout, string Stderr)> ExecAsync(LxdHook command, LxdNode node, LxdGroup group, bool streamOutput) =>
        ExecOnNodeAsync(command.Event, command, command.Commands[0], node.InstanceName, node, group, streamOutput);

    private async Task<(int ExitCode, string Stdout, string Stderr)> ExecOnNodeAsync(string hookEvent, LxdHook hook, string command, string instance,
        LxdNode? node, LxdGroup? group, bool streamOutput)
    {
        var client = group is null ? _context.Connections.For(string.Empty, string.Empty) : _context.Connections.ForGroup(group);
        var entrypoint = hook.Entrypoint.Count > 0 ? hook.Entrypoint
            : node is { Entrypoint.Count: > 0 } ? node.Entrypoint
            : DefaultContainerEntrypoint;
        var limit = LimitOf(hook);
        var environment = HookEnvironment.Build(_context.Project, _context.Variables, node);
        var runId = Guid.NewGuid().ToString("N");
        if (limit is not null)
        {
            environment[HookRunVariable] = runId;
        }

        var request = new LxdExecRequest(entrypoint.Append(command).ToList())
        {
            Environment = environment,
            WorkingDirectory = string.IsNullOrEmpty(hook.Cwd) ? null : hook.Cwd,
            User = hook.Uid is { } uid && hook.Gid is not null ? (int)uid : null,
            Group = hook.Gid is { } gid && hook.Uid is not null ? (int)gid : null,
        };
        _context.Host.Log(DeployLogLevel.Verbose, $"[{instance}] {hookEvent}: {string.Join(' ', entrypoint)} {FirstLine(command)} (on {client.DisplayName})");
        var stdout = new LineStream(line => Forward(new HookOutputLine(instance, hookEvent, HookStream.Stdout, line)));
        var stderr = new LineStream(line => Forward(new HookOutputLine(instance, hookEvent, HookStream.Stderr, line)));
        void Forward(HookOutputLine line)
        {
            if (streamOutput)
            {
                _context.Host.HookOutput(line);
            }
        }

        using var limited = Limited(limit);
        int code;
        try
        {
            // The operation wait outlasts the hook's own limit, which is what ends an overrun command.
            code = await client.Exec.RunAsync(instance, request, stdout, stderr, limited.Token, timeout: limit + OperationGrace)
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (limited.IsCancellationRequested && !_context.CancellationToken.IsCancellationRequested)
        {
            var swept = await KillHookProcessesAsync(client, instance, runId).ConfigureAwait(false);
            throw new HookTimeoutException(instance, hookEvent, command, limit!.Value, hook.Location,
                swept ? $"it and the processes it started were killed in the container on {client.DisplayName}"
                    : $"its process was killed on {client.DisplayName}, but processes it started may still run: {HookRunVariable}={runId} marks them");
        }
        catch (LxdException e)
        {
            throw new HookFailedException(instance, hookEvent, command, -1, e.Message, e,
                mayHaveRun: e is LxdTimeoutException or LxdConnectionException);
        }

        stdout.Complete();
        stderr.Complete();
        Count();
        return (code, stdout.Text, stderr.Text);
    }

    private async Task RunOnHostAsync(string hookEvent, LxdHook hook, string command)
    {
        var entrypoint = hook.Entrypoint.Count > 0 ? hook.Entrypoint : _context.Options.DefaultHostEntrypoint;
        if (HostHookEntrypoints.ScopeOf(entrypoint) is { } scope)
        {
            await RunPowerShellOnHostAsync(hookEvent, hook, command, entrypoint[0], scope).ConfigureAwait(false);
            return;
        }

        var start = new ProcessStartInfo(entrypoint[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in entrypoint.Skip(1).Append(command))
        {
            start.ArgumentList.Add(argument);
        }

        // The OS environment is inherited; project variables (no node, no labels) and the client config dir on top.
        foreach (var (name, value) in HookEnvironment.Build(_context.Project, _context.Variables, node: null))
        {
            if (name == "HOME" && Environment.GetEnvironmentVariable("HOME") is { Length: > 0 })
            {
                continue; // the host keeps its own home; HOME=/ is only the container default
            }

            start.Environment[name] = value;
        }

        if (_context.Options.ExportConfigDirectory && _context.Options.ConfigDirectory.Length > 0)
        {
            start.Environment["LXD_CONF"] = _context.Options.ConfigDirectory;
            start.Environment["INCUS_CONF"] = _context.Options.ConfigDirectory;
        }

        _context.Host.Log(DeployLogLevel.Verbose, $"[host] {hookEvent}: {string.Join(' ', entrypoint)} {FirstLine(command)}");
        var stdout = new LineStream(line => _context.Host.HookOutput(new HookOutputLine(HookTargets.Host, hookEvent, HookStream.Stdout, line)));
        var stderr = new LineStream(line => _context.Host.HookOutput(new HookOutputLine(HookTargets.Host, hookEvent, HookStream.Stderr, line)));
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new HookFailedException(HookTargets.Host, hookEvent, command, -1, e.Message, e);
        }

        process.StandardInput.Close();
        var limit = LimitOf(hook);
        using var limited = Limited(limit);
        var token = limited.Token;
        try
        {
            var copyOut = process.StandardOutput.BaseStream.CopyToAsync(stdout, token);
            var copyErr = process.StandardError.BaseStream.CopyToAsync(stderr, token);
            await Task.WhenAll(copyOut, copyErr).ConfigureAwait(false);
            await process.WaitForExitAsync(token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // the hook exited between the cancellation and the kill: nothing left to stop
            }

            if (!_context.CancellationToken.IsCancellationRequested)
            {
                throw new HookTimeoutException(HookTargets.Host, hookEvent, command, limit!.Value, hook.Location, "its process tree was killed");
            }

            throw;
        }

        stdout.Complete();
        stderr.Complete();
        Count();
        Finish(hookEvent, hook, command, HookTargets.Host, process.ExitCode, stdout.Text, stderr.Text);
    }

    /// <summary>A host hook in PowerShell, run by the host's runner: same output lines, variables and failures as a process.</summary>
    private async Task RunPowerShellOnHostAsync(string hookEvent, LxdHook hook, string command, string entrypoint, PowerShellHookScope scope)
    {
        if (_context.Host.PowerShellHooks is not { } runner)
        {
            throw new HookFailedException(HookTargets.Host, hookEvent, command, -1,
                $"entrypoint {entrypoint} needs PowerShell: run it from the LxdCompose module (Invoke-LxdApply)");
        }

        var options = _context.Options;
        var request = new PowerShellHookRequest
        {
            Event = hookEvent,
            Script = command,
            Scope = scope,
            Variables = HookVariables.Build(_context.Project, _context.Variables,
                options.ExportConfigDirectory && options.ConfigDirectory.Length > 0 ? options.ConfigDirectory : null),
            Output = (stream, line) => _context.Host.HookOutput(new HookOutputLine(HookTargets.Host, hookEvent, stream, line)),
        };
        _context.Host.Log(DeployLogLevel.Verbose, $"[host] {hookEvent}: {entrypoint} {FirstLine(command)}");
        var limit = LimitOf(hook);
        using var limited = Limited(limit);
        PowerShellHookResult result;
        try
        {
            result = await runner.RunAsync(request, limited.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (limited.IsCancellationRequested && !_context.CancellationToken.IsCancellationRequested)
        {
            throw new HookTimeoutException(HookTargets.Host, hookEvent, command, limit!.Value, hook.Location, "its PowerShell was stopped");
        }
        catch (PowerShellHookStartException e)
        {
            throw new HookFailedException(HookTargets.Host, hookEvent, command, -1, e.Message, e);
        }

        Count();
        Finish(hookEvent, hook, command, HookTargets.Host, result.ExitCode, result.Stdout, result.Stderr);
    }

    private void Finish(string hookEvent, LxdHook hook, string command, string target, int code, string stdout, string stderr)
    {
        if (code != 0)
        {
            throw new HookFailedException(target, hookEvent, command, code, HookFailedException.Tail(stderr));
        }

        // The last execution wins, as lxd-compose; the full text including the final line break.
        if (!string.IsNullOrEmpty(hook.Out2Var))
        {
            _context.SetRuntimeVariable(hook.Out2Var, stdout);
        }

        if (!string.IsNullOrEmpty(hook.Err2Var))
        {
            _context.SetRuntimeVariable(hook.Err2Var, stderr);
        }
    }

    /// <summary>
    /// Set in the environment of a container hook command that has a limit; its processes inherit it, which is how they
    /// are found and killed when the limit passes (LXD and Incus signal only the command's own process, and a shell's
    /// children would live on).
    /// </summary>
    public const string HookRunVariable = "LXDCOMPOSE_HOOK_RUN";

    /// <summary>
    /// Kills every process in the container whose environment carries the run's mark (POSIX sh, as every image has);
    /// true when the sweep ran. Bounded on its own: the run is already failing.
    /// </summary>
    private async Task<bool> KillHookProcessesAsync(ILxdServer client, string instance, string runId)
    {
        var script = "for p in /proc/[0-9]*; do " +
                     $"if tr '\\0' '\\n' < \"$p/environ\" 2>/dev/null | grep -qx '{HookRunVariable}={runId}'; then kill -9 \"${{p#/proc/}}\" 2>/dev/null; fi; " +
                     "done; exit 0";
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(_context.CancellationToken);
        limit.CancelAfter(SweepTimeout);
        try
        {
            var result = await client.Exec.RunCapturedAsync(instance, new LxdExecRequest(new[] { "/bin/sh", "-c", script }), limit.Token)
                .ConfigureAwait(false);
            return result.ExitCode == 0;
        }
        catch (Exception e) when (e is LxdException or OperationCanceledException || DeployFailures.IsDeployFailure(e))
        {
            _context.Host.Log(DeployLogLevel.Warning, $"[{instance}] could not stop the processes of a hook past its limit: {e.Message}");
            return false;
        }
    }

    private static readonly TimeSpan SweepTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Slack of the exec operation wait beyond a hook's limit: the limit itself stops the command first.</summary>
    private static readonly TimeSpan OperationGrace = TimeSpan.FromSeconds(30);

    /// <summary>The limit of one command of <paramref name="hook"/>: its <c>timeout</c> key, else the run's <c>-HookTimeout</c>.</summary>
    private TimeSpan? LimitOf(LxdHook hook) => hook.Timeout ?? _context.Options.HookTimeout;

    /// <summary>The run's token, cancelled also when <paramref name="limit"/> passes.</summary>
    private CancellationTokenSource Limited(TimeSpan? limit)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(_context.CancellationToken);
        if (limit is { } value)
        {
            source.CancelAfter(value);
        }

        return source;
    }

    private void Count()
    {
        if (_counter.Value is { } box)
        {
            Interlocked.Increment(ref box.Value);
        }
    }

    private static string FirstLine(string command)
    {
        var line = command.Trim().Split('\n')[0];
        return line.Length > 120 ? line[..120] + "…" : line;
    }
}
