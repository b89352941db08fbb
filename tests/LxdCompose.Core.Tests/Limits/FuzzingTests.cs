using System.Text;
using CsCheck;
using LxdCompose.GoTemplates;
using LxdCompose.GoTemplates.Functions;
using LxdCompose.Loading;
using LxdCompose.Lxd;
using LxdCompose.Lxd.Simplestreams;
using LxdCompose.Specs;
using LxdCompose.Templating;
using LxdCompose.Templating.Helm;
using LxdCompose.Yaml;
using Xunit;
using Xunit.Abstractions;

namespace LxdCompose.Tests.Limits;

/// <summary>
/// Property-based fuzzing of the three readers of untrusted text (docs/fuzzing.md): the YAML tree reader, the Go
/// template lexer/parser/executor and the simplestreams reader. Only the documented exceptions may escape, and no
/// input may pass the limits (output, expansion, memory). Each target runs on a small stack, so the stack guards are
/// exercised too. A fixed number of inputs from fixed seeds here; LXDCOMPOSE_FUZZ_SECONDS runs longer.
/// </summary>
public sealed class FuzzingTests
{
    private readonly ITestOutputHelper _output;

    public FuzzingTests(ITestOutputHelper output) => _output = output;

    /// <summary>Bytes one input may allocate beyond a multiple of its size; far above what any correct run needs.</summary>
    private const long AllocationAllowance = 256L * 1024 * 1024;

    private static Gen<string> FromRandom(Func<Random, string> build) => Gen.Int.Select(seed => build(new Random(seed)));

    private static string Pick(Random random, IReadOnlyList<string> items) => items[random.Next(items.Count)];

    /// <summary>Up to five edits of a seed text: insert a token, delete or duplicate a span, flip a character.</summary>
    private static string Mutate(Random random, string text, IReadOnlyList<string> tokens)
    {
        var sb = new StringBuilder(text);
        for (var edits = random.Next(1, 6); edits > 0; edits--)
        {
            var at = random.Next(sb.Length + 1);
            var length = Math.Min(sb.Length - at, random.Next(0, 40));
            switch (random.Next(4))
            {
                case 0:
                    sb.Insert(at, Pick(random, tokens));
                    break;
                case 1:
                    sb.Remove(at, length);
                    break;
                case 2:
                    sb.Insert(at, sb.ToString(at, length));
                    break;
                default:
                    if (at < sb.Length)
                    {
                        sb[at] = (char)random.Next(0, 0x80);
                    }

                    break;
            }
        }

        return sb.ToString();
    }

    // ---- YAML ------------------------------------------------------------------------------------------------

    private static readonly string[] YamlTokens =
    [
        "a", "key", "b: 1", ": ", ":", "- ", "-", "[", "]", "{", "}", ", ", "\n", "\n  ", "\n    ", "  ", " ", "&x ", "&y ",
        "*x", "*y", "<<: ", "<<: *x", "!!str ", "!!int ", "!!map ", "!!seq ", "!!binary ", "!t ", "'q'", "\"dq\"",
        "\"\\u00e9\\x\"", "|\n  lit\n", ">-\n  fold\n", "# c", "~", "null", "true", "0x1F", "0o17", "1_000", "1e3",
        "-.inf", "2001-12-14t21:59:43.10-05:00", "---\n", "...\n", "%YAML 1.2\n", "? ", "\t", "\r\n", "é", "\uFEFF", "\0",
        "\"", "'", "@", "`", "%", "\\", "envs:", "projects:", "vars:",
    ];

    private static readonly string[] YamlSeeds = Directory
        .EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures"), "*.y*ml", SearchOption.AllDirectories)
        .OrderBy(f => f, StringComparer.Ordinal)
        .Select(File.ReadAllText)
        .ToArray();

