using System.Text;

namespace LxdCompose.Deploy;

/// <summary>
/// A write-only stream that keeps everything written (for out2var/err2var and error messages) and hands each complete
/// line to a callback as it arrives, so hook output is shown live.
/// </summary>
internal sealed class LineStream : Stream
{
    private readonly MemoryStream _all = new();
    private readonly Action<string> _onLine;
    private readonly Decoder _decoder = new UTF8Encoding(false).GetDecoder();
    private readonly StringBuilder _pending = new();
    private readonly object _gate = new();

    public LineStream(Action<string> onLine) => _onLine = onLine;

    public string Text
    {
        get
        {
            lock (_gate)
            {
                return Encoding.UTF8.GetString(_all.ToArray());
            }
        }
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _all.Length;

    public override long Position
    {
        get => _all.Length;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var lines = new List<string>();
        lock (_gate)
        {
            _all.Write(buffer);
            var chars = new char[_decoder.GetCharCount(buffer, flush: false)];
            _decoder.GetChars(buffer, chars, flush: false);
            foreach (var c in chars)
            {
                if (c == '\n')
                {
                    lines.Add(_pending.ToString().TrimEnd('\r'));
                    _pending.Clear();
                }
                else
                {
                    _pending.Append(c);
                }
            }
        }

        foreach (var line in lines)
        {
            _onLine(line);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer, offset, count);
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    /// <summary>Hands over a last line without a line break.</summary>
    public void Complete()
    {
        string? rest = null;
        lock (_gate)
        {
            if (_pending.Length > 0)
            {
                rest = _pending.ToString();
                _pending.Clear();
            }
        }

        if (rest is not null)
        {
            _onLine(rest);
        }
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
