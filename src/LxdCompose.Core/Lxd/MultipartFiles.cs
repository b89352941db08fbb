using System.Net.Http.Headers;
using System.Text;

namespace LxdCompose.Lxd;

/// <summary>Saves the parts of a multipart body (a split image export: metadata + rootfs) as files, streaming.</summary>
internal static class MultipartFiles
{
    public static async Task<IReadOnlyList<string>> SaveAsync(Stream body, string boundary, string directory, string fingerprint, CancellationToken cancellationToken)
    {
        var delimiter = Encoding.ASCII.GetBytes("\r\n--" + boundary);
        var reader = new BufferedReader(body);
        // The body starts with "--boundary" (no leading CRLF).
        await reader.SkipPastAsync(delimiter.AsMemory(2), cancellationToken).ConfigureAwait(false);
        var written = new List<string>();
        for (var index = 0; ; index++)
        {
            var afterBoundary = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (afterBoundary is null || afterBoundary.StartsWith("--", StringComparison.Ordinal))
            {
                return written;
            }

            string? fileName = null;
            string? line;
            while (!string.IsNullOrEmpty(line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false)))
            {
                if (line.StartsWith("Content-Disposition:", StringComparison.OrdinalIgnoreCase)
                    && ContentDispositionHeaderValue.TryParse(line["Content-Disposition:".Length..].Trim(), out var disposition))
                {
                    fileName = LxdImages.SafeFileName(disposition, string.Empty);
                }
            }

            var path = Path.Combine(directory, string.IsNullOrEmpty(fileName) ? $"{fingerprint}.part{index}" : fileName);
            await using (var file = File.Create(path))
            {
                await reader.CopyUntilAsync(delimiter, file, cancellationToken).ConfigureAwait(false);
            }

            written.Add(path);
        }
    }

    private sealed class BufferedReader
    {
        private readonly Stream _stream;
        private readonly byte[] _buffer = new byte[128 * 1024];
        private int _start;
        private int _end;
        private bool _eof;

        public BufferedReader(Stream stream) => _stream = stream;

        private async Task<bool> FillAsync(CancellationToken cancellationToken)
        {
            if (_eof)
            {
                return false;
            }

            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            _end += read;
            _eof = read == 0;
            return read > 0;
        }

        public async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                var index = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                if (index >= 0)
                {
                    var line = Encoding.UTF8.GetString(_buffer, _start, index - _start).TrimEnd('\r');
                    _start = index + 1;
                    return line;
                }

                if (!await FillAsync(cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }
            }
        }

        public async Task SkipPastAsync(ReadOnlyMemory<byte> marker, CancellationToken cancellationToken) =>
            await CopyUntilAsync(marker.ToArray(), Stream.Null, cancellationToken).ConfigureAwait(false);

        /// <summary>Copies bytes up to the marker and consumes the marker; the end of the stream ends the copy too.</summary>
        public async Task CopyUntilAsync(byte[] marker, Stream destination, CancellationToken cancellationToken)
        {
            while (true)
            {
                var found = _buffer.AsSpan(_start, _end - _start).IndexOf(marker);
                if (found >= 0)
                {
                    await destination.WriteAsync(_buffer.AsMemory(_start, found), cancellationToken).ConfigureAwait(false);
                    _start += found + marker.Length;
                    return;
                }

                // Keep a tail that could be the start of the marker.
                var safe = Math.Max(0, _end - _start - marker.Length + 1);
                await destination.WriteAsync(_buffer.AsMemory(_start, safe), cancellationToken).ConfigureAwait(false);
                _start += safe;
                if (!await FillAsync(cancellationToken).ConfigureAwait(false))
                {
                    await destination.WriteAsync(_buffer.AsMemory(_start, _end - _start), cancellationToken).ConfigureAwait(false);
                    _start = _end;
                    return;
                }
            }
        }
    }
}