    /// <summary>Very deep nesting, of both kinds, around the 10,000 limit.</summary>
    private static string DeepYaml(Random random)
    {
        var depth = random.Next(1, 12_001);
        return random.Next(4) switch
        {
            0 => "v: " + new string('[', depth) + new string(']', random.Next(depth + 1)),
            1 => string.Concat(Enumerable.Repeat("{a: ", depth)) + "1" + new string('}', depth),
            2 => "v:\n  " + string.Concat(Enumerable.Repeat("- ", depth)) + "x\n",
            _ => string.Concat(Enumerable.Range(0, Math.Min(depth, 300)).Select(i => new string(' ', i) + "k:\n")),
        };
    }

    /// <summary>Anchors whose lists repeat earlier aliases: bombs of every size, most small enough to be allowed.</summary>
    private static string Aliases(Random random)
    {
        var levels = random.Next(1, 10);
        var fanout = random.Next(1, 13);
        var sb = new StringBuilder("a0: &a0 [x, y]\n");
        for (var i = 1; i <= levels; i++)
        {
            sb.Append($"a{i}: &a{i} ").Append(random.Next(3) == 0 ? "{<<: *a" + (i - 1) + ", " : "[")
                .Append(string.Join(", ", Enumerable.Range(0, fanout).Select(j => (random.Next(3) == 0 ? $"k{j}: " : "") + $"*a{random.Next(i)}")))
                .Append(sb[^2] == '{' ? "}" : "]").Append('\n');
        }

        return sb.ToString().Replace("[k", "[", StringComparison.Ordinal);
    }

    private static readonly Gen<string> YamlText = Gen.Frequency(
        (3, Gen.OneOf(YamlTokens).Array[0, 120].Select(string.Concat)),
        (4, FromRandom(r => Mutate(r, Pick(r, YamlSeeds), YamlTokens))),
        (1, FromRandom(DeepYaml)),
        (2, FromRandom(Aliases)),
        (1, Gen.Byte.Array[0, 200].Select(bytes =>
        {
            try
            {
                return InputFiles.Decode(bytes, "fuzz.yml");
            }
            catch (SpecException e) when (e.Diagnostic.Code == LoadCodes.InvalidEncoding)
            {
                return "invalid: bytes\n";
            }
        })));

    [Fact]
    public void Yaml_tree_reader_raises_only_spec_exceptions_and_stays_within_its_limits()
    {
        CrashGuards.RequireYamlDepthLimit();
        StackThreads.Run(StackThreads.Small, () => FuzzRunner.Run("yaml", YamlText, YamlProperty, inputs: 3_000, Printable, _output.WriteLine),
            FuzzRunner.Timeout);
    }

    private static void YamlProperty(string text)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        YamlNode? root;
        try
        {
            root = YamlTreeReader.Parse(text, "fuzz.yml");
        }
        catch (SpecException e)
        {
            Assert.Equal("fuzz.yml", e.Diagnostic.File);
            return;
        }

