using System.Collections;
using System.Runtime.CompilerServices;
using System.Text;
using LxdCompose.GoTemplates;
using LxdCompose.GoTemplates.Functions;
using LxdCompose.Templating.Functions;
using LxdCompose.Templating.Helm;
using Scriban;
using Scriban.Runtime;
using Scriban.Syntax;

namespace LxdCompose.Templating.Scriban;

/// <summary>Which Go engine a Scriban engine stands in for, and so which helper objects it gets.</summary>
public enum ScribanHelperProfile
{
    /// <summary>Spec files (render engine): <c>go</c>, <c>sprig</c> and <c>gosprig</c> (sprig v3 without env/expandenv), <c>helm</c>.</summary>
    SpecFile,

    /// <summary>config_templates (mottainai engine): <c>go</c>, <c>sprig</c> and <c>gosprig</c> (sprig v2), <c>mottainai</c>.</summary>
    ConfigTemplate,
}

/// <summary>
/// The helper objects of Scriban templates. Each member is the Go function of the same name (our Go engine's
/// implementation, called through its function table). <c>sprig</c> takes Scriban's argument order: the subject first,
/// so <c>x | sprig.replace "a" "b"</c> and <c>sprig.replace x "a" "b"</c> are Go's <c>replace "a" "b" x</c>
/// (<see cref="SprigScribanOrder"/>). <c>gosprig</c>, <c>go</c>, <c>helm</c> and <c>mottainai</c> take Go's order, for
/// converted Go templates: a Scriban pipe fills the LAST argument as a Go pipe does, so <c>x | gosprig.default "d"</c>
/// and <c>gosprig.default "d" x</c> (what the converter writes) are the same call.
/// </summary>
internal static class ScribanGoHelpers
{
    public const string GoName = "go";
    public const string SprigName = "sprig";
    public const string GoSprigName = "gosprig";
    public const string HelmName = "helm";
    public const string MottainaiName = "mottainai";

    /// <summary>Helm's additions (include needs the Go template set, so converted templates translate it instead).</summary>
    private static readonly string[] HelmOwn =
    [
        "toYaml", "toYamlPretty", "fromYaml", "fromYamlArray", "toJson", "fromJson", "fromJsonArray", "toToml",
        "fromToml", "tpl", "required", "fail", "lookup", "getHostByName",
    ];

    /// <summary>Helm's data helpers that sprig lacks; <c>sprig</c> and <c>gosprig</c> carry them in both profiles.</summary>
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
    private static readonly Lazy<GoFunctionTable> Helm = new(() => HelmSpecRenderer.CreateFunctionTable());
    private static readonly Lazy<GoFunctionTable> Mottainai = new(() =>
        MottainaiFunctions.Register(SprigFunctions.Register(GoFunctionTable.CreateWithBuiltins(), SprigVersion.V2)));

    /// <summary>How a helper object's members receive their arguments from Scriban.</summary>
    private delegate void ArgumentOrder(List<object?> args, bool piped);

    /// <summary>Go's order: Scriban puts a piped value first, Go passes it last.</summary>
    private static readonly ArgumentOrder GoOrder = (args, piped) =>
    {
        if (!piped || args.Count < 2)
        {
            return;
        }

        var value = args[0];
        args.RemoveAt(0);
        args.Add(value);
    };

    private static readonly Func<string, ArgumentOrder> GoOrderFor = _ => GoOrder;

    /// <summary>Scriban's order: the subject first, wherever Go takes it; a function missing from the table fails here.</summary>
    private static ArgumentOrder ScribanOrderFor(string function)
    {
        var subject = SprigScribanOrder.SubjectOf(function);
        return (args, _) => SprigScribanOrder.ToGoOrder(args, subject);
    }

