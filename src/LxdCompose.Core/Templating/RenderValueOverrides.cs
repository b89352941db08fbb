namespace LxdCompose.Templating;

/// <summary>
/// Values that override the render values files, in order (a later layer wins): lxd-compose's <c>--render-env K=V</c>
/// and ours — dotted paths, typed values and whole trees. Each layer merges onto the values (maps key by key, anything
/// else replaced) before they are coalesced with the defaults.
/// </summary>
public sealed class RenderValueOverrides
{
    private readonly IReadOnlyList<IReadOnlyDictionary<string, object?>> _layers;

    private RenderValueOverrides(IReadOnlyList<IReadOnlyDictionary<string, object?>> layers)
    {
        _layers = layers;
    }

    public static RenderValueOverrides Empty { get; } = new(Array.Empty<IReadOnlyDictionary<string, object?>>());

    public bool IsEmpty => _layers.Count == 0;

    /// <summary>This, then <paramref name="tree"/> on top of it.</summary>
    public RenderValueOverrides Then(IReadOnlyDictionary<string, object?> tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var normalized = (Dictionary<string, object?>)RenderValueTree.Normalize(tree)!;
        return normalized.Count == 0 ? this : new RenderValueOverrides(_layers.Append(normalized).ToList());
    }

    public RenderValueOverrides Then(RenderValueOverrides later) =>
        later.IsEmpty ? this : new RenderValueOverrides(_layers.Concat(later._layers).ToList());

    /// <summary>
    /// <c>KEY=VALUE</c> as <c>--render-env</c>: split at the first <c>=</c>, the value is a string. A key with dots is a
    /// path into nested maps (ours; lxd-compose would set a top-level key that contains dots).
    /// </summary>
    public static Dictionary<string, object?> ParseAssignment(string assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        var equals = assignment.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new ArgumentException(
                $"'{assignment}' is not an assignment: write KEY=VALUE (a key path may use dots: db.host=example)",
                nameof(assignment));
        }

        return RenderValueTree.FromPath(RenderValueTree.ParsePath(assignment[..equals]), assignment[(equals + 1)..]);
    }

    /// <summary>Merges every layer onto <paramref name="values"/>, in order.</summary>
    public void ApplyTo(Dictionary<string, object?> values)
    {
        foreach (var layer in _layers)
        {
            RenderValueTree.MergeOverride(values, layer);
        }
    }
}
