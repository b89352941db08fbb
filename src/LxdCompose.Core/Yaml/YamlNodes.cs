using LxdCompose.Specs;

namespace LxdCompose.Yaml;

// A small YAML tree with positions. Aliases point at the anchored node; merge keys (<<) are already applied.

public abstract class YamlNode
{
    protected YamlNode(SourceLocation location, string tag)
    {
        Location = location;
        Tag = tag;
    }

    public SourceLocation Location { get; }
    /// <summary>Explicit tag as written (<c>!!str</c> expanded to <c>tag:yaml.org,2002:str</c>), or empty.</summary>
    public string Tag { get; }
    public abstract string Kind { get; }
}

public sealed class YamlScalar : YamlNode
{
    public YamlScalar(SourceLocation location, string tag, string value, bool isPlain)
        : base(location, tag)
    {
        Value = value;
        IsPlain = isPlain;
    }

    public string Value { get; }
    /// <summary>Unquoted, untagged: subject to implicit typing (null, bool, int, float, timestamp).</summary>
    public bool IsPlain { get; }
    /// <summary>A plain <c>~</c>, <c>null</c> or empty scalar, or one tagged <c>!!null</c>.</summary>
    public bool IsNull => YamlScalarTyping.IsNull(this);
    public override string Kind => "scalar";
}

public sealed class YamlSequence : YamlNode
{
    public YamlSequence(SourceLocation location, string tag, IReadOnlyList<YamlNode> items)
        : base(location, tag)
    {
        Items = items;
    }

    public IReadOnlyList<YamlNode> Items { get; }
    public override string Kind => "list";
}

public sealed class YamlMapping : YamlNode
{
    public YamlMapping(SourceLocation location, string tag, IReadOnlyList<KeyValuePair<YamlScalar, YamlNode>> entries)
        : base(location, tag)
    {
        Entries = entries;
    }

    /// <summary>Entries in document order; keys are unique (duplicates are rejected while reading).</summary>
    public IReadOnlyList<KeyValuePair<YamlScalar, YamlNode>> Entries { get; }
    public override string Kind => "map";

    public YamlNode? this[string key] =>
        Entries.FirstOrDefault(e => e.Key.Value == key).Value;
}
