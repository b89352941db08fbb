// Port of list.go, dict.go, numeric.go, defaults.go, reflect.go and path functions of functions.go, with src/path/path.go (Masterminds/sprig v3.3.0 and v2.22.0; Go 1.24).
using System.Collections;
using System.Globalization;
using System.Text;

namespace LxdCompose.GoTemplates.Functions;

public static partial class SprigFunctions
{
    // ---------------------------------------------------------------- lists

    private delegate object? ListOp(object? list, object?[] args);

    private static void AddListFunction(GoFunctionTable t, bool v3, string name, GoFunctionBody body, GoType[] ps, GoType? variadic = null)
    {
        t.Add(name, body, ps, variadic);
        if (v3)
        {
            t.Add("must" + char.ToUpperInvariant(name[0]) + name[1..], body, ps, variadic);
        }
    }

    private static IList RequireList(object? v, string message)
    {
        var kind = SprigValues.KindForError(v);
        if (SprigValues.TryList(v, out var list))
        {
            return list;
        }

        throw new GoFunctionException(string.Format(CultureInfo.InvariantCulture, message, kind));
    }

    private static void RegisterLists(GoFunctionTable t, SprigVersion version)
    {
        bool v3 = version == SprigVersion.V3;
        t.Add("list", (_, a) => new List<object?>(a), [], A);
        t.Add("tuple", (_, a) => new List<object?>(a), [], A);
        GoFunctionBody push = (_, a) =>
        {
            var l = RequireList(a[0], "Cannot push on type {0}");
            var r = new List<object?>(l.Count + 1);
            foreach (var x in l)
            {
                r.Add(x);
            }

            r.Add(a[1]);
            return r;
        };
        AddListFunction(t, v3, "append", push, [A, A]);
        AddListFunction(t, v3, "push", push, [A, A]);
        AddListFunction(t, v3, "prepend", (_, a) =>
        {
            var l = RequireList(a[0], "Cannot prepend on type {0}");
            var r = new List<object?>(l.Count + 1) { a[1] };
            foreach (var x in l)
            {
                r.Add(x);
            }

            return r;
        }, [A, A]);
        AddListFunction(t, v3, "first", (_, a) =>
        {
            var l = RequireList(a[0], "Cannot find first on type {0}");
            return l.Count == 0 ? null : l[0];
        }, [A]);
        AddListFunction(t, v3, "last", (_, a) =>
        {
            var l = RequireList(a[0], "Cannot find last on type {0}");
            return l.Count == 0 ? null : l[^1];
        }, [A]);
        AddListFunction(t, v3, "rest", (_, a) =>
        {
            var l = RequireList(a[0], "Cannot find rest on type {0}");
            // Go returns a nil []interface{}, which prints as [] and has length 0 (only toJson, "null", tells it apart).
            if (l.Count == 0)
            {
                return new List<object?>();
            }

            var r = new List<object?>(l.Count - 1);
            for (int i = 1; i < l.Count; i++)
            {
                r.Add(l[i]);
            }

            return r;
        }, [A]);
        AddListFunction(t, v3, "initial", (_, a) =>
        {
            var l = RequireList(a[0], "Cannot find initial on type {0}");
            // Go returns a nil []interface{}, which prints as [] and has length 0 (only toJson, "null", tells it apart).
            if (l.Count == 0)
            {
                return new List<object?>();
            }

            var r = new List<object?>(l.Count - 1);
            for (int i = 0; i < l.Count - 1; i++)
            {
                r.Add(l[i]);
            }

            return r;
        }, [A]);
        AddListFunction(t, v3, "reverse", (_, a) =>
        {
            var l = RequireList(a[0], "Cannot find reverse on type {0}");
            var r = new List<object?>(l.Count);
            for (int i = l.Count - 1; i >= 0; i--)
            {
                r.Add(l[i]);
            }

            return r;
        }, [A]);
        AddListFunction(t, v3, "compact", (_, a) =>
        {
            var l = RequireList(a[0], "Cannot compact on type {0}");
            var r = new List<object?>();
            foreach (var x in l)
            {
                if (!SprigValues.Empty(x))
                {
                    r.Add(x);
                }
            }

            return r;
        }, [A]);
        AddListFunction(t, v3, "uniq", (_, a) =>
        {
            var l = RequireList(a[0], "Cannot find uniq on type {0}");
            var r = new List<object?>();
            foreach (var x in l)
            {
                if (!r.Any(y => SprigValues.DeepEqual(x, y)))
                {
                    r.Add(x);
                }
            }

            return r;
        }, [A]);
        AddListFunction(t, v3, "without", (_, a) =>
        {
            var l = RequireList(a[0], "Cannot find without on type {0}");
            var r = new List<object?>();
            foreach (var x in l)
            {
                bool omit = false;
                for (int i = 1; i < a.Length && !omit; i++)
                {
                    omit = SprigValues.DeepEqual(x, a[i]);
                }

                if (!omit)
                {
                    r.Add(x);
                }
            }
            return r;
        }, [A], A);
        AddListFunction(t, v3, "has", (_, a) =>
        {
            if (a[1] is null)
            {
                return false;
            }

            var l = RequireList(a[1], "Cannot find has on type {0}");
            foreach (var x in l)
            {
                if (SprigValues.DeepEqual(a[0], x))
                {
                    return true;
                }
            }

            return false;
        }, [A, A]);
        AddListFunction(t, v3, "slice", (_, a) =>
        {
            var l = RequireList(a[0], "list should be type of slice or array but {0}");
            if (l.Count == 0)
            {
                return null;
            }

            long start = a.Length > 1 ? SprigValues.ToInt64(a[1], version) : 0;
            long end = a.Length > 2 ? SprigValues.ToInt64(a[2], version) : l.Count;
            if (start < 0 || end < start || end > l.Count)
            {
                throw new GoFunctionException("reflect: slice index out of range");
            }

            return SliceSameType(l, (int)start, (int)end);
        }, [A], A);
        t.Add("concat", (_, a) =>
        {
            List<object?>? r = null;
            foreach (var item in a)
            {
                var l = RequireList(item, "Cannot concat type {0} as list");
                r ??= [];
                foreach (var x in l)
                {
                    r.Add(x);
                }
            }
            return r;
        }, [], A);
        if (v3)
        {
            AddListFunction(t, v3, "chunk", (_, a) => Chunk((long)a[0]!, a[1]), [I, A]);
        }
    }

