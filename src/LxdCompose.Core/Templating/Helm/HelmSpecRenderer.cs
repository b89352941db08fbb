using System.Text;
using LxdCompose.GoTemplates;
using LxdCompose.GoTemplates.Functions;
using LxdCompose.Specs;
using LxdCompose.Yaml;

namespace LxdCompose.Templating.Helm;

/// <summary>
/// lxd-compose's render engine (reference §4.1): each spec file is the template <c>tpl/templates</c> of a Helm chart
/// named <c>tpl</c> whose other templates are the named templates of <c>render_templates_dirs</c>. Helm's functions,
/// <c>missingkey=zero</c>, and every <c>&lt;no value&gt;</c> removed from the output. As Helm, every named template
/// whose name does not start with <c>_</c> is executed too, so an error in one stops every render.
/// Named templates are parsed once per renderer (one load); each spec file is parsed once.
/// </summary>
public sealed class HelmSpecRenderer : ISpecRenderer
{
    public const string ChartName = "tpl";
    public const string SpecTemplateName = ChartName + "/templates";

    private const string NoValue = "<no value>";

    private static readonly Lazy<GoFunctionTable> HelmFunctionTable = new(() => CreateFunctionTable());


    private readonly RenderContext _context;
    private readonly GoFunctionTable _functions;
    private readonly GoExecuteOptions _executeOptions;
    private readonly List<ParsedFile> _named = new();
    private readonly Dictionary<string, string> _fileOfTemplate = new(StringComparer.Ordinal);
    private SpecException? _namedError;
    private bool _namedExecuted;

    public HelmSpecRenderer(RenderContext context)
        : this(context, HelmFunctionTable.Value)
    {
    }

    /// <summary>Helm's function set, whose fromYaml reads YAML as lxd-compose does (yaml.v3 typing).</summary>
    /// <param name="environment">Clock, time zone and environment variables; default the system's.</param>
    public static GoFunctionTable CreateFunctionTable(SprigEnvironment? environment = null) =>
        HelmFunctions.Register(GoFunctionTable.CreateWithBuiltins(), environment ?? SprigEnvironment.System, DecodeYaml);

    private static object? DecodeYaml(string text)
    {
        var node = YamlTreeReader.Parse(text, "fromYaml");
        return node == null ? null : YamlScalarTyping.ToValue(node);
    }

    /// <param name="functions">Helm's function set, or a variant of it (tests fix the clock this way).</param>
    public HelmSpecRenderer(RenderContext context, GoFunctionTable functions)
    {
        _context = context ?? throw new ArgumentNullException(nameof(context));
        _functions = functions ?? throw new ArgumentNullException(nameof(functions));
        _executeOptions = new GoExecuteOptions { MissingKey = GoMissingKey.Zero, Limits = context.Limits.ForGoTemplates() };
        foreach (var template in context.NamedTemplates)
        {
            _fileOfTemplate[template.Name] = template.File;
            _named.Add(Parse(template.Name, template.Text, template.File));
        }
    }

    public string Render(string file, string text)
    {
        var spec = Parse(SpecTemplateName, text, file);
        var set = new GoTemplate(SpecTemplateName, _functions);
        var order = HelmOrder(spec);
        foreach (var parsed in order)
        {
            foreach (var (name, tree) in parsed.Trees)
            {
                set.AddTree(name, tree);
            }
        }

        var values = (Dictionary<string, object?>)RenderValueTree.DeepCopy(_context.Values)!;
        // Named templates are executed for their errors only. Their result can change only when the spec file
        // defines templates of its own (a define may replace one they call); otherwise once per load is enough.
        var reuseNamed = spec.Trees.Count == 1;
        string? output = null;
        foreach (var parsed in order)
        {
            if (ReferenceEquals(parsed, spec))
            {
                output = Execute(set, SpecTemplateName, values, file);
            }
            else if (!parsed.IsHelper)
            {
                if (reuseNamed && _namedExecuted)
                {
                    if (_namedError is not null)
                    {
                        throw _namedError;
                    }

                    continue;
                }

                try
                {
                    Execute(set, parsed.Name, values, file);
                }
                catch (SpecException e) when (reuseNamed)
                {
                    _namedError = e;
                    _namedExecuted = true;
                    throw;
                }
            }
        }

        if (reuseNamed)
        {
            _namedExecuted = true;
        }

        return output!;
    }