        if (root is not null)
        {
            var expanded = ExpandedSize(root);
            // What yaml.v3's alias rule allows: past 4,000,000 values at most 10% are copies.
            Assert.True(expanded <= 4_000_000 + 2L * text.Length, $"{expanded:N0} values once expanded");
            if (expanded <= 100_000)
            {
                try
                {
                    YamlScalarTyping.ToValue(root);
                }
                catch (Exception e) when (e is SpecException or InsufficientExecutionStackException)
                {
                    // Documented: typing errors, and trees deeper than the stack (the loaders report NestingTooDeep).
                }
            }
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < AllocationAllowance + 500L * text.Length, $"{allocated:N0} bytes allocated");
    }

    /// <summary>Values of the tree with every alias expanded, counted without expanding (and without recursion).</summary>
    private static long ExpandedSize(YamlNode root)
    {
        var sizes = new Dictionary<YamlNode, long>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(YamlNode Node, bool ChildrenDone)>();
        stack.Push((root, false));
        while (stack.Count > 0)
        {
            var (node, done) = stack.Pop();
            if (sizes.ContainsKey(node))
            {
                continue;
            }

            var children = node switch
            {
                YamlSequence s => s.Items,
                YamlMapping m => m.Entries.SelectMany(e => new YamlNode[] { e.Key, e.Value }).ToList(),
                _ => (IReadOnlyList<YamlNode>)Array.Empty<YamlNode>(),
            };
            if (done)
            {
                sizes[node] = children.Aggregate(1L, (sum, c) => Math.Min(long.MaxValue / 2, sum + sizes[c]));
                continue;
            }

            stack.Push((node, true));
            foreach (var child in children.Where(c => !sizes.ContainsKey(c)))
            {
                stack.Push((child, false));
            }
        }

        return sizes[root];
    }

    // ---- Go templates ----------------------------------------------------------------------------------------

    private static readonly string[] TemplateTokens =
    [
        "a", " ", "\n", "x: ", "{{", "}}", "{{- ", " -}}", "{{/* c */}}", "(", ")", "|", "\"", "$", ".", "if", "end", "range",
        ":=", "printf", "define", "\"t\"", "-", "{{ . }}", "{{ .a }}", "{{ .a.b.c }}", "{{ $x := 1 }}", "{{ $x }}",
        "{{ $x = 2 }}", "{{ if . }}", "{{ if not .a }}", "{{ else }}", "{{ else if 1 }}", "{{ end }}", "{{ range . }}",
        "{{ range $i, $e := .a }}", "{{ range until 20 }}", "{{ range 5 }}", "{{ with .a }}", "{{ break }}",
        "{{ continue }}", "{{ define \"t\" }}", "{{ template \"t\" . }}", "{{ block \"b\" . }}", "{{ include \"t\" . }}",
        "{{ tpl \"{{ . }}\" . }}", "{{ tpl \"{{ include \\\"t\\\" . }}\" . }}", "{{ printf \"%v %d %s %q %x %5.2f %*d\" . 1 \"s\" \"q\" 255 3.14159 3 4 }}",
        "{{ len . }}", "{{ index .a 0 }}", "{{ index . \"a\" }}", "{{ slice \"abc\" 1 2 }}", "{{ eq 1 1 }}", "{{ lt 1 2 }}",
        "{{ and 1 0 }}", "{{ or 0 1 }}", "{{ print nil }}", "{{ toYaml . }}", "{{ toJson . }}",
        "{{ fromYaml \"a: [1, {b: 2}]\" }}", "{{ fromJson \"{\\\"a\\\":[1,[2,[3]]]}\" }}", "{{ toToml . }}",
        "{{ repeat 50 \"ab\" }}", "{{ indent 4 \"a\\nb\" }}", "{{ nindent 2 . }}", "{{ upper \"x\" }}", "{{ list 1 2 3 }}",
        "{{ dict \"a\" 1 }}", "{{ default 1 . }}", "{{ required \"r\" .z }}", "{{ fail \"f\" }}", "{{ deepCopy . }}",
        "{{ merge (dict) (dict \"a\" 1) }}", "{{ until 1000 }}", "{{ seq 1 2 20 }}", "{{ b64enc \"x\" }}", "{{ quote . }}",
        "{{ trunc 2 \"abc\" }}", "{{ ( ( 1 ) ) }}", "{{ 1 | print }}", "{{ . | toYaml | indent 2 }}", "{{ $ }}",
        "{{ nil }}", "{{ 'a' }}", "{{ 1e3 }}", "{{ 0x10 }}", "{{ -1 }}", "{{ \"\\x\" }}", "{{ `raw` }}", "{{ wrap 3 \"a b c\" }}",
        "{{ regexReplaceAll \"a*\" \"aaa\" \"b\" }}", "{{ semver \"1.2.3\" }}", "{{ sortAlpha (list \"b\" \"a\") }}",
        "{{ toString 1 }}", "{{ atoi \"12\" }}", "{{ int64 \"9999999999999999999\" }}", "{{ div 1 0 }}", "{{ mod 1 0 }}",
        "{{ untilStep 0 100 -1 }}", "{{ substr 2 1 \"abc\" }}", "{{ split \",\" \"a,b\" }}", "{{ randAlpha 5 }}",
    ];

    private static readonly string[] TemplateSeeds =
    [
        "{{ define \"t\" }}[{{ . }}]{{ end }}{{ range $i, $e := .a }}{{ template \"t\" $e }}{{ end }}",
        "projects:\n{{- range $p := .Values.projects }}\n- name: {{ $p.name | quote }}\n  groups: {{ toYaml $p.groups | nindent 4 }}\n{{- end }}\n",
        "{{ with .Values }}{{ if .enabled }}{{ .name | default \"x\" | upper }}{{ else }}off{{ end }}{{ end }}",
        "{{- $m := dict \"a\" (list 1 2) -}}{{ range $k, $v := $m }}{{ $k }}={{ join \",\" $v }}{{ end }}",
        "{{ define \"r\" }}{{ if lt (len .) 5 }}{{ include \"r\" (append . 1) }}{{ end }}{{ end }}{{ include \"r\" list }}",
    ];

    /// <summary>Actions nested deeper than any stack: the parser must refuse them, not overflow.</summary>
    private static string DeepTemplate(Random random)
    {
        var depth = random.Next(1, 30_000);
        return random.Next(3) switch
        {
            0 => string.Concat(Enumerable.Repeat("{{ if 1 }}", depth)) + string.Concat(Enumerable.Repeat("{{ end }}", random.Next(depth + 1))),
            1 => "{{ " + new string('(', Math.Min(depth, 2_000)) + "1" + new string(')', Math.Min(depth, 2_000)) + " }}",
            _ => string.Concat(Enumerable.Repeat("{{ range until 3 }}", Math.Min(depth, 40))) + "x" + string.Concat(Enumerable.Repeat("{{ end }}", Math.Min(depth, 40))),
        };
    }

    private static readonly Gen<string> TemplateText = Gen.Frequency(
        (4, Gen.OneOf(TemplateTokens).Array[0, 60].Select(string.Concat)),
        (4, FromRandom(r => Mutate(r, Pick(r, TemplateSeeds), TemplateTokens))),
        (1, FromRandom(DeepTemplate)));

    private static readonly GoFunctionTable HelmTable = HelmSpecRenderer.CreateFunctionTable();

    private static readonly TemplateLimits FuzzLimits = new() { LoopIterations = 10_000, OutputChars = 200_000, Depth = 60 };

    private static Dictionary<string, object?> TemplateData() => new(StringComparer.Ordinal)
    {
        ["a"] = new List<object?> { 1L, "two", new Dictionary<string, object?> { ["b"] = 3.5 }, null, true },
        ["Values"] = new Dictionary<string, object?>
        {
            ["enabled"] = true,
            ["name"] = "n",
            ["projects"] = new List<object?> { new Dictionary<string, object?> { ["name"] = "p", ["groups"] = new List<object?> { "g" } } },
        },
    };

    [Fact]
    public void Go_templates_raise_only_template_exceptions_and_stay_within_their_limits()
    {
        CrashGuards.RequireTemplateDepthLimit();
        StackThreads.Run(StackThreads.Small, () => FuzzRunner.Run("go-template", TemplateText, TemplateProperty, inputs: 8_000, Printable, _output.WriteLine),
            FuzzRunner.Timeout);
    }

    private static void TemplateProperty(string text)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var set = new GoTemplate("fuzz", HelmTable);
        try
        {
            set.Parse(text);
        }
        catch (GoTemplateParseException e)
        {
            Assert.Equal("fuzz", e.TemplateName);
            return;
        }

        var output = new StringBuilder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            set.Execute(output, "fuzz", TemplateData(),
                new GoExecuteOptions { MissingKey = GoMissingKey.Zero, Limits = FuzzLimits.ForGoTemplates(), CancellationToken = timeout.Token });
        }
        catch (GoTemplateException)
        {
            // Documented: every execution error, limits included, is a GoTemplateException.
        }

        // The output check runs after each write, and no single write passes the limit.
        Assert.True(output.Length <= 2 * FuzzLimits.OutputChars, $"{output.Length:N0} characters written");
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < AllocationAllowance, $"{allocated:N0} bytes allocated");
    }

    // ---- simplestreams ---------------------------------------------------------------------------------------

    private static readonly string[] StreamKeys =
    [
        "index", "products", "versions", "items", "datatype", "image-downloads", "path", "ftype", "sha256", "size",
        "aliases", "arch", "os", "release", "variant", "lxd.tar.xz", "squashfs", "root.tar.xz", "disk-kvm.img",
        "lxd_combined.tar.gz", "combined_squashfs_sha256", "combined_rootxz_sha256", "combined_sha256",
        "combined_disk-kvm-img_sha256", "20260301_01:00", "amd64", "x", "",
    ];

    private static string JsonValue(Random random, int depth)
    {
        var kind = depth > 12 ? random.Next(4) : random.Next(7);
        return kind switch
        {
            0 => "\"" + Pick(random, StreamKeys) + "\"",
            1 => random.Next(3) switch { 0 => "9223372036854775807", 1 => "-1", _ => random.Next().ToString(System.Globalization.CultureInfo.InvariantCulture) },
            2 => random.Next(2) == 0 ? "true" : "null",
            3 => "1.5e300",
            4 or 5 => "{" + string.Join(",", Enumerable.Range(0, random.Next(6)).Select(_ =>
                "\"" + Pick(random, StreamKeys) + "\":" + JsonValue(random, depth + 1))) + "}",
            _ => "[" + string.Join(",", Enumerable.Range(0, random.Next(4)).Select(_ => JsonValue(random, depth + 1))) + "]",
        };
    }

    private static readonly string ProductsSeed = """
        {"products": {"ubuntu:24.04:amd64:default": {"aliases": "ubuntu/24.04,noble", "arch": "amd64", "os": "Ubuntu",
         "release": "noble", "variant": "default", "versions": {"20260301_01:00": {"items": {
         "lxd.tar.xz": {"ftype": "lxd.tar.xz", "path": "m.tar.xz", "size": 100, "combined_squashfs_sha256": "abcdef0123456789"},
         "root.squashfs": {"ftype": "squashfs", "path": "r.squashfs", "size": 9223372036854775807}}}}}}}
        """;

    private static readonly Gen<byte[]> StreamDocument = Gen.Frequency(
        (4, FromRandom(r => JsonValue(r, 0)).Select(Encoding.UTF8.GetBytes)),
        (4, FromRandom(r => Mutate(r, ProductsSeed, StreamKeys.Select(k => "\"" + k + "\"").Concat(["{", "}", "[", "]", ",", ":"]).ToArray())).Select(Encoding.UTF8.GetBytes)),
        (1, Gen.Byte.Array[0, 100]),
        (1, FromRandom(r => new string('[', r.Next(1, 5_000)) + new string(']', r.Next(5_000))).Select(Encoding.UTF8.GetBytes)));

    [Fact]
    public void Simplestreams_reader_raises_only_lxd_api_exceptions() =>
        StackThreads.Run(StackThreads.Small, () => FuzzRunner.Run("simplestreams", StreamDocument, StreamProperty, inputs: 30_000,
            bytes => Printable(Encoding.UTF8.GetString(bytes)), _output.WriteLine), FuzzRunner.Timeout);

    private static void StreamProperty(byte[] content)
    {
        try
        {
            using var document = SimplestreamsParser.ReadDocument(content, "fuzz.json");
            try
            {
                SimplestreamsParser.ParseIndex(document.RootElement);
            }
            catch (LxdApiException)
            {
                // Documented: a document that is not an index.
            }

            var images = SimplestreamsParser.ParseProducts(document.RootElement);
            Assert.All(images, i => Assert.True(i.Size >= 0, $"negative size {i.Size}"));
            SimplestreamsParser.Select(images, "noble", "x86_64");
            SimplestreamsParser.Select(images, "abcdef0123456789", "x86_64");
        }
        catch (LxdApiException)
        {
            // Documented: not JSON, or not a simplestreams document.
        }
    }

    /// <summary>Inputs as C# would write them, so a failure can be pasted into a test.</summary>
    private static string Printable(string text) =>
        "\"" + string.Concat(text.Select(c => c switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            < ' ' or > '~' => $"\\u{(int)c:x4}",
            _ => c.ToString(),
        })) + "\"";
}