    private static object SliceSameType(IList l, int start, int end)
    {
        switch (l)
        {
            case List<object?> lo:
                return lo.GetRange(start, end - start);
            case List<string> ls:
                return ls.GetRange(start, end - start);
            case List<long> ll:
                return ll.GetRange(start, end - start);
            default:
                var r = new List<object?>(end - start);
                for (int i = start; i < end; i++)
                {
                    r.Add(l[i]);
                }

                return r;
        }
    }

    private static List<List<object?>> Chunk(long size, object? list)
    {
        var l = RequireList(list, "Cannot chunk type {0}");
        int n = l.Count;
        if (size <= 0)
        {
            throw new GoFunctionException(n == 0 || size == 0 ? "runtime error: integer divide by zero" : "runtime error: makeslice: len out of range");
        }

        int count = (int)Math.Floor((double)(n - 1) / size) + 1;
        var result = new List<List<object?>>(Math.Max(count, 0));
        for (int i = 0; i < count; i++)
        {
            int clen = (int)size;
            if (i == count - 1)
            {
                clen = (int)(n % size);
                if (clen == 0)
                {
                    clen = (int)size;
                }
            }
            var c = new List<object?>(clen);
            for (int j = 0; j < clen; j++)
            {
                c.Add(l[i * (int)size + j]);
            }

            result.Add(c);
        }
        return result;
    }

    // ---------------------------------------------------------------- dicts

    private static IDictionary<string, object?> Map(object? o) => (IDictionary<string, object?>)o!;

