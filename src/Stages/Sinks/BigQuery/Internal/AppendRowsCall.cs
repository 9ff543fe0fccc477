using System.Text;
using Grpc.Core;
using SalesIntel.Stages.Protos.BigQueryStorage;

namespace SalesIntel.Stages.Sinks.BigQuery.Internal;

/// <summary>
/// The AppendRows bidi call with a request marshaller that writes the rows straight from their pooled buffer: the
/// bytes on the wire are exactly those of the generated <see cref="AppendRowsRequest"/> (fields in number order; a
/// test compares them), without a <c>ByteString</c> per row or a message copy. Answers use the generated parser.
/// </summary>
internal static class AppendRowsCall
{
    private static readonly Method<AppendFrame, AppendRowsResponse> Method = new(
        MethodType.DuplexStreaming,
        BigQueryWrite.Descriptor.FullName,
        "AppendRows",
        new Marshaller<AppendFrame>(Serialize, _ => throw new NotSupportedException("requests are only written")),
        new Marshaller<AppendRowsResponse>(
            (message, context) => context.Complete(Google.Protobuf.MessageExtensions.ToByteArray(message)),
            context => AppendRowsResponse.Parser.ParseFrom(context.PayloadAsReadOnlySequence())));

    /// <summary>Opens a connection.</summary>
    public static AsyncDuplexStreamingCall<AppendFrame, AppendRowsResponse> Open(CallInvoker invoker, Metadata headers, CancellationToken cancellationToken) =>
        invoker.AsyncDuplexStreamingCall(Method, null, new CallOptions(headers, cancellationToken: cancellationToken));

    /// <summary>The serialized size of a frame.</summary>
    public static int Size(AppendFrame frame) => Layout(frame).Total;

    /// <summary>Writes a frame to a buffer (tests compare it with the generated message).</summary>
    public static void Write(AppendFrame frame, Span<byte> destination)
    {
        var layout = Layout(frame);
        var w = new RecommendationRowEncoder.Writer(destination);
        WriteHead(frame, layout, ref w);
        var rows = frame.Batch.Rows;
        rows.CopyTo(destination[w.Position..]);
        var tail = new RecommendationRowEncoder.Writer(destination[(w.Position + rows.Length)..]);
        WriteTail(frame, layout, ref tail);
    }

    private static void Serialize(AppendFrame frame, SerializationContext context)
    {
        var layout = Layout(frame);
        context.SetPayloadLength(layout.Total);
        var writer = context.GetBufferWriter();
        var head = writer.GetSpan(layout.HeadBytes);
        var w = new RecommendationRowEncoder.Writer(head);
        WriteHead(frame, layout, ref w);
        writer.Advance(w.Position);

        // The rows go in pieces: a buffer writer need not hand out one span of many megabytes.
        var rows = frame.Batch.Rows;
        while (!rows.IsEmpty)
        {
            var span = writer.GetSpan(Math.Min(rows.Length, 64 * 1024));
            var n = Math.Min(span.Length, rows.Length);
            rows[..n].CopyTo(span);
            writer.Advance(n);
            rows = rows[n..];
        }

        if (layout.TraceBytes > 0)
        {
            var tail = new RecommendationRowEncoder.Writer(writer.GetSpan(layout.TraceBytes + 6));
            WriteTail(frame, layout, ref tail);
            writer.Advance(tail.Position);
        }

        context.Complete();
    }

    // Fields in number order, as the generated code writes them: write_stream (1), offset (2), proto_rows (4) whose
    // ProtoData holds writer_schema (1) and rows (2), then trace_id (6) after the rows.
    private static void WriteHead(AppendFrame frame, FrameLayout layout, ref RecommendationRowEncoder.Writer w)
    {
        if (layout.StreamBytes > 0)
        {
            w.Tag(0x0A);
            w.Varint((ulong)layout.StreamBytes);
            w.Utf8(frame.WriteStream!);
        }

        // An Int64Value; offset zero is an empty wrapper, as the generated code writes it.
        w.Tag(0x12);
        w.Varint((ulong)layout.OffsetBytes);
        if (frame.Offset != 0)
        {
            w.Tag(0x08);
            w.Varint((ulong)frame.Offset);
        }

        w.Tag(0x22);
        w.Varint((ulong)layout.ProtoDataBytes);
        if (frame.IncludeSchema)
        {
            w.Bytes(0x0A, frame.Batch.WriterSchema);
        }

        w.Tag(0x12);
        w.Varint((ulong)frame.Batch.RowBytes);
    }

    private static void WriteTail(AppendFrame frame, FrameLayout layout, ref RecommendationRowEncoder.Writer w)
    {
        if (layout.TraceBytes > 0)
        {
            w.Tag(0x32);
            w.Varint((ulong)layout.TraceBytes);
            w.Utf8(frame.TraceId!);
        }
    }

    private static FrameLayout Layout(AppendFrame frame)
    {
        var streamBytes = frame.WriteStream is { Length: > 0 } s ? Encoding.UTF8.GetByteCount(s) : 0;
        var traceBytes = frame.TraceId is { Length: > 0 } t ? Encoding.UTF8.GetByteCount(t) : 0;
        var offsetBytes = frame.Offset == 0 ? 0 : 1 + RecommendationRowEncoder.Varint((ulong)frame.Offset);
        var rowsBytes = frame.Batch.RowBytes;
        var schema = frame.Batch.WriterSchema.Length;
        var protoData = (frame.IncludeSchema ? 1 + RecommendationRowEncoder.Varint((ulong)schema) + schema : 0)
            + 1 + RecommendationRowEncoder.Varint((ulong)rowsBytes) + rowsBytes;
        var head = (streamBytes > 0 ? 1 + RecommendationRowEncoder.Varint((ulong)streamBytes) + streamBytes : 0)
            + 1 + RecommendationRowEncoder.Varint((ulong)offsetBytes) + offsetBytes
            + 1 + RecommendationRowEncoder.Varint((ulong)protoData) + (protoData - rowsBytes);
        var tail = traceBytes > 0 ? 1 + RecommendationRowEncoder.Varint((ulong)traceBytes) + traceBytes : 0;
        return new FrameLayout(streamBytes, offsetBytes, protoData, traceBytes, head, head + rowsBytes + tail);
    }

    private readonly record struct FrameLayout(int StreamBytes, int OffsetBytes, int ProtoDataBytes, int TraceBytes, int HeadBytes, int Total);
}

/// <summary>One AppendRows request: the envelope fields and the rows of a batch.</summary>
/// <param name="WriteStream">The stream, on the first request of a connection; null after.</param>
/// <param name="Offset">The offset of the first row.</param>
/// <param name="IncludeSchema">True on the first request of a connection: the writer schema goes along.</param>
/// <param name="TraceId">The client label, on the first request of a connection; null after.</param>
/// <param name="Batch">The rows.</param>
internal sealed record AppendFrame(string? WriteStream, long Offset, bool IncludeSchema, string? TraceId, IAppendRows Batch);
