namespace LxdCompose.CommandLine;

/// <summary>How an lxd-compose flag becomes a cmdlet parameter.</summary>
public enum FlagKind
{
    /// <summary>A switch (<c>--upgrade</c>, <c>--upgrade=false</c>).</summary>
    Switch,
    /// <summary>One value (<c>--to x</c>, <c>--to=x</c>); the last one given wins.</summary>
    Value,
    /// <summary>Repeatable, each value split at commas as lxd-compose's StringSlice flags do (<c>--enable-group a,b</c>).</summary>
    List,
    /// <summary>Repeatable, each value whole (regular expressions, file names with commas).</summary>
    Repeated,
    /// <summary>Repeatable <c>KEY=VALUE</c>, split at the first '=', never at commas (lxd-compose's StringSlice bug not kept).</summary>
    Pairs,
    /// <summary>An integer value.</summary>
    Integer,
    /// <summary>Accepted; changes nothing here (the note says why).</summary>
    NoEffect,
    /// <summary>Accepted with a value; changes nothing here (the note says why).</summary>
    NoEffectValue,
    /// <summary>Refused: the note says what to use instead.</summary>
    Unsupported,
    /// <summary>Refused with its value: the note says what to use instead.</summary>
    UnsupportedValue,
    /// <summary>The objects as JSON text (ConvertTo-Json), as lxd-compose prints them.</summary>
    Json,
    /// <summary>A config key for this call: <see cref="FlagMapping.Parameter"/> is its LXD_COMPOSE_* variable, set while the cmdlet runs.</summary>
    ConfigKey,
    /// <summary>A config switch for this call (<c>--encrypted-secrets</c>): its LXD_COMPOSE_* variable is set to true while the cmdlet runs.</summary>
    ConfigSwitch,
    /// <summary>Only objects whose Name matches the regular expression (lxd-compose's <c>-s/--search</c>).</summary>
    Search,
    /// <summary>A switch that sets its parameter to <see cref="FlagMapping.Constant"/> (<c>--all-images</c>: <c>-Name *</c>).</summary>
    Constant,
}

/// <summary>One flag of an lxd-compose command: its names, how it maps, the parameter it sets, and a note.</summary>
public sealed record FlagMapping(string Long, string? Short, FlagKind Kind, string? Parameter, string Note = "")
{
    /// <summary>The value a <see cref="FlagKind.Constant"/> flag sets.</summary>
    public object? Constant { get; init; }

    /// <summary>Whether the flag takes a value (the next word or <c>=value</c>).</summary>
    public bool TakesValue => Kind is not (FlagKind.Switch or FlagKind.NoEffect or FlagKind.Unsupported or FlagKind.Json or FlagKind.ConfigSwitch
        or FlagKind.Constant);

    /// <summary>The flag as lxd-compose's help writes it: <c>-e, --endpoint</c>.</summary>
    public string Display => Short is null ? "--" + Long : $"-{Short}, --{Long}";
}

/// <summary>How the words after a command's name bind.</summary>
public enum ArgumentKind
{
    /// <summary>Exactly one word.</summary>
    One,
    /// <summary>One word when given.</summary>
    Optional,
    /// <summary>One or more words.</summary>
    Many,
    /// <summary>Any number of words.</summary>
    Any,
    /// <summary>The remaining words joined with spaces (<c>node exec &lt;node&gt; &lt;cmd...&gt;</c>).</summary>
    Joined,
}

/// <summary>One positional argument: the cmdlet parameter it binds, and how many words it takes.</summary>
public sealed record ArgumentMapping(string Name, string Parameter, ArgumentKind Kind);

/// <summary>
/// One lxd-compose command: its words (<c>node exec</c>), their aliases, the cmdlet it maps onto (a name: the lead
/// renames cmdlets in one place), its arguments and flags, fixed parameters, and a note.
/// </summary>
public sealed record CommandMapping(
    IReadOnlyList<string[]> Words,
    string Cmdlet,
    IReadOnlyList<ArgumentMapping> Arguments,
    IReadOnlyList<FlagMapping> Flags,
    string Note = "")
{
    /// <summary>The command as lxd-compose's docs write it: <c>node exec</c>.</summary>
    public string Name => string.Join(' ', Words.Select(w => w[0]));

    /// <summary>Its aliases, each word's alternatives: <c>no e</c>.</summary>
    public string Aliases => string.Join(' ', Words.Select(w => w.Length > 1 ? string.Join('|', w.Skip(1)) : w[0]));

    /// <summary>Parameters every call sets (<c>storage available</c> lists the servers' pools).</summary>
    public IReadOnlyDictionary<string, object> Fixed { get; init; } = new Dictionary<string, object>();

    /// <summary>The usage line: <c>node exec &lt;node&gt; &lt;cmd...&gt;</c>.</summary>
    public string Usage => string.Join(' ', new[] { Name }.Concat(Arguments.Select(a => a.Kind switch
    {
        ArgumentKind.One => $"<{a.Name}>",
        ArgumentKind.Optional => $"[{a.Name}]",
        ArgumentKind.Many => $"<{a.Name}>...",
        _ => $"[{a.Name}...]",
    })));
}