    private static void RegisterDicts(GoFunctionTable t, SprigVersion version)
    {
        bool v3 = version == SprigVersion.V3;
        t.Add("dict", (_, a) =>
        {
            var d = new Dictionary<string, object?>(a.Length / 2 + 1, StringComparer.Ordinal);
            for (int i = 0; i < a.Length; i += 2)
            {
                d[SprigValues.Strval(a[i])] = i + 1 < a.Length ? a[i + 1] : "";
            }

            return d;
        }, [], A);
        if (v3)
        {
            t.Add("get", (_, a) => Map(a[0]).TryGetValue(Str(a[1]), out var v) ? v : "", [M, S]);
        }

        t.Add("set", (_, a) =>
        {
            RequireMap(a[0])[Str(a[1])] = a[2];
            return a[0];
        }, [M, S, A]);
        t.Add("unset", (_, a) =>
        {
            RequireMap(a[0]).Remove(Str(a[1]));
            return a[0];
        }, [M, S]);
        t.Add("hasKey", (_, a) => a[0] is not null && Map(a[0]).ContainsKey(Str(a[1])), [M, S]);
        t.Add("pluck", (_, a) =>
        {
            var r = new List<object?>();
            for (int i = 1; i < a.Length; i++)
            {
                if (a[i] is not null && Map(a[i]).TryGetValue(Str(a[0]), out var v))
                {
                    r.Add(v);
                }
            }

            return r;
        }, [S], M);
        t.Add("keys", (_, a) =>
        {
            var r = new List<string>();
            foreach (var d in a)
            {
                if (d is not null)
                {
                    r.AddRange(Map(d).Keys);
                }
            }

            return r;
        }, [], M);
        t.Add("pick", (_, a) =>
        {
            var r = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (int i = 1; i < a.Length; i++)
            {
                if (a[0] is not null && Map(a[0]).TryGetValue(Str(a[i]), out var v))
                {
                    r[Str(a[i])] = v;
                }
            }

            return r;
        }, [M], S);
        t.Add("omit", (_, a) =>
        {
            var omit = new HashSet<string>(a.Skip(1).Select(Str), StringComparer.Ordinal);
            var r = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (a[0] is not null)
            {
                foreach (var kv in Map(a[0]))
                {
                    if (!omit.Contains(kv.Key))
                    {
                        r[kv.Key] = kv.Value;
                    }
                }
            }

            return r;
        }, [M], S);
        GoFunctionBody merge = (_, a) => MergeAll(a, overwrite: false);
        GoFunctionBody mergeOverwrite = (_, a) => MergeAll(a, overwrite: true);
        t.Add("merge", merge, [M], M);
        t.Add("mergeOverwrite", mergeOverwrite, [M], M);
        if (v3)
        {
            t.Add("mustMerge", merge, [M], M);
            t.Add("mustMergeOverwrite", mergeOverwrite, [M], M);
        }
        t.Add("values", (_, a) =>
        {
            var r = new List<object?>();
            if (a[0] is not null)
            {
                r.AddRange(Map(a[0]).Values);
            }

            return r;
        }, [M]);
        t.Add("deepCopy", (_, a) => DeepCopy(a[0]), [A]);
        if (v3)
        {
            t.Add("mustDeepCopy", (_, a) => DeepCopy(a[0]), [A]);
            t.Add("dig", (_, a) => Dig(a), [], A);
        }
    }

    private static IDictionary<string, object?> RequireMap(object? o) =>
        o as IDictionary<string, object?> ?? throw new GoFunctionException("assignment to entry in nil map");

    private static object? MergeAll(object?[] a, bool overwrite)
    {
        var dst = a[0] as IDictionary<string, object?> ?? new Dictionary<string, object?>(StringComparer.Ordinal);
        for (int i = 1; i < a.Length; i++)
        {
            if (a[i] is IDictionary<string, object?> src)
            {
                MergeInto(dst, src, overwrite);
            }
        }

        return dst;
    }

    /// <summary>dario.cat/mergo's Merge / MergeWithOverwrite on map[string]interface{} values.</summary>
    internal static void MergeInto(IDictionary<string, object?> dst, IDictionary<string, object?> src, bool overwrite)
    {
        StackGuard.Check();
        foreach (var (key, srcValue) in src)
        {
            bool dstHas = dst.TryGetValue(key, out var dstValue);
            if (srcValue is null)
            {
                if (overwrite)
                {
                    dst[key] = null;
                }

                continue;
            }
            if (srcValue is IDictionary<string, object?> srcMap && dstValue is IDictionary<string, object?> dstMap)
            {
                MergeInto(dstMap, srcMap, overwrite);
                if (!SprigValues.Empty(dstValue))
                {
                    continue;
                }
            }
            if (dstHas && !SprigValues.Empty(dstValue) && srcValue is IList && !overwrite)
            {
                continue;
            }

            if (overwrite || !dstHas || SprigValues.Empty(dstValue))
            {
                dst[key] = srcValue;
            }
        }
    }

