using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.Sources;

/// <summary>What a source knows after opening and before reading: the guards are checked against it.</summary>
/// <param name="Description">One line: what is read, e.g. <c>fixtures/accounts.csv (CSV)</c>.</param>
/// <param name="Schema">The columns that will arrive.</param>
/// <param name="EstimatedRows">Rows selected, when known before reading (Arrow file footer, BigQuery session estimate).</param>
/// <param name="EstimatedBytes">Bytes that will be scanned, when known.</param>
/// <param name="Details">Extra plan lines for <c>--dry-run</c> (streams, columns, filter).</param>
public sealed record SourcePlan(string Description, TableSchema Schema, long? EstimatedRows, long? EstimatedBytes, IReadOnlyList<string> Details);
