using System.Text;
using LxdCompose.Lxd;
using LxdCompose.Specs;

namespace LxdCompose.Loading;

/// <summary>
/// Reads every text file the module takes as input (config, spec, included, vars, render and template files): only
/// regular files, at most <see cref="MaxFileBytes"/>, decoded strictly. UTF-8 with or without a BOM, UTF-16 and
/// UTF-32 with a BOM; invalid bytes are an error at their line and column instead of becoming U+FFFD, as
/// lxd-compose's YAML library refuses them.
/// </summary>
public static class InputFiles
{
    /// <summary>The largest input file read (16 MiB); bounds the memory one file can take (docs/limits.md).</summary>
    public const long MaxFileBytes = 16L * 1024 * 1024;

    private static readonly (byte[] Bom, Encoding Encoding)[] ByteOrderMarks =
    {
        // UTF-32 LE first: its BOM starts with UTF-16 LE's.
        (new byte[] { 0xFF, 0xFE, 0x00, 0x00 }, new UTF32Encoding(false, false, true)),
        (new byte[] { 0x00, 0x00, 0xFE, 0xFF }, new UTF32Encoding(true, false, true)),
        (new byte[] { 0xEF, 0xBB, 0xBF }, new UTF8Encoding(false, true)),
        (new byte[] { 0xFF, 0xFE }, new UnicodeEncoding(false, false, true)),
        (new byte[] { 0xFE, 0xFF }, new UnicodeEncoding(true, false, true)),
    };

    private static readonly Encoding StrictUtf8 = new UTF8Encoding(false, true);

    /// <summary>
    /// The file's text. Throws <see cref="SpecException"/> (<c>NotARegularFile</c>, <c>FileTooLarge</c>,
    /// <c>InvalidEncoding</c>) with the file's path or the position of the first invalid byte;
    /// <see cref="IOException"/> and <see cref="UnauthorizedAccessException"/> when it cannot be read.
    /// </summary>
    public static string ReadText(string path)
    {
        EnsureRegularFile(path);
        byte[] bytes;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan))
        {
            // The length may change after the check; read at most one byte past the bound to be sure.
            bytes = ReadAtMost(stream, MaxFileBytes + 1, path);
        }

        return Decode(bytes, path);
    }

    /// <summary>
    /// Throws <see cref="SpecException"/> <c>NotARegularFile</c> when <paramref name="path"/> names a FIFO, socket,
    /// device or directory: opening a FIFO would block until a writer comes, a device may never end.
    /// </summary>
    public static void EnsureRegularFile(string path)
    {
        if (UnixFileType.OfTarget(path) is { } type && type != UnixFileType.Regular)
        {
            throw new SpecException(LoadCodes.NotARegularFile,
                $"'{path}' is {UnixFileType.Describe(type)}, not a regular file, so it is not read; replace it with a " +
                "file or remove it", SourceLocation.FileOnly(path));
        }
    }

    private static byte[] ReadAtMost(FileStream stream, long limit, string path)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, limit - buffer.Length))) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxFileBytes)
            {
                throw new SpecException(LoadCodes.FileTooLarge,
                    $"the file is larger than {MaxFileBytes / (1024 * 1024)} MiB, the most an input file may hold; " +
                    "split it", SourceLocation.FileOnly(path));
            }
        }

        return buffer.ToArray();
    }

    /// <summary>Decodes strictly; the first invalid byte is an error at its line and column.</summary>
    internal static string Decode(byte[] bytes, string path)
    {
        var (encoding, skip) = EncodingOf(bytes);
        try
        {
            return encoding.GetString(bytes, skip, bytes.Length - skip);
        }
        catch (DecoderFallbackException e)
        {
            // UTF-8's decoder reports where the bad bytes start; the UTF-16 and UTF-32 decoders report where they end.
            var index = encoding is UTF8Encoding ? e.Index : e.Index - (e.BytesUnknown?.Length ?? 0);
            var bad = Math.Clamp(skip + Math.Max(index, 0), skip, bytes.Length - 1);
            // The text before the bad byte, decoded leniently, gives its line and column.
            var before = LenientCopy(encoding).GetString(bytes, skip, bad - skip);
            var line = 1 + before.Count(c => c == '\n');
            var column = before.Length - (before.LastIndexOf('\n') + 1) + 1;
            var name = encoding is UTF8Encoding ? "UTF-8" : encoding.WebName.ToUpperInvariant();
            throw new SpecException(LoadCodes.InvalidEncoding,
                $"byte 0x{bytes[bad]:X2} at offset {bad} is not valid {name} (lxd-compose's YAML library refuses " +
                "it too); save the file as UTF-8", new SourceLocation(path, line, column), e);
        }
    }

    private static (Encoding Encoding, int Skip) EncodingOf(byte[] bytes)
    {
        foreach (var (bom, encoding) in ByteOrderMarks)
        {
            if (bytes.AsSpan().StartsWith(bom))
            {
                return (encoding, bom.Length);
            }
        }

        return (StrictUtf8, 0);
    }

    private static Encoding LenientCopy(Encoding strict)
    {
        var copy = (Encoding)strict.Clone();
        copy.DecoderFallback = DecoderFallback.ReplacementFallback;
        return copy;
    }
}
