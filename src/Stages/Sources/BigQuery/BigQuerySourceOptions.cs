using SalesIntel.Stages.Errors;
using SalesIntel.Stages.GoogleApis.BigQuery;
using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.Sources.BigQuery;

/// <summary>
/// Options of <see cref="BigQuerySource"/>, validated once by <see cref="Validate"/> (the source's constructor calls it):
/// every problem is reported in one <see cref="ConfigurationException"/> naming the bad values.
/// </summary>
public sealed class BigQuerySourceOptions
{
    /// <summary>The environment variable that points the client at a plaintext emulator (<c>host:port</c>).</summary>
    public const string EmulatorVariable = "BIGQUERY_STORAGE_EMULATOR_HOST";

    /// <summary>The real endpoint.</summary>
    public const string Endpoint = "bigquerystorage.googleapis.com:443";

    /// <summary>The upper bound BigQuery puts on the streams of one session.</summary>
    public const int MaxStreamsLimit = 1000;

    /// <summary>The allowed <see cref="MaxStreams"/>.</summary>
    public static readonly Bounds<int> MaxStreamsBounds = new(1, MaxStreamsLimit);

    /// <summary>The default <see cref="MaxStreams"/>.</summary>
    public const int DefaultMaxStreams = 4;

    /// <summary>The most tasks that can share partitions without explicit key boundaries (one per key ending 0-9a-zA-Z).</summary>
    public const int MaxTasksWithDefaultBoundaries = 62;

    /// <summary>The table, <c>bq://PROJECT.DATASET.TABLE</c>. Required.</summary>
    public required string Table { get; init; }

    /// <summary>The partitions to read (from <c>--date</c>, <c>--from/--to</c> or <c>--all-dates</c>). Required.</summary>
    public required DateRange Dates { get; init; }

    /// <summary>The project billed for the read session (<c>projects/{id}</c> parent). <value>Defaults to the table's project.</value></summary>
    public string? BillingProject { get; init; }

    /// <summary>
    /// The columns to read. <value>Defaults to the <c>account_signals</c> columns (<see cref="AccountSignalsTable.Schema"/>),
    /// which are then checked for name and type before a row is read; an empty list reads every column unchecked.</value>
    /// </summary>
    public IReadOnlyList<string>? Columns { get; init; }

    /// <summary>The DATE partition column the date filter applies to. <value>Defaults to <c>snapshot_date</c>.</value></summary>
    public string PartitionColumn { get; init; } = AccountSignalsTable.PartitionColumn;

    /// <summary>The most streams the session may have, all read concurrently (1-1000). <value>Defaults to 4.</value></summary>
    public int MaxStreams { get; init; } = DefaultMaxStreams;

    /// <summary>Stop before reading when the session estimates more rows than this. <value>Defaults to no limit.</value></summary>
    public long? MaxRows { get; init; }

    /// <summary>Stop before reading when the session estimates more bytes scanned than this. <value>Defaults to no limit.</value></summary>
    public long? MaxBytes { get; init; }

    /// <summary>
    /// Report a tripped guard as a plan line instead of throwing (for <c>--dry-run</c>, which shows the plan either way).
    /// <value>Defaults to false.</value>
    /// </summary>
    public bool ReportGuardsOnly { get; init; }

    /// <summary>Stop after this many rows and cancel the open streams. <value>Defaults to every row.</value></summary>
    public long? Limit { get; init; }

    /// <summary>The Arrow buffer compression asked for. <value>Defaults to <see cref="BigQueryCompression.Lz4Frame"/>.</value></summary>
    public BigQueryCompression Compression { get; init; } = BigQueryCompression.Lz4Frame;

    /// <summary>
    /// <c>host:port</c> of a plaintext emulator (the value of <see cref="EmulatorVariable"/>).
    /// <value>Defaults to null: the real endpoint with Application Default Credentials.</value>
    /// </summary>
    public string? EmulatorHost { get; init; }

    /// <summary>This task's index among <see cref="TaskCount"/> (CLOUD_RUN_TASK_INDEX). <value>Defaults to 0.</value></summary>
    public int TaskIndex { get; init; }

    /// <summary>The tasks that share the read (CLOUD_RUN_TASK_COUNT); each reads a disjoint share. <value>Defaults to 1.</value></summary>
    public int TaskCount { get; init; } = 1;

    /// <summary>
    /// Split points on <c>account_id</c> for tasks that share partitions (the date range has fewer days than tasks):
    /// <see cref="TaskCount"/> - 1 strictly increasing strings, task <c>i</c> reading <c>[boundary i-1, boundary i)</c>.
    /// <value>Defaults to none: tasks then split by the last character of <c>account_id</c> (see docs/BIGQUERY_READ.md).</value>
    /// </summary>
    public IReadOnlyList<string>? TaskKeyBoundaries { get; init; }

    /// <summary>Attempts at CreateReadSession on RESOURCE_EXHAUSTED, UNAVAILABLE or DEADLINE_EXCEEDED (1-20). <value>Defaults to 6.</value></summary>
    public int MaxSessionAttempts { get; init; } = 6;

    /// <summary>Re-opens of one stream in a row without a single new row before giving up (1-100). <value>Defaults to 10.</value></summary>
    public int MaxResumeAttempts { get; init; } = 10;

