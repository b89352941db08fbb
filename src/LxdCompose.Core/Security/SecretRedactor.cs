using System.Collections;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace LxdCompose.Security;

/// <summary>
/// Makes the copy of an object that the module reports: every string in it, at any depth (properties, lists, maps,
/// nested objects, exceptions and their inner exceptions), with secret values masked, and the value of a map entry whose
/// key is a secret name masked whole (a server's <c>environment.DB_PASSWORD</c> the specs never mentioned). The object
/// itself is left alone: the engine goes on using the real values. Objects without anything to mask come back as they
/// are, so reports of runs without secrets cost one walk.
/// </summary>
/// <remarks>
/// It walks fields, not properties: computed properties (a node's instance name) follow from the masked fields, and
/// init-only or private state is reached too. Types it does not know how to copy are reported as they are, or, with
/// <see cref="Strict"/>, refused, so a test can prove every output type is covered.
/// </remarks>
public sealed class SecretRedactor
{
    private static readonly MethodInfo MemberwiseCloneMethod =
        typeof(object).GetMethod("MemberwiseClone", BindingFlags.Instance | BindingFlags.NonPublic)!;

    private static readonly ConditionalWeakTable<Type, FieldInfo[]> FieldsOfType = new();

    private readonly Func<string, string> _maskText;
    private readonly Func<string, bool> _isSecretName;
    private readonly Dictionary<object, object> _copies = new(ReferenceEqualityComparer.Instance);

    public SecretRedactor(Func<string, string> maskText, Func<string, bool> isSecretName)
    {
        _maskText = maskText;
        _isSecretName = isSecretName;
    }

    public SecretRedactor(SecretValues secrets)
        : this(secrets.MaskText, secrets.Names.IsSecretName)
    {
    }

    /// <summary>Refuse types the redactor cannot look into, instead of reporting them as they are (tests).</summary>
    public bool Strict { get; init; }

    /// <summary>The masked copy of <paramref name="value"/>, or <paramref name="value"/> itself when nothing in it is secret.</summary>
    public object? Redact(object? value) => Copy(value, secretName: false);

    private object? Copy(object? value, bool secretName)
    {
        switch (value)
        {
            case null:
                return null;
            case string text:
                return secretName && text.Length > 0 ? SecretValues.Mask : _maskText(text);
        }

        var type = value.GetType();
        if (IsAtomic(type) || type == typeof(object))
        {
            return value;
        }

        if (secretName && value is IFormattable and not IDictionary and not IEnumerable)
        {
            // A number under a secret name (a PIN, a port that is a token): masked like a string.
            return SecretValues.Mask;
        }

        if (_copies.TryGetValue(value, out var done))
        {
            return done;
        }

