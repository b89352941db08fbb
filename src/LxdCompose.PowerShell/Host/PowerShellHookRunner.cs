using System.Collections;
using System.Collections.Specialized;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using System.Text;
using LxdCompose.Deploy;

namespace LxdCompose.PowerShell.Host;

/// <summary>
/// Runs PowerShell host hooks for the engine. <c>pwsh:runspace</c>: a new runspace on the worker that asked, closed
/// afterwards. <c>pwsh:session</c>: a nested pipeline in the caller's runspace, which only its pipeline thread may run,
/// so the work is handed to <see cref="QueuedDeployHost"/>'s drain loop and the result handed back.
/// Both run the command in a child scope with the project variables defined, piped to <c>Out-String -Stream</c>:
/// stdout is the success output as the console would show it, stderr the error stream.
/// </summary>
internal sealed class PowerShellHookRunner : IPowerShellHookRunner
{
    // Defines the variables in the child scope the command is dot-sourced into, so they never reach the caller's scopes.
    // Warnings, verbose and debug messages (when the hook's preferences let them through) and Write-Host/Write-Information
    // lines are taken out of the output and shown (a nested pipeline in the caller's session would write them straight
    // to its console); the rest is formatted as the console would.
    private const string Wrapper = """
        param([System.Collections.IDictionary] $__LxdHookVariables, [string] $__LxdHookScript, [System.Action[string, string]] $__LxdHookShow)
        foreach ($__LxdHookVariable in $__LxdHookVariables.GetEnumerator()) {
            # names as they are: no scope or drive prefix is read into a ':' and no wildcard into a '*'
            $ExecutionContext.SessionState.PSVariable.Set([psvariable]::new($__LxdHookVariable.Key, $__LxdHookVariable.Value))
        }
        Remove-Variable -Name __LxdHookVariable, __LxdHookVariables -ErrorAction Ignore
        . ([scriptblock]::Create($__LxdHookScript)) 3>&1 4>&1 5>&1 6>&1 | ForEach-Object {
            if ($_ -is [System.Management.Automation.WarningRecord]) { $__LxdHookShow.Invoke('Warning', $_.Message) }
            elseif ($_ -is [System.Management.Automation.VerboseRecord]) { $__LxdHookShow.Invoke('Verbose', $_.Message) }
            elseif ($_ -is [System.Management.Automation.DebugRecord]) { $__LxdHookShow.Invoke('Debug', $_.Message) }
            elseif ($_ -is [System.Management.Automation.InformationRecord]) { $__LxdHookShow.Invoke('Information', [string]$_.MessageData) }
            else { $_ }
        }
        """;

    /// <summary>PowerShell's automatic variables: a project variable of such a name is only in <c>$LxdVars</c>.</summary>
    private static readonly HashSet<string> Automatic = new(StringComparer.OrdinalIgnoreCase)
    {
        "$", "?", "^", "_", "args", "ConsoleFileName", "EnabledExperimentalFeatures", "Error", "Event", "EventArgs",
        "EventSubscriber", "ExecutionContext", "false", "foreach", "HOME", "Host", "input", "IsCoreCLR", "IsLinux",
        "IsMacOS", "IsWindows", "LASTEXITCODE", "Matches", "MyInvocation", "NestedPromptLevel", "null", "PID", "PROFILE",
        "PSBoundParameters", "PSCmdlet", "PSCommandPath", "PSCulture", "PSDebugContext", "PSEdition", "PSHOME", "PSItem",
        "PSScriptRoot", "PSSenderInfo", "PSUICulture", "PSVersionTable", "PWD", "Sender", "ShellId", "StackTrace",
        "switch", "this", "true",
    };

    private readonly QueuedDeployHost _host;

    public PowerShellHookRunner(QueuedDeployHost host) => _host = host;

