using System.Collections;
using System.Management.Automation;
using System.Security;
using LxdCompose.CommandLine;
using LxdCompose.PowerShell.Internal;

namespace LxdCompose.PowerShell.Commands;

/// <summary>
/// Runs lxd-compose command lines as its documentation and scripts write them (<c>lxd-compose apply myproject
/// --enable-group web</c>): maps the command, its aliases and flags onto the module's cmdlet and runs it, whose objects
/// and messages come out of this command. <c>--help</c> lists the mapping instead.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "LxdCompose", DefaultParameterSetName = WordsSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[Alias("lxd-compose")]
[OutputType(typeof(PSObject))]
public sealed class InvokeLxdComposeCommand : PSCmdlet
{
    private const string WordsSet = "Words";
    private const string CommandLineSet = "CommandLine";

    /// <summary>Common parameters given to this command that the cmdlet it runs gets too.</summary>
    private static readonly string[] ForwardedCommonParameters =
    {
        "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "WhatIf", "Confirm",
    };

    /// <summary>
    /// The words after <c>lxd-compose</c> (a leading <c>lxd-compose</c> is skipped). PowerShell reads -a, -c, -d, -e, -i
    /// and -p as its own parameters: put <c>--</c> before the words, or use -CommandLine.
    /// </summary>
    [Parameter(Position = 0, ValueFromRemainingArguments = true, ParameterSetName = WordsSet)]
    [AllowEmptyCollection]
    public string[] Words { get; set; } = Array.Empty<string>();

    /// <summary>One command line as a shell reads it (quotes and backslashes; no expansions).</summary>
    [Parameter(Mandatory = true, ParameterSetName = CommandLineSet)]
    [ValidateNotNullOrEmpty]
    public string CommandLine { get; set; } = string.Empty;

    /// <summary>
    /// Runs nothing: writes the PowerShell command the line maps onto (cmdlet, parameters, and the command as text), so
    /// scripts can be rewritten and lines checked.
    /// </summary>
    [Parameter]
    public SwitchParameter Translate { get; set; }

    protected override void EndProcessing()
    {
        MappedCommandLine mapped;
        try
        {
            mapped = CommandLineParser.Parse(ParameterSetName == CommandLineSet ? CommandLineParser.Split(CommandLine) : Words);
        }
        catch (CommandLineException e)
        {
            ThrowTerminatingError(ErrorRecords.InvalidArgument(ErrorIds.CommandLineInvalid, e.Message, e.Word, e.Advice));
            return;
        }

        if (mapped.Help)
        {
            foreach (var row in LxdComposeMappingRow.For(mapped.Command))
            {
                WriteObject(row);
            }

            return;
        }

        foreach (var note in mapped.Notes)
        {
            WriteVerbose(note);
        }

        Run(mapped);
    }

