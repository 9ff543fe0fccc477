namespace SalesIntel.Stages.Model;

/// <summary>
/// The sink table <c>account_recommendations</c>: the columns of <see cref="Recommendation"/> in snake_case, the
/// partition and clustering columns, and the view that shows the latest row per account and date
/// (deploy/account_recommendations.sql holds the same as DDL).
/// </summary>
public static class AccountRecommendationsTable
{
    /// <summary>The partition column (DATE).</summary>
    public const string PartitionColumn = "score_date";

    /// <summary>The clustering and key column.</summary>
    public const string KeyColumn = "account_id";

    /// <summary>The view that keeps the latest scored row per (account_id, score_date).</summary>
    public const string LatestView = "account_recommendations_latest";

    /// <summary>
    /// The schema. <c>Required</c> marks columns every row fills; the others are NULL for some scorers (model and
    /// token counts for the rules scorer).
    /// </summary>
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
    ]);
}
