using System.Runtime.InteropServices;

namespace LxdCompose.Lxd;

/// <summary>
/// The file type bits of lstat, which .NET's public API does not expose (it reports fifos, sockets and devices as plain
/// files, and opening a fifo would block). Uses the lstat of the runtime's own native shim, whose result starts with the
/// stable fields (flags, mode, uid, gid) on every Unix the runtime supports.
/// </summary>
internal static partial class UnixFileType
{
    public const int Fifo = 0x1000;
    public const int CharacterDevice = 0x2000;
    public const int Directory = 0x4000;
    public const int BlockDevice = 0x6000;
    public const int Regular = 0x8000;
    public const int Symlink = 0xA000;
    public const int Socket = 0xC000;

    /// <summary>The S_IFMT bits of the path (not following a final symlink); null on Windows or when it cannot be read.</summary>
    public static int? Of(string path)
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            return null;
        }

        // Larger than any version of the shim's FileStatus; only the first 16 bytes are read.
        Span<byte> status = stackalloc byte[512];
        unsafe
        {
            fixed (byte* buffer = status)
            {
                if (LStat(path, buffer) != 0)
                {
                    return null;
                }
            }
        }

        return BitConverter.ToInt32(status[4..8]) & 0xF000;
    }

    /// <summary>The S_IFMT bits of what the path names, following symlinks; null on Windows or when it cannot be read.</summary>
    public static int? OfTarget(string path)
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            return null;
        }

        Span<byte> status = stackalloc byte[512];
        unsafe
        {
            fixed (byte* buffer = status)
            {
                if (Stat(path, buffer) != 0)
                {
                    return null;
                }
            }
        }

        return BitConverter.ToInt32(status[4..8]) & 0xF000;
    }

    /// <summary>What a file type is called in messages.</summary>
    public static string Describe(int type) => type switch
    {
        Fifo => "a FIFO (named pipe)",
        CharacterDevice => "a character device",
        BlockDevice => "a block device",
        Directory => "a directory",
        Socket => "a socket",
        Symlink => "a symbolic link",
        _ => "not a regular file",
    };

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_LStat", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int LStat(string path, byte* output);

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Stat", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Stat(string path, byte* output);
}
