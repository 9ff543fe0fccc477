namespace SalesIntel.Stages.Model;

/// <summary>
/// The run ledger <c>scoring_runs</c>, beside the sink table: one row per task attempt of every run with a BigQuery
/// sink, with its figures, so runs can be compared and audited with SQL rather than by reading logs.
/// </summary>
public static class ScoringRunsTable
{
    /// <summary>The default table id, in the sink table's dataset.</summary>
    public const string DefaultTableId = "scoring_runs";

    /// <summary>The timestamp column; the table is partitioned by its date.</summary>
    public const string TimeColumn = "started_at";

    /// <summary>The clustering column.</summary>
    public const string ClusterColumn = "run_id";

    /// <summary>The schema (deploy/scoring_runs.sql holds the same as DDL).</summary>
    public static TableSchema Schema { get; } = new(
    [
        new("run_id", BqType.String, Required: true),
        new("execution", BqType.String),
        new("task_index", BqType.Int64, Required: true),
        new("task_count", BqType.Int64, Required: true),
        new("task_attempt", BqType.Int64, Required: true),
        new("dates", BqType.String, Required: true),
        new("source", BqType.String, Required: true),
        new("sink", BqType.String, Required: true),
        new("scorer", BqType.String, Required: true),
        new("model", BqType.String),
        new("model_version", BqType.String),
        new("prompt_version", BqType.String),
        new("status", BqType.String, Required: true),
        new("exit_code", BqType.Int64, Required: true),
        new("read", BqType.Int64, Required: true),
        new("scored", BqType.Int64, Required: true),
        new("written", BqType.Int64, Required: true),
        new("skipped", BqType.Int64, Required: true),
        new("dead_lettered", BqType.Int64, Required: true),
        new("carried_forward", BqType.Int64),
        new("input_tokens", BqType.Int64, Required: true),
        new("output_tokens", BqType.Int64, Required: true),
        new("thinking_tokens", BqType.Int64),
        new("cost_usd", BqType.Float64),
        new("latency_p50_ms", BqType.Int64),
        new("latency_p90_ms", BqType.Int64),
        new("latency_p99_ms", BqType.Int64),
        new("started_at", BqType.Timestamp, Required: true),
        new("ended_at", BqType.Timestamp, Required: true),
        new("error", BqType.String),
    ]);
}
