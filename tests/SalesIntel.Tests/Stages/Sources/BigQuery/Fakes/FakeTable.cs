using Apache.Arrow;

namespace SalesIntel.Tests.Stages.Sources.BigQuery.Fakes;

/// <summary>A table the fake serves: its Arrow schema (as BigQuery would send it) and its rows as record batches.</summary>
/// <param name="Schema">The Arrow schema of every column.</param>
/// <param name="Batches">The rows, in table order.</param>
internal sealed record FakeTable(Schema Schema, IReadOnlyList<RecordBatch> Batches)
{
    /// <summary>Rows in the table.</summary>
    public long RowCount => Batches.Sum(b => (long)b.Length);
}