    /// <summary>
    /// Helm's order (engine.sortTemplates): more path segments first, then names in reverse ordinal order. Templates
    /// are parsed and executed in this order, so for one define name the template parsed last (smallest name) wins.
    /// </summary>
    private List<ParsedFile> HelmOrder(ParsedFile spec)
    {
        var all = new List<ParsedFile>(_named.Count + 1);
        all.AddRange(_named.Where(n => n.Name != SpecTemplateName));
        all.Add(spec);
        all.Sort((a, b) =>
        {
            var depth = b.Name.Count(c => c == '/').CompareTo(a.Name.Count(c => c == '/'));
            return depth != 0 ? depth : string.CompareOrdinal(b.Name, a.Name);
        });
        return all;
    }

    private ParsedFile Parse(string name, string text, string file)
    {
        var scratch = new GoTemplate(name, _functions);
        try
        {
            scratch.Parse(name, text);
        }
        catch (GoTemplateException e)
        {
            throw GoTemplateProblems.ToSpecException(e, n => n == name ? file : FileOf(n), file);
        }

        var trees = scratch.TemplateNames.Select(n => (n, scratch.Lookup(n)!)).ToList();
        return new ParsedFile(name, trees);
    }

    private string Execute(GoTemplate set, string name, Dictionary<string, object?> values, string file)
    {
        var output = new StringBuilder();
        try
        {
            set.Execute(output, name, RenderData(name, values), _executeOptions);
        }
        catch (GoTemplateException e)
        {
            throw GoTemplateProblems.ToSpecException(e, n => n == SpecTemplateName ? file : FileOf(n), file);
        }

        return output.Replace(NoValue, string.Empty).ToString();
    }

    private string? FileOf(string templateName) => _fileOfTemplate.GetValueOrDefault(templateName);

    /// <summary>The top-level names Helm gives every template: .Values, .Chart, .Template, .Files, .Release, ….</summary>
    private static Dictionary<string, object?> RenderData(string templateName, Dictionary<string, object?> values) =>
        new(StringComparer.Ordinal)
        {
            ["Values"] = values,
            ["Chart"] = HelmChart.Root,
            ["Template"] = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["Name"] = templateName,
                ["BasePath"] = SpecTemplateName,
            },
            ["Files"] = new Dictionary<string, object?>(StringComparer.Ordinal),
            // lxd-compose passes no release or capabilities: present, but nil (so .Release.Name is an error).
            ["Release"] = null,
            ["Capabilities"] = null,
            ["Subcharts"] = new Dictionary<string, object?>(StringComparer.Ordinal),
        };

    private sealed class ParsedFile
    {
        public ParsedFile(string name, List<(string Name, GoTemplateTree Tree)> trees)
        {
            Name = name;
            Trees = trees;
            var slash = name.LastIndexOf('/');
            IsHelper = name.AsSpan(slash + 1).StartsWith("_", StringComparison.Ordinal);
        }

        public string Name { get; }

        /// <summary>The file's own tree and the trees it defines.</summary>
        public List<(string Name, GoTemplateTree Tree)> Trees { get; }

        /// <summary>Helm never executes templates whose file name starts with <c>_</c>.</summary>
        public bool IsHelper { get; }
    }
}

/// <summary>
/// <c>.Chart</c> of the render engine: Helm's chart metadata (Go field names) for lxd-compose's chart <c>tpl</c>,
/// everything but the name empty, plus <c>IsRoot</c>.
/// </summary>
public sealed class HelmChart
{
    public static readonly HelmChart Root = new();

    private HelmChart()
    {
    }

    public string Name => HelmSpecRenderer.ChartName;
    public string Home => string.Empty;
    public IReadOnlyList<string> Sources => Array.Empty<string>();
    public string Version => string.Empty;
    public string Description => string.Empty;
    public IReadOnlyList<string> Keywords => Array.Empty<string>();
    public IReadOnlyList<object> Maintainers => Array.Empty<object>();
    public string Icon => string.Empty;
    public string APIVersion => string.Empty;
    public string Condition => string.Empty;
    public string Tags => string.Empty;
    public string AppVersion => string.Empty;
    public bool Deprecated => false;
    public IReadOnlyDictionary<string, string> Annotations { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
    public string KubeVersion => string.Empty;
    public IReadOnlyList<object> Dependencies => Array.Empty<object>();
    public string Type => string.Empty;
    public bool IsRoot => true;
}
