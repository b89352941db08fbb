using System.Collections;
using System.Globalization;

namespace LxdCompose.Templating;

/// <summary>
/// Operations on value trees as the render engine sees them: maps are <c>Dictionary&lt;string, object?&gt;</c>, lists
/// are <c>List&lt;object?&gt;</c>, leaves are null, string, bool, long, ulong, double or DateTimeOffset (yaml.v3 typing).
/// </summary>
public static class RenderValueTree
{
    /// <summary>A path written with dots, <c>a.b.c</c>; every segment must be non-empty.</summary>
    public static IReadOnlyList<string> ParsePath(string dottedPath)
    {
        ArgumentNullException.ThrowIfNull(dottedPath);
        var segments = dottedPath.Split('.');
        if (segments.Any(s => s.Length == 0))
        {
            throw new ArgumentException(
                $"'{dottedPath}' is not a value path: write keys separated by single dots, e.g. db.host", nameof(dottedPath));
        }

        return segments;
    }

    /// <summary>A tree holding only <paramref name="value"/> at <paramref name="path"/>.</summary>
    public static Dictionary<string, object?> FromPath(IReadOnlyList<string> path, object? value)
    {
        if (path.Count == 0)
        {
            throw new ArgumentException("a value path needs at least one key", nameof(path));
        }

        var root = new Dictionary<string, object?>(StringComparer.Ordinal);
        var current = root;
        for (var i = 0; i < path.Count - 1; i++)
        {
            var next = new Dictionary<string, object?>(StringComparer.Ordinal);
            current[path[i]] = next;
            current = next;
        }

        current[path[^1]] = Normalize(value);
        return root;
    }

    /// <summary>
    /// Applies an override tree onto <paramref name="target"/>: where both sides hold a map the maps merge key by key,
    /// anything else is replaced by the override (a null included: it later removes a default, as a null in values does).
    /// </summary>
    public static void MergeOverride(Dictionary<string, object?> target, IReadOnlyDictionary<string, object?> overrides)
    {
        StackGuard.Check();
        foreach (var (key, value) in overrides)
        {
            if (value is IReadOnlyDictionary<string, object?> overrideMap
                && target.TryGetValue(key, out var existing) && existing is Dictionary<string, object?> existingMap)
            {
                MergeOverride(existingMap, overrideMap);
            }
            else
            {
                target[key] = DeepCopy(value);
            }
        }
    }

    /// <summary>
    /// Helm's CoalesceValues as lxd-compose calls it (chart values <c>{Values: defaults}</c>, user values
    /// <c>{Values: values}</c>): user values win; at every level where both sides are maps a null in the user values
    /// removes the key (and the default); maps merge recursively; a user map or scalar is kept over a default of the
    /// other kind; defaults fill the keys the user left out. A user map with no default map beside it is kept as
    /// written, nulls included. Inputs are not modified.
    /// </summary>
    public static Dictionary<string, object?> Coalesce(IReadOnlyDictionary<string, object?> values,
        IReadOnlyDictionary<string, object?> defaults)
    {
        var result = (Dictionary<string, object?>)DeepCopy(values)!;
        CoalesceTables(result, defaults);
        return result;
    }

    private static void CoalesceTables(Dictionary<string, object?> destination, IReadOnlyDictionary<string, object?> source)
    {
        StackGuard.Check();
        var removed = destination.Where(e => e.Value is null).Select(e => e.Key).ToList();
        foreach (var key in removed)
        {
            destination.Remove(key);
        }

        foreach (var (key, defaultValue) in source)
        {
            if (removed.Contains(key, StringComparer.Ordinal))
            {
                continue;
            }

            if (!destination.TryGetValue(key, out var userValue))
            {
                destination[key] = DeepCopy(defaultValue);
            }
            else if (defaultValue is IReadOnlyDictionary<string, object?> defaultMap
                     && userValue is Dictionary<string, object?> userMap)
            {
                CoalesceTables(userMap, defaultMap);
            }
        }
    }

