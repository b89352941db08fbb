using System.Text.RegularExpressions;
using LxdCompose.Specs;

namespace LxdCompose.Deploy;

/// <summary>
/// <c>--enable-flag</c>/<c>--disable-flag</c> (lxd-compose §3.3): a disabled hook runs only when an enabled flag names
/// it; a hook carrying a disabled flag never runs; once any flag is enabled, only hooks carrying one of them run.
/// </summary>
public sealed class FlagFilter
{
    public FlagFilter(IEnumerable<string>? enabled = null, IEnumerable<string>? disabled = null)
    {
        Enabled = (enabled ?? Array.Empty<string>()).ToArray();
        Disabled = (disabled ?? Array.Empty<string>()).ToArray();
    }

    public IReadOnlyList<string> Enabled { get; }
    public IReadOnlyList<string> Disabled { get; }

    public static FlagFilter None { get; } = new();

    public bool ShouldRun(LxdHook hook)
    {
        if (hook.Disable && Enabled.Count == 0)
        {
            return false;
        }

        if (hook.Flags.Count == 0 && Enabled.Count == 0)
        {
            return true;
        }

        if (Disabled.Any(f => hook.Flags.Contains(f, StringComparer.Ordinal)))
        {
            return false;
        }

        return Enabled.Count == 0 || Enabled.Any(f => hook.Flags.Contains(f, StringComparer.Ordinal));
    }
}

/// <summary>
/// <c>--enable-group</c>/<c>--disable-group</c>: disable wins; once any group is enabled only those run. Names take
/// PowerShell-style wildcards (<c>*</c>, <c>?</c>, <c>[a-z]</c>); lxd-compose compares exact names, which a name
/// without wildcard characters still does.
/// </summary>
public sealed class GroupFilter
{
    private readonly Regex[] _enabled;
    private readonly Regex[] _disabled;

    public GroupFilter(IEnumerable<string>? enabled = null, IEnumerable<string>? disabled = null)
    {
        Enabled = (enabled ?? Array.Empty<string>()).ToArray();
        Disabled = (disabled ?? Array.Empty<string>()).ToArray();
        _enabled = Enabled.Select(Wildcard.ToRegex).ToArray();
        _disabled = Disabled.Select(Wildcard.ToRegex).ToArray();
    }

    public IReadOnlyList<string> Enabled { get; }
    public IReadOnlyList<string> Disabled { get; }

    public static GroupFilter All { get; } = new();

    public bool Includes(string groupName) =>
        !_disabled.Any(r => r.IsMatch(groupName)) && (_enabled.Length == 0 || _enabled.Any(r => r.IsMatch(groupName)));

    public bool Includes(LxdGroup group) => Includes(group.Name);
}

/// <summary>PowerShell wildcard semantics without a PowerShell reference: <c>*</c>, <c>?</c>, <c>[set]</c>, backtick escape.</summary>
public static class Wildcard
{
    public static bool ContainsWildcard(string pattern) => pattern.IndexOfAny(new[] { '*', '?', '[' }) >= 0;

    public static Regex ToRegex(string pattern)
    {
        var sb = new System.Text.StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '`' when i + 1 < pattern.Length:
                    sb.Append(Regex.Escape(pattern[++i].ToString()));
                    break;
                case '*':
                    sb.Append(".*");
                    break;
                case '?':
                    sb.Append('.');
                    break;
                case '[':
                    var close = pattern.IndexOf(']', i + 1);
                    if (close < 0)
                    {
                        sb.Append(@"\[");
                        break;
                    }

                    var set = pattern.Substring(i + 1, close - i - 1).Replace(@"\", @"\\", StringComparison.Ordinal);
                    sb.Append('[').Append(set).Append(']');
                    i = close;
                    break;
                default:
                    sb.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        return new Regex(sb.Append('$').ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }
}
