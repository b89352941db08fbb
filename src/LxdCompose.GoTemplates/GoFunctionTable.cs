// Port of src/text/template/funcs.go (Go 1.24).
using System.Collections;
using System.Text;

namespace LxdCompose.GoTemplates;

/// <summary>
/// A parameter type with Go's assignability rules. Literal arguments are checked the way Go checks constants
/// (an int literal is not a string), evaluated values must have a matching .NET type.
/// </summary>
public sealed class GoType
{
    internal enum TypeKind { Value, Any, String, Bool, Int, Uint, Float, Other }

    private readonly Func<object, bool> _accepts;

    private GoType(string name, TypeKind kind, bool canBeNil, Func<object, bool> accepts)
    {
        Name = name;
        Kind = kind;
        CanBeNil = canBeNil;
        _accepts = accepts;
    }

    /// <summary>Go spelling of the type, used in error messages.</summary>
    public string Name { get; }

    /// <summary>Whether nil (and a missing value) may be passed.</summary>
    public bool CanBeNil { get; }

    internal TypeKind Kind { get; }

    public bool Accepts(object value) => _accepts(value);

    /// <summary>Go's reflect.Value parameter of builtins: anything, and a missing value stays <see cref="GoMissing"/>.</summary>
    public static readonly GoType Value = new("reflect.Value", TypeKind.Value, true, _ => true);

    /// <summary>interface{}: anything; a missing value arrives as null.</summary>
    public static readonly GoType Any = new("interface {}", TypeKind.Any, true, _ => true);

    public static readonly GoType String = new("string", TypeKind.String, false, v => v is string);

    public static readonly GoType Bool = new("bool", TypeKind.Bool, false, v => v is bool);

    /// <summary>Go int, which is a .NET long here.</summary>
    public static readonly GoType Int = new("int", TypeKind.Int, false, v => v is long);

    /// <summary>Go uint32 (.NET uint): literals convert like Go's reflect.SetUint (truncating), values must be uint.</summary>
    public static readonly GoType UInt32 = new("uint32", TypeKind.Uint, false, v => v is uint);

    public static readonly GoType Float64 = new("float64", TypeKind.Float, false, v => v is double);

    /// <summary>[]interface{}: YAML lists.</summary>
    public static readonly GoType ListOfAny = new("[]interface {}", TypeKind.Other, true,
        v => v is List<object?> or object?[]);

    public static readonly GoType ListOfString = new("[]string", TypeKind.Other, true,
        v => v is List<string> or string[]);

    /// <summary>map[string]interface{}: YAML mappings.</summary>
    public static readonly GoType MapOfAny = new("map[string]interface {}", TypeKind.Other, true,
        v => v is IDictionary<string, object?>);

    /// <summary>A custom type: <paramref name="accepts"/> decides which evaluated values are assignable.</summary>
    public static GoType Custom(string name, bool canBeNil, Func<object, bool> accepts) =>
        new(name, TypeKind.Other, canBeNil, accepts);

    public override string ToString() => Name;
}

/// <summary>
/// A template function body. <paramref name="args"/> holds fixed then variadic arguments, already checked and
/// converted to the declared types. Return the result; throw <see cref="GoFunctionException"/> to return an error.
/// </summary>
public delegate object? GoFunctionBody(GoCallContext context, object?[] args);

/// <summary>A named function callable from templates, with a Go-like signature.</summary>
public sealed class GoFunction
{
    internal enum SpecialKind { None, And, Or, Call }

    public GoFunction(string name, GoFunctionBody body, IReadOnlyList<GoType> parameters, GoType? variadic = null)
    {
        Name = name;
        Body = body;
        Parameters = parameters;
        Variadic = variadic;
    }

    public string Name { get; }
    public GoFunctionBody Body { get; }

    /// <summary>Fixed parameters.</summary>
    public IReadOnlyList<GoType> Parameters { get; }

    /// <summary>Element type of the trailing variadic parameter, or null.</summary>
    public GoType? Variadic { get; }

    internal SpecialKind Special { get; init; }

    /// <summary>Argument type for position <paramref name="i"/>.</summary>
    internal GoType ParameterAt(int i) => i < Parameters.Count ? Parameters[i] : Variadic!;
}

