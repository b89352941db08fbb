using System.Runtime.ExceptionServices;

namespace LxdCompose.Tests.Limits;

/// <summary>
/// Runs code on a thread of a chosen stack size. Tests of inputs that once overflowed the stack first run them on a
/// huge stack, where the code before the fix did not crash but failed the test's assertion, and only then on a small
/// stack like a thread pool's, where the fix must hold; so no test can take the test host down.
/// </summary>
internal static class StackThreads
{
    /// <summary>Big enough for the old recursive code to finish on every input these tests use.</summary>
    public const int Huge = 1024 * 1024 * 1024;

    /// <summary>Smaller than any thread that runs the module (PowerShell's pipeline thread has 10 MB).</summary>
    public const int Small = 512 * 1024;

    public static T Run<T>(int stackBytes, Func<T> work)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = work();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        }, stackBytes);
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    public static void Run(int stackBytes, Action work) => Run(stackBytes, () =>
    {
        work();
        return 0;
    });
}