    internal static object? DeepCopy(object? v) => SprigValues.Unwrap(StackGuard.Ensure(v)) switch
    {
        IDictionary<string, object?> d => d.ToDictionary(kv => kv.Key, kv => DeepCopy(kv.Value), StringComparer.Ordinal),
        // copystructure copies what a pointer points to and returns a new pointer.
        GoPointer p => new GoPointer(DeepCopy(p.Target)!),
        List<string> ls => new List<string>(ls),
        List<long> ll => new List<long>(ll),
        IList l => l.Cast<object?>().Select(DeepCopy).ToList(),
        var other => other,
    };

    private static object? Dig(object?[] ps)
    {
        if (ps.Length < 3)
        {
            throw new GoFunctionException("dig needs at least three arguments");
        }

        var dict = ps[^1] as IDictionary<string, object?> ?? throw new GoFunctionException(
            $"interface conversion: interface {{}} is {GoValues.TypeName(ps[^1])}, not map[string]interface {{}}");
        var def = ps[^2];
        var keys = new string[ps.Length - 2];
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = ps[i] as string ?? throw new GoFunctionException(
                $"interface conversion: interface {{}} is {GoValues.TypeName(ps[i])}, not string");
        }

        for (int i = 0; ; i++)
        {
            if (!dict.TryGetValue(keys[i], out var step))
            {
                return def;
            }

            if (i == keys.Length - 1)
            {
                return step;
            }

            dict = step as IDictionary<string, object?> ?? throw new GoFunctionException(
                $"interface conversion: interface {{}} is {GoValues.TypeName(step)}, not map[string]interface {{}}");
        }
    }

    // ---------------------------------------------------------------- math

    private static void RegisterMath(GoFunctionTable t, SprigVersion version)
    {
        bool v3 = version == SprigVersion.V3;
        long L(object? o) => SprigValues.ToInt64(o, version);
        double D(object? o) => SprigValues.ToFloat64(o, version);
        t.Add("atoi", (_, a) => GoStrconv.Atoi(Str(a[0])), [S]);
        t.Add("int64", (_, a) => L(a[0]), [A]);
        t.Add("int", (_, a) => L(a[0]), [A]);
        t.Add("float64", (_, a) => D(a[0]), [A]);
        t.Add("toDecimal", (_, a) => GoStrconv.ParseInt(GoFormat.Sprint([a[0]]), 8, out long r) ? r : 0L, [A]);
        t.Add("until", (ctx, a) => UntilStep(ctx, 0, (long)a[0]!, (long)a[0]! < 0 ? -1 : 1), [I]);
        t.Add("untilStep", (ctx, a) => UntilStep(ctx, (long)a[0]!, (long)a[1]!, (long)a[2]!), [I, I, I]);
        t.Add("add1", (_, a) => unchecked(L(a[0]) + 1), [A]);
        t.Add("add", (_, a) =>
        {
            long s = 0;
            foreach (var x in a)
            {
                s = unchecked(s + L(x));
            }

            return s;
        }, [], A);
        t.Add("sub", (_, a) => unchecked(L(a[0]) - L(a[1])), [A, A]);
        t.Add("div", (_, a) => IntDivide(L(a[0]), L(a[1]), false), [A, A]);
        t.Add("mod", (_, a) => IntDivide(L(a[0]), L(a[1]), true), [A, A]);
        t.Add("mul", (_, a) =>
        {
            long v = L(a[0]);
            for (int i = 1; i < a.Length; i++)
            {
                v = unchecked(v * L(a[i]));
            }

            return v;
        }, [A], A);
        GoFunctionBody max = (_, a) =>
        {
            long v = L(a[0]);
            for (int i = 1; i < a.Length; i++)
            {
                v = Math.Max(v, L(a[i]));
            }

            return v;
        };
        t.Add("max", max, [A], A);
        t.Add("biggest", max, [A], A);
        t.Add("min", (_, a) =>
        {
            long v = L(a[0]);
            for (int i = 1; i < a.Length; i++)
            {
                v = Math.Min(v, L(a[i]));
            }

            return v;
        }, [A], A);
        t.Add("floor", (_, a) => Math.Floor(D(a[0])), [A]);
        t.Add("ceil", (_, a) => Math.Ceiling(D(a[0])), [A]);
        t.Add("round", (_, a) => Round(D(a[0]), (long)a[1]!, a.Length > 2 ? (double)a[2]! : 0.5), [A, I], F);
        if (!v3)
        {
            return;
        }

        t.Add("randInt", (_, a) =>
        {
            long min = (long)a[0]!, maxv = (long)a[1]!;
            if (maxv - min <= 0)
            {
                throw new GoFunctionException("invalid argument to Intn");
            }

            return min + System.Security.Cryptography.RandomNumberGenerator.GetInt32((int)Math.Min(maxv - min, int.MaxValue));
        }, [I, I]);
        t.Add("seq", (ctx, a) => Seq(ctx, a.Select(x => (long)x!).ToArray()), [], I);
        t.Add("add1f", (_, a) => DecimalOp(D(a[0]), [1.0], (x, y) => x + y), [A]);
        t.Add("addf", (_, a) => DecimalOp(0, a.Select(D).ToArray(), (x, y) => x + y), [], A);
        t.Add("subf", (_, a) => DecimalOp(D(a[0]), a.Skip(1).Select(D).ToArray(), (x, y) => x - y), [A], A);
        t.Add("mulf", (_, a) => DecimalOp(D(a[0]), a.Skip(1).Select(D).ToArray(), (x, y) => x * y), [A], A);
        t.Add("divf", (_, a) => DecimalOp(D(a[0]), a.Skip(1).Select(D).ToArray(), (x, y) =>
        {
            if (y == 0)
            {
                throw new GoFunctionException("decimal division by 0");
            }

            return Math.Round(x / y, 16, MidpointRounding.AwayFromZero);
        }), [A], A);
        t.Add("maxf", (_, a) =>
        {
            double v = D(a[0]);
            for (int i = 1; i < a.Length; i++)
            {
                v = GoMax(v, D(a[i]));
            }

            return v;
        }, [A], A);
        t.Add("minf", (_, a) =>
        {
            double v = D(a[0]);
            for (int i = 1; i < a.Length; i++)
            {
                v = GoMin(v, D(a[i]));
            }

            return v;
        }, [A], A);
    }

    private static double GoMax(double x, double y) =>
        double.IsPositiveInfinity(x) || double.IsPositiveInfinity(y) ? double.PositiveInfinity :
        double.IsNaN(x) || double.IsNaN(y) ? double.NaN : Math.Max(x, y);

    private static double GoMin(double x, double y) =>
        double.IsNegativeInfinity(x) || double.IsNegativeInfinity(y) ? double.NegativeInfinity :
        double.IsNaN(x) || double.IsNaN(y) ? double.NaN : Math.Min(x, y);

    private static long IntDivide(long a, long b, bool modulo)
    {
        if (b == 0)
        {
            throw new GoFunctionException("runtime error: integer divide by zero");
        }

        if (b == -1)
        {
            return modulo ? 0 : unchecked(-a);
        }

        return modulo ? a % b : a / b;
    }

    private static List<long> UntilStep(GoCallContext ctx, long start, long stop, long step)
    {
        var v = new List<long>();
        if (step != 0 && (stop - (double)start) / step > 0)
        {
            GoLimits.CheckCount(ctx, Math.Ceiling((stop - (double)start) / step));
        }

        if (stop < start)
        {
            if (step >= 0)
            {
                return v;
            }

            for (long i = start; i > stop; i += step)
            {
                v.Add(i);
            }

            return v;
        }
        if (step <= 0)
        {
            return v;
        }

        for (long i = start; i < stop; i += step)
        {
            v.Add(i);
        }

        return v;
    }

    private static string Seq(GoCallContext ctx, long[] p)
    {
        long increment = 1;
        List<long> r;
        switch (p.Length)
        {
            case 1:
            {
                long start = 1, end = p[0];
                if (end < start)
                {
                    increment = -1;
                }

                r = UntilStep(ctx, start, end + increment, increment);
                break;
            }
            case 2:
            {
                long start = p[0], end = p[1], step = 1;
                if (end < start)
                {
                    step = -1;
                }

                r = UntilStep(ctx, start, end + step, step);
                break;
            }
            case 3:
            {
                long start = p[0], end = p[2], step = p[1];
                if (end < start)
                {
                    increment = -1;
                    if (step > 0)
                    {
                        return "";
                    }
                }
                r = UntilStep(ctx, start, end + increment, step);
                break;
            }
            default:
                return "";
        }
        return string.Join(" ", r.Select(x => x.ToString(CultureInfo.InvariantCulture)));
    }

    private static double Round(double val, long places, double roundOn)
    {
        double pow = Math.Pow(10, places);
        double digit = pow * val;
        double frac = digit - Math.Truncate(digit);
        double rounded = frac >= roundOn ? Math.Ceiling(digit) : Math.Floor(digit);
        return rounded / pow;
    }

    /// <summary>shopspring/decimal arithmetic on the shortest decimal form of each float (so 0.1 + 0.2 is 0.3).</summary>
    private static double DecimalOp(double first, double[] rest, Func<decimal, decimal, decimal> op)
    {
        try
        {
            decimal acc = ToDecimal(first);
            foreach (var x in rest)
            {
                acc = op(acc, ToDecimal(x));
            }

            return (double)acc;
        }
        catch (OverflowException)
        {
            double acc = first;
            foreach (var x in rest)
            {
                acc = (double)op((decimal)acc, (decimal)x);
            }

            return acc;
        }
    }

    private static decimal ToDecimal(double d) =>
        decimal.Parse(d.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);

    // ---------------------------------------------------------------- defaults, JSON, reflection

    private static void RegisterDefaults(GoFunctionTable t, SprigVersion version)
    {
        bool v3 = version == SprigVersion.V3;
        t.Add("default", (_, a) => a.Length < 2 || SprigValues.Empty(a[1]) ? a[0] : a[1], [A], A);
        t.Add("empty", (_, a) => SprigValues.Empty(a[0]), [A]);
        t.Add("coalesce", (_, a) => a.FirstOrDefault(x => !SprigValues.Empty(x)), [], A);
        t.Add("ternary", (_, a) => (bool)a[2]! ? a[0] : a[1], [A, A, B]);
        t.Add("toJson", (_, a) => GoJson.TryMarshal(a[0], false, true, out var s) ? s : "", [A]);
        t.Add("toPrettyJson", (_, a) => GoJson.TryMarshal(a[0], true, true, out var s) ? s : "", [A]);
        if (!v3)
        {
            return;
        }

        t.Add("all", (_, a) => a.All(x => !SprigValues.Empty(x)), [], A);
        t.Add("any", (_, a) => a.Any(x => !SprigValues.Empty(x)), [], A);
        // sprig drops the error and returns what was decoded (nil after a syntax error).
        t.Add("fromJson", (_, a) =>
        {
            GoJson.TryUnmarshal(Str(a[0]), out var v, out var droppedError);
            return v;
        }, [S]);
        t.Add("mustFromJson", (_, a) => GoJson.TryUnmarshal(Str(a[0]), out var v, out var err) ? v : throw new GoFunctionException(err!), [S]);
        t.Add("toRawJson", (_, a) => GoJson.Marshal(a[0], false, false), [A]);
        t.Add("mustToJson", (_, a) => GoJson.Marshal(a[0], false, true), [A]);
        t.Add("mustToPrettyJson", (_, a) => GoJson.Marshal(a[0], true, true), [A]);
        t.Add("mustToRawJson", (_, a) => GoJson.Marshal(a[0], false, false), [A]);
    }

    private static void RegisterReflection(GoFunctionTable t)
    {
        t.Add("typeOf", (_, a) => GoValues.TypeName(a[0]), [A]);
        t.Add("typeIs", (_, a) => Str(a[0]) == GoValues.TypeName(a[1]), [S, A]);
        t.Add("typeIsLike", (_, a) =>
        {
            var name = GoValues.TypeName(a[1]);
            return Str(a[0]) == name || "*" + Str(a[0]) == name;
        }, [S, A]);
        t.Add("kindOf", (_, a) => SprigValues.KindName(a[0]), [A]);
        t.Add("kindIs", (_, a) => Str(a[0]) == SprigValues.KindName(a[1]), [S, A]);
        t.Add("deepEqual", (_, a) => SprigValues.DeepEqual(a[0], a[1]), [A, A]);
    }

    // ---------------------------------------------------------------- encoding and paths

    private static void RegisterEncodingAndPaths(GoFunctionTable t, bool v3)
    {
        t.Add("b64enc", (_, a) => Convert.ToBase64String(Encoding.UTF8.GetBytes(Str(a[0]))), [S]);
        t.Add("b64dec", (_, a) => GoBase64Decode(Str(a[0])), [S]);
        t.Add("b32enc", (_, a) => Base32Encode(Encoding.UTF8.GetBytes(Str(a[0]))), [S]);
        t.Add("b32dec", (_, a) => Base32Decode(Str(a[0])), [S]);
        t.Add("base", (_, a) => GoPath.Base(Str(a[0])), [S]);
        t.Add("dir", (_, a) => GoPath.Dir(Str(a[0])), [S]);
        t.Add("clean", (_, a) => GoPath.Clean(Str(a[0])), [S]);
        t.Add("ext", (_, a) => GoPath.Ext(Str(a[0])), [S]);
        t.Add("isAbs", (_, a) => Str(a[0]).StartsWith('/'), [S]);
        if (!v3)
        {
            return;
        }
        // filepath on Linux, where lxd-compose runs: the same as path.
        t.Add("osBase", (_, a) => GoPath.Base(Str(a[0])), [S]);
        t.Add("osDir", (_, a) => GoPath.Dir(Str(a[0])), [S]);
        t.Add("osClean", (_, a) => GoPath.Clean(Str(a[0])), [S]);
        t.Add("osExt", (_, a) => GoPath.Ext(Str(a[0])), [S]);
        t.Add("osIsAbs", (_, a) => Str(a[0]).StartsWith('/'), [S]);
    }

    private const string Base64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /// <summary>base64.StdEncoding.DecodeString; an invalid input returns Go's error text (sprig returns it as the result).</summary>
    internal static string GoBase64Decode(string s)
    {
        var input = Encoding.UTF8.GetBytes(s);
        var output = new List<byte>(input.Length * 3 / 4);
        int si = 0;
        while (true)
        {
            var quantum = new int[4];
            int dlen = 4;
            int j = 0;
            for (; j < 4; j++)
            {
                while (si < input.Length && input[si] is (byte)'\r' or (byte)'\n')
                {
                    si++;
                }

                if (si == input.Length)
                {
                    if (j == 0)
                    {
                        return Encoding.UTF8.GetString(output.ToArray());
                    }

                    if (j == 1)
                    {
                        return IllegalBase64(si - j);
                    }

                    return IllegalBase64(si - j);
                }
                byte c = input[si++];
                int v = Base64Alphabet.IndexOf((char)c);
                if (v >= 0)
                {
                    quantum[j] = v;
                    continue;
                }
                if (c == '=' && j >= 2)
                {
                    // padding: the quantum ends here and must be the end of input
                    if (j == 2)
                    {
                        while (si < input.Length && input[si] is (byte)'\r' or (byte)'\n')
                        {
                            si++;
                        }

                        if (si == input.Length)
                        {
                            return IllegalBase64(input.Length);
                        }

                        if (input[si] != '=')
                        {
                            return IllegalBase64(si - 1);
                        }

                        si++;
                    }
                    while (si < input.Length && input[si] is (byte)'\r' or (byte)'\n')
                    {
                        si++;
                    }

                    if (si < input.Length)
                    {
                        return IllegalBase64(si);
                    }

                    dlen = j;
                    break;
                }
                return IllegalBase64(si - 1);
            }
            int val = quantum[0] << 18 | quantum[1] << 12 | quantum[2] << 6 | quantum[3];
            output.Add((byte)(val >> 16));
            if (dlen > 2)
            {
                output.Add((byte)(val >> 8));
            }

            if (dlen > 3)
            {
                output.Add((byte)val);
            }

            if (dlen < 4)
            {
                return Encoding.UTF8.GetString(output.ToArray());
            }
        }
    }

    private static string IllegalBase64(int at) => "illegal base64 data at input byte " + at.ToString(CultureInfo.InvariantCulture);

    private const string Base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private static string Base32Encode(byte[] data)
    {
        var sb = new StringBuilder((data.Length + 4) / 5 * 8);
        for (int i = 0; i < data.Length; i += 5)
        {
            int n = Math.Min(5, data.Length - i);
            ulong buf = 0;
            for (int k = 0; k < 5; k++)
            {
                buf = buf << 8 | (k < n ? data[i + k] : (byte)0);
            }

            int chars = (n * 8 + 4) / 5;
            for (int k = 0; k < 8; k++)
            {
                sb.Append(k < chars ? Base32Alphabet[(int)(buf >> (35 - k * 5) & 31)] : '=');
            }
        }
        return sb.ToString();
    }

    private static string Base32Decode(string s)
    {
        var input = s.Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal);
        if (input.Length % 8 != 0)
        {
            return "illegal base32 data at input byte " + (input.Length / 8 * 8).ToString(CultureInfo.InvariantCulture);
        }

        var output = new List<byte>();
        for (int i = 0; i < input.Length; i += 8)
        {
            ulong buf = 0;
            int valid = 8;
            for (int k = 0; k < 8; k++)
            {
                char c = input[i + k];
                if (c == '=')
                {
                    if (i + 8 != input.Length || k < 2)
                    {
                        return "illegal base32 data at input byte " + (i + k).ToString(CultureInfo.InvariantCulture);
                    }

                    for (int m = k; m < 8; m++)
                    {
                        if (input[i + m] != '=')
                        {
                            return "illegal base32 data at input byte " + (i + m).ToString(CultureInfo.InvariantCulture);
                        }
                    }

                    valid = k;
                    break;
                }
                int v = Base32Alphabet.IndexOf(c);
                if (v < 0)
                {
                    return "illegal base32 data at input byte " + (i + k).ToString(CultureInfo.InvariantCulture);
                }

                buf |= (ulong)v << (35 - k * 5);
            }
            int bytes = valid switch { 8 => 5, 7 => 4, 5 => 3, 4 => 2, 2 => 1, _ => -1 };
            if (bytes < 0)
            {
                return "illegal base32 data at input byte " + (i + valid).ToString(CultureInfo.InvariantCulture);
            }

            for (int k = 0; k < bytes; k++)
            {
                output.Add((byte)(buf >> (32 - k * 8)));
            }
        }
        return Encoding.UTF8.GetString(output.ToArray());
    }
}

/// <summary>Go's path package (slash-separated paths).</summary>
internal static class GoPath
{
    public static string Clean(string path)
    {
        if (path.Length == 0)
        {
            return ".";
        }

        bool rooted = path[0] == '/';
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0 && parts[^1] != "..")
                {
                    parts.RemoveAt(parts.Count - 1);
                }
                else if (!rooted)
                {
                    parts.Add("..");
                }

                continue;
            }
            parts.Add(part);
        }
        var joined = string.Join('/', parts);
        if (rooted)
        {
            return "/" + joined;
        }

        return joined.Length == 0 ? "." : joined;
    }

    public static string Base(string path)
    {
        if (path.Length == 0)
        {
            return ".";
        }

        path = path.TrimEnd('/');
        if (path.Length == 0)
        {
            return "/";
        }

        int i = path.LastIndexOf('/');
        return i >= 0 ? path[(i + 1)..] : path;
    }

    public static string Dir(string path)
    {
        int i = path.LastIndexOf('/');
        return Clean(path[..(i + 1)]);
    }

    public static string Ext(string path)
    {
        for (int i = path.Length - 1; i >= 0 && path[i] != '/'; i--)
        {
            if (path[i] == '.')
            {
                return path[i..];
            }
        }

        return "";
    }
}