/// <summary>What a function sees of the running template: the template set, options, and a way to run templates.</summary>
public sealed class GoCallContext
{
    private readonly GoExecutor _executor;

    internal GoCallContext(GoExecutor executor) => _executor = executor;

    /// <summary>
    /// A context for calls from outside a Go template run (the Scriban helpers): an empty template set over
    /// <paramref name="functions"/>, so include finds nothing and tpl parses into a fresh set.
    /// </summary>
    public static GoCallContext Detached(GoFunctionTable functions) =>
        new(new GoExecutor(new GoTemplate("detached", functions), GoExecuteOptions.Defaults, new StringBuilder()));

    public GoTemplate Template => _executor.TemplateSet;

    public GoExecuteOptions Options => _executor.Options;

    public CancellationToken CancellationToken => _executor.Options.CancellationToken;

    /// <summary>Source text of the call's i-th argument when it was written in the template (null for a piped value).</summary>
    public string? ArgumentText(int index) => _executor.CurrentArgumentText(index);

    /// <summary>Executes another template of the set into a string (Helm's include), sharing depth and options.</summary>
    public string ExecuteTemplate(string name, object? data) => _executor.ExecuteNested(name, data);

    /// <summary>Executes a template of another set (Helm's tpl: a copy of this one) one level deeper than this call.</summary>
    public string ExecuteTemplateIn(GoTemplate set, string name, object? data) => _executor.ExecuteNestedIn(set, name, data);
}

/// <summary>Name → function. Builtins come first; engine profiles add or replace functions.</summary>
public sealed class GoFunctionTable
{
    private readonly Dictionary<string, GoFunction> _functions;

    private GoFunctionTable(Dictionary<string, GoFunction> functions) => _functions = functions;

    /// <summary>A table with Go's builtin functions (and, or, not, len, index, slice, print…, eq…, html, js, urlquery, call).</summary>
    public static GoFunctionTable CreateWithBuiltins()
    {
        var t = new GoFunctionTable(new Dictionary<string, GoFunction>(StringComparer.Ordinal));
        GoBuiltins.Register(t);
        return t;
    }

    /// <summary>An independent copy that can be extended without changing this table.</summary>
    public GoFunctionTable Clone() => new(new Dictionary<string, GoFunction>(_functions, StringComparer.Ordinal));

    public GoFunctionTable Add(GoFunction function)
    {
        if (!IsValidName(function.Name))
        {
            throw new ArgumentException($"function name {GoFormat.Quote(function.Name)} is not a valid identifier");
        }

        _functions[function.Name] = function;
        return this;
    }

    public GoFunctionTable Add(string name, GoFunctionBody body, GoType[] parameters, GoType? variadic = null) =>
        Add(new GoFunction(name, body, parameters, variadic));

    /// <summary>Removes a function (Helm deletes sprig's env and expandenv this way); true when it was there.</summary>
    public bool Remove(string name) => _functions.Remove(name);

    public bool Contains(string name) => _functions.ContainsKey(name);

    public bool TryGet(string name, out GoFunction function) => _functions.TryGetValue(name, out function!);

    public IEnumerable<string> Names => _functions.Keys;

    private static bool IsValidName(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }

        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (i == 0 && char.IsDigit(c))
            {
                return false;
            }

            if (!(c == '_' || char.IsLetter(c) || char.IsDigit(c)))
            {
                return false;
            }
        }
        return true;
    }
}

