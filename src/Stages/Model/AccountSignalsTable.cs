namespace SalesIntel.Stages.Model;

/// <summary>The source table <c>account_signals</c>: its schema and the names the stages rely on.</summary>
public static class AccountSignalsTable
{
    /// <summary>The partition column; every read is filtered on it.</summary>
    public const string PartitionColumn = "snapshot_date";

    /// <summary>The required key column.</summary>
    public const string KeyColumn = "account_id";

    /// <summary>The schema of <c>account_signals</c> (deploy/account_signals.sql holds the same as DDL).</summary>
    public static TableSchema Schema { get; } = new(
    [
        new("account_id", BqType.String, Required: true),
        new("account_name", BqType.String),
        new("domain", BqType.String),
        new("industry", BqType.String),
        new("country", BqType.String),
        new("lifecycle_stage", BqType.String),
        new("owner_email", BqType.String),
        new("employee_count", BqType.Int64),
        new("annual_revenue", BqType.Numeric),
        new("arr", BqType.Numeric),
        new("open_opportunities", BqType.Int64),
        new("pipeline_amount", BqType.Numeric),
        new("last_activity_at", BqType.Timestamp),
        new("last_meeting_date", BqType.Date),
        new("renewal_date", BqType.Date),
        new("web_visits_30d", BqType.Int64),
        new("intent_score", BqType.Float64),
        new("intent_topics", BqType.String, Repeated: true),
        new("product_usage_trend", BqType.Float64),
        new("support_tickets_open", BqType.Int64),
        new("notes", BqType.String),
        new("snapshot_date", BqType.Date, Required: true),
    ]);
}
