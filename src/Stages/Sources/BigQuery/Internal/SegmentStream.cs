namespace SalesIntel.Stages.Sources.BigQuery.Internal;

/// <summary>
/// A read-only stream over two byte segments (the session's schema message, then one response's record batch
/// message), so <see cref="Apache.Arrow.Ipc.ArrowStreamReader"/> can read them as one IPC stream without first
/// copying them into a new (large-object-heap) array.
/// </summary>
internal sealed class SegmentStream(ReadOnlyMemory<byte> first, ReadOnlyMemory<byte> second) : Stream
{
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => first.Length + second.Length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer)
    {
        var remaining = _position < first.Length
            ? first.Span[(int)_position..]
            : second.Span[(int)(_position - first.Length)..];
        var n = Math.Min(buffer.Length, remaining.Length);
        remaining[..n].CopyTo(buffer);
        _position += n;
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
