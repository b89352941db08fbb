using Xunit;

namespace LxdCompose.Tests;

/// <summary>
/// A test whose hooks are POSIX shell (host hooks run <c>/bin/bash -c</c> by default on Unix). On Windows it is reported
/// as skipped, with the reason, instead of passing without asserting anything.
/// </summary>
public sealed class PosixShellFactAttribute : FactAttribute
{
    public PosixShellFactAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "its hooks are POSIX shell; on Windows host hooks run in PowerShell";
        }
    }
}
