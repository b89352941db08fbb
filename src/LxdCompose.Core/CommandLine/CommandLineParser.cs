using System.Globalization;
using System.Text;

namespace LxdCompose.CommandLine;

/// <summary>A command line Invoke-LxdCompose cannot map: <see cref="Word"/> is the word at fault, <see cref="Advice"/> what to use instead.</summary>
public sealed class CommandLineException : Exception
{
    public CommandLineException(string message, string word, string advice)
        : base(message)
    {
        Word = word;
        Advice = advice;
    }

    public string Word { get; }

    public string Advice { get; }
}

/// <summary>
/// An lxd-compose command line mapped onto a cmdlet: its parameters (strings, string arrays, <c>KEY=VALUE</c> maps,
/// integers, <c>true</c> for switches), what to do with the objects (<see cref="Json"/>, <see cref="Search"/>), and
/// notes on flags that change nothing here. <see cref="Help"/>: print the mapping of <see cref="Command"/> (all when null).
/// </summary>
public sealed class MappedCommandLine
{
    public CommandMapping? Command { get; init; }

    public string Cmdlet => Command?.Cmdlet ?? string.Empty;

    public Dictionary<string, object> Parameters { get; } = new(StringComparer.Ordinal);

    /// <summary>Parameters from lxd-compose's global flags: a cmdlet without them ignores them, as lxd-compose's commands that do not use them do.</summary>
    public HashSet<string> GlobalParameters { get; } = new(StringComparer.Ordinal);

    /// <summary>LXD_COMPOSE_* variables the global config flags set while the cmdlet runs (paths as written).</summary>
    public Dictionary<string, string> ConfigOverrides { get; } = new(StringComparer.Ordinal);

    public bool Json { get; set; }

    public string? Search { get; set; }

    public bool Help { get; set; }

    public List<string> Notes { get; } = new();
}

/// <summary>
/// Reads lxd-compose command lines as cobra/pflag do: commands and aliases first, flags anywhere after
/// (<c>--flag value</c>, <c>--flag=value</c>, <c>-f value</c>, <c>-fvalue</c>, <c>-f=value</c>), <c>--</c> ends the flags.
/// </summary>
public static class CommandLineParser
{
    /// <summary>Splits one line into words as a POSIX shell does for quotes and backslashes (no expansions).</summary>
    public static IReadOnlyList<string> Split(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var words = new List<string>();
        var current = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(current.ToString());
                    current.Clear();
                    inWord = false;
                }