/// <summary>Go's builtin template functions.</summary>
internal static class GoBuiltins
{
    public static void Register(GoFunctionTable t)
    {
        var value = GoType.Value;
        t.Add(new GoFunction("and", (_, _) => null, [value], value) { Special = GoFunction.SpecialKind.And });
        t.Add(new GoFunction("or", (_, _) => null, [value], value) { Special = GoFunction.SpecialKind.Or });
        t.Add(new GoFunction("call", Call, [value], value) { Special = GoFunction.SpecialKind.Call });
        t.Add("not", (_, a) => !GoValues.IsTrue(a[0]), [value]);
        t.Add("len", Length, [value]);
        t.Add("index", Index, [value], value);
        t.Add("slice", Slice, [value], value);
        t.Add("print", (_, a) => GoFormat.Sprint(a), [], GoType.Any);
        t.Add("println", (_, a) => GoFormat.Sprintln(a), [], GoType.Any);
        t.Add("printf", (_, a) => GoFormat.Sprintf((string)a[0]!, a.AsSpan(1).ToArray()), [GoType.String], GoType.Any);
        t.Add("html", (_, a) => HtmlEscape(EvalArgs(a)), [], GoType.Any);
        t.Add("js", (_, a) => JsEscape(EvalArgs(a)), [], GoType.Any);
        t.Add("urlquery", (_, a) => QueryEscape(EvalArgs(a)), [], GoType.Any);
        t.Add("eq", Eq, [value], value);
        t.Add("ne", (_, a) => !(bool)Eq(null!, a), [value, value]);
        t.Add("lt", (_, a) => Less(a[0], a[1]), [value, value]);
        t.Add("le", (_, a) => Less(a[0], a[1]) || (bool)Eq(null!, a), [value, value]);
        t.Add("gt", (_, a) => !(Less(a[0], a[1]) || (bool)Eq(null!, a)), [value, value]);
        t.Add("ge", (_, a) => !Less(a[0], a[1]), [value, value]);
    }

    private static object? Unwrap(object? v) => v is GoMissing ? null : v;

    private static object Length(GoCallContext _, object?[] a)
    {
        var item = GoPointer.Indirect(a[0]);
        if (item is null or GoMissing)
        {
            throw new GoFunctionException("len of nil pointer");
        }

        if (GoValues.TryLength(item, out int n))
        {
            return (long)n;
        }

        throw new GoFunctionException($"len of type {GoValues.TypeName(item)}");
    }

    private static int IndexArg(object? index, int cap)
    {
        long x;
        switch (GoValues.KindOf(index))
        {
            case GoValues.BasicKind.Int:
                x = GoValues.ToInt64(index!);
                break;
            case GoValues.BasicKind.Uint:
                ulong u = GoValues.ToUInt64(index!);
                x = u > long.MaxValue ? -1 : (long)u;
                break;
            default:
                if (index is null or GoMissing)
                {
                    throw new GoFunctionException("cannot index slice/array with nil");
                }

                throw new GoFunctionException($"cannot index slice/array with type {GoValues.TypeName(index)}");
        }
        if (x < 0 || x > cap)
        {
            throw new GoFunctionException($"index out of range: {x}");
        }

        return (int)x;
    }

    private static object? Index(GoCallContext _, object?[] a)
    {
        object? item = a[0];
        if (item is null or GoMissing)
        {
            throw new GoFunctionException("index of untyped nil");
        }

        for (int i = 1; i < a.Length; i++)
        {
            var index = a[i];
            item = GoPointer.Indirect(item);
            if (item == null)
            {
                throw new GoFunctionException("index of nil pointer");
            }

            switch (item)
            {
                case string s:
                {
                    var bytes = Encoding.UTF8.GetBytes(s);
                    int x = IndexArg(index, bytes.Length);
                    if (x == bytes.Length)
                    {
                        throw new GoFunctionException($"index out of range: {x}");
                    }

                    item = bytes[x];
                    break;
                }
                case IList list:
                {
                    int x = IndexArg(index, list.Count);
                    if (x == list.Count)
                    {
                        throw new GoFunctionException($"index out of range: {x}");
                    }

                    item = list[x];
                    break;
                }
                case IDictionary map:
                {
                    var key = PrepareMapKey(index, map);
                    item = map.Contains(key) ? map[key] : GoValues.Zero(GoValues.MapValueType(map));
                    break;
                }
                default:
                    throw new GoFunctionException($"can't index item of type {GoValues.TypeName(item)}");
            }
        }
        return item;
    }

    /// <summary>Go's prepareArg for map keys: assignable, or an integer converted to an integer key type.</summary>
    private static object PrepareMapKey(object? index, IDictionary map)
    {
        var keyType = GoValues.MapKeyType(map);
        if (index is null or GoMissing)
        {
            if (keyType.IsValueType || keyType == typeof(string))
            {
                throw new GoFunctionException($"value is nil; should be of type {GoValues.TypeName(keyType)}");
            }

            throw new GoFunctionException("value is nil; map keys cannot be nil");
        }
        // An interface-keyed map (YAML keys that are not all strings) hashes the key itself: Go panics on lists and maps.
        if (keyType == typeof(object) && index is IList or IDictionary or GoFunction && index is not string)
        {
            throw new GoFunctionException($"runtime error: hash of unhashable type {GoValues.TypeName(index)}");
        }

