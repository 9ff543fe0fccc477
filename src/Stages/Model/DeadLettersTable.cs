namespace SalesIntel.Stages.Model;

/// <summary>
/// The dead-letter table <c>account_recommendation_dead_letters</c>, beside the sink table: the rows a run could not
/// process, written with a BigQuery sink instead of (as well as) the local dead-letter file.
/// </summary>
public static class DeadLettersTable
{
    /// <summary>The default table id, in the sink table's dataset.</summary>
    public const string DefaultTableId = "account_recommendation_dead_letters";

    /// <summary>The timestamp column; the table is partitioned by its date.</summary>
    public const string TimeColumn = "dead_lettered_at";

    /// <summary>The schema (deploy/account_recommendation_dead_letters.sql holds the same as DDL).</summary>
    public static TableSchema Schema { get; } = new(
    [
        new("run_id", BqType.String, Required: true),
        new("task_index", BqType.Int64, Required: true),
        new("task_attempt", BqType.Int64, Required: true),
        new("stage", BqType.String, Required: true),
        new("reason", BqType.String, Required: true),
        new("message", BqType.String, Required: true),
        new("source_position", BqType.String),
        new("account_id", BqType.String),
        new("raw_input", BqType.Json),
        new("dead_lettered_at", BqType.Timestamp, Required: true),
    ]);
}