    /// <summary>Adds the profile's helper objects to <paramref name="globals"/>.</summary>
    public static void AddTo(ScriptObject globals, ScribanHelperProfile profile)
    {
        globals.SetValue(GoName, CreateGo(), readOnly: true);
        globals.SetValue(SprigName, CreateSprig(profile, ScribanOrderFor), readOnly: true);
        globals.SetValue(GoSprigName, CreateSprig(profile, GoOrderFor), readOnly: true);
        if (profile == ScribanHelperProfile.SpecFile)
        {
            globals.SetValue(HelmName, FromTable(Helm.Value, HelmOwn, GoOrderFor), readOnly: true);
        }
        else
        {
            globals.SetValue(MottainaiName, FromTable(Mottainai.Value, MottainaiOwn, GoOrderFor), readOnly: true);
        }
    }

    /// <summary>The Go function behind <c>sprig.name</c> (and <c>gosprig.name</c>) of a profile.</summary>
    internal static bool TryGetSprigFunction(ScribanHelperProfile profile, string name, out GoFunction function)
    {
        foreach (var (table, names) in SprigMembers(profile))
        {
            if (names.Contains(name, StringComparer.Ordinal))
            {
                return table.TryGet(name, out function);
            }
        }

        function = null!;
        return false;
    }

    /// <summary>sprig's own functions (not Go's builtins, but its slice), then Helm's data helpers sprig lacks.</summary>
    private static IEnumerable<(GoFunctionTable Table, IReadOnlyList<string> Names)> SprigMembers(ScribanHelperProfile profile)
    {
        var sprig = profile == ScribanHelperProfile.SpecFile ? SprigV3.Value : SprigV2.Value;
        yield return (sprig, sprig.Names.Where(n => !Builtins.Value.Contains(n) || n == "slice").ToList());
        yield return (Helm.Value, SprigExtras.Where(n => !sprig.Contains(n)).ToList());
    }

    private static ScriptObject CreateSprig(ScribanHelperProfile profile, Func<string, ArgumentOrder> orderFor)
    {
        var result = new ScriptObject(StringComparer.Ordinal);
        foreach (var (table, names) in SprigMembers(profile))
        {
            AddFunctions(result, table, names, orderFor);
        }

        return result;
    }

    private static GoFunctionTable Without(GoFunctionTable table, params string[] names)
    {
        foreach (var name in names)
        {
            table.Remove(name);
        }

        return table;
    }

    private static ScriptObject CreateGo()
    {
        var go = FromTable(Builtins.Value, GoPrinters, GoOrderFor);
        go.SetValue("truth", new GoHelperFunction("truth", 1, GoOrder, args => GoValues.IsTrue(ToGo(args[0]))), readOnly: true);
        // Go's and/or return the deciding operand itself; all operands are already evaluated here.
        go.SetValue("and", new GoHelperFunction("and", -1, GoOrder, args =>
            args.FirstOrDefault(a => !GoValues.IsTrue(ToGo(a)), args.Count > 0 ? args[^1] : null)), readOnly: true);
        go.SetValue("or", new GoHelperFunction("or", -1, GoOrder, args =>
            args.FirstOrDefault(a => GoValues.IsTrue(ToGo(a)), args.Count > 0 ? args[^1] : null)), readOnly: true);
        go.SetValue(RangeMember, new GoHelperFunction(RangeMember, 1, GoOrder, args => RangeEntries(args[0])), readOnly: true);
        return go;
    }

    /// <summary>The member converted <c>range $k, $v := X</c> loops over: <c>for $e in (go.range X)</c>.</summary>
    public const string RangeMember = "range";

    /// <summary>
    /// What Go's two-variable range visits, as <c>{key, value}</c> objects: a list's index and element, a map's key and
    /// value in sorted key order (Go's order; Scriban would give insertion order and pairs), nothing for null.
    /// </summary>
    private static ScriptArray RangeEntries(object? collection)
    {
        static ScriptObject Entry(object? key, object? value)
        {
            var entry = new ScriptObject(StringComparer.Ordinal);
            entry.SetValue("key", key, readOnly: false);
            entry.SetValue("value", value, readOnly: false);
            return entry;
        }

        var entries = new ScriptArray();
        switch (collection)
        {
            case null:
                break;
            case string:
                throw new ArgumentException($"range can't iterate over {GoFormat.FormatValue(collection)}");
            case IDictionary<string, object?> map:
                foreach (var key in map.Keys.OrderBy(k => k, Comparer<string>.Create(string.CompareOrdinal)))
                {
                    entries.Add(Entry(key, map[key]));
                }

                break;
            case IDictionary map:
                foreach (var (key, value) in GoValues.SortedEntries(map))
                {
                    entries.Add(Entry(key, value));
                }

                break;
            case IEnumerable list:
                long index = 0;
                foreach (var item in list)
                {
                    entries.Add(Entry(index++, item));
                }

                break;
            default:
                // Go refuses an integer with two variables, and anything else that is not a collection.
                throw new ArgumentException($"can't use {GoFormat.FormatValue(ToGo(collection))} to iterate over more than one variable");
        }

        return entries;
    }

