using LxdCompose.Specs;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace LxdCompose.Yaml;

/// <summary>
/// Reads YAML text into a <see cref="YamlNode"/> tree with positions. Like yaml.v3: the first document only,
/// duplicate keys are errors, merge keys (<c>&lt;&lt;</c>) are applied with explicit keys winning.
/// Complex (non-scalar) mapping keys are rejected: no spec uses them.
/// </summary>
public static class YamlTreeReader
{
    private const string MergeKey = "<<";

    /// <summary>Parses <paramref name="text"/>; returns null for an empty document. Errors carry file:line:column.</summary>
    public static YamlNode? Parse(string text, string file)
    {
        var anchors = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        var parser = new Parser(new StringReader(text));
        try
        {
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
            {
                return null;
            }

            parser.Consume<DocumentStart>();
            if (parser.Accept<DocumentEnd>(out _))
            {
                return null;
            }

            return ReadNode(parser, file, anchors);
        }
        catch (SemanticErrorException e)
        {
            throw new SpecException("YamlSyntax", $"invalid YAML: {Clean(e.Message)}", Loc(file, e.Start), e);
        }
        catch (SyntaxErrorException e)
        {
            throw new SpecException("YamlSyntax", $"invalid YAML: {Clean(e.Message)}", Loc(file, e.Start), e);
        }
        catch (YamlException e)
        {
            throw new SpecException("YamlSyntax", $"invalid YAML: {Clean(e.Message)}", Loc(file, e.Start), e);
        }
    }

    private static YamlNode ReadNode(IParser parser, string file, Dictionary<string, YamlNode> anchors)
    {
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            if (!anchors.TryGetValue(alias.Value.Value, out var target))
            {
                throw new SpecException("YamlUnknownAlias", $"unknown anchor '{alias.Value.Value}' referenced",
                    Loc(file, alias.Start));
            }

            return target;
        }

        YamlNode node;
        string anchor;
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            node = new YamlScalar(Loc(file, scalar.Start), TagOf(scalar.Tag), scalar.Value,
                scalar.IsPlainImplicit && scalar.Style == ScalarStyle.Plain);
            anchor = scalar.Anchor.IsEmpty ? string.Empty : scalar.Anchor.Value;
        }
        else if (parser.TryConsume<SequenceStart>(out var seqStart))
        {
            anchor = seqStart.Anchor.IsEmpty ? string.Empty : seqStart.Anchor.Value;
            var items = new List<YamlNode>();
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                items.Add(ReadNode(parser, file, anchors));
            }

            node = new YamlSequence(Loc(file, seqStart.Start), TagOf(seqStart.Tag), items);
        }
        else if (parser.TryConsume<MappingStart>(out var mapStart))
        {
            anchor = mapStart.Anchor.IsEmpty ? string.Empty : mapStart.Anchor.Value;
            node = ReadMapping(parser, file, anchors, mapStart);
        }
        else
        {
            var ev = parser.Current;
            throw new SpecException("YamlSyntax", $"unexpected YAML event {ev?.GetType().Name}",
                ev is null ? SourceLocation.FileOnly(file) : Loc(file, ev.Start));
        }

        if (anchor.Length > 0)
        {
            anchors[anchor] = node;
        }

        return node;
    }

    private static YamlMapping ReadMapping(IParser parser, string file, Dictionary<string, YamlNode> anchors,
        MappingStart start)
    {
        var explicitEntries = new List<KeyValuePair<YamlScalar, YamlNode>>();
        var seen = new Dictionary<string, YamlScalar>(StringComparer.Ordinal);
        var merged = new List<YamlMapping>();
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var keyNode = ReadNode(parser, file, anchors);
            if (keyNode is not YamlScalar key)
            {
                throw new SpecException("YamlComplexKey", "a mapping key must be a plain value, not a list or map",
                    keyNode.Location);
            }

            var value = ReadNode(parser, file, anchors);
            if (key.IsPlain && key.Value == MergeKey)
            {
                CollectMerge(value, merged, key.Location);
                continue;
            }

            if (seen.TryGetValue(key.Value, out var first))
            {
                throw new SpecException("YamlDuplicateKey",
                    $"mapping key \"{key.Value}\" already defined at line {first.Location.Line}; remove one of them",
                    key.Location);
            }

            seen[key.Value] = key;
            explicitEntries.Add(new(key, value));
        }

        // Merged keys come first in order; explicit keys override them, and earlier merge sources win over later.
        var entries = new List<KeyValuePair<YamlScalar, YamlNode>>();
        var taken = new HashSet<string>(seen.Keys, StringComparer.Ordinal);
        foreach (var source in merged)
        {
            foreach (var entry in source.Entries)
            {
                if (taken.Add(entry.Key.Value))
                {
                    entries.Add(entry);
                }
            }
        }

        entries.AddRange(explicitEntries);
        return new YamlMapping(Loc(file, start.Start), TagOf(start.Tag), entries);
    }

    private static void CollectMerge(YamlNode value, List<YamlMapping> merged, SourceLocation at)
    {
        switch (value)
        {
            case YamlMapping map:
                merged.Add(map);
                break;
            case YamlSequence seq when seq.Items.All(i => i is YamlMapping):
                merged.AddRange(seq.Items.Cast<YamlMapping>());
                break;
            default:
                throw new SpecException("YamlBadMerge", "a merge key (<<) needs a map or a list of maps", at);
        }
    }

    private static string TagOf(TagName tag) => tag.IsEmpty || tag.IsNonSpecific ? string.Empty : tag.Value;

    internal static SourceLocation Loc(string file, Mark mark) => new(file, (int)mark.Line, (int)mark.Column);

    // YamlDotNet prefixes messages with "(Line: 1, Col: 2, Idx: 3) - (Line: ...): "; we report the position ourselves.
    private static string Clean(string message)
    {
        var i = message.LastIndexOf("): ", StringComparison.Ordinal);
        return i >= 0 && message.StartsWith("(Line", StringComparison.Ordinal) ? message[(i + 3)..] : message;
    }
}
