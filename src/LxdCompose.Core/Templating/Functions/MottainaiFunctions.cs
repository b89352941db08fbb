using System.Collections;
using System.Text;
using LxdCompose.GoTemplates;
using LxdCompose.GoTemplates.Functions;

namespace LxdCompose.Templating.Functions;

/// <summary>
/// lxd-compose's mottainai engine extras on top of sprig v2: isInt, isString, isSlice, isArray, isMap, replaceAll,
/// join (Go's argument order, []string only), joinWithPrefix, joinWithPrefixAndPostfix, sort, getKeys, cast2StringArray.
/// </summary>
public static class MottainaiFunctions
{
    public static GoFunctionTable Register(GoFunctionTable table)
    {
        var s = GoType.String;
        var any = GoType.Any;
        var strings = GoType.ListOfString;
        table.Add("isInt", (_, a) => a[0] is long or int or sbyte or char or ulong or uint or byte or double or float, [any]);
        table.Add("isString", (_, a) => a[0] is string, [any]);
        table.Add("isSlice", (_, a) => a[0] is IList, [any]);
        // Go arrays ([N]T) never occur in template data; YAML lists are slices.
        table.Add("isArray", (_, _) => false, [any]);
        table.Add("isMap", (_, a) => a[0] is IDictionary, [any]);
        table.Add("replaceAll", (_, a) => ReplaceAll((string)a[0]!, (string)a[1]!, (string)a[2]!), [s, s, s]);
        table.Add("join", (_, a) => string.Join((string)a[1]!, Strings(a[0])), [strings, s]);
        table.Add("joinWithPrefix", (_, a) => string.Join((string)a[1]!, Strings(a[0]).Select(x => (string)a[2]! + x)), [strings, s, s]);
        table.Add("joinWithPrefixAndPostfix", (_, a) =>
            string.Join((string)a[1]!, Strings(a[0]).Select(x => (string)a[2]! + x + (string)a[3]!)), [strings, s, s, s]);
        table.Add("sort", (_, a) =>
        {
            switch (a[0])
            {
                case List<string> l:
                    l.Sort(string.CompareOrdinal);
                    return l;
                case string[] arr:
                    Array.Sort(arr, string.CompareOrdinal);
                    return arr;
                default:
                    return new List<string>();
            }
        }, [strings]);
        // As in lxd-compose: only map[interface{}]interface{} (a YAML map with a non-string key), and every key must be
        // a string, so YAML data never succeeds (string-keyed maps are the wrong type, the others fail on a key).
        // Go returns the keys in map order, which is random; ours are sorted.
        table.Add("getKeys", (_, a) =>
        {
            var keys = new List<string>();
            if (a[0] is IDictionary<object, object?> map)
            {
                foreach (var k in map.Keys)
                {
                    keys.Add(k as string ?? throw new GoFunctionException(
                        $"interface conversion: interface {{}} is {GoValues.TypeName(k)}, not string"));
                }
            }

            keys.Sort(string.CompareOrdinal);
            return keys;
        }, [GoType.Custom("map[interface {}]interface {}", true, v => v is IDictionary<object, object?>)]);
        table.Add("cast2StringArray", (_, a) =>
        {
            var result = new List<string>();
            if (a[0] is IList list)
            {
                foreach (var item in list)
                {
                    result.Add(item as string ?? throw new GoFunctionException(
                        $"interface conversion: interface {{}} is {GoValues.TypeName(item)}, not string"));
                }
            }

            return result;
        }, [GoType.ListOfAny]);
        return table;
    }

    private static IEnumerable<string> Strings(object? o) => o as IEnumerable<string> ?? [];

    /// <summary>strings.ReplaceAll, including Go's insertion between runes for an empty <paramref name="old"/>.</summary>
    internal static string ReplaceAll(string s, string old, string replacement)
    {
        if (old.Length > 0)
        {
            return s.Replace(old, replacement, StringComparison.Ordinal);
        }

        var sb = new StringBuilder(replacement);
        foreach (var r in s.EnumerateRunes())
        {
            sb.Append(r.ToString()).Append(replacement);
        }

        return sb.ToString();
    }
}
