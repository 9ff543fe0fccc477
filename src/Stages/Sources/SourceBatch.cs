using Apache.Arrow;
using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.Sources;

/// <summary>
/// What a source yields: an Arrow record batch in the column types BigQuery's Arrow output uses (see
/// <c>Decode/BigQueryArrowTypes</c>), plus the rows it already had to reject and how to name a row's position.
/// Every source produces the same Arrow shape, so one decoder serves files and BigQuery alike.
/// </summary>
/// <param name="Rows">The rows; the caller disposes the batch after decoding.</param>
/// <param name="Location">The file path or stream name.</param>
/// <param name="RowDetails">Names the position of row <c>i</c> of <paramref name="Rows"/>, e.g. <c>line 17</c>.</param>
/// <param name="Rejected">Rows the source could not turn into Arrow (bad CSV fields, a line that is not JSON).</param>
public sealed record SourceBatch(RecordBatch Rows, string Location, Func<int, string> RowDetails, IReadOnlyList<DeadLetter> Rejected)
{
    /// <summary>The position of row <paramref name="index"/>.</summary>
    public SourcePosition PositionOf(int index) => new(Location, RowDetails(index));
}
