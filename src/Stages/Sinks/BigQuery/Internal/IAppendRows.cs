namespace SalesIntel.Stages.Sinks.BigQuery.Internal;

/// <summary>What an AppendRows request takes from a batch, whatever its row type: the framed rows and their writer schema.</summary>
internal interface IAppendRows
{
    /// <summary>The rows framed as the body of a <c>ProtoRows</c> message.</summary>
    ReadOnlySpan<byte> Rows { get; }

    /// <summary>The length of <see cref="Rows"/>.</summary>
    int RowBytes { get; }

    /// <summary>The serialized <c>ProtoSchema</c> sent on the first request of a connection.</summary>
    byte[] WriterSchema { get; }
}
