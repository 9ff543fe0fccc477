namespace SalesIntel.Stages.Sinks.BigQuery.Internal;

/// <summary>
/// Writes rows of one table as serialized protobuf messages for AppendRows: the seam that lets the same appender,
/// offsets and retries carry recommendations, dead letters and the run ledger. <see cref="Measure"/> and
/// <see cref="Write"/> go as a pair (an encoder may remember what it measured), so an encoder is not thread safe.
/// </summary>
/// <typeparam name="TRow">The row type.</typeparam>
internal interface IRowEncoder<in TRow>
{
    /// <summary>The serialized <c>ProtoSchema</c> (the row message's self-contained DescriptorProto) sent as the writer schema.</summary>
    byte[] SchemaBytes { get; }

    /// <summary>The serialized size of <paramref name="row"/>; the <see cref="Write"/> that follows writes exactly that many bytes.</summary>
    int Measure(TRow row);

    /// <summary>Writes the row measured last into <paramref name="destination"/>.</summary>
    void Write(TRow row, Span<byte> destination);
}
