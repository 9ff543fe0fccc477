using System.Collections.Concurrent;
using Apache.Arrow;
using Apache.Arrow.Compression;
using Apache.Arrow.Ipc;
using Google.Protobuf;

namespace SalesIntel.Tests.Stages.Sources.BigQuery.Fakes;

/// <summary>
/// The rows a fake session serves: the table filtered and projected (as slices of the table's batches, no copies),
/// split into contiguous stream ranges, serialized on demand into real Arrow IPC messages (optionally compressed)
/// and cached per response so repeated reads, as in the benchmark, cost the fake almost nothing. A response never
/// spans two pieces (runs of kept rows within one table batch), so responses vary in size, as BigQuery's do.
/// </summary>
internal sealed class FakeSessionPlan
{
    private static readonly CompressionCodecFactory Codecs = new();
    private readonly List<RecordBatch> _pieces;
    private readonly long[] _pieceStarts;
    private readonly CompressionCodecType? _codec;
    private readonly ConcurrentDictionary<(long Start, long End), ByteString> _messages = new();

    public FakeSessionPlan(FakeTable table, IReadOnlyList<string> selectedFields, string? rowRestriction, CompressionCodecType? codec, int maxStreams)
    {
        _codec = codec;
        var indexes = selectedFields.Count == 0
            ? Enumerable.Range(0, table.Schema.FieldsList.Count).ToArray()
            : selectedFields.Select(f => table.Schema.GetFieldIndex(f, StringComparer.OrdinalIgnoreCase) is var i and >= 0
                    ? i
                    : throw new FormatException($"Invalid field name \"{f}\" in selected_fields: not found in table schema"))
                .Distinct().Order().ToArray();
        var builder = new Schema.Builder();
        foreach (var i in indexes)
        {
            builder.Field(table.Schema.GetFieldByIndex(i));
        }

        Schema = builder.Build();
        SchemaMessage = SerializeSchema(Schema);
        var predicate = rowRestriction is null ? null : FakeRowRestriction.Compile(rowRestriction, table.Schema);

        _pieces = [];
        var starts = new List<long>();
        long total = 0;
        double bytes = 0;
        foreach (var batch in table.Batches)
        {
            var kept = 0;
            var row = 0;
            while (row < batch.Length)
            {
                if (predicate is not null && !predicate(batch, row))
                {
                    row++;
                    continue;
                }

                var runStart = row;
                while (row < batch.Length && (predicate is null || predicate(batch, row)))
                {
                    row++;
                }

                var slice = batch.Slice(runStart, row - runStart);
                _pieces.Add(new RecordBatch(Schema, indexes.Select(slice.Column), slice.Length));
                starts.Add(total);
                total += slice.Length;
                kept += slice.Length;
            }

            if (batch.Length > 0)
            {
                bytes += indexes.Sum(i => BufferBytes(batch.Column(i).Data)) * ((double)kept / batch.Length);
            }
        }

        _pieceStarts = [.. starts];
        TotalRows = total;
        EstimatedBytes = (long)bytes;
        var streams = total == 0 ? 0 : (int)Math.Min(Math.Max(maxStreams, 1), total);
        StreamRanges = Enumerable.Range(0, streams)
            .Select(s => (Start: total * s / streams, End: total * (s + 1) / streams))
            .ToArray();
    }

    /// <summary>The projected schema.</summary>
    public Schema Schema { get; }

    /// <summary>The IPC schema message.</summary>
    public ByteString SchemaMessage { get; }

    /// <summary>Rows selected.</summary>
    public long TotalRows { get; }

    /// <summary>Buffer bytes of the selected columns of the selected rows.</summary>
    public long EstimatedBytes { get; }

    /// <summary>Each stream's global row range.</summary>
    public IReadOnlyList<(long Start, long End)> StreamRanges { get; }

    /// <summary>The IPC record batch message for global rows [start, end), which must lie in one piece.</summary>
    public ByteString Message(long start, long end) => _messages.GetOrAdd((start, end), key => SerializeBatch(Rows(key.Start, key.End)));

    /// <summary>The end of the piece holding global row <paramref name="row"/>: responses never span pieces.</summary>
    public long PieceEnd(long row) => _pieceStarts[PieceOf(row)] + _pieces[PieceOf(row)].Length;

    /// <summary>The rows [start, end) as a slice of the one piece holding them.</summary>
    public RecordBatch Rows(long start, long end)
    {
        var p = PieceOf(start);
        var local = (int)(start - _pieceStarts[p]);
        if (end > _pieceStarts[p] + _pieces[p].Length)
        {
            throw new ArgumentOutOfRangeException(nameof(end), $"rows [{start}, {end}) span pieces");
        }

        return _pieces[p].Slice(local, (int)(end - start));
    }

    private int PieceOf(long row)
    {
        var p = System.Array.BinarySearch(_pieceStarts, row);
        return p >= 0 ? p : ~p - 1;
    }

    private ByteString SerializeBatch(RecordBatch batch)
    {
        using var buffer = new MemoryStream();
        using var writer = new ArrowStreamWriter(buffer, Schema, leaveOpen: true, Options());
        writer.WriteStart();
        var schemaEnd = (int)buffer.Position;
        writer.WriteRecordBatch(batch);
        return ByteString.CopyFrom(buffer.GetBuffer(), schemaEnd, (int)buffer.Position - schemaEnd);
    }

    private ByteString SerializeSchema(Schema schema)
    {
        using var buffer = new MemoryStream();
        using var writer = new ArrowStreamWriter(buffer, schema, leaveOpen: true, Options());
        writer.WriteStart();
        return ByteString.CopyFrom(buffer.GetBuffer(), 0, (int)buffer.Position);
    }

    private IpcOptions Options() => new() { CompressionCodec = _codec, CompressionCodecFactory = Codecs };

    private static long BufferBytes(ArrayData data) =>
        data.Buffers.Sum(b => (long)b.Length) + (data.Children ?? []).Sum(BufferBytes);
}
