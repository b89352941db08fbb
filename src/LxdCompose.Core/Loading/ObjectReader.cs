using System.Globalization;
using LxdCompose.Specs;
using LxdCompose.Yaml;

namespace LxdCompose.Loading;

/// <summary>
/// Reads one YAML mapping into model fields, as leniently as yaml.v3 decodes into Go structs (unknown keys skipped with a warning,
/// scalars of any type accepted as their raw text, nulls as empty), but reporting every type mismatch as an error,
/// where lxd-compose would silently drop the whole file.
/// </summary>
internal sealed class ObjectReader
{
    private readonly YamlMapping _map;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public ObjectReader(YamlMapping map, string what, DiagnosticSink sink)
    {
        _map = map;
        What = what;
        Sink = sink;
    }

    /// <summary>Describes the object in messages, e.g. <c>node</c> or <c>group 'web'</c>.</summary>
    public string What { get; set; }
    public DiagnosticSink Sink { get; }
    public SourceLocation Location => _map.Location;
    public YamlMapping Map => _map;

    /// <summary>A reader for <paramref name="node"/> if it is a mapping; a null node gives null silently, anything else an error.</summary>
    public static ObjectReader? For(YamlNode? node, string what, DiagnosticSink sink)
    {
        switch (node)
        {
            case YamlMapping map:
                return new ObjectReader(map, what, sink);
            case null:
            case YamlScalar { IsNull: true }:
                return null;
            default:
                Mismatch(sink, node, $"{what} must be a map of keys", "a map");
                return null;
        }
    }

    public bool Has(string key) => _map[key] is not null;

    /// <summary>Marks <paramref name="key"/> as known and returns its node (null when absent).</summary>
    public YamlNode? Take(string key)
    {
        _read.Add(key);
        return _map[key];
    }

    /// <summary>The key's own position, for messages about the entry rather than its value.</summary>
    public SourceLocation KeyLocation(string key) =>
        _map.Entries.FirstOrDefault(e => e.Key.Value == key).Key?.Location ?? _map.Location;

    public string String(string key) => OptionalString(key) ?? string.Empty;

    public string? OptionalString(string key) => Take(key) is { } node ? ScalarText(node, key) : null;

    public bool Bool(string key) => OptionalBool(key) ?? false;

    public bool? OptionalBool(string key)
    {
        var node = Take(key);
        if (node is null || node is YamlScalar { IsNull: true })
        {
            return null;
        }

        if (node is YamlScalar s && YamlScalarTyping.ParseBool(s.Value, legacy: true) is { } b)
        {
            return b;
        }

        Mismatch(Sink, node, $"'{key}' must be true or false", "a boolean (true/false)");
        return null;
    }

    public long Int64(string key, long fallback = 0) => Integer(key, long.MinValue, long.MaxValue) ?? fallback;

    public uint? UInt32(string key) => Integer(key, 0, uint.MaxValue) is { } v ? (uint)v : null;

    /// <summary>An integer field; accepts any integer notation yaml.v3 does (<c>0x10</c>, <c>1_000</c>, <c>017</c>).</summary>
    public long? Integer(string key, long min, long max)
    {
        var node = Take(key);
        if (node is null || node is YamlScalar { IsNull: true })
        {
            return null;
        }

        if (node is YamlScalar s && YamlScalarTyping.ParseInteger(s.Value.Trim()) is long v)
        {
            if (v < min || v > max)
            {
                var allowed = max == long.MaxValue ? $"{min.ToString(CultureInfo.InvariantCulture)} or more"
                    : $"{min.ToString(CultureInfo.InvariantCulture)}..{max.ToString(CultureInfo.InvariantCulture)}";
                Sink.Error(LoadCodes.ValueOutOfRange,
                    $"'{key}' is {v}, outside the allowed range ({allowed}); use a value in that range", node.Location);
                return null;
            }

            return v;
        }

        Mismatch(Sink, node, $"'{key}' must be a whole number", "an integer");
        return null;
    }

    /// <summary>A duration in seconds (whole or fractional), above zero; null when absent or wrong (then reported).</summary>
    public TimeSpan? PositiveSeconds(string key)
    {
        var node = Take(key);
        if (node is null || node is YamlScalar { IsNull: true })
        {
            return null;
        }

        var value = node is YamlScalar s ? YamlScalarTyping.Resolve(s) : null;
        double? seconds = value switch
        {
            long l => l,
            double d => d,
            _ => null,
        };
        if (seconds is null)
        {
            Mismatch(Sink, node, $"'{key}' must be a number of seconds", "a number");
            return null;
        }

        if (!double.IsFinite(seconds.Value) || seconds.Value <= 0 || seconds.Value > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            Sink.Error(LoadCodes.ValueOutOfRange,
                $"'{key}' is {((YamlScalar)node).Value}, not a positive number of seconds; use a value above 0 (e.g. 300)", node.Location);
            return null;
        }

        return TimeSpan.FromSeconds(seconds.Value);
    }

