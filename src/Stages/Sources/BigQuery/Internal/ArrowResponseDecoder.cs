using Apache.Arrow;
using Apache.Arrow.Compression;
using Apache.Arrow.Ipc;
using Google.Protobuf;
using SalesIntel.Stages.Decode;

namespace SalesIntel.Stages.Sources.BigQuery.Internal;

/// <summary>
/// Decodes ReadRows payloads. BigQuery sends the IPC schema message once (in the session) and each response carries
/// one IPC record batch message; together they form an Arrow IPC stream, which <see cref="ArrowStreamReader"/> reads
/// through a two-segment stream (no concatenated copy), decompressing LZ4_FRAME or ZSTD bodies with
/// Apache.Arrow.Compression into pooled arrays (<see cref="PooledArrowAllocator"/>) that go back to the pool when the
/// consumer disposes the batch. The batch is yielded as the reader made it, so it owns its memory.
/// Thread-safe: it holds no per-call state.
/// </summary>
internal sealed class ArrowResponseDecoder
{
    private static readonly CompressionCodecFactory Codecs = new();
    private readonly byte[] _schemaMessage;

    /// <summary>Reads the session's serialized schema; throws <see cref="InvalidDataException"/> when it is not an Arrow schema.</summary>
    public ArrowResponseDecoder(ByteString serializedSchema)
    {
        _schemaMessage = serializedSchema.ToByteArray();
        try
        {
            using var reader = new ArrowStreamReader(_schemaMessage.AsMemory(), Codecs);
            Schema = reader.Schema ?? throw new InvalidDataException("the session's arrow_schema holds no schema message");
        }
        catch (Exception e) when (e is not InvalidDataException and not OperationCanceledException)
        {
            throw new InvalidDataException($"the session's arrow_schema is not an Arrow IPC schema: {e.Message}", e);
        }
    }

    /// <summary>The session's Arrow schema.</summary>
    public Schema Schema { get; }

    /// <summary>Decodes one serialized record batch message.</summary>
    public RecordBatch Decode(ByteString serializedRecordBatch)
    {
        RecordBatch? batch;
        try
        {
            using var reader = new ArrowStreamReader(new SegmentStream(_schemaMessage, serializedRecordBatch.Memory), PooledArrowAllocator.Instance, Codecs, leaveOpen: false);
            batch = reader.ReadNextRecordBatch();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new InvalidDataException($"a ReadRows response holds a record batch that does not decode against the session schema: {e.Message}", e);
        }

        if (batch is null)
        {
            throw new InvalidDataException("a ReadRows response holds no record batch message");
        }

        return batch;
    }
}
