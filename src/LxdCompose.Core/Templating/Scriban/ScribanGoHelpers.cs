using System.Collections;
using System.Text;
using LxdCompose.Templating.Functions;
using LxdCompose.Templating.GoTemplates;
using Scriban;
using Scriban.Runtime;
using Scriban.Syntax;

namespace LxdCompose.Templating.Scriban;

/// <summary>Which Go engine a Scriban engine stands in for, and so which helper objects it gets.</summary>
public enum ScribanHelperProfile
{
    /// <summary>Spec files (render engine): <c>go</c>, <c>sprig</c> (sprig v3 without env/expandenv) and <c>helm</c>.</summary>
    SpecFile,

    /// <summary>config_templates (mottainai engine): <c>go</c>, <c>sprig</c> (sprig v2) and <c>mottainai</c>.</summary>
    ConfigTemplate,
}

/// <summary>
/// The helper objects of Scriban templates, one design for every template: each member is the Go function of the
/// same name (our Go engine's implementation, called through its function table) and takes Go's argument order.
/// A Scriban pipe hands its value to the LAST argument, as a Go pipe does: <c>x | sprig.default "d"</c> is Go's
/// <c>x | default "d"</c>, and <c>sprig.default "d" x</c> (what the converter writes) is the same call.
/// </summary>
internal static class ScribanGoHelpers
{
    public const string GoName = "go";
    public const string SprigName = "sprig";
    public const string HelmName = "helm";
    public const string MottainaiName = "mottainai";

    /// <summary>Helm's additions (include needs the Go template set, so converted templates translate it instead).</summary>
    private static readonly string[] HelmOwn =
    [
        "toYaml", "toYamlPretty", "fromYaml", "fromYamlArray", "toJson", "fromJson", "fromJsonArray", "toToml",
        "fromToml", "tpl", "required", "fail", "lookup", "getHostByName",
    ];

    /// <summary>Helm's data helpers that sprig lacks; <c>sprig</c> carries them in both profiles for native templates.</summary>
    private static readonly string[] SprigExtras =
        ["toYaml", "toYamlPretty", "fromYaml", "fromYamlArray", "fromJson", "fromJsonArray", "toToml", "fromToml", "required"];

    private static readonly string[] MottainaiOwn =
    [
        "isInt", "isString", "isSlice", "isArray", "isMap", "replaceAll", "join", "joinWithPrefix",
        "joinWithPrefixAndPostfix", "sort", "getKeys", "cast2StringArray",
    ];

    private static readonly string[] GoPrinters = ["print", "printf", "println", "html", "js", "urlquery"];

    private static readonly Lazy<GoFunctionTable> Builtins = new(GoFunctionTable.CreateWithBuiltins);
    private static readonly Lazy<GoFunctionTable> SprigV3 = new(() => Without(
        SprigFunctions.Register(GoFunctionTable.CreateWithBuiltins(), SprigVersion.V3), "env", "expandenv"));
    private static readonly Lazy<GoFunctionTable> SprigV2 = new(() =>
        SprigFunctions.Register(GoFunctionTable.CreateWithBuiltins(), SprigVersion.V2));
    private static readonly Lazy<GoFunctionTable> Helm = new(() => HelmFunctions.Register(GoFunctionTable.CreateWithBuiltins()));
    private static readonly Lazy<GoFunctionTable> Mottainai = new(() =>
        MottainaiFunctions.Register(SprigFunctions.Register(GoFunctionTable.CreateWithBuiltins(), SprigVersion.V2)));

    /// <summary>Adds the profile's helper objects to <paramref name="globals"/>.</summary>
    public static void AddTo(ScriptObject globals, ScribanHelperProfile profile)
    {
        globals.SetValue(GoName, CreateGo(), readOnly: true);
        var sprig = profile == ScribanHelperProfile.SpecFile ? SprigV3.Value : SprigV2.Value;
        var sprigObject = FromTable(sprig, sprig.Names.Where(n => !Builtins.Value.Contains(n) || n == "slice"));
        AddFunctions(sprigObject, Helm.Value, SprigExtras.Where(n => !sprig.Contains(n)));
        globals.SetValue(SprigName, sprigObject, readOnly: true);
        if (profile == ScribanHelperProfile.SpecFile)
            globals.SetValue(HelmName, FromTable(Helm.Value, HelmOwn), readOnly: true);
        else
            globals.SetValue(MottainaiName, FromTable(Mottainai.Value, MottainaiOwn), readOnly: true);
    }

    private static GoFunctionTable Without(GoFunctionTable table, params string[] names)
    {
        foreach (var name in names) table.Remove(name);
        return table;
    }

    private static ScriptObject CreateGo()
    {
        var go = FromTable(Builtins.Value, GoPrinters);
        go.SetValue("truth", new GoHelperFunction("truth", 1, args => GoValues.IsTrue(ToGo(args[0]))), readOnly: true);
        // Go's and/or return the deciding operand itself; all operands are already evaluated here.
        go.SetValue("and", new GoHelperFunction("and", -1, args =>
            args.FirstOrDefault(a => !GoValues.IsTrue(ToGo(a)), args.Count > 0 ? args[^1] : null)), readOnly: true);
        go.SetValue("or", new GoHelperFunction("or", -1, args =>
            args.FirstOrDefault(a => GoValues.IsTrue(ToGo(a)), args.Count > 0 ? args[^1] : null)), readOnly: true);
        return go;
    }

    private static ScriptObject FromTable(GoFunctionTable table, IEnumerable<string> names)
    {
        var result = new ScriptObject(StringComparer.Ordinal);
        AddFunctions(result, table, names);
        return result;
    }

