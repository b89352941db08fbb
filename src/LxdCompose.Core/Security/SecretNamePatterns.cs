using System.Text.RegularExpressions;

namespace LxdCompose.Security;

/// <summary>
/// The names that make a value secret wherever they name one (a variable, a render value, a label, a config key, a
/// key inside a variable's map): wildcard patterns (<c>*</c>, <c>?</c>), matched without regard to case, so
/// <c>DB_PASSWORD</c> matches <c>*password*</c>. The config's <c>security.secret_name_patterns</c> replaces the defaults
/// (an empty list turns name matching off).
/// </summary>
public sealed class SecretNamePatterns
{
    public static readonly IReadOnlyList<string> DefaultPatterns = new[] { "*password*", "*token*", "*secret*", "*key*" };

    public static SecretNamePatterns Default { get; } = new(DefaultPatterns);

    private readonly Regex? _matcher;

    public SecretNamePatterns(IEnumerable<string> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        Patterns = patterns.Where(p => p.Length > 0).ToList();
        if (Patterns.Count > 0)
        {
            var alternatives = Patterns.Select(p => "^" + Regex.Escape(p).Replace(@"\*", ".*", StringComparison.Ordinal)
                .Replace(@"\?", ".", StringComparison.Ordinal) + "$");
            _matcher = new Regex(string.Join("|", alternatives),
                RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline | RegexOptions.NonBacktracking);
        }
    }

    public IReadOnlyList<string> Patterns { get; }

    public bool IsSecretName(string? name) => name is { Length: > 0 } && _matcher is not null && _matcher.IsMatch(name);

    public override string ToString() => Patterns.Count == 0 ? "(none)" : string.Join(", ", Patterns);
}
