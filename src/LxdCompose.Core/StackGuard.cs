using System.Runtime.CompilerServices;

namespace LxdCompose;

/// <summary>
/// For recursive walks over data of any depth (YAML trees, template values, parse trees): throws
/// <see cref="InsufficientExecutionStackException"/> while the thread still has stack left, which the entry points turn
/// into an error with a position, instead of a stack overflow that ends the process.
/// </summary>
internal static class StackGuard
{
    /// <summary>Returns <paramref name="value"/> when the stack has room for another level; for expression-bodied walkers.</summary>
    public static T Ensure<T>(T value)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        return value;
    }
}
