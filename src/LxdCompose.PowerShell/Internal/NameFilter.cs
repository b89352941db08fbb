using System.Management.Automation;

namespace LxdCompose.PowerShell.Internal;

/// <summary>
/// Matches names against -Name style patterns (wildcards, case-insensitive like other PowerShell Get- cmdlets) and
/// remembers which literal names never matched, so the cmdlet can report them once, after all input was seen.
/// </summary>
internal sealed class NameFilter
{
    private readonly List<(string Text, WildcardPattern Pattern)> _patterns = new();
    private readonly HashSet<string> _matchedLiterals = new(StringComparer.OrdinalIgnoreCase);

    public NameFilter(IEnumerable<string>? patterns)
    {
        foreach (var text in patterns ?? Enumerable.Empty<string>())
        {
            _patterns.Add((text, WildcardPattern.Get(text, WildcardOptions.IgnoreCase)));
        }
    }

    /// <summary>True when no pattern was given.</summary>
    public bool MatchesAll => _patterns.Count == 0;

    /// <summary>True when any candidate (e.g. a node's name or its instance name) matches any pattern.</summary>
    public bool IsMatch(params string[] candidates)
    {
        if (MatchesAll)
        {
            return true;
        }

        var matched = false;
        foreach (var (text, pattern) in _patterns)
        {
            if (candidates.Any(pattern.IsMatch))
            {
                matched = true;
                if (!WildcardPattern.ContainsWildcardCharacters(text))
                {
                    _matchedLiterals.Add(text);
                }
            }
        }

        return matched;
    }

    /// <summary>The position of the first pattern the name matches (0 when no pattern was given), for ordering by the
    /// caller's list; <see cref="int.MaxValue"/> when none matches.</summary>
    public int FirstMatchIndex(string name)
    {
        if (MatchesAll)
        {
            return 0;
        }

        var index = _patterns.FindIndex(p => p.Pattern.IsMatch(name));
        return index < 0 ? int.MaxValue : index;
    }

    /// <summary>Names without wildcards that matched nothing so far.</summary>
    public IEnumerable<string> UnmatchedLiterals =>
        _patterns.Select(p => p.Text)
            .Where(t => !WildcardPattern.ContainsWildcardCharacters(t) && !_matchedLiterals.Contains(t))
            .Distinct(StringComparer.OrdinalIgnoreCase);
}