    public Task<PowerShellHookResult> RunAsync(PowerShellHookRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Parser.ParseInput(request.Script, out _, out var errors);
        if (errors.Length > 0)
        {
            var first = errors[0];
            throw new PowerShellHookStartException(
                $"the PowerShell command does not parse: line {first.Extent.StartLineNumber}, column {first.Extent.StartColumnNumber}: {first.Message}");
        }

        var variables = Variables(request.Variables);
        return request.Scope == PowerShellHookScope.NewRunspace
            ? Task.Factory.StartNew(() => RunInNewRunspace(request, variables, cancellationToken), cancellationToken,
                TaskCreationOptions.LongRunning, TaskScheduler.Default)
            : _host.OnPipelineThread(cmdlet => RunInCallerSession(cmdlet, request, variables, cancellationToken), cancellationToken);
    }

    private static PowerShellHookResult RunInNewRunspace(PowerShellHookRequest request, Hashtable variables, CancellationToken cancellationToken)
    {
        var host = new HookHost();
        using var runspace = RunspaceFactory.CreateRunspace(host, InitialSessionState.CreateDefault2());
        runspace.Open();
        using var shell = System.Management.Automation.PowerShell.Create();
        shell.Runspace = runspace;
        var run = Invoke(shell, request, variables, cancellationToken);
        // exit N reaches the host of a runspace of its own; else the last native program's exit code counts.
        var exitCode = host.ExitCode ?? ExitCodeOf(runspace.SessionStateProxy.GetVariable("LASTEXITCODE"));
        return run.Result(exitCode);
    }

    private static PowerShellHookResult RunInCallerSession(PSCmdlet cmdlet, PowerShellHookRequest request, Hashtable variables,
        CancellationToken cancellationToken)
    {
        using var shell = System.Management.Automation.PowerShell.Create(RunspaceMode.CurrentRunspace);
        var session = cmdlet.SessionState.PSVariable;
        // In a nested pipeline exit N sets $LASTEXITCODE; the caller's value is put back afterwards.
        var callerExitCode = session.GetValue(LastExitCode);
        session.Set(LastExitCode, 0);
        try
        {
            var run = Invoke(shell, request, variables, cancellationToken);
            return run.Result(ExitCodeOf(session.GetValue(LastExitCode)));
        }
        finally
        {
            session.Set(LastExitCode, callerExitCode);
        }
    }

    private const string LastExitCode = "global:LASTEXITCODE";

