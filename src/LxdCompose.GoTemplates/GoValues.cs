// Port of the value rules of src/text/template/exec.go (indirect, isTrue, printableValue) and reflect type names (Go 1.24).
using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;

namespace LxdCompose.GoTemplates;

/// <summary>
/// Go's "invalid value": what a missing map key or absent data evaluates to. It prints as <c>&lt;no value&gt;</c>.
/// C# <c>null</c> stands for a nil interface value, which behaves differently (a field of it is an error).
/// Functions whose parameters are typed receive <c>null</c> instead; only <see cref="GoType.Value"/> parameters see it.
/// </summary>
public sealed class GoMissing
{
    public static readonly GoMissing Value = new();

    private GoMissing() { }

    public override string ToString() => "<no value>";
}

/// <summary>
/// A Go pointer to a map, list or struct, for data Go code passes by address (lxd-compose's mottainai engine executes
/// with <c>&amp;Values</c>). Templates see through it the way text/template does: field access, <c>index</c>, <c>len</c>,
/// <c>range</c> and typed function parameters (sprig's <c>hasKey</c>, <c>set</c>, <c>keys</c>…) use the target, while
/// <c>interface {}</c> parameters get the pointer itself, so <c>isMap</c> is false, <c>typeOf</c> is <c>*map[…]</c>,
/// truth is "not nil" and fmt prints <c>&amp;map[…]</c>. An action prints the target, as text/template indirects it.
/// </summary>
public sealed class GoPointer
{
    public GoPointer(object target)
    {
        ArgumentNullException.ThrowIfNull(target);
        // fmt prints only these as &value; a pointer to a number or string would print an address.
        if (target is GoMissing or GoPointer || GoValues.KindOf(target) != GoValues.BasicKind.Invalid)
        {
            throw new ArgumentException("A GoPointer points to a map, a list or a struct.", nameof(target));
        }

        Target = target;
    }

    public object Target { get; }

    /// <summary>The pointed-to value of a pointer (Go's indirect for a non-nil pointer); other values unchanged.</summary>
    public static object? Indirect(object? value) => value is GoPointer pointer ? pointer.Target : value;
}

/// <summary>Go's view of .NET values: type names, truth, kinds, map and list access.</summary>
public static class GoValues
{
    public static bool IsMissing(object? value) => value is GoMissing;

    /// <summary>The Go spelling of a value's type, as %T and error messages print it.</summary>
    public static string TypeName(object? value) => value switch
    {
        null or GoMissing => "<nil>",
        GoPointer pointer => "*" + TypeName(pointer.Target),
        _ => TypeName(value.GetType()),
    };

    private static readonly ConcurrentDictionary<Type, string> TypeNames = new();

    public static string TypeName(Type type) => TypeNames.GetOrAdd(type, ComputeTypeName);

    private static string ComputeTypeName(Type t)
    {
        if (t.GetCustomAttribute<GoTypeNameAttribute>() is { } named)
        {
            return named.Name;
        }

        if (t == typeof(long))
        {
            return "int";
        }

        if (t == typeof(int))
        {
            return "int32";
        }

        if (t == typeof(short))
        {
            return "int16";
        }

        if (t == typeof(sbyte))
        {
            return "int8";
        }

        if (t == typeof(ulong))
        {
            return "uint64";
        }

        if (t == typeof(uint))
        {
            return "uint32";
        }

        if (t == typeof(ushort))
        {
            return "uint16";
        }

        if (t == typeof(byte))
        {
            return "uint8";
        }

        if (t == typeof(char))
        {
            return "int32";
        }

        if (t == typeof(double))
        {
            return "float64";
        }

        if (t == typeof(float))
        {
            return "float32";
        }

        if (t == typeof(string))
        {
            return "string";
        }

        if (t == typeof(bool))
        {
            return "bool";
        }

        if (t == typeof(object))
        {
            return "interface {}";
        }

        if (t == typeof(DateTimeOffset) || t == typeof(DateTime))
        {
            return "time.Time";
        }

        if (typeof(GoFunction).IsAssignableFrom(t) || typeof(Delegate).IsAssignableFrom(t))
        {
            return "func";
        }

        if (t.IsArray)
        {
            return "[]" + TypeName(t.GetElementType()!);
        }

        var dict = FindGeneric(t, typeof(IDictionary<,>));
        if (dict != null)
        {
            return $"map[{TypeName(dict[0])}]{TypeName(dict[1])}";
        }

        if (typeof(IDictionary).IsAssignableFrom(t))
        {
            return "map[interface {}]interface {}";
        }

        var list = FindGeneric(t, typeof(IList<>));
        if (list != null)
        {
            return "[]" + TypeName(list[0]);
        }

        if (typeof(IList).IsAssignableFrom(t))
        {
            return "[]interface {}";
        }

        if (Nullable.GetUnderlyingType(t) is { } u)
        {
            return "*" + TypeName(u);
        }

        return t.IsValueType ? t.Name : "*" + t.Name;
    }

