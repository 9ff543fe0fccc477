using SalesIntel.Stages.Errors;
using SalesIntel.Stages.GoogleApis.BigQuery;
using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.Sinks.BigQuery;

/// <summary>
/// Options of the <see cref="BigQuerySink"/>. Validated once by <see cref="Validate"/> (the sink calls it when built):
/// every bad value is named in one <see cref="ConfigurationException"/>.
/// </summary>
public sealed class BigQuerySinkOptions
{
    /// <summary>The option that names the table in messages.</summary>
    internal const string TableOption = "--sink";

    /// <summary>The destination table, <c>bq://PROJECT.DATASET.TABLE</c>.</summary>
    public required string Table { get; init; }

    /// <summary>
    /// Rows per chunk: each chunk is one PENDING write stream, committed on its own, so a killed run loses at most the
    /// chunk in flight. <value>Defaults to 100,000.</value>
    /// </summary>
    public int CommitRows { get; init; } = BigQuerySinkDefaults.CommitRows;

    /// <summary>
    /// The longest a chunk stays open: when it is reached the chunk is committed even if it is not full, so slow
    /// scoring still publishes regularly. <value>Defaults to 60 seconds.</value>
    /// </summary>
    public TimeSpan CommitInterval { get; init; } = TimeSpan.FromSeconds(BigQuerySinkDefaults.CommitSeconds);

    /// <summary>
    /// The largest AppendRows request sent, envelope and writer schema included; batches are split by bytes to stay
    /// under it. <value>Defaults to 19,000,000 (the API limit is 20 MB).</value>
    /// </summary>
    public int MaxRequestBytes { get; init; } = BigQuerySinkDefaults.MaxRequestBytes;

    /// <summary>
    /// The size at which a request is cut although more rows would fit under <see cref="MaxRequestBytes"/>.
    /// <value>Defaults to 256 KiB.</value>
    /// </summary>
    public int TargetRequestBytes { get; init; } = BigQuerySinkDefaults.TargetRequestBytes;

    /// <summary>Append requests in flight on the connection (pipelining). <value>Defaults to 16.</value></summary>
    public int MaxInflightRequests { get; init; } = BigQuerySinkDefaults.MaxInflightRequests;

    /// <summary>Bytes of append requests in flight. <value>Defaults to 64 MiB.</value></summary>
    public long MaxInflightBytes { get; init; } = BigQuerySinkDefaults.MaxInflightBytes;

    /// <summary>Retries of one operation after its first attempt. <value>Defaults to 6.</value></summary>
    public int MaxRetryAttempts { get; init; } = BigQuerySinkDefaults.MaxRetryAttempts;

    /// <summary>Retries allowed over the whole run, all operations together. <value>Defaults to 60.</value></summary>
    public int RetryBudget { get; init; } = BigQuerySinkDefaults.RetryBudget;

    /// <summary>The first backoff delay (exponential, with jitter). <value>Defaults to 500 ms.</value></summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(BigQuerySinkDefaults.RetryBaseDelayMilliseconds);

    /// <summary>The longest backoff delay. <value>Defaults to 30 seconds.</value></summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(BigQuerySinkDefaults.MaxRetryDelaySeconds);

    /// <summary>
    /// How long one unary call or one append answer may take before the attempt counts as failed.
    /// <value>Defaults to 120 seconds.</value>
    /// </summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(BigQuerySinkDefaults.CallTimeoutSeconds);

    /// <summary>
    /// <c>host:port</c> of a plaintext emulator (the value of <c>BIGQUERY_STORAGE_EMULATOR_HOST</c>); null or empty
    /// means the real endpoint with Application Default Credentials. <value>Defaults to null.</value>
    /// </summary>
    public string? EmulatorHost { get; init; }

    /// <summary>A label sent as the AppendRows trace id (at most 256 bytes). <value>Defaults to <c>salesintel</c>.</value></summary>
    public string TraceId { get; init; } = "salesintel";

    /// <summary>The allowed <see cref="CommitRows"/>.</summary>
    public static readonly Bounds<int> CommitRowsBounds = new(1, 10_000_000);

    /// <summary>The allowed <see cref="CommitInterval"/> in seconds (up to six hours).</summary>
    public static readonly Bounds<double> CommitSecondsBounds = new(1, 21_600);

    /// <summary>Checks every value; throws one <see cref="ConfigurationException"/> naming all bad values.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (!BigQueryTableReference.TryParse(Table, TableOption, out _, out var tableProblem))
        {
            problems.Add(tableProblem);
        }

        if (!CommitRowsBounds.Contains(CommitRows))
        {
            problems.Add($"--commit-rows {CommitRows} must be {CommitRowsBounds.Describe()}");
        }

        if (!CommitSecondsBounds.Contains(CommitInterval.TotalSeconds))
        {
            problems.Add($"--commit-seconds {CommitInterval.TotalSeconds:0.###} must be {CommitSecondsBounds.Describe()}");
        }

        if (MaxRequestBytes is < 1024 or > BigQuerySinkDefaults.ApiRequestLimitBytes)
        {
            problems.Add($"max request bytes {MaxRequestBytes} must be between 1024 and {BigQuerySinkDefaults.ApiRequestLimitBytes} (the API limit)");
        }

        if (TargetRequestBytes < 1024)
        {
            problems.Add($"target request bytes {TargetRequestBytes} must be at least 1024");
        }

        if (MaxInflightRequests is < 1 or > 1000)
        {
            problems.Add($"max in-flight requests {MaxInflightRequests} must be between 1 and 1000");
        }

        if (MaxInflightBytes < MaxRequestBytes)
        {
            problems.Add($"max in-flight bytes {MaxInflightBytes} must be at least max request bytes {MaxRequestBytes}");
        }

        if (MaxRetryAttempts is < 0 or > 100)
        {
            problems.Add($"max retry attempts {MaxRetryAttempts} must be between 0 and 100");
        }

        if (RetryBudget < 0)
        {
            problems.Add($"retry budget {RetryBudget} must not be negative");
        }

        if (RetryBaseDelay < TimeSpan.Zero || MaxRetryDelay < RetryBaseDelay)
        {
            problems.Add($"retry delays {RetryBaseDelay.TotalMilliseconds:0} ms..{MaxRetryDelay.TotalMilliseconds:0} ms must be non-negative and in order");
        }

        if (CallTimeout <= TimeSpan.Zero)
        {
            problems.Add($"call timeout {CallTimeout.TotalSeconds:0.###} s must be positive");
        }

        if (System.Text.Encoding.UTF8.GetByteCount(TraceId ?? "") > 256)
        {
            problems.Add("trace id must be at most 256 bytes");
        }

        if (problems.Count > 0)
        {
            throw new ConfigurationException("BigQuery sink: " + string.Join("; ", problems) + ".");
        }
    }
}
