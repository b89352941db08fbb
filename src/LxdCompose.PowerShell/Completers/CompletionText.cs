using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace LxdCompose.PowerShell.Completers;

/// <summary>What every completer shares: the prefix pattern, quoting, the bound values it filters by, the location.</summary>
internal static class CompletionText
{
    private static readonly char[] NeedsQuotes = " \t$`'\"(){};,|&@#<>".ToCharArray();

    /// <summary>Candidates whose name matches what was typed (wildcards allowed, prefix match), sorted, quoted when needed.</summary>
    public static IEnumerable<CompletionResult> Complete(string? wordToComplete, IEnumerable<NamedItem> candidates)
    {
        var typed = wordToComplete ?? string.Empty;
        var quote = typed.Length > 0 && (typed[0] == '\'' || typed[0] == '"') ? typed[0] : (char?)null;
        var prefix = typed.Trim('\'', '"');
        var pattern = WildcardPattern.Get(prefix + "*", WildcardOptions.IgnoreCase);
        return candidates
            .Where(c => c.Name.Length > 0 && pattern.IsMatch(c.Name))
            .GroupBy(c => c.Name, StringComparer.Ordinal)
            .Select(g => g.First())
            .OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase)
            .Select(c => new CompletionResult(Quote(c.Name, quote), c.Name, CompletionResultType.ParameterValue,
                c.ToolTip.Length > 0 ? c.ToolTip : c.Name))
            .ToList();
    }

    private static string Quote(string name, char? typedQuote)
    {
        if (typedQuote is null && name.IndexOfAny(NeedsQuotes) < 0)
        {
            return name;
        }

        return typedQuote == '"'
            ? "\"" + name.Replace("`", "``").Replace("\"", "`\"").Replace("$", "`$") + "\""
            : "'" + name.Replace("'", "''") + "'";
    }

    /// <summary>A parameter already on the command line, as strings (one value or an array); null when absent.</summary>
    public static string[]? BoundStrings(IDictionary? fakeBoundParameters, string name)
    {
        if (fakeBoundParameters is null || !fakeBoundParameters.Contains(name))
        {
            return null;
        }

        var value = fakeBoundParameters[name] is PSObject wrapped ? wrapped.BaseObject : fakeBoundParameters[name];
        return value switch
        {
            null => null,
            string text => new[] { text },
            IEnumerable items => items.Cast<object?>().Select(i => i is PSObject p ? p.BaseObject : i)
                .OfType<object>().Select(i => i.ToString() ?? string.Empty).ToArray(),
            _ => new[] { value.ToString() ?? string.Empty },
        };
    }

    /// <summary>True when no patterns were bound, or one matches (the cmdlets' own wildcard rules).</summary>
    public static bool Matches(string[]? patterns, string name) =>
        patterns is null || patterns.Length == 0 ||
        patterns.Any(p => WildcardPattern.Get(p, WildcardOptions.IgnoreCase).IsMatch(name));

    /// <summary>PowerShell's current file-system location, which relative paths on the command line mean.</summary>
    public static string CurrentDirectory()
    {
        try
        {
            // Completers run on the pipeline thread of the session that asks: a nested pipeline reads its location.
            using var shell = System.Management.Automation.PowerShell.Create(RunspaceMode.CurrentRunspace);
            var location = shell.AddCommand("Microsoft.PowerShell.Management\\Get-Location")
                .AddParameter("PSProvider", "FileSystem").Invoke<PathInfo>();
            return location.Count > 0 ? location[0].ProviderPath : Environment.CurrentDirectory;
        }
        catch (Exception)
        {
            return Environment.CurrentDirectory;
        }
    }

    /// <summary>A path from the command line made absolute against the current location; null when absent or empty.</summary>
    public static string? BoundPath(IDictionary? fakeBoundParameters, string name, string currentDirectory)
    {
        var path = BoundStrings(fakeBoundParameters, name)?.FirstOrDefault();
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal) || path.StartsWith("~\\", StringComparison.Ordinal))
        {
            path = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.Length > 2 ? path[2..] : string.Empty);
        }

        return Path.GetFullPath(path, currentDirectory);
    }
}