    private static void AddFunctions(ScriptObject target, GoFunctionTable table, IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            if (!table.TryGet(name, out var function)) throw new InvalidOperationException($"no Go function {name} to wrap");
            var context = CallContexts.GetValue(table, t => GoCallContext.Detached(t));
            target.SetValue(name, new GoHelperFunction(name, -1, args => CallGo(function, context, args)), readOnly: true);
        }
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<GoFunctionTable, GoCallContext> CallContexts = new();

    /// <summary>Checks and converts the arguments like the Go executor does for a call, then calls the Go function.</summary>
    private static object? CallGo(GoFunction function, GoCallContext context, IReadOnlyList<object?> args)
    {
        int fixedCount = function.Parameters.Count;
        if (function.Variadic == null ? args.Count != fixedCount : args.Count < fixedCount)
            throw new ArgumentException(function.Variadic == null
                ? $"wrong number of args for {function.Name}: want {fixedCount} got {args.Count}"
                : $"wrong number of args for {function.Name}: want at least {fixedCount} got {args.Count}");
        var goArgs = new object?[args.Count];
        for (int i = 0; i < args.Count; i++)
            goArgs[i] = Convert(ToGo(args[i]), i < fixedCount ? function.Parameters[i] : function.Variadic!);
        try
        {
            return ToScriban(function.Body(context, goArgs));
        }
        catch (GoFunctionException e)
        {
            throw new InvalidOperationException(e.Message, e);
        }
    }

    /// <summary>Numbers convert where Go would accept the literal (Scriban writes 1 as int, Go's int is our long).</summary>
    private static object? Convert(object? value, GoType type)
    {
        if (type == GoType.Any || type == GoType.Value) return value;
        if (value == null)
        {
            if (type.CanBeNil) return null;
            throw new ArgumentException($"invalid value; expected {type.Name}");
        }
        if (type.Accepts(value)) return value;
        object? converted = type.Name switch
        {
            "int" when value is double d && d == Math.Floor(d) && Math.Abs(d) < 9.2e18 => (long)d,
            "float64" when value is long l => (double)l,
            "uint32" when value is long l && l is >= 0 and <= uint.MaxValue => (uint)l,
            "[]string" when value is List<object?> list && list.All(x => x is string) => list.Cast<string>().ToList(),
            _ => null,
        };
        if (converted != null && type.Accepts(converted)) return converted;
        throw new ArgumentException($"wrong type for value; expected {type.Name}; got {GoValues.TypeName(value)}");
    }

    /// <summary>Scriban values as the Go engine's data: maps, lists, long, double, string, bool.</summary>
    internal static object? ToGo(object? value) => value switch
    {
        null => null,
        string or bool or long or double => value,
        int i => (long)i,
        short or sbyte or byte or ushort or uint => System.Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture),
        float f => (double)f,
        decimal m => (double)m,
        ScriptObject obj => obj.ToDictionary(kv => kv.Key, kv => ToGo(kv.Value), StringComparer.Ordinal),
        IDictionary<string, object?> map => map.ToDictionary(kv => kv.Key, kv => ToGo(kv.Value), StringComparer.Ordinal),
        IList list and not Array { Rank: > 1 } => list.Cast<object?>().Select(ToGo).ToList(),
        _ => value,
    };

    /// <summary>Go results as Scriban values; sprig certificates become objects with Go's field names.</summary>
    private static object? ToScriban(object? value) => value switch
    {
        SprigCertificate c => ScribanTemplates.ToScript(new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["Cert"] = c.Cert,
            ["Key"] = c.Key,
        }),
        List<string> strings => new ScriptArray(strings),
        _ => ScribanTemplates.ToScript(value),
    };

    /// <summary>A Scriban function that receives its arguments in Go order: a piped value goes last.</summary>
    private sealed class GoHelperFunction : IScriptCustomFunction
    {
        private readonly string _name;
        private readonly int _parameterCount;
        private readonly Func<IReadOnlyList<object?>, object?> _body;

        public GoHelperFunction(string name, int parameterCount, Func<IReadOnlyList<object?>, object?> body)
        {
            _name = name;
            _parameterCount = parameterCount;
            _body = body;
        }

        public int RequiredParameterCount => Math.Max(0, _parameterCount);

        public int ParameterCount => Math.Max(0, _parameterCount);

        public ScriptVarParamKind VarParamKind => _parameterCount < 0 ? ScriptVarParamKind.Direct : ScriptVarParamKind.None;

        public Type ReturnType => typeof(object);

        public ScriptParameterInfo GetParameterInfo(int index) => new(typeof(object), "arg" + index);

        public object? Invoke(TemplateContext context, ScriptNode? callerContext, ScriptArray arguments, ScriptBlockStatement? blockStatement)
        {
            var args = new List<object?>(arguments.Count);
            args.AddRange(arguments);
            int written = callerContext is ScriptFunctionCall call ? call.Arguments.Count : 0;
            if (args.Count > written && args.Count > 1)
            {
                // Scriban puts the piped value first; Go passes it last.
                var piped = args[0];
                args.RemoveAt(0);
                args.Add(piped);
            }
            try
            {
                return _body(args);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                throw new ScriptRuntimeException(callerContext?.Span ?? context.CurrentSpan, $"{_name}: {e.Message}");
            }
        }

        public ValueTask<object?> InvokeAsync(TemplateContext context, ScriptNode? callerContext, ScriptArray arguments,
            ScriptBlockStatement? blockStatement) => new(Invoke(context, callerContext, arguments, blockStatement));
    }
}
