namespace LxdCompose.PowerShell.Formats;

/// <summary>How the table views show a file path: short enough that the file name survives an 80-column table.</summary>
public static class DisplayPath
{
    /// <summary>
    /// <paramref name="path"/> relative to <paramref name="location"/> (the PowerShell location) when it lies below it,
    /// else the full path: a path that climbs out with <c>..</c> is longer and harder to read than the full one.
    /// </summary>
    public static string Relative(string? path, string? location)
    {
        if (string.IsNullOrEmpty(path) || string.IsNullOrEmpty(location) || !Path.IsPathRooted(path))
        {
            return path ?? string.Empty;
        }

        var relative = Path.GetRelativePath(location, path);
        var climbsOut = relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            || relative.StartsWith("../", StringComparison.Ordinal);
        return climbsOut || Path.IsPathRooted(relative) ? path : relative;
    }
}
