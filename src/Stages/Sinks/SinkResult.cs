using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.Sinks;

/// <summary>What a sink committed, and the rows it rejected (each with its reason).</summary>
/// <param name="RowsCommitted">Rows now visible at the destination.</param>
/// <param name="Rejected">Rows the destination refused individually; they go to the dead letters.</param>
/// <param name="Location">Where the rows are, for the run summary.</param>
public sealed record SinkResult(long RowsCommitted, IReadOnlyList<DeadLetter> Rejected, string Location);
