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
            if (cmdlet.Parameters.ContainsKey(name))
            {
                parameters[name] = ToPowerShell(name, value);
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
        pipeline.Begin(this);
        pipeline.Process();
        pipeline.End();
    }

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
        Parameter = string.Join(", ", command.Arguments.Select(a => $"<{a.Name}> -{a.Parameter}")),
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
            _ => "-" + flag.Parameter,
        },
        Note = flag.Note,
    };
}