    public IReadOnlyList<string> StringList(string key)
    {
        var node = Take(key);
        switch (node)
        {
            case null:
            case YamlScalar { IsNull: true }:
                return Array.Empty<string>();
            case YamlSequence seq:
                var result = new List<string>(seq.Items.Count);
                foreach (var item in seq.Items)
                {
                    if (ScalarText(item, key) is { } text)
                    {
                        result.Add(text);
                    }
                }

                return result;
            default:
                Mismatch(Sink, node, $"'{key}' must be a list of strings (write it as [\"...\"] or '- ...' lines)",
                    "a list");
                return Array.Empty<string>();
        }
    }

    public IReadOnlyDictionary<string, string> StringMap(string key) => StringMapOf(Take(key), key);

    public IReadOnlyDictionary<string, string> StringMapOf(YamlNode? node, string key)
    {
        switch (node)
        {
            case null:
            case YamlScalar { IsNull: true }:
                return Maps.EmptyStrings;
            case YamlMapping map:
                var result = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var (k, v) in map.Entries)
                {
                    if (ScalarText(v, $"{key}.{k.Value}") is { } text)
                    {
                        result[k.Value] = text;
                    }
                }

                return result;
            default:
                Mismatch(Sink, node, $"'{key}' must be a map of names to values", "a map");
                return Maps.EmptyStrings;
        }
    }

    /// <summary>A list of objects; each item that is not a map is an error.</summary>
    public IReadOnlyList<T> Objects<T>(string key, string itemWhat, Func<ObjectReader, T> read)
    {
        var node = Take(key);
        switch (node)
        {
            case null:
            case YamlScalar { IsNull: true }:
                return Array.Empty<T>();
            case YamlSequence seq:
                var result = new List<T>(seq.Items.Count);
                foreach (var item in seq.Items)
                {
                    if (item is YamlScalar { IsNull: true })
                    {
                        Sink.Error(LoadCodes.TypeMismatch,
                            $"empty entry in '{key}'; remove the lone '-' or give the {itemWhat} its keys", item.Location);
                        continue;
                    }

                    if (For(item, itemWhat, Sink) is { } reader)
                    {
                        result.Add(read(reader));
                    }
                }

                return result;
            default:
                Mismatch(Sink, node, $"'{key}' must be a list of {itemWhat} entries", "a list");
                return Array.Empty<T>();
        }
    }

    public T? Object<T>(string key, string what, Func<ObjectReader, T> read) where T : class =>
        For(Take(key), what, Sink) is { } reader ? read(reader) : null;

    /// <summary>The scalar's text as yaml.v3 stores it in a string field: raw text, null as empty.</summary>
    public string? ScalarText(YamlNode node, string key)
    {
        if (node is YamlScalar s)
        {
            return s.IsNull ? string.Empty : s.Value;
        }

        Mismatch(Sink, node, $"'{key}' must be a single value", "a string");
        return null;
    }

    /// <summary>
    /// Reports keys nobody asked for as warnings, with the closest known key: lxd-compose ignores them silently, so a
    /// misspelt key (<c>comands:</c>) would quietly do nothing. Call it after every key of the object was taken.
    /// </summary>
    public void ReportUnknownKeys()
    {
        foreach (var (key, _) in _map.Entries)
        {
            if (!_read.Contains(key.Value))
            {
                Sink.Warning(LoadCodes.UnknownKey,
                    $"unknown key '{key.Value}' in {What} is ignored{Spelling.DidYouMean(key.Value, _read)}; fix its " +
                    "spelling or remove it", key.Location);
            }
        }
    }

    public static void Mismatch(DiagnosticSink sink, YamlNode node, string rule, string expected) =>
        sink.Error(LoadCodes.TypeMismatch, $"{rule}: expected {expected}, found {Describe(node)}", node.Location);

    private static string Describe(YamlNode node) => node switch
    {
        YamlSequence => "a list",
        YamlMapping => "a map",
        YamlScalar s => $"'{s.Value}'",
        _ => node.Kind,
    };
}
