namespace LxdCompose.Loading;

/// <summary>LXD's naming rules, so that bad names fail at validation instead of half-way through an apply.</summary>
public static class LxdNames
{
    /// <summary>
    /// Why <paramref name="name"/> is not a valid instance name, or null when it is: 1–63 characters, ASCII letters,
    /// digits and dashes, not starting with a digit or dash, not ending with a dash (LXD's instance name rules).
    /// </summary>
    public static string? InstanceNameProblem(string name)
    {
        if (name.Length == 0)
        {
            return "it is empty";
        }

        if (name.Length > 63)
        {
            return $"it is {name.Length} characters long, the limit is 63";
        }

        if (name.FirstOrDefault(c => !char.IsAsciiLetterOrDigit(c) && c != '-') is var bad && bad != default(char))
        {
            return $"it contains '{bad}'; only ASCII letters, digits and dashes are allowed";
        }

        if (char.IsAsciiDigit(name[0]) || name[0] == '-')
        {
            return "it starts with a digit or a dash";
        }

        return name[^1] == '-' ? "it ends with a dash" : null;
    }

    /// <summary>Why <paramref name="name"/> is not a valid profile name, or null: LXD rejects empty names, "/", "." and "..".</summary>
    public static string? ProfileNameProblem(string name) => name switch
    {
        "" => "it is empty",
        "." or ".." => $"'{name}' is reserved",
        _ when name.Contains('/') => "it contains '/'",
        _ => null,
    };
}
