using System.Runtime.CompilerServices;

namespace LxdCompose.GoTemplates;

/// <summary>
/// For recursive walks over values and parse trees of any depth: throws <see cref="InsufficientExecutionStackException"/>
/// while the thread still has stack left, which the entry points turn into an error with a position, instead of a
/// stack overflow that ends the process.
/// </summary>
internal static class StackGuard
{
    /// <summary>Throws <see cref="InsufficientExecutionStackException"/> when the stack has no room for another level.</summary>
    public static void Check() => RuntimeHelpers.EnsureSufficientExecutionStack();

    /// <summary>Returns <paramref name="value"/> when the stack has room for another level; for expression-bodied walkers.</summary>
    public static T Ensure<T>(T value)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        return value;
    }

    /// <summary>False when the stack has no room for another level: for printing, which shortens instead of failing.</summary>
    public static bool HasRoom() => RuntimeHelpers.TryEnsureSufficientExecutionStack();
}