        // A cycle reaches this object again while it is being copied: the original stands in for itself.
        _copies[value] = value;
        var copy = value switch
        {
            Uri uri => CopyUri(uri),
            Array array => CopyArray(array, secretName),
            IDictionary map => CopyDictionary(map, type),
            IList list when type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) => CopyList(list, type, secretName),
            _ when type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ReadOnlyCollection<>) =>
                CopyReadOnlyCollection((IList)value, type, secretName),
            _ when IsWalkable(type) => CopyFields(value, type),
            _ when Strict => throw new NotSupportedException($"SecretRedactor cannot look into {type.FullName}."),
            _ => value,
        };
        _copies[value] = copy;
        return copy;
    }

    private static bool IsAtomic(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(decimal) || type == typeof(DateTime) || type == typeof(DateTimeOffset)
        || type == typeof(TimeSpan) || type == typeof(Guid) || type == typeof(Version) || type == typeof(CultureInfo)
        || typeof(Delegate).IsAssignableFrom(type) || typeof(MemberInfo).IsAssignableFrom(type)
        || type == typeof(CancellationToken) || type.IsPointer
        || type == typeof(IntPtr) || type == typeof(UIntPtr);

    /// <summary>The module's own types, exceptions, and value pairs: copied field by field.</summary>
    private static bool IsWalkable(Type type) =>
        type.Namespace is { } ns && (ns == "LxdCompose" || ns.StartsWith("LxdCompose.", StringComparison.Ordinal))
        || typeof(Exception).IsAssignableFrom(type)
        || (type.IsGenericType && type.GetGenericTypeDefinition() is var definition
            && (definition == typeof(KeyValuePair<,>) || definition.FullName!.StartsWith("System.ValueTuple`", StringComparison.Ordinal)
                || definition.FullName!.StartsWith("System.Tuple`", StringComparison.Ordinal)));

    private object CopyFields(object value, Type type)
    {
        var fields = FieldsOfType.GetValue(type, AllInstanceFields);
        object? copy = null;
        foreach (var field in fields)
        {
            var original = field.GetValue(value);
            var masked = Copy(original, secretName: false);
            if (ReferenceEquals(masked, original) || (masked is not null && masked.GetType().IsValueType && masked.Equals(original)))
            {
                continue;
            }

            if (masked is not null && !field.FieldType.IsInstanceOfType(masked))
            {
                // Only a collection kind the redactor does not know ends here; the strict tests keep that from happening.
                return Strict
                    ? throw new NotSupportedException($"SecretRedactor cannot copy {field.FieldType.FullName} of {type.FullName}.")
                    : value;
            }

            copy ??= MemberwiseCloneMethod.Invoke(value, null)!;
            field.SetValue(copy, masked);
        }

        return copy ?? value;
    }

    private static FieldInfo[] AllInstanceFields(Type type)
    {
        var fields = new List<FieldInfo>();
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            fields.AddRange(t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly));
        }

        return fields.ToArray();
    }

    private object CopyUri(Uri uri)
    {
        var masked = _maskText(uri.OriginalString);
        return masked == uri.OriginalString ? uri : new Uri(masked, UriKind.RelativeOrAbsolute);
    }

    private object CopyArray(Array array, bool secretName)
    {
        if (array.Rank != 1 || IsAtomic(array.GetType().GetElementType()!))
        {
            return array;
        }

        Array? copy = null;
        for (var i = 0; i < array.Length; i++)
        {
            var original = array.GetValue(i);
            var masked = Copy(original, secretName);
            if (!ReferenceEquals(masked, original) && !Equals(masked, original))
            {
                copy ??= (Array)array.Clone();
                copy.SetValue(masked, i);
            }
        }

        return copy ?? array;
    }

    private object CopyList(IList list, Type type, bool secretName)
    {
        var items = new object?[list.Count];
        var changed = false;
        for (var i = 0; i < list.Count; i++)
        {
            items[i] = Copy(list[i], secretName);
            changed |= !ReferenceEquals(items[i], list[i]) && !Equals(items[i], list[i]);
        }

        if (!changed)
        {
            return list;
        }

        var copy = (IList)Activator.CreateInstance(type, list.Count)!;
        foreach (var item in items)
        {
            copy.Add(item);
        }

        return copy;
    }

    private object CopyReadOnlyCollection(IList collection, Type type, bool secretName)
    {
        var listType = typeof(List<>).MakeGenericType(type.GetGenericArguments()[0]);
        var inner = (IList)Activator.CreateInstance(listType)!;
        foreach (var item in collection)
        {
            inner.Add(item);
        }

        var masked = CopyList(inner, listType, secretName);
        return ReferenceEquals(masked, inner) ? collection : Activator.CreateInstance(type, masked)!;
    }

    private object CopyDictionary(IDictionary map, Type type)
    {
        var entries = new List<(object Key, object? Value)>(map.Count);
        var changed = false;
        foreach (DictionaryEntry entry in map)
        {
            var secretName = entry.Key is string name && _isSecretName(name);
            var value = Copy(entry.Value, secretName);
            changed |= !ReferenceEquals(value, entry.Value) && !Equals(value, entry.Value);
            entries.Add((entry.Key, value));
        }

        if (!changed)
        {
            return map;
        }

        var copy = NewDictionaryLike(map, type);
        foreach (var (key, value) in entries)
        {
            copy[key] = value;
        }

        return ReadOnlyAgain(copy, type);
    }

    /// <summary>An empty, writable dictionary of the same kind (same comparer, where the kind has one).</summary>
    private IDictionary NewDictionaryLike(IDictionary map, Type type)
    {
        if (type.IsGenericType)
        {
            var definition = type.GetGenericTypeDefinition();
            var arguments = type.GetGenericArguments();
            if (definition == typeof(Dictionary<,>))
            {
                var comparer = type.GetProperty("Comparer")!.GetValue(map);
                return (IDictionary)Activator.CreateInstance(type, comparer)!;
            }

            if (definition == typeof(SortedDictionary<,>))
            {
                var comparer = type.GetProperty("Comparer")!.GetValue(map);
                return (IDictionary)Activator.CreateInstance(type, comparer)!;
            }

            if (definition == typeof(ReadOnlyDictionary<,>))
            {
                return (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(arguments))!;
            }
        }

        if (map is Hashtable)
        {
            // The comparer of a Hashtable is not public; the module's tables are ordinal or case-insensitive by key type.
            return new Hashtable(map.Count, StringComparer.Ordinal);
        }

        if (type.GetConstructor(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, Type.EmptyTypes) is { } constructor)
        {
            return (IDictionary)constructor.Invoke(null);
        }

        return Strict
            ? throw new NotSupportedException($"SecretRedactor cannot copy the dictionary type {type.FullName}.")
            : new Hashtable();
    }

    private static object ReadOnlyAgain(IDictionary copy, Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ReadOnlyDictionary<,>)
            ? Activator.CreateInstance(type, copy)!
            : copy;
}