    /// <summary>Removes the value at a path; returns false when nothing was there.</summary>
    public static bool RemovePath(Dictionary<string, object?> tree, IReadOnlyList<string> path)
    {
        StackGuard.Check();
        var current = tree;
        for (var i = 0; i < path.Count - 1; i++)
        {
            if (!current.TryGetValue(path[i], out var next) || next is not Dictionary<string, object?> nextMap)
            {
                return false;
            }

            current = nextMap;
        }

        var removed = current.Remove(path[^1]);
        // Parents emptied by the removal go too: they held nothing but what was removed.
        if (removed && path.Count > 1 && current.Count == 0)
        {
            RemovePath(tree, path.Take(path.Count - 1).ToList());
        }

        return removed;
    }

    /// <summary>Leaves as (dotted path, value); an empty map is a leaf of its own.</summary>
    public static IEnumerable<KeyValuePair<string, object?>> Flatten(IReadOnlyDictionary<string, object?> tree, string prefix = "")
    {
        StackGuard.Check();
        foreach (var (key, value) in tree)
        {
            var path = prefix.Length == 0 ? key : prefix + "." + key;
            if (value is IReadOnlyDictionary<string, object?> { Count: > 0 } map)
            {
                foreach (var leaf in Flatten(map, path))
                {
                    yield return leaf;
                }
            }
            else
            {
                yield return new(path, value);
            }
        }
    }

    /// <summary>
    /// Converts .NET values to the tree's types: dictionaries to string-keyed maps, sequences to lists, integers to
    /// long (ulong when too big), other numbers to double, DateTime to DateTimeOffset; strings, bools and null stay.
    /// </summary>
    public static object? Normalize(object? value) => StackGuard.Ensure(value) switch
    {
        null => null,
        string or bool or long or double or DateTimeOffset => value,
        int or short or sbyte or byte or ushort or uint => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        ulong u => u <= long.MaxValue ? (long)u : u,
        float or decimal => Convert.ToDouble(value, CultureInfo.InvariantCulture),
        DateTime d => new DateTimeOffset(d.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(d, DateTimeKind.Utc) : d),
        char c => c.ToString(),
        Enum e => e.ToString(),
        // Before IDictionary: some maps (Scriban's ScriptObject) hold wrapped values behind the non-generic view.
        IDictionary<string, object> map => map.ToDictionary(e => e.Key, e => Normalize(e.Value), StringComparer.Ordinal),
        // A YAML map with non-string keys keeps them typed (yaml.v3's map[interface{}]interface{}).
        IDictionary<object, object?> general => general.ToDictionary(e => Normalize(e.Key)!, e => Normalize(e.Value)),
        IDictionary dictionary => NormalizeMap(dictionary),
        IEnumerable sequence => sequence.Cast<object?>().Select(Normalize).ToList(),
        _ => value,
    };

    private static Dictionary<string, object?> NormalizeMap(IDictionary dictionary)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in dictionary)
        {
            var key = Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty;
            map[key] = Normalize(entry.Value);
        }

        return map;
    }

    /// <summary>A copy that shares nothing mutable with <paramref name="value"/>.</summary>
    public static object? DeepCopy(object? value) => StackGuard.Ensure(value) switch
    {
        IReadOnlyDictionary<string, object?> map => map.ToDictionary(e => e.Key, e => DeepCopy(e.Value), StringComparer.Ordinal),
        IReadOnlyDictionary<object, object?> general => general.ToDictionary(e => e.Key, e => DeepCopy(e.Value)),
        IList list => list.Cast<object?>().Select(DeepCopy).ToList(),
        _ => value,
    };
}

/// <summary>One render value as Get-LxdRenderValue lists it: the dotted path and the value.</summary>
public sealed record RenderValue(string Name, object? Value);
