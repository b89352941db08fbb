using LxdCompose.Loading;
using LxdCompose.Specs;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace LxdCompose.Yaml;

/// <summary>
/// Reads YAML text into a <see cref="YamlNode"/> tree with positions. Like yaml.v3: the first document only,
/// duplicate keys are errors, merge keys (<c>&lt;&lt;</c>) are applied with explicit keys winning, nesting deeper than
/// <see cref="YamlLimits.MaxDepth"/> and excessive aliasing are errors. Complex (non-scalar) mapping keys are
/// rejected: no spec uses them.
/// </summary>
/// <remarks>
/// The reader keeps its own stack of open collections instead of recursing, so no nesting depth can overflow the
/// thread's stack; YamlDotNet's parser and scanner are state machines and do not recurse either.
/// </remarks>
public static class YamlTreeReader
{
    private const string MergeKey = "<<";

    /// <summary>Parses <paramref name="text"/>; returns null for an empty document. Errors carry file:line:column.</summary>
    public static YamlNode? Parse(string text, string file)
    {
        var parser = new Parser(new StringReader(text));
        var builder = new TreeBuilder(parser, file);
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

            return builder.ReadDocument();
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
        catch (InvalidOperationException e) when (FromYamlDotNet(e))
        {
            // YamlDotNet's scanner fails this way on some broken flow collections ("x: [a" then "b: c" on the next
            // line; found by fuzzing): still a syntax error, after the last value read.
            throw new SpecException("YamlSyntax", "invalid YAML: a [ ] or { } collection is not closed where it should be",
                AfterLastEvent(parser, file, builder), e);
        }
        catch (ArgumentException e) when (FromYamlDotNet(e))
        {
            // A tag that is not a valid URI ("!!@bin[ary x"; found by fuzzing) fails in YamlDotNet's TagName.
            throw new SpecException("YamlSyntax", "invalid YAML: a tag (!!name or !<uri>) must be a valid URI",
                AfterLastEvent(parser, file, builder), e);
        }
    }

    private static bool FromYamlDotNet(Exception e) =>
        e.TargetSite?.DeclaringType?.Namespace?.StartsWith("YamlDotNet", StringComparison.Ordinal) == true;

    private static SourceLocation AfterLastEvent(IParser parser, string file, TreeBuilder builder) =>
        parser.Current is { } last ? Loc(file, last.End) : builder.OpenedAt ?? SourceLocation.FileOnly(file);

    /// <summary>One document's events turned into nodes, with an explicit stack of the collections still open.</summary>
    private sealed class TreeBuilder
    {
        private readonly IParser _parser;
        private readonly string _file;
        private readonly Dictionary<string, YamlNode> _anchors = new(StringComparer.Ordinal);
        // Expanded size of every node (aliases counted as copies of their target), as yaml.v3's decoder counts them.
        private readonly Dictionary<YamlNode, long> _sizes = new(ReferenceEqualityComparer.Instance);
        private readonly Stack<OpenCollection> _open = new();
        private int _flowDepth;
        private int _blockDepth;
        // Nodes decoded so far, and how many of them were copies made by aliases.
        private long _decodeCount;
        private long _aliasCount;

        /// <summary>Where the innermost collection still open starts; null when none is.</summary>
        public SourceLocation? OpenedAt => _open.Count > 0 ? _open.Peek().Location : null;

        public TreeBuilder(IParser parser, string file)
        {
            _parser = parser;
            _file = file;
        }

        public YamlNode ReadDocument()
        {
            while (true)
            {
                var node = ReadNextNode();
                if (node is null)
                {
                    continue; // a collection was opened; its items come next
                }

                // A complete node: hand it to the innermost open collection, closing those it completes.
                while (true)
                {
                    if (_open.Count == 0)
                    {
                        return node;
                    }

                    var parent = _open.Peek();
                    parent.Add(node);
                    parent.Size = SaturatingAdd(parent.Size, _sizes[node]);
                    if (!parent.TryClose(_parser))
                    {
                        break;
                    }

                    _open.Pop();
                    node = Complete(parent);
                }
            }
        }

        /// <summary>A scalar, an alias, or an empty collection; null when a collection was opened.</summary>
        private YamlNode? ReadNextNode()
        {
            if (_parser.TryConsume<AnchorAlias>(out var alias))
            {
                if (!_anchors.TryGetValue(alias.Value.Value, out var target))
                {
                    throw new SpecException("YamlUnknownAlias", $"unknown anchor '{alias.Value.Value}' referenced",
                        Loc(_file, alias.Start));
                }

                CountAlias(target, Loc(_file, alias.Start));
                return target;
            }

            if (_parser.TryConsume<Scalar>(out var scalar))
            {
                _decodeCount++;
                var node = new YamlScalar(Loc(_file, scalar.Start), TagOf(scalar.Tag), scalar.Value,
                    scalar.IsPlainImplicit && scalar.Style == ScalarStyle.Plain);
                _sizes[node] = 1;
                if (!scalar.Anchor.IsEmpty)
                {
                    _anchors[scalar.Anchor.Value] = node;
                }

                return node;
            }

            OpenCollection open;
            if (_parser.TryConsume<SequenceStart>(out var seqStart))
            {
                open = new OpenSequence(seqStart, _file);
            }
            else if (_parser.TryConsume<MappingStart>(out var mapStart))
            {
                open = new OpenMapping(mapStart, _file);
            }
            else
            {
                var ev = _parser.Current;
                throw new SpecException("YamlSyntax", $"unexpected YAML event {ev?.GetType().Name}",
                    ev is null ? SourceLocation.FileOnly(_file) : Loc(_file, ev.Start));
            }

            // yaml.v3 counts flow ([ ], { }) and block (indented) nesting apart, each up to MaxDepth.
            ref var depth = ref open.IsFlow ? ref _flowDepth : ref _blockDepth;
            if (depth >= YamlLimits.MaxDepth)
            {
                throw new SpecException(LoadCodes.YamlTooDeep,
                    $"the YAML nests {(open.IsFlow ? "[ ] and { }" : "indented lists and maps")} more than " +
                    $"{YamlLimits.MaxDepth:N0} levels deep (lxd-compose's YAML library refuses this too); flatten the data",
                    open.Location);
            }

            depth++;

            _decodeCount++;
            if (open.TryClose(_parser))
            {
                return Complete(open);
            }

            _open.Push(open);
            return null;
        }

