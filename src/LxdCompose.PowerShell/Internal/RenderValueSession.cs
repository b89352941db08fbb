using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using LxdCompose.Templating;

namespace LxdCompose.PowerShell.Internal;

/// <summary>
/// The render values set with Set-LxdRenderValue: one tree per PowerShell session (runspace), used by every cmdlet
/// that loads specs until cleared. Only plain .NET values are stored; the Core types are used inside method bodies.
/// </summary>
internal sealed class RenderValueSession
{
    private static readonly ConditionalWeakTable<Runspace, RenderValueSession> ByRunspace = new();
    private static readonly RenderValueSession WithoutRunspace = new();

    private readonly object _gate = new();
    private Dictionary<string, object?> _tree = new(StringComparer.Ordinal);

    /// <summary>The current runspace's values (a host without a default runspace shares one set).</summary>
    public static RenderValueSession Current =>
        Runspace.DefaultRunspace is { } runspace ? ByRunspace.GetValue(runspace, _ => new RenderValueSession()) : WithoutRunspace;

    /// <summary>Merges <paramref name="tree"/> in: maps key by key, anything else replaced.</summary>
    public void Merge(Dictionary<string, object?> tree)
    {
        lock (_gate)
        {
            RenderValueTree.MergeOverride(_tree, tree);
        }
    }

    public bool Remove(IReadOnlyList<string> path)
    {
        lock (_gate)
        {
            return RenderValueTree.RemovePath(_tree, path);
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _tree = new Dictionary<string, object?>(StringComparer.Ordinal);
        }
    }

    /// <summary>A copy of the tree, safe to hand out.</summary>
    public Dictionary<string, object?> Snapshot()
    {
        lock (_gate)
        {
            return (Dictionary<string, object?>)RenderValueTree.DeepCopy(_tree)!;
        }
    }
}

/// <summary>PowerShell values (hashtables, PSCustomObjects, arrays, PSObject wrappers) as plain render-value trees.</summary>
internal static class PowerShellValues
{
    /// <summary>A hashtable or an object with properties as a map; throws <see cref="ArgumentException"/> otherwise.</summary>
    public static Dictionary<string, object?> ToMap(object? value, string parameterName) =>
        RenderValueTree.Normalize(Unwrap(value)) as Dictionary<string, object?>
        ?? throw new ArgumentException(
            $"-{parameterName} must be a hashtable or an object with properties, e.g. @{{ db = @{{ host = 'x' }} }}",
            parameterName);

    public static object? ToValue(object? value) => RenderValueTree.Normalize(Unwrap(value));

    private static object? Unwrap(object? value)
    {
        switch (value)
        {
            case null:
                return null;
            case PSObject wrapped when wrapped.BaseObject is PSCustomObject:
                var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var property in wrapped.Properties)
                {
                    properties[property.Name] = Unwrap(property.Value);
                }

                return properties;
            case PSObject wrapped:
                return Unwrap(wrapped.BaseObject);
            case IDictionary dictionary:
                var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (DictionaryEntry entry in dictionary)
                {
                    map[Convert.ToString(Unwrap(entry.Key), System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty] =
                        Unwrap(entry.Value);
                }

                return map;
            case string:
                return value;
            case IEnumerable sequence:
                return sequence.Cast<object?>().Select(Unwrap).ToList();
            default:
                return value;
        }
    }
}
