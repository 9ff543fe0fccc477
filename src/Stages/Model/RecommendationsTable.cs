namespace SalesIntel.Stages.Model;

/// <summary>The sink table <c>account_recommendations</c>: the columns every sink writes, in this order.</summary>
public static class RecommendationsTable
{
    /// <summary>The partition column.</summary>
    public const string PartitionColumn = "score_date";

    /// <summary>The schema (deploy/account_recommendations.sql holds the same as DDL).</summary>
    public static TableSchema Schema { get; } = new(
    [
        new("account_id", BqType.String, Required: true),
        new("score_date", BqType.Date, Required: true),
        new("score", BqType.Int64, Required: true),
        new("tier", BqType.String, Required: true),
        new("rationale", BqType.String, Required: true),
        new("recommended_actions", BqType.String, Repeated: true),
        new("confidence", BqType.Float64, Required: true),
        new("scorer", BqType.String, Required: true),
        new("model", BqType.String),
        new("prompt_version", BqType.String, Required: true),
        new("input_hash", BqType.String, Required: true),
        new("run_id", BqType.String, Required: true),
        new("scored_at", BqType.Timestamp, Required: true),
        new("latency_ms", BqType.Int64),
        new("input_tokens", BqType.Int64),
        new("output_tokens", BqType.Int64),
        new("thinking_tokens", BqType.Int64),
        new("material_hash", BqType.String),
        new("carried_from", BqType.Date),
    ]);
}