    private static HookRun Invoke(System.Management.Automation.PowerShell shell, PowerShellHookRequest request, Hashtable variables,
        CancellationToken cancellationToken)
    {
        var run = new HookRun(request.Output);
        // Warnings, verbose and debug lines are diagnostics: tagged stderr with PowerShell's prefix; Write-Host lines stdout.
        var show = new Action<string, string>((stream, text) => run.Shown(
            stream == "Information" ? HookStream.Stdout : HookStream.Stderr,
            stream == "Information" ? text : stream.ToUpperInvariant() + ": " + text));
        shell.AddScript(Wrapper, useLocalScope: true).AddArgument(variables).AddArgument(request.Script).AddArgument(show)
            .AddCommand("Out-String").AddParameter("Stream");
        using var output = new PSDataCollection<PSObject>();
        output.DataAdded += (_, e) => run.Stdout(output[e.Index]?.BaseObject?.ToString() ?? string.Empty);
        shell.Streams.Error.DataAdded += (_, e) => run.Error(shell.Streams.Error[e.Index]);
        using var input = new PSDataCollection<PSObject>();
        input.Complete();
        using var stop = cancellationToken.Register(() => shell.BeginStop(null, null));
        try
        {
            shell.Invoke(input, output);
        }
        catch (PipelineStoppedException)
        {
            // Stopped by us on cancellation, or (in the caller's session) together with the command being stopped.
            throw new OperationCanceledException(cancellationToken);
        }
        catch (RuntimeException e)
        {
            run.Terminated(e.ErrorRecord);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return run;
    }

    /// <summary>$LASTEXITCODE as an exit code: unset is 0, a value that is no number (a hook assigned it) is 1.</summary>
    private static int ExitCodeOf(object? value) =>
        value is null ? 0 : LanguagePrimitives.TryConvertTo<int>(value, CultureInfo.InvariantCulture, out var code) ? code : 1;

    /// <summary>The project variables with PowerShell's own shapes: maps as ordered hashtables, lists as arrays.</summary>
    private static Hashtable Variables(IReadOnlyDictionary<string, object?> variables)
    {
        var result = new Hashtable(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in variables)
        {
            if (!Automatic.Contains(name))
            {
                result[name] = ToPowerShell(value);
            }
        }

        return result;
    }

    private static object? ToPowerShell(object? value)
    {
        switch (value)
        {
            case null or string:
                return value;
            case IDictionary map:
                // [ordered]@{} semantics (keys case-insensitive) unless two keys differ only in case.
                var keys = map.Keys.Cast<object>().Select(k => Convert.ToString(k, CultureInfo.InvariantCulture) ?? string.Empty).ToList();
                var ordered = keys.Distinct(StringComparer.OrdinalIgnoreCase).Count() == keys.Count
                    ? new OrderedDictionary(StringComparer.OrdinalIgnoreCase)
                    : new OrderedDictionary(StringComparer.Ordinal);
                foreach (DictionaryEntry entry in map)
                {
                    ordered[Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty] = ToPowerShell(entry.Value);
                }

                return ordered;
            case IEnumerable list:
                return list.Cast<object?>().Select(ToPowerShell).ToArray();
            default:
                return value;
        }
    }

    /// <summary>The text one hook command produced, shown line by line as it comes.</summary>
    private sealed class HookRun
    {
        private readonly Action<HookStream, string> _show;
        private readonly StringBuilder _stdout = new();
        private readonly StringBuilder _stderr = new();
        private readonly object _gate = new();
        private int _errors;
        private bool _terminated;

        public HookRun(Action<HookStream, string> show) => _show = show;

        public void Stdout(string line)
        {
            lock (_gate)
            {
                _stdout.Append(line).Append('\n');
            }

            _show(HookStream.Stdout, line);
        }

        public void Error(ErrorRecord record)
        {
            Interlocked.Increment(ref _errors);
            foreach (var line in Lines(record.ToString()))
            {
                lock (_gate)
                {
                    _stderr.Append(line).Append('\n');
                }

                _show(HookStream.Stderr, line);
            }
        }

        public void Terminated(ErrorRecord record)
        {
            _terminated = true;
            Error(record);
        }

        public void Shown(HookStream stream, string text)
        {
            foreach (var line in Lines(text))
            {
                _show(stream, line);
            }
        }

        /// <summary>
        /// A terminating error: 1; else a non-zero <paramref name="exitCode"/> (exit N or the last native program); else 1
        /// when errors were written; else 0.
        /// </summary>
        public PowerShellHookResult Result(int exitCode)
        {
            var code = _terminated ? 1 : exitCode != 0 ? exitCode : Volatile.Read(ref _errors) > 0 ? 1 : 0;
            lock (_gate)
            {
                return new PowerShellHookResult(code, _stdout.ToString(), _stderr.ToString());
            }
        }

        private static IEnumerable<string> Lines(string text) => text.Replace("\r\n", "\n").TrimEnd('\n').Split('\n');
    }

    /// <summary>The host of a new hook runspace: no user interface (nothing can prompt), and it keeps exit's code.</summary>
    private sealed class HookHost : PSHost
    {
        public int? ExitCode { get; private set; }
        public override string Name => "LxdComposeHook";
        public override Version Version => typeof(HookHost).Assembly.GetName().Version ?? new Version(1, 0);
        public override Guid InstanceId { get; } = Guid.NewGuid();
        public override PSHostUserInterface UI => null!;
        public override CultureInfo CurrentCulture => CultureInfo.CurrentCulture;
        public override CultureInfo CurrentUICulture => CultureInfo.CurrentUICulture;
        public override void SetShouldExit(int exitCode) => ExitCode = exitCode;
        public override void EnterNestedPrompt() => throw new NotSupportedException("A hook cannot enter a nested prompt.");
        public override void ExitNestedPrompt() => throw new NotSupportedException("A hook cannot enter a nested prompt.");

        public override void NotifyBeginApplication()
        {
        }

        public override void NotifyEndApplication()
        {
        }
    }
}