                continue;
            }

            inWord = true;
            switch (c)
            {
                case '\'':
                    var close = line.IndexOf('\'', i + 1);
                    if (close < 0)
                    {
                        throw new CommandLineException($"The quote at column {i + 1} is not closed: {line}", line[i..], "Close the quote.");
                    }

                    current.Append(line, i + 1, close - i - 1);
                    i = close;
                    break;
                case '"':
                    i++;
                    while (i < line.Length && line[i] != '"')
                    {
                        if (line[i] == '\\' && i + 1 < line.Length && line[i + 1] is '"' or '\\' or '$' or '`')
                        {
                            i++;
                        }

                        current.Append(line[i]);
                        i++;
                    }

                    if (i >= line.Length)
                    {
                        throw new CommandLineException($"The double quote is not closed: {line}", line, "Close the quote.");
                    }

                    break;
                case '\\' when i + 1 < line.Length:
                    current.Append(line[++i]);
                    break;
                default:
                    current.Append(c);
                    break;
            }
        }

        if (inWord)
        {
            words.Add(current.ToString());
        }

        return words;
    }

    /// <summary>
    /// Maps the words after <c>lxd-compose</c> (a leading <c>lxd-compose</c> is skipped). Throws
    /// <see cref="CommandLineException"/> for an unknown command or flag, a refused flag, or a missing argument.
    /// </summary>
    public static MappedCommandLine Parse(IReadOnlyList<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        var rest = words.SkipWhile((w, i) => i == 0 && w == "lxd-compose").ToList();

        // Global flags may come before the command: set them aside until the command is known.
        var leading = new List<string>();
        while (rest.Count > 0 && rest[0].StartsWith('-') && rest[0] != "--")
        {
            var flag = FindFlag(rest[0], LxdComposeCommands.GlobalFlags, out var inlineValue);
            leading.Add(rest[0]);
            rest.RemoveAt(0);
            if (flag is { TakesValue: true } && inlineValue is null && rest.Count > 0)
            {
                leading.Add(rest[0]);
                rest.RemoveAt(0);
            }
        }

        var command = FindCommand(rest, out var consumed);
        if (command is null)
        {
            if (rest.Count == 0 || leading.Any(IsHelp))
            {
                // "--version" alone is refused with what to use, not answered with the mapping.
                foreach (var word in leading.Where(w => !IsHelp(w)))
                {
                    if (FindFlag(word, LxdComposeCommands.GlobalFlags, out var value) is { Kind: FlagKind.Unsupported } refused)
                    {
                        Apply(new MappedCommandLine(), refused, word, value, isGlobal: true);
                    }
                }

                return new MappedCommandLine { Help = true };
            }

            throw UnknownCommand(rest);
        }

        var mapped = new MappedCommandLine { Command = command };
        foreach (var (parameter, value) in command.Fixed)
        {
            mapped.Parameters[parameter] = value;
        }

        var positional = new List<string>();
        var tail = leading.Concat(rest.Skip(consumed)).ToList();
        var flags = command.Flags.Concat(LxdComposeCommands.GlobalFlags.Where(g => !command.Flags.Any(f => f.Long == g.Long))).ToList();
        // The words of node exec's command are the command's own, flags included (lxd-compose needs "--" there).
        var joinedAt = command.Arguments.ToList().FindIndex(a => a.Kind == ArgumentKind.Joined);
        for (var i = 0; i < tail.Count; i++)
        {
            var word = tail[i];
            if (word == "--" || (joinedAt >= 0 && positional.Count > joinedAt))
            {
                positional.AddRange(tail.Skip(word == "--" ? i + 1 : i));
                break;
            }

            if (word == "--")
            {
                positional.AddRange(tail.Skip(i + 1));
                break;
            }

            if (!word.StartsWith('-') || word == "-")
            {
                positional.Add(word);
                continue;
            }

            var flag = FindFlag(word, flags, out var value)
                ?? throw UnknownFlag(word, command);
            if (flag.TakesValue && value is null)
            {
                if (i + 1 >= tail.Count)
                {
                    throw new CommandLineException($"The flag {word} of '{command.Name}' needs a value.", word,
                        $"Write {flag.Display} <value>.");
                }

                value = tail[++i];
            }

            Apply(mapped, flag, word, value, isGlobal: !command.Flags.Contains(flag));
        }

        if (!mapped.Help)
        {
            BindArguments(mapped, command, positional);
        }

        return mapped;
    }

    private static bool IsHelp(string word) => word is "-h" or "--help";

    /// <summary>The command the first words name (each word a name or alias); <paramref name="consumed"/> words.</summary>
    private static CommandMapping? FindCommand(IReadOnlyList<string> words, out int consumed)
    {
        foreach (var command in LxdComposeCommands.Commands)
        {
            if (words.Count >= command.Words.Count && command.Words.Select((alternatives, i) => alternatives.Contains(words[i])).All(b => b))
            {
                consumed = command.Words.Count;
                return command;
            }
        }

        consumed = 0;
        return null;
    }

    private static CommandLineException UnknownCommand(IReadOnlyList<string> words)
    {
        var first = words[0];
        var family = LxdComposeCommands.Commands.Where(c => c.Words[0].Contains(first)).ToList();
        if (family.Count > 0)
        {
            var sub = words.Count > 1 ? words[1] : string.Empty;
            return new CommandLineException(
                sub.Length == 0 ? $"'{first}' needs a sub-command." : $"'{first} {sub}' is not an lxd-compose command.",
                sub.Length == 0 ? first : sub,
                "Use one of: " + string.Join(", ", family.Select(c => c.Name)) + ".");
        }

        return new CommandLineException($"'{first}' is not an lxd-compose command.", first,
            "Run Invoke-LxdCompose --help for the commands and their cmdlets.");
    }

    private static CommandLineException UnknownFlag(string word, CommandMapping command)
    {
        var name = word.Split('=')[0];
        // "-env": one dash where lxd-compose wants two (pflag reads it as -e -n -v and refuses it too).
        var meant = name.StartsWith("--", StringComparison.Ordinal) ? null
            : command.Flags.Concat(LxdComposeCommands.GlobalFlags).FirstOrDefault(f => "-" + f.Long == name);
        return new CommandLineException($"The flag {name} is not a flag of 'lxd-compose {command.Name}'.", word,
            (meant is null ? string.Empty : $"Write --{meant.Long} (two dashes). ") +
            $"Its flags: {string.Join(", ", command.Flags.Select(f => f.Display))}; run Invoke-LxdCompose {command.Name} --help.");
    }

    /// <summary>The flag a word names, and the value written into it (<c>--to=x</c>, <c>-fx</c>), if any.</summary>
    private static FlagMapping? FindFlag(string word, IEnumerable<FlagMapping> flags, out string? value)
    {
        value = null;
        if (word.StartsWith("--", StringComparison.Ordinal))
        {
            var body = word[2..];
            var eq = body.IndexOf('=');
            var name = eq < 0 ? body : body[..eq];
            value = eq < 0 ? null : body[(eq + 1)..];
            return flags.FirstOrDefault(f => f.Long == name);
        }

        var shortName = word.Length > 1 ? word[1].ToString() : string.Empty;
        var flag = flags.FirstOrDefault(f => f.Short == shortName);
        if (flag is not null && word.Length > 2)
        {
            value = word[2] == '=' ? word[3..] : word[2..];
        }

        return flag;
    }

    private static void Apply(MappedCommandLine mapped, FlagMapping flag, string word, string? value, bool isGlobal)
    {
        var name = word.Split('=')[0];
        switch (flag.Kind)
        {
            case FlagKind.Switch when flag.Long == "help":
                mapped.Help = true;
                return;
            case FlagKind.Switch:
                if (value is null || ParseBool(value, word))
                {
                    Set(mapped, flag.Parameter!, true, isGlobal);
                }
                else
                {
                    mapped.Parameters.Remove(flag.Parameter!);
                }

                return;
            case FlagKind.Constant:
                if (value is null || ParseBool(value, word))
                {
                    Set(mapped, flag.Parameter!, flag.Constant!, isGlobal);
                }

                return;
            case FlagKind.Value:
                Set(mapped, flag.Parameter!, value!, isGlobal);
                return;
            case FlagKind.Integer:
                if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
                {
                    throw new CommandLineException($"The flag {name} takes a whole number, not '{value}'.", word, $"Write {flag.Display} <number>.");
                }

                Set(mapped, flag.Parameter!, number, isGlobal);
                return;
            case FlagKind.List:
                Append(mapped, flag.Parameter!, value!.Split(',', StringSplitOptions.RemoveEmptyEntries), isGlobal);
                return;
            case FlagKind.Repeated:
                Append(mapped, flag.Parameter!, new[] { value! }, isGlobal);
                return;
            case FlagKind.Pairs:
                var eq = value!.IndexOf('=');
                if (eq <= 0)
                {
                    throw new CommandLineException($"The flag {name} takes KEY=VALUE, not '{value}'.", word, $"Write {flag.Display} KEY=VALUE.");
                }

                if (!mapped.Parameters.TryGetValue(flag.Parameter!, out var existing))
                {
                    existing = new Dictionary<string, string>(StringComparer.Ordinal);
                    Set(mapped, flag.Parameter!, existing, isGlobal);
                }

                ((Dictionary<string, string>)existing)[value[..eq]] = value[(eq + 1)..];
                return;
            case FlagKind.ConfigKey:
                mapped.ConfigOverrides[flag.Parameter!] = value!;
                return;
            case FlagKind.ConfigSwitch:
                mapped.ConfigOverrides[flag.Parameter!] = value is null || ParseBool(value, word) ? "true" : "false";
                return;
            case FlagKind.Json:
                mapped.Json = value is null || ParseBool(value, word);
                return;
            case FlagKind.Search:
                mapped.Search = value;
                return;
            case FlagKind.NoEffect:
            case FlagKind.NoEffectValue:
                mapped.Notes.Add($"{name}: {flag.Note}.");
                return;
            default:
                throw new CommandLineException($"The flag {name} has no counterpart in Invoke-LxdCompose.", word, $"Instead: {flag.Note}.");
        }
    }

    private static bool ParseBool(string value, string word) => value switch
    {
        "1" or "t" or "T" or "true" or "TRUE" or "True" => true,
        "0" or "f" or "F" or "false" or "FALSE" or "False" => false,
        _ => throw new CommandLineException($"'{value}' is not true or false ({word}).", word, "Write the flag alone, or =true/=false."),
    };

    private static void Set(MappedCommandLine mapped, string parameter, object value, bool isGlobal)
    {
        mapped.Parameters[parameter] = value;
        if (isGlobal)
        {
            mapped.GlobalParameters.Add(parameter);
        }
    }

    private static void Append(MappedCommandLine mapped, string parameter, IEnumerable<string> values, bool isGlobal)
    {
        var list = mapped.Parameters.TryGetValue(parameter, out var existing) ? ((string[])existing).ToList() : new List<string>();
        list.AddRange(values);
        Set(mapped, parameter, list.ToArray(), isGlobal);
    }

    private static void BindArguments(MappedCommandLine mapped, CommandMapping command, List<string> words)
    {
        var index = 0;
        foreach (var argument in command.Arguments)
        {
            var left = words.Count - index;
            switch (argument.Kind)
            {
                case ArgumentKind.One when left < 1:
                case ArgumentKind.Many when left < 1:
                case ArgumentKind.Joined when left < 1:
                    throw new CommandLineException($"'lxd-compose {command.Name}' needs <{argument.Name}>: {command.Usage}.", command.Name,
                        $"Write lxd-compose {command.Usage}.");
                case ArgumentKind.One when argument.Parameter.Length == 0:
                    mapped.Notes.Add($"<{argument.Name}> '{words[index++]}': {command.Note}.");
                    break;
                case ArgumentKind.One:
                    mapped.Parameters[argument.Parameter] = words[index++];
                    break;
                case ArgumentKind.Optional:
                    if (left > 0)
                    {
                        mapped.Parameters[argument.Parameter] = words[index++];
                    }

                    break;
                case ArgumentKind.Joined:
                    mapped.Parameters[argument.Parameter] = string.Join(' ', words.Skip(index));
                    index = words.Count;
                    break;
                default:
                    if (left > 0)
                    {
                        mapped.Parameters[argument.Parameter] = words.Skip(index).ToArray();
                    }

                    index = words.Count;
                    break;
            }
        }

        if (index < words.Count)
        {
            throw new CommandLineException($"'lxd-compose {command.Name}' takes no argument '{words[index]}': {command.Usage}.", words[index],
                $"Write lxd-compose {command.Usage}.");
        }
    }
}
