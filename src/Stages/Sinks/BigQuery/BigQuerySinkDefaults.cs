namespace SalesIntel.Stages.Sinks.BigQuery;

/// <summary>The defaults of <see cref="BigQuerySinkOptions"/>, in one place (also shown by the CLI help).</summary>
public static class BigQuerySinkDefaults
{
    /// <summary>The real endpoint.</summary>
    public const string Endpoint = "bigquerystorage.googleapis.com:443";

    /// <summary>The environment variable that points the client at a plaintext emulator (<c>host:port</c>).</summary>
    public const string EmulatorVariable = "BIGQUERY_STORAGE_EMULATOR_HOST";

    /// <summary>Rows per committed chunk.</summary>
    public const int CommitRows = 100_000;

    /// <summary>Seconds a chunk may stay open before it is committed.</summary>
    public const int CommitSeconds = 60;

    /// <summary>
    /// Bytes per AppendRows request. The API limit is 20 MB (the Java writer uses 20,000,000); one MB is kept back for
    /// the envelope and for any rounding on the server side.
    /// </summary>
    public const int MaxRequestBytes = 19_000_000;

    /// <summary>
    /// Bytes at which a request is cut even though more would fit: many mid-sized requests pipeline better and keep
    /// memory flatter than a few huge ones (each in-flight request holds its rows until acknowledged).
    /// </summary>
    public const int TargetRequestBytes = 256 * 1024;

    /// <summary>The API's hard limit on one AppendRows request.</summary>
    public const int ApiRequestLimitBytes = 20_000_000;

    /// <summary>Append requests sent but not yet answered, on one connection.</summary>
    public const int MaxInflightRequests = 16;

    /// <summary>Bytes of append requests sent but not yet answered.</summary>
    public const long MaxInflightBytes = 64L * 1024 * 1024;

    /// <summary>Attempts after the first for one operation (a unary call, or getting one batch of appends answered).</summary>
    public const int MaxRetryAttempts = 6;

    /// <summary>Retries allowed over the whole run, all operations together; when used up, the next failure is final.</summary>
    public const int RetryBudget = 60;

    /// <summary>The first backoff delay; it doubles per attempt, with jitter, up to <see cref="MaxRetryDelaySeconds"/>.</summary>
    public const int RetryBaseDelayMilliseconds = 500;

    /// <summary>The longest backoff delay between two attempts.</summary>
    public const int MaxRetryDelaySeconds = 30;

    /// <summary>How long one unary call (create, get, finalize, commit) or one append answer may take.</summary>
    public const int CallTimeoutSeconds = 120;
}
