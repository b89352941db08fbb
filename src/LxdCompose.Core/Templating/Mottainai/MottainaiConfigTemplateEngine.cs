using System.Reflection;
using LxdCompose.Specs;
using LxdCompose.Templating.Functions;
using LxdCompose.Templating.GoTemplates;

namespace LxdCompose.Templating.Mottainai;

/// <summary>
/// <c>template_engine.engine: mottainai</c> (reference §4.3): Go text/template named <c>spec</c> with sprig v2 and
/// lxd-compose's extras; the variables are the root (<c>.key1</c>, <c>.project.Name</c>, <c>.node.Labels</c>), spec
/// objects show their Go field names, and a missing key prints <c>&lt;no value&gt;</c>.
/// </summary>
public sealed class MottainaiConfigTemplateEngine : IConfigTemplateEngine
{
    public const string EngineName = "mottainai";

    /// <summary>lxd-compose parses every config template under this name; it shows in Go's error texts.</summary>
    public const string TemplateName = "spec";

    private static readonly Lazy<GoFunctionTable> MottainaiFunctionTable = new(() =>
        MottainaiFunctions.Register(SprigFunctions.Register(GoFunctionTable.CreateWithBuiltins(), SprigVersion.V2)));

    private static readonly GoExecuteOptions ExecuteOptions = new()
    {
        MissingKey = GoMissingKey.Default,
        Members = new GoMemberAccess(GoSpecFieldNames.NamesOf),
    };

    private readonly GoFunctionTable _functions;

    public MottainaiConfigTemplateEngine()
        : this(MottainaiFunctionTable.Value)
    {
    }

    /// <param name="functions">The mottainai function set, or a variant of it (tests fix the clock this way).</param>
    public MottainaiConfigTemplateEngine(GoFunctionTable functions)
    {
        _functions = functions ?? throw new ArgumentNullException(nameof(functions));
    }

    public string Name => EngineName;

    public string Render(string templateText, string sourcePath, IReadOnlyDictionary<string, object?> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        try
        {
            var template = GoTemplate.Parse(TemplateName, templateText, _functions);
            // lxd-compose passes a pointer to its map; see docs/differences.md for the one place that shows (isMap .).
            var data = variables as Dictionary<string, object?> ?? new Dictionary<string, object?>(variables, StringComparer.Ordinal);
            return template.Execute(data, ExecuteOptions);
        }
        catch (GoTemplateException e)
        {
            throw GoTemplateProblems.ToSpecException(e, n => n == TemplateName ? sourcePath : null, sourcePath);
        }
    }
}

/// <summary>
/// The Go field names of lxd-compose's spec structs (pkg/specs), for the model's objects in Go templates. Members
/// Go's structs do not have (positions, back references) stay hidden, as Go would fail on them.
/// </summary>
internal static class GoSpecFieldNames
{
    private static readonly Dictionary<Type, Dictionary<string, string>> GoNames = new()
    {
        [typeof(LxdProject)] = Names("Name", "Description", "IncludeEnvFiles", "IncludeHooksFiles", "ShellEnvsFilter",
            "Groups", "NodesPrefix", "Hooks", "ConfigTemplates",
            ("IncludeGroupsFiles", "IncludeGroupFiles"), ("Vars", "Environments")),
        [typeof(LxdGroup)] = Names("Name", "Description", "Connection", "ConnectionType", "CommonProfiles", "Config",
            "Ephemeral", "Nodes", "NodesPrefix", "Hooks", "IncludeHooksFiles", "ConfigTemplates"),
        [typeof(LxdNode)] = Names("Name", "NamePrefix", "ImageSource", "ImageRemoteServer", "Labels", "Config",
            "SourceDir", "Entrypoint", "ConfigTemplates", "SyncResources", "Profiles", "Hooks", "IncludeHooksFiles",
            "WaitIp"),
        [typeof(LxdHook)] = Names("Event", "Node", "Commands", "Out2Var", "Err2Var", "Entrypoint", "Flags", "Disable",
            "Uid", "Gid", "Cwd"),
        [typeof(VarsBlock)] = Names("Encrypted", ("Envs", "EnvVars"), ("EncryptedContent", "EncContent")),
        [typeof(FileMapping)] = Names("Source", "Destination"),
    };

    public static IEnumerable<string> NamesOf(MemberInfo member)
    {
        if (member.DeclaringType is { } type && GoNames.TryGetValue(type, out var names))
        {
            return names.TryGetValue(member.Name, out var goName) ? [goName] : [];
        }

        return [member.Name];
    }

    private static Dictionary<string, string> Names(params object[] entries)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var (ours, go) = entry is ValueTuple<string, string> pair ? pair : ((string)entry, (string)entry);
            map[ours] = go;
        }

        return map;
    }
}
