using System.Runtime.ExceptionServices;

namespace LxdCompose.Tests.Limits;

/// <summary>
/// Runs code on a thread of a chosen stack size. Tests of inputs that once overflowed the stack first run them on a
/// huge stack, where the code before the fix did not crash but failed the test's assertion, and only then on a small
/// stack like a thread pool's, where the fix must hold; so no test can take the test host down. A run that does not end
/// within <see cref="Timeout"/> fails the test (the code before the fix took hours on 100,000 nested lists: YamlDotNet's
/// scanner is quadratic in the nesting) and is left to finish on its background thread.
/// </summary>
internal static class StackThreads
{
    /// <summary>Big enough for the old recursive code to finish on every input these tests use.</summary>
    public const int Huge = 1024 * 1024 * 1024;

    /// <summary>Smaller than any thread that runs the module (PowerShell's pipeline thread has 10 MB).</summary>
    public const int Small = 512 * 1024;

    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static T Run<T>(int stackBytes, Func<T> work, TimeSpan? timeout = null)
    {
        var limit = timeout ?? Timeout;
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
        }, stackBytes)
        { IsBackground = true };
        thread.Start();
        if (!thread.Join(limit))
        {
            throw new TimeoutException($"the run did not end within {limit}");
        }

        failure?.Throw();
        return result;
    }

    public static void Run(int stackBytes, Action work, TimeSpan? timeout = null) => Run(stackBytes, () =>
    {
        work();
        return 0;
    }, timeout);
}