    private static ScriptObject FromTable(GoFunctionTable table, IEnumerable<string> names, Func<string, ArgumentOrder> orderFor)
    {
        var result = new ScriptObject(StringComparer.Ordinal);
        AddFunctions(result, table, names, orderFor);
        return result;
    }

    private static void AddFunctions(ScriptObject target, GoFunctionTable table, IEnumerable<string> names,
        Func<string, ArgumentOrder> orderFor)
    {
        foreach (var name in names)
        {
            if (!table.TryGet(name, out var function))
            {
                throw new InvalidOperationException($"no Go function {name} to wrap");
            }

            var context = CallContexts.GetValue(table, t => GoCallContext.Detached(t));
            target.SetValue(name, new GoHelperFunction(name, -1, orderFor(name), args => CallGo(function, context, args)), readOnly: true);
        }
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<GoFunctionTable, GoCallContext> CallContexts = new();

    /// <summary>Checks and converts the arguments like the Go executor does for a call, then calls the Go function.</summary>
    private static object? CallGo(GoFunction function, GoCallContext context, IReadOnlyList<object?> args)
    {
        int fixedCount = function.Parameters.Count;
        if (function.Variadic == null ? args.Count != fixedCount : args.Count < fixedCount)
        {
            throw new ArgumentException(function.Variadic == null
                ? $"wrong number of args for {function.Name}: want {fixedCount} got {args.Count}"
                : $"wrong number of args for {function.Name}: want at least {fixedCount} got {args.Count}");
        }

        var goArgs = new object?[args.Count];
        for (int i = 0; i < args.Count; i++)
        {
            goArgs[i] = Convert(ToGo(args[i]), i < fixedCount ? function.Parameters[i] : function.Variadic!);
        }

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
        if (type == GoType.Any || type == GoType.Value)
        {
            return value;
        }

        if (value == null)
        {
            if (type.CanBeNil)
            {
                return null;
            }

            throw new ArgumentException($"invalid value; expected {type.Name}");
        }
        if (type.Accepts(value))
        {
            return value;
        }

        object? converted = type.Name switch
        {
            "int" when value is double d && d == Math.Floor(d) && Math.Abs(d) < 9.2e18 => (long)d,
            "float64" when value is long l => (double)l,
            "uint32" when value is long l && l is >= 0 and <= uint.MaxValue => (uint)l,
            "[]string" when value is List<object?> list && list.All(x => x is string) => list.Cast<string>().ToList(),
            _ => null,
        };
        if (converted != null && type.Accepts(converted))
        {
            return converted;
        }

        throw new ArgumentException($"wrong type for value; expected {type.Name}; got {GoValues.TypeName(value)}");
    }

    /// <summary>Scriban values as the Go engine's data: maps, lists, long, double, string, bool.</summary>
    internal static object? ToGo(object? value) => StackGuard.Ensure(value) switch
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

    /// <summary>A Scriban function over a Go function body: <see cref="ArgumentOrder"/> turns Scriban's arguments into Go's.</summary>
    private sealed class GoHelperFunction : IScriptCustomFunction
    {
        private readonly string _name;
        private readonly int _parameterCount;
        private readonly ArgumentOrder _order;
        private readonly Func<IReadOnlyList<object?>, object?> _body;

        public GoHelperFunction(string name, int parameterCount, ArgumentOrder order, Func<IReadOnlyList<object?>, object?> body)
        {
            _name = name;
            _parameterCount = parameterCount;
            _order = order;
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
            _order(args, piped: args.Count > written);
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