        private YamlNode Complete(OpenCollection collection)
        {
            if (collection.IsFlow)
            {
                _flowDepth--;
            }
            else
            {
                _blockDepth--;
            }

            var node = collection.Build();
            _sizes[node] = collection.Size;
            if (collection.Anchor.Length > 0)
            {
                _anchors[collection.Anchor] = node;
            }

            return node;
        }

        /// <summary>
        /// yaml.v3's rule against alias bombs: every alias decodes its target again, and once more than
        /// <see cref="YamlLimits.AliasFreeNodes"/> nodes are decoded the share decoded through aliases may not pass
        /// <see cref="YamlLimits.AllowedAliasRatio"/>.
        /// </summary>
        private void CountAlias(YamlNode target, SourceLocation at)
        {
            var size = _sizes.TryGetValue(target, out var s) ? s : 1;
            _decodeCount = SaturatingAdd(_decodeCount, SaturatingAdd(size, 1));
            _aliasCount = SaturatingAdd(_aliasCount, size);
            if (_aliasCount > YamlLimits.AliasFreeAliases && _decodeCount > YamlLimits.AliasFreeNodes &&
                (double)_aliasCount / _decodeCount > YamlLimits.AllowedAliasRatio(_decodeCount))
            {
                throw new SpecException(LoadCodes.YamlExcessiveAliasing,
                    $"this alias would expand the document to {_decodeCount:N0} values, {_aliasCount:N0} of them " +
                    "copies made by aliases (lxd-compose's YAML library refuses such documents as " +
                    "\"excessive aliasing\"); use fewer or smaller aliases", at);
            }
        }

        private static long SaturatingAdd(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;
    }

    /// <summary>A list or map whose end event has not come yet.</summary>
    private abstract class OpenCollection
    {
        protected OpenCollection(string anchor, SourceLocation location, string tag, bool isFlow)
        {
            IsFlow = isFlow;
            Anchor = anchor;
            Location = location;
            Tag = tag;
        }

        /// <summary>Expanded size so far: itself and its items, aliases counted as copies.</summary>
        public long Size { get; set; } = 1;

        public bool IsFlow { get; }
        public string Anchor { get; }
        public SourceLocation Location { get; }
        public string Tag { get; }

        public abstract void Add(YamlNode node);

        public abstract bool TryClose(IParser parser);

        public abstract YamlNode Build();
    }

    private sealed class OpenSequence : OpenCollection
    {
        private readonly List<YamlNode> _items = new();

        public OpenSequence(SequenceStart start, string file)
            : base(start.Anchor.IsEmpty ? string.Empty : start.Anchor.Value, Loc(file, start.Start), TagOf(start.Tag),
                start.Style == SequenceStyle.Flow)
        {
        }

        public override void Add(YamlNode node) => _items.Add(node);

        public override bool TryClose(IParser parser) => parser.TryConsume<SequenceEnd>(out _);

        public override YamlNode Build() => new YamlSequence(Location, Tag, _items);
    }

    private sealed class OpenMapping : OpenCollection
    {
        private readonly List<KeyValuePair<YamlScalar, YamlNode>> _explicitEntries = new();
        private readonly Dictionary<string, YamlScalar> _seen = new(StringComparer.Ordinal);
        private readonly List<YamlMapping> _merged = new();
        private YamlScalar? _pendingKey;

        public OpenMapping(MappingStart start, string file)
            : base(start.Anchor.IsEmpty ? string.Empty : start.Anchor.Value, Loc(file, start.Start), TagOf(start.Tag),
                start.Style == MappingStyle.Flow)
        {
        }

        public override void Add(YamlNode node)
        {
            if (_pendingKey is null)
            {
                _pendingKey = node as YamlScalar ?? throw new SpecException("YamlComplexKey",
                    "a mapping key must be a plain value, not a list or map", node.Location);
                return;
            }

            var key = _pendingKey;
            _pendingKey = null;
            if (key.IsPlain && key.Value == MergeKey)
            {
                CollectMerge(node, _merged, key.Location);
                return;
            }

            if (_seen.TryGetValue(key.Value, out var first))
            {
                throw new SpecException("YamlDuplicateKey",
                    $"mapping key \"{key.Value}\" already defined at line {first.Location.Line}; remove one of them",
                    key.Location);
            }

            _seen[key.Value] = key;
            _explicitEntries.Add(new(key, node));
        }

        public override bool TryClose(IParser parser) => _pendingKey is null && parser.TryConsume<MappingEnd>(out _);

        public override YamlNode Build()
        {
            // Merged keys come first in order; explicit keys override them, and earlier merge sources win over later.
            var entries = new List<KeyValuePair<YamlScalar, YamlNode>>();
            var taken = new HashSet<string>(_seen.Keys, StringComparer.Ordinal);
            foreach (var source in _merged)
            {
                foreach (var entry in source.Entries)
                {
                    if (taken.Add(entry.Key.Value))
                    {
                        entries.Add(entry);
                    }
                }
            }

            entries.AddRange(_explicitEntries);
            return new YamlMapping(Location, Tag, entries);
        }
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
