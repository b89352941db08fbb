using LxdCompose.GoTemplates;

namespace LxdCompose.GoTemplates.Tests;

/// <summary>
/// .NET stand-ins for the data of Go's text/template tests (exec_test.go's T). Go-only categories are left out on
/// purpose: methods on data (method calls are not supported), channels, iterator functions, complex numbers,
/// unsafe pointers, typed nil pointers and Stringer/error fields.
/// </summary>
internal sealed class U
{
    public string V { get; set; } = "";
}

internal sealed class T
{
    public bool True { get; set; } = true;
    public long I { get; set; } = 17;
    public ushort U16 { get; set; } = 16;
    public string X { get; set; } = "x";
    public string S { get; set; } = "xyz";
    public double FloatZero { get; set; }
    public U U { get; set; } = new() { V = "v" };
    public List<long> SI { get; set; } = [3, 4, 5];
    public List<long> SIEmpty { get; set; } = [];
    public List<bool> SB { get; set; } = [true, false];
    public long[] AI { get; set; } = [3, 4, 5];
    public Dictionary<string, long> MSI { get; set; } = new() { ["one"] = 1, ["two"] = 2, ["three"] = 3 };
    public Dictionary<string, long> MSIone { get; set; } = new() { ["one"] = 1 };
    public Dictionary<string, long> MSIEmpty { get; set; } = new();
    public Dictionary<object, long> MXI { get; set; } = new() { ["one"] = 1 };
    public Dictionary<long, long> MII { get; set; } = new() { [1] = 1 };
    public Dictionary<int, string> MI32S { get; set; } = new() { [1] = "one", [2] = "two" };
    public Dictionary<long, string> MI64S { get; set; } = new() { [2] = "i642", [3] = "i643" };
    public Dictionary<uint, string> MUI32S { get; set; } = new() { [2] = "u322", [3] = "u323" };
    public Dictionary<ulong, string> MUI64S { get; set; } = new() { [2] = "ui642", [3] = "ui643" };
    public Dictionary<sbyte, string> MI8S { get; set; } = new() { [2] = "i82", [3] = "i83" };
    public Dictionary<byte, string> MUI8S { get; set; } = new() { [2] = "u82", [3] = "u83" };
    public List<Dictionary<string, long>> SMSI { get; set; } =
        [new() { ["one"] = 1, ["two"] = 2 }, new() { ["eleven"] = 11, ["twelve"] = 12 }];
    public object? Empty0 { get; set; }
    public object? Empty1 { get; set; } = 3L;
    public object? Empty2 { get; set; } = "empty2";
    public object? Empty3 { get; set; } = new List<long> { 7, 8 };
    public object? Empty4 { get; set; } = new U { V = "UinEmpty" };
    public GoFunction BinaryFunc { get; } = new("BinaryFunc", (_, a) => $"[{a[0]}={a[1]}]",
        [GoType.String, GoType.String]);
    public GoFunction VariadicFunc { get; } = new("VariadicFunc", (_, a) => "<" + string.Join("+", a) + ">",
        [], GoType.String);
    public GoFunction VariadicFuncInt { get; } = new("VariadicFuncInt",
        (_, a) => $"{a[0]}=<" + string.Join("+", a.Skip(1)) + ">", [GoType.Int], GoType.String);
    public GoFunction NilOKFunc { get; } = new("NilOKFunc", (_, a) => a[0] == null, [GoType.Any]);
    public GoFunction ErrFunc { get; } = new("ErrFunc", (_, _) => "bla", []);
    public GoFunction PanicFunc { get; } = new("PanicFunc", (_, _) => throw new InvalidOperationException("test panic"), []);
}

internal static class GoTestData
{
    public static object? Get(string key) => key switch
    {
        "nil" => null,
        "tVal" => new T(),
        "0" => 0L,
        "13" => 13L,
        "uint14" => 14UL,
        "15.1" => 15.1,
        "true" => true,
        "hello" => "hello",
        "123" => 123L,
        "slice-1-2-3" => new List<long> { -1, -2, -3 },
        "map-two-22" => new Dictionary<string, long> { ["two"] = 22 },
        "cause" => new Dictionary<string, string> { ["cause"] = "neglect" },
        "js" => "It'd be nice.",
        "rune." => '.',
        "runee" => 'e',
        "runeP" => 'P',
        "int5" => 5L,
        "int32-5" => 5,
        "uint8-5" => (byte)5,
        "uint64-5" => 5UL,
        "uint0" => 0UL,
        _ => throw new ArgumentException("unknown test data " + key),
    };

    /// <summary>The helper functions of Go's exec tests (those not needing Go-only types).</summary>
    public static GoFunctionTable Functions()
    {
        var t = GoFunctionTable.CreateWithBuiltins();
        t.Add("add", (_, a) => a.Sum(x => (long)x!), [], GoType.Int);
        t.Add("dddArg", (_, a) => $"{a[0]} [{string.Join(" ", a.Skip(1))}]\n", [GoType.Int], GoType.String);
        t.Add("die", (_, _) => throw new InvalidOperationException("die"), []);
        t.Add("echo", (_, a) => a[0], [GoType.Any]);
        t.Add("makemap", (_, a) =>
        {
            var m = new Dictionary<string, string>();
            for (int i = 0; i + 1 < a.Length; i += 2)
            {
                m[(string)a[i]!] = (string)a[i + 1]!;
            }

            return m;
        }, [], GoType.String);
        t.Add("mapOfThree", (_, _) => new Dictionary<string, long> { ["three"] = 3 }, []);
        t.Add("oneArg", (_, a) => "oneArg=" + a[0], [GoType.String]);
        t.Add("returnInt", (_, _) => 7L, []);
        t.Add("twoArgs", (_, a) => "twoArgs=" + a[0] + a[1], [GoType.String, GoType.String]);
        t.Add("typeOf", (_, a) => GoValues.TypeName(a[0]), [GoType.Any]);
        t.Add("valueString", (_, _) => "value is ignored", [GoType.String]);
        t.Add("zeroArgs", (_, _) => "zeroArgs", []);
        return t;
    }
}
