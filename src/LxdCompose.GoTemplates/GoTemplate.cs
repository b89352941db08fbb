// Port of src/text/template/template.go and option.go (Go 1.24).
using System.Text;

namespace LxdCompose.GoTemplates;

/// <summary>What a field access does when a map has no such key (Go's missingkey option).</summary>
public enum GoMissingKey
{
    /// <summary>The value is "no value": it prints as &lt;no value&gt; and a further field of it is again no value.</summary>
    Default,

    /// <summary>The zero value of the map's element type (nil for interface maps: a further field of it is an error).</summary>
    Zero,

    /// <summary>Execution stops with "map has no entry for key".</summary>
    Error,
}

public sealed class GoExecuteOptions
{
    public static readonly GoExecuteOptions Defaults = new();

    public GoMissingKey MissingKey { get; init; } = GoMissingKey.Default;

    /// <summary>How fields of .NET objects are found by name.</summary>
    public GoMemberAccess Members { get; init; } = GoMemberAccess.Default;

    public CancellationToken CancellationToken { get; init; }

    /// <summary>
    /// Loop iterations, output size and template/include nesting (Go allows 100,000 levels; Helm and we 1,000, as we
    /// run on a thread's normal stack).
    /// </summary>
    public GoTemplateLimits Limits { get; init; } = GoTemplateLimits.Default;
}

/// <summary>
/// A set of named templates sharing one function table, like Go's *template.Template: parse several texts into it
/// (each text may define more templates with define/block), then execute any of them by name.
/// </summary>
public sealed class GoTemplate
{
    private readonly Dictionary<string, GoTemplateTree> _trees = new(StringComparer.Ordinal);

    /// <summary>An empty set whose default template is <paramref name="name"/>.</summary>
    public GoTemplate(string name, GoFunctionTable functions)
    {
        Name = name;
        Functions = functions;
    }

    /// <summary>The default template executed by <see cref="Execute(object?, GoExecuteOptions?)"/>.</summary>
    public string Name { get; }

    public GoFunctionTable Functions { get; }

    /// <summary>Parses <paramref name="text"/> as template <paramref name="name"/> into a new set.</summary>
    public static GoTemplate Parse(string name, string text, GoFunctionTable functions) =>
        new GoTemplate(name, functions).Parse(text);

    /// <summary>Parses text as this set's default template.</summary>
    public GoTemplate Parse(string text) => Parse(Name, text);

    /// <summary>
    /// Parses text as template <paramref name="name"/> and adds it and its definitions to the set. A later
    /// definition replaces an earlier one, except that an empty body never replaces a non-empty one.
    /// </summary>
    public GoTemplate Parse(string name, string text)
    {
        foreach (var (treeName, tree) in GoParser.Parse(name, text, Functions))
        {
            AddTree(treeName, tree);
        }

        return this;
    }

    /// <summary>Associates a parsed tree under a name (Go's AddParseTree).</summary>
    public GoTemplate AddTree(string name, GoTemplateTree tree)
    {
        if (_trees.TryGetValue(name, out var old) && tree.IsEmpty && !old.IsEmpty)
        {
            return this;
        }

        _trees[name] = tree;
        return this;
    }

    /// <summary>
    /// A copy of the set (Go's Template.Clone): same trees and function table, so parsing into the copy (Helm's
    /// <c>tpl</c>) adds or redefines templates without touching this set.
    /// </summary>
    public GoTemplate Clone()
    {
        var copy = new GoTemplate(Name, Functions);
        foreach (var (name, tree) in _trees)
        {
            copy._trees[name] = tree;
        }

        return copy;
    }

    public GoTemplateTree? Lookup(string name) => _trees.GetValueOrDefault(name);

    public IEnumerable<string> TemplateNames => _trees.Keys;

    public string Execute(object? data, GoExecuteOptions? options = null) => Execute(Name, data, options);

    public string Execute(string name, object? data, GoExecuteOptions? options = null)
    {
        var sb = new StringBuilder();
        Execute(sb, name, data, options);
        return sb.ToString();
    }

    /// <summary>Executes template <paramref name="name"/>, appending to <paramref name="output"/> (also on error).</summary>
    public void Execute(StringBuilder output, string name, object? data, GoExecuteOptions? options = null)
    {
        var tree = Lookup(name);
        if (tree == null)
        {
            string reason = _trees.Count == 0 && name == Name
                ? $"{GoFormat.Quote(name)} is an incomplete or empty template"
                : $"no template {GoFormat.Quote(name)} associated with template {GoFormat.Quote(Name)}";
            throw new GoTemplateExecException($"template: {name}: {reason}", name, 0, 0, null, reason, null);
        }
        new GoExecutor(this, options ?? GoExecuteOptions.Defaults, output).Run(tree, data);
    }
}
