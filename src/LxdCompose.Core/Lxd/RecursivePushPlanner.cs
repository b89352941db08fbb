using System.Runtime.InteropServices;

namespace LxdCompose.Lxd;

public enum RecursivePushStepKind
{
    Directory,
    File,
    Symlink,
}

/// <summary>One thing to create in the instance: a directory, a file (from <see cref="SourcePath"/>) or a symlink.</summary>
public sealed record RecursivePushStep(RecursivePushStepKind Kind, string SourcePath, string TargetPath, int Mode, string? LinkTarget);

/// <summary>
/// What a recursive push does: <see cref="ParentDirectory"/> is created like <c>mkdir -p</c> (root-owned, 0755), then
/// <see cref="Steps"/> run in order (every directory before its contents).
/// </summary>
public sealed record RecursivePushPlan(string ParentDirectory, IReadOnlyList<RecursivePushStep> Steps);

/// <summary>Owner of everything pushed; the mode comes from each local entry unless <see cref="Mode"/> forces one.</summary>
public sealed record RecursivePushOptions
{
    public int Uid { get; init; }

    public int Gid { get; init; }

    public int? Mode { get; init; }

    /// <summary>
    /// Decides a file's mode from its local path and the mode it would get otherwise (the deploy engine narrows files that
    /// hold secret values); null: that mode.
    /// </summary>
    public Func<string, int, int>? FileMode { get; init; }
}

/// <summary>
/// Plans a recursive push with the semantics of <c>lxc file push -r -p</c>, made deterministic:
/// <list type="bullet">
/// <item>a file goes to <c>target</c>, or to <c>target/&lt;name&gt;</c> when the target ends with <c>/</c>;</item>
/// <item>a directory whose path ends with <c>/</c> has its contents copied into <c>target</c>;</item>
/// <item>a directory without a trailing <c>/</c> is copied as <c>target/&lt;name&gt;</c>, with or without a trailing
/// <c>/</c> on the target;</item>
/// <item>missing parents are created (root, 0755); local permission bits are kept; symlinks are pushed as symlinks (never
/// followed); other file types are refused before anything is sent; entries go in ordinal order, directories first.</item>
/// </list>
/// Differences from lxd-compose's RecursivePushFile (reference §3.9): (1) a directory without trailing slash pushed to a
/// target without trailing slash works here (lxd-compose creates the target but addresses the children under
/// target/&lt;name&gt;, whose parent never exists, and fails); (2) owners are the given uid/gid (default root) instead of
/// the host file's uid/gid, which mean nothing inside the container and do not exist on Windows; (3) the trailing slash of
/// the source is taken as given — lxd-compose loses it when it joins a relative source to the sync base, turning
/// "contents of files/" into "files/ itself"; whoever resolves spec paths decides which meaning to pass; (4) unsupported
/// entries (fifos, sockets, devices) are reported before the first request, not halfway through.
/// </summary>
public static class RecursivePushPlanner
{
    public static RecursivePushPlan Plan(string source, string target)
    {
        if (string.IsNullOrEmpty(target) || !target.StartsWith('/'))
        {
            throw new ArgumentException($"The target '{target}' must be an absolute path inside the instance.", nameof(target));
        }

        var sourceContents = source.EndsWith('/') || source.EndsWith(Path.DirectorySeparatorChar) || source.EndsWith("/.", StringComparison.Ordinal);
        var targetIsDirectory = target.EndsWith('/');
        var trimmed = Path.TrimEndingDirectorySeparator(source.EndsWith("/.", StringComparison.Ordinal) ? source[..^2] : source);
        var fullSource = Path.GetFullPath(trimmed.Length == 0 ? "/" : trimmed);
        var rootTarget = LxdFiles.NormalizeAbsolute(target);
        var info = new FileInfo(fullSource);
        if (!info.Exists && !Directory.Exists(fullSource) && info.LinkTarget is null)
        {
            throw new FileNotFoundException($"The source '{source}' does not exist.", fullSource);
        }

        var steps = new List<RecursivePushStep>();
        var isDirectory = info.LinkTarget is null && Directory.Exists(fullSource);
        if (!isDirectory)
        {
            if (sourceContents)
            {
                throw new ArgumentException($"The source '{source}' ends with '/' but is not a directory.", nameof(source));
            }

            var fileTarget = targetIsDirectory ? Join(rootTarget, Path.GetFileName(fullSource)) : rootTarget;
            steps.Add(StepFor(new FileInfo(fullSource), fileTarget));
            return new RecursivePushPlan(LxdFiles.ParentOf(fileTarget), steps);
        }

        var rootDirectory = sourceContents ? rootTarget : Join(rootTarget, Path.GetFileName(fullSource));
        var problems = new List<string>();
        if (rootDirectory != "/")
        {
            steps.Add(new RecursivePushStep(RecursivePushStepKind.Directory, fullSource, rootDirectory, ModeOf(new DirectoryInfo(fullSource), 0b111_101_101), null));
        }

        Walk(new DirectoryInfo(fullSource), rootDirectory, steps, problems);
        if (problems.Count > 0)
        {
            throw new NotSupportedException(
                $"Cannot push {problems.Count} entr{(problems.Count == 1 ? "y" : "ies")} of '{source}' (only files, directories and symlinks): "
                + string.Join(", ", problems.Take(10)));
        }

        return new RecursivePushPlan(rootDirectory == "/" ? "/" : LxdFiles.ParentOf(rootDirectory), steps);
    }

    private static void Walk(DirectoryInfo directory, string targetDirectory, List<RecursivePushStep> steps, List<string> problems)
    {
        foreach (var entry in directory.EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            var targetPath = Join(targetDirectory, entry.Name);
            if (entry.LinkTarget is null && entry is DirectoryInfo child)
            {
                steps.Add(new RecursivePushStep(RecursivePushStepKind.Directory, child.FullName, targetPath, ModeOf(child, 0b111_101_101), null));
                Walk(child, targetPath, steps, problems);
                continue;
            }

            if (entry.LinkTarget is null && IsSpecial(entry))
            {
                problems.Add(entry.FullName);
                continue;
            }

            steps.Add(StepFor(entry, targetPath));
        }
    }

    private static RecursivePushStep StepFor(FileSystemInfo entry, string targetPath) =>
        entry.LinkTarget is { } link
            ? new RecursivePushStep(RecursivePushStepKind.Symlink, entry.FullName, targetPath, 0b111_111_111, link)
            : new RecursivePushStep(RecursivePushStepKind.File, entry.FullName, targetPath, ModeOf(entry, 0b110_100_100), null);

    private static bool IsSpecial(FileSystemInfo entry) =>
        UnixFileType.Of(entry.FullName) is { } type && type != UnixFileType.Regular && type != UnixFileType.Directory && type != UnixFileType.Symlink;

    private static int ModeOf(FileSystemInfo entry, int windowsDefault) =>
        RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? windowsDefault : (int)entry.UnixFileMode & 0xFFF;

    private static string Join(string directory, string name) => directory == "/" ? "/" + name : directory + "/" + name;
}