        if (keyType.IsInstanceOfType(index))
        {
            return index;
        }

        if (GoValues.IsInteger(index) && GoValues.KindOf(GoValues.Zero(keyType)) is GoValues.BasicKind.Int or GoValues.BasicKind.Uint)
        {
            try
            {
                return Convert.ChangeType(index, keyType, System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (OverflowException)
            {
                // Go converts with wrap-around; an out-of-range key simply is not present.
                return unchecked((object)0);
            }
        }
        throw new GoFunctionException(
            $"value has type {GoValues.TypeName(index)}; should be {GoValues.TypeName(keyType)}");
    }

    private static object? Slice(GoCallContext _, object?[] a)
    {
        var item = a[0];
        if (item is null or GoMissing)
        {
            throw new GoFunctionException("slice of untyped nil");
        }

        int nIdx = a.Length - 1;
        if (nIdx > 3)
        {
            throw new GoFunctionException($"too many slice indexes: {nIdx}");
        }

        int len, cap;
        byte[]? bytes = null;
        IList? list = null;
        switch (item)
        {
            case string s:
                if (nIdx == 3)
                {
                    throw new GoFunctionException("cannot 3-index slice a string");
                }

                bytes = Encoding.UTF8.GetBytes(s);
                len = cap = bytes.Length;
                break;
            case IList l:
                list = l;
                len = cap = l.Count;
                break;
            default:
                throw new GoFunctionException($"can't slice item of type {GoValues.TypeName(item)}");
        }
        int[] idx = [0, len, 0];
        for (int i = 0; i < nIdx; i++)
        {
            idx[i] = IndexArg(a[i + 1], cap);
        }

        if (idx[0] > idx[1])
        {
            throw new GoFunctionException($"invalid slice index: {idx[0]} > {idx[1]}");
        }

        if (nIdx == 3 && idx[1] > idx[2])
        {
            throw new GoFunctionException($"invalid slice index: {idx[1]} > {idx[2]}");
        }

        if (bytes != null)
        {
            return Encoding.UTF8.GetString(bytes, idx[0], idx[1] - idx[0]);
        }

        var result = new List<object?>(idx[1] - idx[0]);
        for (int i = idx[0]; i < idx[1]; i++)
        {
            result.Add(list![i]);
        }

        return result;
    }

    private static object Eq(GoCallContext _, object?[] a)
    {
        var arg1 = Unwrap(a[0]);
        if (a.Length < 2)
        {
            throw new GoFunctionException("missing argument for comparison");
        }

        var k1 = GoValues.KindOf(arg1);
        for (int i = 1; i < a.Length; i++)
        {
            var arg = Unwrap(a[i]);
            var k2 = GoValues.KindOf(arg);
            bool truth = false;
            if (k1 != k2)
            {
                if (k1 == GoValues.BasicKind.Int && k2 == GoValues.BasicKind.Uint)
                {
                    truth = GoValues.ToInt64(arg1!) >= 0 && (ulong)GoValues.ToInt64(arg1!) == GoValues.ToUInt64(arg!);
                }
                else if (k1 == GoValues.BasicKind.Uint && k2 == GoValues.BasicKind.Int)
                {
                    truth = GoValues.ToInt64(arg!) >= 0 && GoValues.ToUInt64(arg1!) == (ulong)GoValues.ToInt64(arg!);
                }
                else if (arg1 != null && arg != null)
                {
                    throw new GoFunctionException(
                        $"incompatible types for comparison: {GoValues.TypeName(arg1)} and {GoValues.TypeName(arg)}");
                }
            }
            else
            {
                switch (k1)
                {
                    case GoValues.BasicKind.Bool:
                        truth = (bool)arg1! == (bool)arg!;
                        break;
                    case GoValues.BasicKind.Float:
                        truth = GoValues.ToDouble(arg1!) == GoValues.ToDouble(arg!);
                        break;
                    case GoValues.BasicKind.Int:
                        truth = GoValues.ToInt64(arg1!) == GoValues.ToInt64(arg!);
                        break;
                    case GoValues.BasicKind.Uint:
                        truth = GoValues.ToUInt64(arg1!) == GoValues.ToUInt64(arg!);
                        break;
                    case GoValues.BasicKind.String:
                        truth = (string)arg1! == (string)arg!;
                        break;
                    default:
                        if (arg1 == null || arg == null)
                        {
                            truth = arg1 == null && arg == null;
                        }
                        else
                        {
                            if (arg1 is ICollection || arg is ICollection || arg1 is GoFunction || arg is GoFunction ||
                                arg1 is Delegate || arg is Delegate)
                            {
                                if (arg1.GetType() != arg.GetType())
                                {
                                    throw new GoFunctionException(
                                        $"non-comparable types {GoFormat.FormatValue(arg1)}: {GoValues.TypeName(arg1)}, {GoValues.TypeName(arg)}: {GoFormat.FormatValue(arg)}");
                                }

                                throw new GoFunctionException(
                                    $"non-comparable type {GoFormat.FormatValue(arg)}: {GoValues.TypeName(arg)}");
                            }
                            if (arg1.GetType() != arg.GetType())
                            {
                                throw new GoFunctionException(
                                    $"incompatible types for comparison: {GoValues.TypeName(arg1)} and {GoValues.TypeName(arg)}");
                            }

                            truth = arg1.Equals(arg);
                        }
                        break;
                }
            }
            if (truth)
            {
                return true;
            }
        }
        return false;
    }

    private static bool Less(object? a1, object? a2)
    {
        var arg1 = Unwrap(a1);
        var arg2 = Unwrap(a2);
        var k1 = GoValues.KindOf(arg1);
        if (k1 == GoValues.BasicKind.Invalid)
        {
            throw new GoFunctionException("invalid type for comparison");
        }

        var k2 = GoValues.KindOf(arg2);
        if (k2 == GoValues.BasicKind.Invalid)
        {
            throw new GoFunctionException("invalid type for comparison");
        }

        if (k1 != k2)
        {
            if (k1 == GoValues.BasicKind.Int && k2 == GoValues.BasicKind.Uint)
            {
                return GoValues.ToInt64(arg1!) < 0 || (ulong)GoValues.ToInt64(arg1!) < GoValues.ToUInt64(arg2!);
            }

            if (k1 == GoValues.BasicKind.Uint && k2 == GoValues.BasicKind.Int)
            {
                return GoValues.ToInt64(arg2!) >= 0 && GoValues.ToUInt64(arg1!) < (ulong)GoValues.ToInt64(arg2!);
            }

            throw new GoFunctionException(
                $"incompatible types for comparison: {GoValues.TypeName(arg1)} and {GoValues.TypeName(arg2)}");
        }
        return k1 switch
        {
            GoValues.BasicKind.Bool => throw new GoFunctionException("invalid type for comparison"),
            GoValues.BasicKind.Float => GoValues.ToDouble(arg1!) < GoValues.ToDouble(arg2!),
            GoValues.BasicKind.Int => GoValues.ToInt64(arg1!) < GoValues.ToInt64(arg2!),
            GoValues.BasicKind.Uint => GoValues.ToUInt64(arg1!) < GoValues.ToUInt64(arg2!),
            _ => string.CompareOrdinal((string)arg1!, (string)arg2!) < 0,
        };
    }

    private static object? Call(GoCallContext context, object?[] a)
    {
        var fn = Unwrap(a[0]);
        string name = context.ArgumentText(0) ?? "function";
        if (fn == null)
        {
            throw new GoFunctionException("call of nil");
        }

        var args = a.AsSpan(1).ToArray();
        switch (fn)
        {
            case GoFunction gf:
            {
                int fixedCount = gf.Parameters.Count;
                if (gf.Variadic != null ? args.Length < fixedCount : args.Length != fixedCount)
                {
                    throw new GoFunctionException(gf.Variadic != null
                        ? $"wrong number of args for {name}: got {args.Length} want at least {fixedCount}"
                        : $"wrong number of args for {name}: got {args.Length} want {fixedCount}");
                }

                for (int i = 0; i < args.Length; i++)
                {
                    var type = gf.ParameterAt(i);
                    var arg = Unwrap(args[i]);
                    if (arg == null)
                    {
                        if (!type.CanBeNil)
                        {
                            throw new GoFunctionException($"arg {i}: value is nil; should be of type {type}");
                        }

                        args[i] = type.Kind == GoType.TypeKind.Value ? args[i] : null;
                        continue;
                    }
                    if (!type.Accepts(arg))
                    {
                        throw new GoFunctionException($"arg {i}: value has type {GoValues.TypeName(arg)}; should be {type}");
                    }

                    args[i] = arg;
                }
                return gf.Body(context, args);
            }
            case Delegate d:
            {
                var ps = d.Method.GetParameters();
                if (args.Length != ps.Length)
                {
                    throw new GoFunctionException($"wrong number of args for {name}: got {args.Length} want {ps.Length}");
                }

                var converted = new object?[args.Length];
                for (int i = 0; i < args.Length; i++)
                {
                    var arg = Unwrap(args[i]);
                    var pt = ps[i].ParameterType;
                    if (arg == null)
                    {
                        if (pt.IsValueType && Nullable.GetUnderlyingType(pt) == null)
                        {
                            throw new GoFunctionException($"arg {i}: value is nil; should be of type {GoValues.TypeName(pt)}");
                        }

                        continue;
                    }
                    if (!pt.IsInstanceOfType(arg))
                    {
                        throw new GoFunctionException($"arg {i}: value has type {GoValues.TypeName(arg)}; should be {GoValues.TypeName(pt)}");
                    }

                    converted[i] = arg;
                }
                try
                {
                    return d.DynamicInvoke(converted);
                }
                catch (System.Reflection.TargetInvocationException e) when (e.InnerException != null)
                {
                    throw new GoFunctionException(e.InnerException.Message, e.InnerException);
                }
            }
            default:
                throw new GoFunctionException($"non-function {name} of type {GoValues.TypeName(fn)}");
        }
    }

    /// <summary>Go's evalArgs: one string passes through; otherwise Sprint with nil shown as &lt;no value&gt;.</summary>
    private static string EvalArgs(object?[] args)
    {
        if (args.Length == 1 && args[0] is string s)
        {
            return s;
        }

        var printable = new object?[args.Length];
        for (int i = 0; i < args.Length; i++)
        {
            printable[i] = args[i] is null or GoMissing ? "<no value>" : args[i];
        }

        return GoFormat.Sprint(printable);
    }

    internal static string HtmlEscape(string s)
    {
        if (s.IndexOfAny(['\'', '"', '&', '<', '>', '\0']) < 0)
        {
            return s;
        }

        var sb = new StringBuilder(s.Length + 16);
        foreach (char c in s)
        {
            sb.Append(c switch
            {
                '\0' => "\uFFFD",
                '"' => "&#34;",
                '\'' => "&#39;",
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                _ => c.ToString(),
            });
        }
        return sb.ToString();
    }

    internal static string JsEscape(string s)
    {
        var sb = new StringBuilder(s.Length + 16);
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            switch (c)
            {
                case '\\':
                    sb.Append(@"\\");
                    continue;
                case '\'':
                    sb.Append(@"\'");
                    continue;
                case '"':
                    sb.Append("\\\"");
                    continue;
                case '<':
                    sb.Append(@"\u003C");
                    continue;
                case '>':
                    sb.Append(@"\u003E");
                    continue;
                case '&':
                    sb.Append(@"\u0026");
                    continue;
                case '=':
                    sb.Append(@"\u003D");
                    continue;
            }
            if (c < ' ')
            {
                sb.Append(@"\u00").Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
                continue;
            }
            if (c < 0x80)
            {
                sb.Append(c);
                continue;
            }
            int r = c;
            int width = 1;
            if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                r = char.ConvertToUtf32(c, s[i + 1]);
                width = 2;
            }
            if (GoFormat.IsPrint(r))
            {
                sb.Append(s, i, width);
            }
            else
            {
                sb.Append(@"\u").Append(r.ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
            }

            i += width - 1;
        }
        return sb.ToString();
    }

    /// <summary>url.QueryEscape: spaces become +, everything but unreserved characters is %XX-escaped.</summary>
    internal static string QueryEscape(string s)
    {
        var sb = new StringBuilder(s.Length * 3);
        foreach (byte b in Encoding.UTF8.GetBytes(s))
        {
            char c = (char)b;
            if (c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '-' or '_' or '.' or '~')
            {
                sb.Append(c);
            }
            else if (c == ' ')
            {
                sb.Append('+');
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return sb.ToString();
    }
}
