namespace LxdCompose.Security;

/// <summary>
/// Files only their owner may read (mode 0600 on Unix): keys, decrypted secrets, rendered templates. On Windows the file
/// gets the ACL of its folder, as every other file the module writes.
/// </summary>
public static class PrivateFile
{
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Writes <paramref name="text"/> as UTF-8 without a byte order mark.</summary>
    public static void WriteAllText(string path, string text)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
            if (File.Exists(path))
            {
                // UnixCreateMode applies to new files only: tighten an existing one before the text goes in.
                File.SetUnixFileMode(path, OwnerOnly);
            }
        }

        using var writer = new StreamWriter(path, new System.Text.UTF8Encoding(false), options);
        writer.Write(text);
    }
}