    private void Run(MappedCommandLine mapped)
    {
        var command = mapped.Command!;
        if (InvokeCommand.GetCmdlet(mapped.Cmdlet) is not { } cmdlet)
        {
            ThrowTerminatingError(NotAvailable(
                $"'lxd-compose {command.Name}' maps onto {mapped.Cmdlet}, which is not available in this build of LxdCompose.",
                mapped.Cmdlet, "Update LxdCompose; Invoke-LxdCompose --help lists what each command maps onto."));
            return;
        }

        var parameters = new Hashtable(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in mapped.Parameters)
        {
            // The table may name a parameter by its alias (-Group of Stop-LxdGroup is -Name): pass the parameter's own name.
            if (cmdlet.Parameters.Values.FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase) || p.Aliases.Contains(name)) is { } parameter)
            {
                parameters[parameter.Name] = ToPowerShell(name, value);
            }
            else if (mapped.GlobalParameters.Contains(name))
            {
                WriteVerbose($"{mapped.Cmdlet} has no -{name}: lxd-compose's global flag for it changes nothing for '{command.Name}'.");
            }
            else
            {
                var flag = command.Flags.FirstOrDefault(f => f.Parameter == name)?.Display
                    ?? command.Arguments.FirstOrDefault(a => a.Parameter == name)?.Name ?? name;
                ThrowTerminatingError(NotAvailable(
                    $"'lxd-compose {command.Name}' {flag} maps onto -{name} of {mapped.Cmdlet}, which this build does not have.",
                    flag, $"Get-Help {mapped.Cmdlet} -Parameter * lists what it takes."));
            }
        }

        foreach (var name in ForwardedCommonParameters)
        {
            if (MyInvocation.BoundParameters.TryGetValue(name, out var value) && cmdlet.Parameters.ContainsKey(name))
            {
                parameters[name] = value;
            }
        }

        var overrides = mapped.ConfigOverrides.ToDictionary(e => e.Key,
            e => e.Key.EndsWith("_FILE", StringComparison.Ordinal) ? SessionState.Path.GetUnresolvedProviderPathFromPSPath(e.Value) : e.Value,
            StringComparer.Ordinal);
        if (Translate)
        {
            WriteObject(new LxdComposeTranslation
            {
                CommandLine = ParameterSetName == CommandLineSet ? CommandLine : string.Join(' ', Words),
                Cmdlet = mapped.Cmdlet,
                Parameters = parameters,
                Environment = overrides,
                Json = mapped.Json,
                Search = mapped.Search,
                PowerShell = PowerShellText(mapped, parameters, overrides),
            });
            return;
        }

        WriteVerbose($"lxd-compose {command.Name} -> {mapped.Cmdlet} {Describe(parameters)}");
        var script = "param($__cmdlet, $__parameters, $__search) & $__cmdlet @__parameters";
        if (mapped.Search is not null)
        {
            script += " | Where-Object -Property Name -Match -Value $__search";
        }

        if (mapped.Json)
        {
            script += " | ConvertTo-Json -Depth 20 -AsArray";
        }

        var pipeline = ScriptBlock.Create(script).GetSteppablePipeline(CommandOrigin.Internal,
            new object?[] { cmdlet, parameters, mapped.Search });
        // The config flags (--render-values, ...) are LXD_COMPOSE_* variables for this call, as lxd-compose binds them.
        var saved = overrides.Keys.ToDictionary(k => k, Environment.GetEnvironmentVariable, StringComparer.Ordinal);
        try
        {
            foreach (var (name, value) in overrides)
            {
                Environment.SetEnvironmentVariable(name, value);
            }

            pipeline.Begin(this);
            pipeline.Process();
            pipeline.End();
        }
        finally
        {
            foreach (var (name, value) in saved)
            {
                Environment.SetEnvironmentVariable(name, value);
            }

            pipeline.Dispose();
        }
    }

    /// <summary>The mapped command as a line of PowerShell (secrets as they were given: it is the user's own line).</summary>
    private static string PowerShellText(MappedCommandLine mapped, Hashtable parameters, Dictionary<string, string> overrides)
    {
        var text = new System.Text.StringBuilder();
        foreach (var (name, value) in overrides)
        {
            text.Append($"$env:{name} = {Quote(value)}; ");
        }

        text.Append(mapped.Cmdlet);
        foreach (var key in parameters.Keys.Cast<string>().Order(StringComparer.Ordinal))
        {
            text.Append(parameters[key] switch
            {
                true or SwitchParameter { IsPresent: true } => $" -{key}",
                Hashtable table => $" -{key} @{{ {string.Join("; ", table.Keys.Cast<string>().Order(StringComparer.Ordinal).Select(k => $"{Quote(k)} = {Quote(table[k]?.ToString() ?? string.Empty)}"))} }}",
                string[] list => $" -{key} {string.Join(", ", list.Select(Quote))}",
                SecureString => $" -{key} (Read-Host -AsSecureString)",
                int number => $" -{key} {number}",
                var value => $" -{key} {Quote(value?.ToString() ?? string.Empty)}",
            });
        }

        if (mapped.Search is not null)
        {
            text.Append($" | Where-Object Name -Match {Quote(mapped.Search)}");
        }

        if (mapped.Json)
        {
            text.Append(" | ConvertTo-Json -Depth 20 -AsArray");
        }

        return text.ToString();
    }

    private static string Quote(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static object ToPowerShell(string parameter, object value) => value switch
    {
        Dictionary<string, string> pairs => new Hashtable(pairs, StringComparer.Ordinal),
        string key when parameter == "Key" => ToSecureString(key),
        _ => value,
    };

    private static SecureString ToSecureString(string text)
    {
        var secure = new SecureString();
        foreach (var c in text)
        {
            secure.AppendChar(c);
        }

        secure.MakeReadOnly();
        return secure;
    }

    /// <summary>The parameters as a verbose line shows them (values of -Key and -Env never: they may be secrets).</summary>
    private static string Describe(Hashtable parameters) =>
        string.Join(' ', parameters.Keys.Cast<string>().Order(StringComparer.Ordinal).Select(k => parameters[k] switch
        {
            true or SwitchParameter => $"-{k}",
            _ when k is "Key" or "Env" or "RenderValue" => $"-{k} <given>",
            string[] list => $"-{k} {string.Join(',', list)}",
            var v => $"-{k} {v}",
        }));

    private static ErrorRecord NotAvailable(string message, object target, string advice) =>
        new(new NotSupportedException(message), ErrorIds.CommandLineNotAvailable, ErrorCategory.NotImplemented, target)
        {
            ErrorDetails = new ErrorDetails(message) { RecommendedAction = advice },
        };
}

