using System.Diagnostics;
using System.Globalization;
using CsCheck;
using Xunit.Sdk;

namespace LxdCompose.Tests.Limits;

/// <summary>
/// Runs a property over generated inputs, repeatably: every input comes from its own seed, drawn from one fixed seed
/// per target, so a run and its failures are the same on every machine (docs/fuzzing.md). Environment variables:
/// <c>LXDCOMPOSE_FUZZ_SECONDS</c> runs each target for that long instead of its fixed number of inputs,
/// <c>LXDCOMPOSE_FUZZ_SEED</c> replaces the fixed seed (for longer runs over new inputs), and
/// <c>LXDCOMPOSE_FUZZ_REPLAY</c> runs only the input of the seed a failure printed.
/// </summary>
internal static class FuzzRunner
{
    public const string SecondsVariable = "LXDCOMPOSE_FUZZ_SECONDS";
    public const string SeedVariable = "LXDCOMPOSE_FUZZ_SEED";
    public const string ReplayVariable = "LXDCOMPOSE_FUZZ_REPLAY";

    /// <summary>How long one target may take: its fixed inputs, or the seconds asked for, with room to spare.</summary>
    public static TimeSpan Timeout => TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(Seconds);

    private static double Seconds => double.TryParse(Environment.GetEnvironmentVariable(SecondsVariable), NumberStyles.Float,
        CultureInfo.InvariantCulture, out var s) ? s : 0;

    /// <param name="log">Gets the summary: how many inputs from which seed, in how long.</param>
    public static void Run<T>(string target, Gen<T> gen, Action<T> property, int inputs, Func<T, string> print,
        Action<string> log)
    {
        if (ParseSeed(Environment.GetEnvironmentVariable(ReplayVariable)) is { } replay)
        {
            Check(target, gen, property, print, replay);
            return;
        }

        var seconds = Seconds;
        var seed = ParseSeed(Environment.GetEnvironmentVariable(SeedVariable)) ?? StableSeed(target);
        var master = new PCG(1, seed);
        var clock = Stopwatch.StartNew();
        long i = 0;
        for (; seconds > 0 ? clock.Elapsed.TotalSeconds < seconds : i < inputs; i++)
        {
            Check(target, gen, property, print, master.Next64());
        }

        log($"fuzz target {target}: {i:N0} inputs from seed {seed} in {clock.Elapsed.TotalSeconds:N0} s");
    }

    private static void Check<T>(string target, Gen<T> gen, Action<T> property, Func<T, string> print, ulong seed)
    {
        var input = gen.Generate(new PCG(1, seed), null!, out _);
        try
        {
            property(input);
        }
        catch (Exception e)
        {
            var shown = print(input);
            if (shown.Length > 2_000)
            {
                shown = shown[..2_000] + $"… ({shown.Length:N0} characters)";
            }

            throw new XunitException(
                $"fuzz target {target} failed on the input of seed {seed} (replay: {ReplayVariable}={seed}):\n{shown}\n{e}");
        }
    }

    private static ulong? ParseSeed(string? text) =>
        ulong.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed) ? seed : null;

    /// <summary>FNV-1a of the target's name: a fixed seed that does not change between runtimes (string.GetHashCode does).</summary>
    private static ulong StableSeed(string target)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in target)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }
}
