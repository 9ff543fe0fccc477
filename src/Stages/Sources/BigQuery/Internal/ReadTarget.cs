using SalesIntel.Stages.GoogleApis.BigQuery;
namespace SalesIntel.Stages.Sources.BigQuery.Internal;

/// <summary>What one source reads: the facts every error message and plan line names.</summary>
/// <param name="Table">The table.</param>
/// <param name="BillingProject">The project billed for the session.</param>
/// <param name="Columns">The projected columns (empty for all).</param>
/// <param name="RowRestriction">The filter, or null for every row.</param>
/// <param name="Partitions">The partitions in words, e.g. <c>snapshot_date 2024-05-01..2024-05-03</c>.</param>
internal sealed record ReadTarget(BigQueryTableReference Table, string BillingProject, IReadOnlyList<string> Columns, string? RowRestriction, string Partitions)
{
    /// <summary>The columns in words.</summary>
    public string ColumnList => Columns.Count == 0 ? "all columns" : string.Join(", ", Columns);
}
