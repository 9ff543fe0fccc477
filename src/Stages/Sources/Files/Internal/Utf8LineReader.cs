namespace SalesIntel.Stages.Sources.Files.Internal;

/// <summary>What <see cref="Utf8LineReader.TryReadLine"/> found.</summary>
internal enum LineStatus
{
    /// <summary>A complete line is available.</summary>
    Line,

    /// <summary>More input must be read first (<see cref="Utf8LineReader.FillAsync"/>).</summary>
    NeedMore,

    /// <summary>A line longer than the limit was skipped without being held in memory.</summary>
    TooLong,

    /// <summary>End of input.</summary>
    End,
}

/// <summary>
/// Splits a UTF-8 stream into lines (LF or CRLF; a leading BOM is dropped) in a reusable buffer. A line longer than
/// the limit is skipped as it streams past, so one huge line cannot exhaust memory; only its start is kept.
/// </summary>
internal sealed class Utf8LineReader(Stream stream, int maxLineBytes)
{
    private const int PreviewBytes = 1024;
    private byte[] _buffer = new byte[1 << 16];
    private int _start;
    private int _end;
    private bool _eof;
    private bool _started;
    private bool _skipping;
    private long _skipStartLine;

    /// <summary>The 1-based number of the last line returned.</summary>
    public long LineNumber { get; private set; }

    /// <summary>The start of the last line reported <see cref="LineStatus.TooLong"/>.</summary>
    public byte[] TooLongPreview { get; private set; } = [];

    /// <summary>The bytes of the last line reported <see cref="LineStatus.TooLong"/> (at least).</summary>
    public long TooLongBytes { get; private set; }

    public ReadOnlySpan<byte> Buffer => _buffer;

    public LineStatus TryReadLine(out int offset, out int length)
    {
        offset = 0;
        length = 0;
        var available = _buffer.AsSpan(_start, _end - _start);
        if (_skipping)
        {
            var newline = available.IndexOf((byte)'\n');
            if (newline < 0 && !_eof)
            {
                TooLongBytes += available.Length;
                _start = _end;
                return LineStatus.NeedMore;
            }

            TooLongBytes += newline < 0 ? available.Length : newline;
            _start = newline < 0 ? _end : _start + newline + 1;
            _skipping = false;
            LineNumber = _skipStartLine;
            return LineStatus.TooLong;
        }

        var index = available.IndexOf((byte)'\n');
        if (index >= 0)
        {
            offset = _start;
            length = index > 0 && available[index - 1] == (byte)'\r' ? index - 1 : index;
            _start += index + 1;
            LineNumber++;
            return LineStatus.Line;
        }

        if (_eof)
        {
            if (available.IsEmpty)
            {
                return LineStatus.End;
            }

            offset = _start;
            length = available[^1] == (byte)'\r' ? available.Length - 1 : available.Length;
            _start = _end;
            LineNumber++;
            return LineStatus.Line;
        }

        if (available.Length >= maxLineBytes)
        {
            TooLongPreview = available[..Math.Min(PreviewBytes, available.Length)].ToArray();
            TooLongBytes = available.Length;
            _skipping = true;
            _skipStartLine = LineNumber + 1;
            LineNumber = _skipStartLine;
            _start = _end;
        }

        return LineStatus.NeedMore;
    }

    public async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            System.Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        if (read == 0)
        {
            _eof = true;
        }

        _end += read;
        if (!_started && _end - _start >= 3 || _eof)
        {
            if (!_started && _buffer.AsSpan(_start, _end - _start).StartsWith("\uFEFF"u8))
            {
                _start += 3;
            }

            _started = true;
        }
    }
}
