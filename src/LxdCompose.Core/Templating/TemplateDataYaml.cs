using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace LxdCompose.Templating;

/// <summary>
/// Writes value trees as block YAML that reads back to the same values in yaml.v3 and in YAML 1.1 readers (PyYAML, which
/// j2 uses): a string is left plain only when no reader could take it for anything else.
/// </summary>
internal static partial class TemplateDataYaml
{
    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_./-]*( [A-Za-z0-9_./-]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainSafe();

    // Words YAML 1.1 readers resolve to bools or null although yaml.v3 keeps them strings.
    private static readonly HashSet<string> ReservedWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf",
    };

    public static string Write(object? value)
    {
        var text = new StringBuilder();
        foreach (var line in Lines(RenderValueTree.Normalize(value)))
        {
            text.Append(line).Append('\n');
        }

        return text.ToString();
    }

    private static IEnumerable<string> Lines(object? value)
    {
        StackGuard.Check();
        switch (value)
        {
            case IReadOnlyDictionary<string, object?> { Count: > 0 } map:
                foreach (var (key, item) in map)
                {
                    var head = Scalar(key) + ":";
                    if (IsBlock(item))
                    {
                        yield return head;
                        foreach (var line in Lines(item))
                        {
                            yield return "  " + line;
                        }
                    }
                    else
                    {
                        yield return head + " " + Inline(item);
                    }
                }

                break;
            case IReadOnlyDictionary<object, object?> { Count: > 0 } general:
                // A map with non-string keys (YAML {10: ten}): keys are written as typed scalars so they read back so.
                foreach (var (key, item) in general)
                {
                    var head = Inline(key) + ":";
                    if (IsBlock(item))
                    {
                        yield return head;
                        foreach (var line in Lines(item))
                        {
                            yield return "  " + line;
                        }
                    }
                    else
                    {
                        yield return head + " " + Inline(item);
                    }
                }

                break;
            case IList<object?> { Count: > 0 } list:
                foreach (var item in list)
                {
                    if (IsBlock(item))
                    {
                        var first = true;
                        foreach (var line in Lines(item))
                        {
                            yield return (first ? "- " : "  ") + line;
                            first = false;
                        }
                    }
                    else
                    {
                        yield return "- " + Inline(item);
                    }
                }

                break;
            default:
                yield return Inline(value);
                break;
        }
    }

    private static bool IsBlock(object? value) =>
        value is IReadOnlyDictionary<string, object?> { Count: > 0 } or IReadOnlyDictionary<object, object?> { Count: > 0 }
            or IList<object?> { Count: > 0 };

    private static string Inline(object? value) => value switch
    {
        null => "null",
        IReadOnlyDictionary<string, object?> or IReadOnlyDictionary<object, object?> => "{}",
        IList<object?> => "[]",
        bool b => b ? "true" : "false",
        long or ulong => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        double d => double.IsNaN(d) ? ".nan"
            : double.IsPositiveInfinity(d) ? ".inf"
            : double.IsNegativeInfinity(d) ? "-.inf"
            : d.ToString("R", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
        string s => Scalar(s),
        _ => Scalar(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty),
    };

    private static string Scalar(string s) =>
        PlainSafe().IsMatch(s) && !ReservedWords.Contains(s) ? s : Quote(s);

    /// <summary>A YAML double-quoted scalar (also valid JSON string syntax for the escapes used).</summary>
    public static string Quote(string s)
    {
        var text = new StringBuilder(s.Length + 2).Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"':
                    text.Append("\\\"");
                    break;
                case '\\':
                    text.Append("\\\\");
                    break;
                case '\n':
                    text.Append("\\n");
                    break;
                case '\r':
                    text.Append("\\r");
                    break;
                case '\t':
                    text.Append("\\t");
                    break;
                default:
                    if (char.IsControl(c))
                    {
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        return text.Append('"').ToString();
    }
}