    internal static Type[]? FindGeneric(Type t, Type openInterface)
    {
        if (t.IsGenericType && t.GetGenericTypeDefinition() == openInterface)
        {
            return t.GetGenericArguments();
        }

        foreach (var i in t.GetInterfaces())
        {
            if (i.IsGenericType && i.GetGenericTypeDefinition() == openInterface)
            {
                return i.GetGenericArguments();
            }
        }

        return null;
    }

    /// <summary>Go truth: false, 0, nil, empty string/collection are false. Second value: whether truth is defined.</summary>
    public static bool IsTrue(object? value) => IsTrue(value, out _);

    internal static bool IsTrue(object? value, out bool ok)
    {
        ok = true;
        switch (value)
        {
            case null or GoMissing:
                return false;
            case bool b:
                return b;
            case string s:
                return s.Length != 0;
            case long l:
                return l != 0;
            case int i:
                return i != 0;
            case double d:
                return d != 0;
            case ulong ul:
                return ul != 0;
            case short sh:
                return sh != 0;
            case sbyte sb:
                return sb != 0;
            case uint ui:
                return ui != 0;
            case ushort us:
                return us != 0;
            case byte by:
                return by != 0;
            case char c:
                return c != 0;
            case float f:
                return f != 0;
            case ICollection coll:
                return coll.Count != 0;
            case GoFunction or Delegate or GoPointer:
                return true;
        }
        var countable = FindGeneric(value.GetType(), typeof(IReadOnlyCollection<>));
        if (countable != null)
        {
            var countProp = typeof(IReadOnlyCollection<>).MakeGenericType(countable).GetProperty("Count")!;
            return (int)countProp.GetValue(value)! != 0;
        }
        return true;
    }

    internal enum BasicKind { Invalid, Bool, Int, Float, String, Uint }

    internal static BasicKind KindOf(object? v) => v switch
    {
        bool => BasicKind.Bool,
        long or int or short or sbyte or char => BasicKind.Int,
        ulong or uint or ushort or byte => BasicKind.Uint,
        double or float => BasicKind.Float,
        string => BasicKind.String,
        _ => BasicKind.Invalid,
    };

    internal static bool IsInteger(object? v) => KindOf(v) is BasicKind.Int or BasicKind.Uint;

    internal static long ToInt64(object v) => v switch
    {
        long l => l,
        int i => i,
        short s => s,
        sbyte sb => sb,
        char c => c,
        _ => throw new InvalidCastException(),
    };

    internal static ulong ToUInt64(object v) => v switch
    {
        ulong u => u,
        uint u => u,
        ushort u => u,
        byte b => b,
        _ => throw new InvalidCastException(),
    };

    internal static double ToDouble(object v) => v switch
    {
        double d => d,
        float f => f,
        _ => throw new InvalidCastException(),
    };

    /// <summary>The zero value of a .NET type as Go would produce it (nil for reference types).</summary>
    internal static object? Zero(Type t)
    {
        if (t == typeof(string))
        {
            return "";
        }

        if (!t.IsValueType || t == typeof(object))
        {
            return null;
        }

        return Activator.CreateInstance(t);
    }

    /// <summary>Element type of a map (for missingkey=zero and index on a missing key).</summary>
    internal static Type MapValueType(object map)
    {
        var args = FindGeneric(map.GetType(), typeof(IDictionary<,>)) ??
                   FindGeneric(map.GetType(), typeof(IReadOnlyDictionary<,>));
        return args?[1] ?? typeof(object);
    }

    internal static Type MapKeyType(object map)
    {
        var args = FindGeneric(map.GetType(), typeof(IDictionary<,>)) ??
                   FindGeneric(map.GetType(), typeof(IReadOnlyDictionary<,>));
        return args?[0] ?? typeof(object);
    }

    internal static bool IsMap(object? v) => v is IDictionary;

    internal static bool IsList(object? v) => v is IList && v is not string;