/// <summary>One line of Invoke-LxdCompose --help: an lxd-compose command or flag and what it maps onto.</summary>
public sealed class LxdComposeMappingRow
{
    /// <summary>The command (<c>node exec</c>), empty for the global flags.</summary>
    public string Command { get; init; } = string.Empty;
    /// <summary>Its aliases, each word's alternatives (<c>no e</c>).</summary>
    public string Aliases { get; init; } = string.Empty;
    /// <summary>The flag (<c>-e, --endpoint</c>), or the usage line of the command.</summary>
    public string Flag { get; init; } = string.Empty;
    /// <summary>The cmdlet the command runs.</summary>
    public string Cmdlet { get; init; } = string.Empty;
    /// <summary>The parameter the flag sets, or what it does instead.</summary>
    public string Parameter { get; init; } = string.Empty;
    public string Note { get; init; } = string.Empty;

    /// <summary>Every command (no command given), or one command with each of its flags.</summary>
    internal static IEnumerable<LxdComposeMappingRow> For(CommandMapping? command)
    {
        if (command is null)
        {
            foreach (var flag in LxdComposeCommands.GlobalFlags)
            {
                yield return FlagRow(string.Empty, string.Empty, flag);
            }

            foreach (var each in LxdComposeCommands.Commands)
            {
                yield return CommandRow(each);
            }

            yield break;
        }

        yield return CommandRow(command);
        foreach (var flag in command.Flags)
        {
            yield return FlagRow(command.Name, command.Cmdlet, flag);
        }
    }

    private static LxdComposeMappingRow CommandRow(CommandMapping command) => new()
    {
        Command = command.Name,
        Aliases = command.Aliases,
        Flag = command.Usage,
        Cmdlet = command.Cmdlet,
        Parameter = string.Join(", ", command.Arguments.Select(a => a.Parameter.Length == 0 ? $"<{a.Name}> (not passed)" : $"<{a.Name}> -{a.Parameter}")),
        Note = command.Note,
    };

    private static LxdComposeMappingRow FlagRow(string command, string cmdlet, FlagMapping flag) => new()
    {
        Command = command,
        Cmdlet = cmdlet,
        Flag = flag.Display,
        Parameter = flag.Kind switch
        {
            FlagKind.Json => "| ConvertTo-Json",
            FlagKind.Search => "| Where-Object Name -Match",
            FlagKind.NoEffect or FlagKind.NoEffectValue => "(no effect)",
            FlagKind.Unsupported or FlagKind.UnsupportedValue => "(refused)",
            _ when flag.Long == "help" => "(this list)",
            FlagKind.Constant => $"-{flag.Parameter} {(flag.Constant is string[] values ? string.Join(",", values) : flag.Constant)}",
            _ => "-" + flag.Parameter,
        },
        Note = flag.Note,
    };
}

/// <summary>What Invoke-LxdCompose -Translate writes: the PowerShell command an lxd-compose line maps onto.</summary>
public sealed class LxdComposeTranslation
{
    public string CommandLine { get; init; } = string.Empty;
    public string Cmdlet { get; init; } = string.Empty;
    public Hashtable Parameters { get; init; } = new();
    /// <summary>LXD_COMPOSE_* variables the line's config flags set for the call.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
    public bool Json { get; init; }
    public string? Search { get; init; }
    /// <summary>The command as a line of PowerShell.</summary>
    public string PowerShell { get; init; } = string.Empty;
}