    /// <summary>The first retry delay; later ones double up to <see cref="MaxBackoff"/>, with jitter. <value>Defaults to 200 ms.</value></summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest computed retry delay (a server's RetryInfo may ask for longer). <value>Defaults to 30 s.</value></summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Decoded batches buffered between the streams and the consumer (1-1024). <value>Defaults to 8.</value></summary>
    public int BufferedBatches { get; init; } = 8;

    /// <summary>The columns to request, resolved from <see cref="Columns"/>.</summary>
    internal IReadOnlyList<string> SelectedColumns => Columns ?? AccountSignalsTable.Schema.Fields.Select(f => f.Name).ToArray();

    /// <summary>True when the account_signals columns are read and checked.</summary>
    internal bool ChecksAccountSchema => Columns is null;

    /// <summary>Throws <see cref="ConfigurationException"/> listing every invalid option.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (!BigQueryTableReference.TryParse(Table, out _, out var tableProblem))
        {
            problems.Add(tableProblem);
        }

        if (Dates is null)
        {
            problems.Add("no dates given: pass --date, --from/--to or --all-dates");
        }

        if (BillingProject is not null && !BigQueryTableReference.IsProjectId(BillingProject))
        {
            problems.Add($"--billing-project '{BillingProject}' is not a project id");
        }

        if (Columns is { } columns && columns.Any(c => string.IsNullOrWhiteSpace(c) || c.Contains('`', StringComparison.Ordinal)))
        {
            problems.Add($"columns [{string.Join(", ", columns)}] include an empty or quoted name");
        }

        if (!IsIdentifier(PartitionColumn))
        {
            problems.Add($"partition column '{PartitionColumn}' is not a column name");
        }

        if (!MaxStreamsBounds.Contains(MaxStreams))
        {
            problems.Add($"--max-streams {MaxStreams} must be between 1 and {MaxStreamsLimit}");
        }

        if (MaxRows is <= 0)
        {
            problems.Add($"--max-rows {MaxRows} must be positive");
        }

        if (MaxBytes is <= 0)
        {
            problems.Add($"--max-bytes {MaxBytes} must be positive");
        }

        if (Limit is <= 0)
        {
            problems.Add($"--limit {Limit} must be positive");
        }

        if (!Enum.IsDefined(Compression))
        {
            problems.Add($"compression {Compression} is not one of {string.Join(", ", Enum.GetNames<BigQueryCompression>())}");
        }

        ValidateTasks(problems);

        if (MaxSessionAttempts is < 1 or > 20)
        {
            problems.Add($"session attempts {MaxSessionAttempts} must be between 1 and 20");
        }

        if (MaxResumeAttempts is < 1 or > 100)
        {
            problems.Add($"resume attempts {MaxResumeAttempts} must be between 1 and 100");
        }

        if (InitialBackoff < TimeSpan.Zero || MaxBackoff < InitialBackoff)
        {
            problems.Add($"backoff {InitialBackoff}..{MaxBackoff} must be non-negative and increasing");
        }

        if (BufferedBatches is < 1 or > 1024)
        {
            problems.Add($"buffered batches {BufferedBatches} must be between 1 and 1024");
        }

        if (problems.Count > 0)
        {
            throw new ConfigurationException($"BigQuery source: {string.Join("; ", problems)}.");
        }
    }

    private void ValidateTasks(List<string> problems)
    {
        if (TaskCount < 1)
        {
            problems.Add($"CLOUD_RUN_TASK_COUNT {TaskCount} must be at least 1");
        }
        else if (TaskIndex < 0 || TaskIndex >= TaskCount)
        {
            problems.Add($"CLOUD_RUN_TASK_INDEX {TaskIndex} must be between 0 and {TaskCount - 1} (CLOUD_RUN_TASK_COUNT {TaskCount})");
        }

        if (TaskKeyBoundaries is not { } boundaries)
        {
            var sharePartitions = Dates is null || Dates.AllDates || Dates.Days().Count() < TaskCount;
            if (TaskCount > MaxTasksWithDefaultBoundaries && sharePartitions)
            {
                problems.Add($"CLOUD_RUN_TASK_COUNT {TaskCount} is more than {MaxTasksWithDefaultBoundaries} tasks sharing partitions: give --task-key-boundaries");
            }

            return;
        }

        if (boundaries.Count != Math.Max(TaskCount - 1, 0))
        {
            problems.Add($"task key boundaries have {boundaries.Count} value(s); {TaskCount} tasks need {TaskCount - 1}");
        }

        for (var i = 0; i < boundaries.Count; i++)
        {
            // Surrogates are refused so that .NET's ordinal order equals BigQuery's (UTF-8 byte) order of STRING values.
            if (string.IsNullOrEmpty(boundaries[i]) || boundaries[i].Any(c => char.IsControl(c) || char.IsSurrogate(c)))
            {
                problems.Add($"task key boundary {i + 1} '{boundaries[i]}' is empty or holds control or non-BMP characters");
            }
            else if (i > 0 && string.CompareOrdinal(boundaries[i - 1], boundaries[i]) >= 0)
            {
                problems.Add($"task key boundaries '{boundaries[i - 1]}' and '{boundaries[i]}' are not strictly increasing");
            }
        }
    }

    private static bool IsIdentifier(string? name) =>
        !string.IsNullOrEmpty(name) && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