    /// <summary>Map entries sorted as Go's fmt and range sort keys (numbers numerically, strings bytewise).</summary>
    public static List<KeyValuePair<object?, object?>> SortedEntries(IDictionary map)
    {
        var list = new List<KeyValuePair<object?, object?>>(map.Count);
        foreach (DictionaryEntry e in map)
        {
            list.Add(new KeyValuePair<object?, object?>(e.Key, e.Value));
        }

        list.Sort((a, b) => CompareKeys(a.Key, b.Key));
        return list;
    }

    internal static int CompareKeys(object? a, object? b)
    {
        var ka = KindOf(a);
        var kb = KindOf(b);
        if (ka == kb)
        {
            switch (ka)
            {
                case BasicKind.String:
                    return string.CompareOrdinal((string)a!, (string)b!);
                case BasicKind.Int:
                    return ToInt64(a!).CompareTo(ToInt64(b!));
                case BasicKind.Uint:
                    return ToUInt64(a!).CompareTo(ToUInt64(b!));
                case BasicKind.Float:
                    return ToDouble(a!).CompareTo(ToDouble(b!));
                case BasicKind.Bool:
                    return ((bool)a!).CompareTo((bool)b!);
            }
        }
        if (ka != kb)
        {
            return ka.CompareTo(kb);
        }

        return string.CompareOrdinal(a?.ToString(), b?.ToString());
    }

    /// <summary>Go's len(): UTF-8 bytes for strings, element count for lists and maps.</summary>
    internal static bool TryLength(object? v, out int length)
    {
        switch (v)
        {
            case string s:
                length = System.Text.Encoding.UTF8.GetByteCount(s);
                return true;
            case ICollection c:
                length = c.Count;
                return true;
        }
        length = 0;
        return false;
    }
}

/// <summary>
/// Field access on .NET objects: public properties and fields, cached per type. A name mapping lets templates use
/// other names than the .NET ones (for example yaml tags, or <c>Values</c>/<c>Chart</c> for Helm's context).
/// </summary>
public sealed class GoMemberAccess
{
    /// <summary>Members by their .NET names.</summary>
    public static readonly GoMemberAccess Default = new(null);

    private readonly Func<MemberInfo, IEnumerable<string>>? _names;
    private readonly ConcurrentDictionary<Type, Dictionary<string, Func<object, object?>>> _cache = new();

    /// <param name="names">Names under which a member is visible in templates; null means its .NET name only.</param>
    public GoMemberAccess(Func<MemberInfo, IEnumerable<string>>? names) => _names = names;

    internal bool TryGet(object target, string name, out object? value)
    {
        var members = _cache.GetOrAdd(target.GetType(), Build);
        if (members.TryGetValue(name, out var getter))
        {
            value = getter(target);
            return true;
        }
        value = null;
        return false;
    }

    /// <summary>Visible members in declaration order, for printing objects like Go structs.</summary>
    internal IEnumerable<KeyValuePair<string, Func<object, object?>>> Members(Type type)
    {
        var members = _cache.GetOrAdd(type, Build);
        var seen = new HashSet<Func<object, object?>>();
        foreach (var kv in members)
        {
            if (seen.Add(kv.Value))
            {
                yield return kv;
            }
        }
    }

    private Dictionary<string, Func<object, object?>> Build(Type type)
    {
        var result = new Dictionary<string, Func<object, object?>>(StringComparer.Ordinal);
        foreach (var member in type.GetMembers(BindingFlags.Public | BindingFlags.Instance))
        {
            Func<object, object?>? getter = member switch
            {
                PropertyInfo p when p.CanRead && p.GetIndexParameters().Length == 0 => p.GetValue,
                FieldInfo f => f.GetValue,
                _ => null,
            };
            if (getter == null)
            {
                continue;
            }

            var names = _names?.Invoke(member) ?? [member.Name];
            foreach (var n in names)
            {
                result.TryAdd(n, getter);
            }
        }
        return result;
    }
}

/// <summary>The Go type name a .NET type stands for in messages and <c>typeOf</c> (<c>*semver.Version</c>).</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false)]
public sealed class GoTypeNameAttribute : Attribute
{
    public GoTypeNameAttribute(string name) => Name = name;

    public string Name { get; }
}

/// <summary>
/// A value with Go methods that take arguments, such as <c>(semver "1.2.3").Compare $other</c>. Methods without
/// arguments are plain properties, which templates already read as fields.
/// </summary>
public interface IGoMethods
{
    /// <summary>The method bound to this value, or null when it has none of that name.</summary>
    GoFunction? FindMethod(string name);
}
