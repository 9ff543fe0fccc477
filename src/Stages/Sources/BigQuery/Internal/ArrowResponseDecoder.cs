using Apache.Arrow;
using Apache.Arrow.Compression;
using Apache.Arrow.Ipc;
using Google.Protobuf;

namespace SalesIntel.Stages.Sources.BigQuery.Internal;

/// <summary>
/// Decodes ReadRows payloads. BigQuery sends the IPC schema message once (in the session) and each response carries
/// one IPC record batch message; together they form an Arrow IPC stream, which <see cref="ArrowStreamReader"/> reads
/// zero-copy from memory, decompressing LZ4_FRAME or ZSTD bodies with Apache.Arrow.Compression. Every batch is
/// re-labelled with the one session schema instance, so downstream decoders bind once per session, not per batch.
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
        var stream = new byte[_schemaMessage.Length + serializedRecordBatch.Length];
        _schemaMessage.CopyTo(stream, 0);
        serializedRecordBatch.Span.CopyTo(stream.AsSpan(_schemaMessage.Length));
        RecordBatch? batch;
        try
        {
            using var reader = new ArrowStreamReader(stream.AsMemory(), Codecs);
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

        return new RecordBatch(Schema, batch.Arrays, batch.Length);
    }
}
