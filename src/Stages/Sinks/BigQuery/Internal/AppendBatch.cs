using System.Buffers;
namespace SalesIntel.Stages.Sinks.BigQuery.Internal;

/// <summary>
/// The rows of one AppendRows request, already framed as the body of a <c>ProtoRows</c> message (each row is field 1,
/// length-delimited) in one pooled buffer, kept until the server acknowledges them so they can be resent unchanged
/// after a dropped connection. The offset is assigned when the batch is sent, because rows BigQuery rejects are taken
/// out of earlier requests and shift everything after them.
/// </summary>
/// <typeparam name="TRow">The row type the batch was built from (kept to name the rows BigQuery rejects).</typeparam>
internal sealed class AppendBatch<TRow> : IAppendRows
{
    private const int InitialBytes = 64 * 1024;

    private readonly List<int> _rowStarts = [];
    private readonly List<TRow> _sources = [];
    private byte[] _buffer;
    private int _length;

    public AppendBatch(int expectedBytes, byte[] writerSchema)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(InitialBytes, expectedBytes));
        WriterSchema = writerSchema;
    }

    /// <summary>The serialized writer schema of the rows (sent on the first request of a connection).</summary>
    public byte[] WriterSchema { get; }

    /// <summary>Number of rows.</summary>
    public int RowCount => _sources.Count;

    /// <summary>Size of the framed rows (the ProtoRows body).</summary>
    public int RowBytes => _length;

    /// <summary>The framed rows.</summary>
    public ReadOnlySpan<byte> Rows => _buffer.AsSpan(0, _length);

    /// <summary>The stream offset of the first row, as last sent.</summary>
    public long Offset { get; set; }

    /// <summary>The row behind row <paramref name="index"/>.</summary>
    public TRow Source(int index) => _sources[index];

    /// <summary>The bytes a row of <paramref name="size"/> takes framed (tag, length, row).</summary>
    public static int FramedSize(int size) => 1 + RecommendationRowEncoder.Varint((ulong)size) + size;

    /// <summary>Appends a row measured by <paramref name="encoder"/> at <paramref name="size"/> bytes.</summary>
    public void Add(TRow row, IRowEncoder<TRow> encoder, int size)
    {
        var framed = FramedSize(size);
        EnsureRoom(framed);
        var span = _buffer.AsSpan(_length, framed);
        var w = new RecommendationRowEncoder.Writer(span);
        w.Tag(0x0A);
        w.Varint((ulong)size);
        encoder.Write(row, span[w.Position..]);
        _rowStarts.Add(_length);
        _sources.Add(row);
        _length += framed;
    }

    /// <summary>Takes the rows at <paramref name="indexes"/> out (BigQuery rejected them); the rest is resent as is.</summary>
    public void Remove(IReadOnlySet<int> indexes)
    {
        var kept = ArrayPool<byte>.Shared.Rent(Math.Max(InitialBytes, _length));
        var keptLength = 0;
        var keptStarts = new List<int>(_rowStarts.Count);
        var keptSources = new List<TRow>(_sources.Count);
        for (var i = 0; i < _sources.Count; i++)
        {
            if (indexes.Contains(i))
            {
                continue;
            }

            var end = i + 1 < _rowStarts.Count ? _rowStarts[i + 1] : _length;
            var row = _buffer.AsSpan(_rowStarts[i], end - _rowStarts[i]);
            row.CopyTo(kept.AsSpan(keptLength));
            keptStarts.Add(keptLength);
            keptSources.Add(_sources[i]);
            keptLength += row.Length;
        }

        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = kept;
        _length = keptLength;
        _rowStarts.Clear();
        _rowStarts.AddRange(keptStarts);
        _sources.Clear();
        _sources.AddRange(keptSources);
    }

    /// <summary>Gives the buffer back once the rows are acknowledged; the batch is not used again.</summary>
    public void Release()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        _length = 0;
    }

    private void EnsureRoom(int bytes)
    {
        if (_buffer.Length - _length >= bytes)
        {
            return;
        }

        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + bytes));
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
