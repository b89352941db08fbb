using System.Reflection;
using LxdCompose.GoTemplates;
using LxdCompose.GoTemplates.Functions;
using LxdCompose.Specs;
using LxdCompose.Templating.Functions;

namespace LxdCompose.Templating.Mottainai;

/// <summary>
/// <c>template_engine.engine: mottainai</c> (reference §4.3): Go text/template named <c>spec</c> with sprig v2 and
/// lxd-compose's extras; the variables are the root (<c>.key1</c>, <c>.project.Name</c>, <c>.node.Labels</c>), passed
/// as a pointer to the map as lxd-compose passes them (<see cref="GoPointer"/>), spec
/// objects show their Go field names, and a missing key prints <c>&lt;no value&gt;</c>.
/// </summary>
public sealed class MottainaiConfigTemplateEngine : IConfigTemplateEngine
{
    public const string EngineName = "mottainai";

    /// <summary>lxd-compose parses every config template under this name; it shows in Go's error texts.</summary>
    public const string TemplateName = "spec";

    private static readonly Lazy<GoFunctionTable> MottainaiFunctionTable = new(() =>
        MottainaiFunctions.Register(SprigFunctions.Register(GoFunctionTable.CreateWithBuiltins(), SprigVersion.V2)));

    private static readonly GoMemberAccess SpecMembers = new(GoSpecFieldNames.NamesOf);

    private readonly GoFunctionTable _functions;
    private readonly GoExecuteOptions _executeOptions;

    public MottainaiConfigTemplateEngine(TemplateLimits? limits = null)
        : this(MottainaiFunctionTable.Value, limits)
    {
    }

    /// <param name="functions">The mottainai function set, or a variant of it (tests fix the clock this way).</param>
    /// <param name="limits">Loop, output and nesting bounds; default <see cref="TemplateLimits.Default"/>.</param>
    public MottainaiConfigTemplateEngine(GoFunctionTable functions, TemplateLimits? limits = null)
    {
        _functions = functions ?? throw new ArgumentNullException(nameof(functions));
        _executeOptions = new GoExecuteOptions
        {
            MissingKey = GoMissingKey.Default,
            Members = SpecMembers,
            Limits = (limits ?? TemplateLimits.Default).ForGoTemplates(),
        };
    }

    public string Name => EngineName;

    public string Render(string templateText, string sourcePath, IReadOnlyDictionary<string, object?> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        try
        {
            var template = GoTemplate.Parse(TemplateName, templateText, _functions);
            var map = variables as Dictionary<string, object?> ?? new Dictionary<string, object?>(variables, StringComparer.Ordinal);
            // lxd-compose executes with &Values: isMap . is false and print . shows &map[…] (trap 7).
            return template.Execute(new GoPointer(map), _executeOptions);
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
