using Apache.Arrow;
using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.Decode;

/// <summary>Column indexes of the account_signals columns in one Arrow schema (-1 when absent), and typed readers.</summary>
internal sealed class AccountColumns(TableSchema table)
{
    public int AccountId { get; } = table.IndexOf("account_id");
    public int SnapshotDate { get; } = table.IndexOf("snapshot_date");
    private readonly int _accountName = table.IndexOf("account_name");
    private readonly int _industry = table.IndexOf("industry");
    private readonly int _lifecycleStage = table.IndexOf("lifecycle_stage");
    private readonly int _employeeCount = table.IndexOf("employee_count");
    private readonly int _annualRevenue = table.IndexOf("annual_revenue");
    private readonly int _arr = table.IndexOf("arr");
    private readonly int _openOpportunities = table.IndexOf("open_opportunities");
    private readonly int _pipelineAmount = table.IndexOf("pipeline_amount");
    private readonly int _lastActivityAt = table.IndexOf("last_activity_at");
    private readonly int _lastMeetingDate = table.IndexOf("last_meeting_date");
    private readonly int _renewalDate = table.IndexOf("renewal_date");
    private readonly int _webVisits30d = table.IndexOf("web_visits_30d");
    private readonly int _intentScore = table.IndexOf("intent_score");
    private readonly int _intentTopics = table.IndexOf("intent_topics");
    private readonly int _productUsageTrend = table.IndexOf("product_usage_trend");
    private readonly int _supportTicketsOpen = table.IndexOf("support_tickets_open");

    public AccountSignals ReadSignals(RecordBatch rows, int i, string accountId, DateOnly snapshotDate) => new()
    {
        AccountId = accountId,
        SnapshotDate = snapshotDate,
        AccountName = String(rows, _accountName, i),
        Industry = String(rows, _industry, i),
        LifecycleStage = String(rows, _lifecycleStage, i),
        EmployeeCount = Int64(rows, _employeeCount, i),
        AnnualRevenue = Numeric(rows, _annualRevenue, i),
        Arr = Numeric(rows, _arr, i),
        OpenOpportunities = Int64(rows, _openOpportunities, i),
        PipelineAmount = Numeric(rows, _pipelineAmount, i),
        LastActivityAt = Timestamp(rows, _lastActivityAt, i),
        LastMeetingDate = Date(rows, _lastMeetingDate, i),
        RenewalDate = Date(rows, _renewalDate, i),
        WebVisits30d = Int64(rows, _webVisits30d, i),
        IntentScore = Float64(rows, _intentScore, i),
        IntentTopics = StringList(rows, _intentTopics, i),
        ProductUsageTrend = Float64(rows, _productUsageTrend, i),
        SupportTicketsOpen = Int64(rows, _supportTicketsOpen, i),
    };

    public string? String(RecordBatch rows, int column, int i) => column < 0 ? null : ((StringArray)rows.Column(column)).GetString(i);

    /// <summary>A DATE value; throws <see cref="RowValueException"/> outside 0001-01-01..9999-12-31.</summary>
    public DateOnly? Date(RecordBatch rows, int column, int i)
    {
        if (column < 0)
        {
            return null;
        }

        var day = ((Date32Array)rows.Column(column)).GetValue(i);
        return day is null ? null : CanonicalJson.ToDate(day.Value, table.Fields[column].Name);
    }

    private static long? Int64(RecordBatch rows, int column, int i) => column < 0 ? null : ((Int64Array)rows.Column(column)).GetValue(i);

    private static double? Float64(RecordBatch rows, int column, int i) => column < 0 ? null : ((DoubleArray)rows.Column(column)).GetValue(i);

    private static double? Numeric(RecordBatch rows, int column, int i)
    {
        if (column < 0)
        {
            return null;
        }

        var array = (Decimal128Array)rows.Column(column);
        return array.IsNull(i) ? null : DecimalValues.ToDouble(array, i);
    }

    private static DateTimeOffset? Timestamp(RecordBatch rows, int column, int i)
    {
        if (column < 0)
        {
            return null;
        }

        var array = (TimestampArray)rows.Column(column);
        return array.IsNull(i) ? null : DateTimeOffset.UnixEpoch.AddTicks(array.Values[i] * 10);
    }

    private static string[] StringList(RecordBatch rows, int column, int i)
    {
        if (column < 0 || rows.Column(column).IsNull(i))
        {
            return [];
        }

        var list = (ListArray)rows.Column(column);
        var values = (StringArray)list.Values;
        var start = list.ValueOffsets[i];
        var result = new string[list.ValueOffsets[i + 1] - start];
        for (var k = 0; k < result.Length; k++)
        {
            result[k] = values.GetString(start + k);
        }

        return result;
    }
}
