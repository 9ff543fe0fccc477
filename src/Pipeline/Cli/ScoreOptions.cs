namespace SalesIntel.Pipeline.Cli;

/// <summary>
/// Every option of <c>salesintel score</c>, with its environment variable, help and default. The help screen and
/// docs/CLI.md are generated from / kept in line with this list; stage-specific options live in their own group.
/// </summary>
public static class ScoreOptions
{
    private const string Io = "Input and output";
    private const string Filter = "Partition filter and guards";
    private const string Run = "Run";
    private const string BigQuerySource = "BigQuery source (--source bq://PROJECT.DATASET.TABLE)";
    private const string CarryForward = "Carry-forward (unchanged accounts are not scored again)";
    private const string BigQuerySink = "BigQuery sink (--sink bq://...; BIGQUERY_STORAGE_EMULATOR_HOST=host:port points it at an emulator)";

    /// <summary>A JSON config file of option names (without dashes) to values.</summary>
    public static readonly OptionSpec Config = new("--config", "SALESINTEL_CONFIG", "JSON file of option names (without dashes) to values; command line and environment win over it", null, "FILE", Run);

    /// <summary>Where accounts come from.</summary>
    public static readonly OptionSpec Source = new("--source", "SALESINTEL_SOURCE", "accounts to score: a CSV, JSON Lines or Arrow file, or bq://PROJECT.DATASET.TABLE", "fixtures/accounts.csv", "PATH|URI", Io);

    /// <summary>Overrides the source format the extension implies.</summary>
    public static readonly OptionSpec SourceFormat = new("--source-format", "SALESINTEL_SOURCE_FORMAT", "csv | jsonl | arrow (IPC file) | arrows (IPC stream); overrides the file extension", "from the extension", "FORMAT", Io);

    /// <summary>The schema of CSV / JSON Lines input.</summary>
    public static readonly OptionSpec SourceSchema = new("--source-schema", "SALESINTEL_SOURCE_SCHEMA", "BigQuery JSON schema of a CSV/JSON Lines source with extra columns", "account_signals", "FILE", Io);

    /// <summary>Where recommendations go.</summary>
    public static readonly OptionSpec Sink = new("--sink", "SALESINTEL_SINK", "where recommendations go: a .csv, .jsonl or .arrow/.arrows file, or bq://PROJECT.DATASET.TABLE", "out/recommendations.csv", "PATH|URI", Io);

    /// <summary>Overrides the sink format the extension implies.</summary>
    public static readonly OptionSpec SinkFormat = new("--sink-format", "SALESINTEL_SINK_FORMAT", "csv | jsonl | arrow | arrows; overrides the file extension", "from the extension", "FORMAT", Io);

    /// <summary>The dead-letter file.</summary>
    public static readonly OptionSpec DeadLetter = new("--dead-letter", "SALESINTEL_DEAD_LETTER", "JSON Lines file of rows that could not be processed, with reason and source position", "out/dead-letters.jsonl", "PATH", Io);

    /// <summary>The run summary as JSON.</summary>
    public static readonly OptionSpec Summary = new("--summary", "SALESINTEL_SUMMARY", "the run summary as JSON, for machines", "out/summary.json", "PATH", Io);

    /// <summary>The run report as one self-contained HTML page.</summary>
    public static readonly OptionSpec Report = new("--report", "SALESINTEL_REPORT", "also write the run report as one self-contained HTML page (inline SVG charts: scores, tiers, carry-forward, dead letters, tokens, latency)", "none", "PATH.html", Io);

    /// <summary>One partition.</summary>
    public static readonly OptionSpec Date = new("--date", "SALESINTEL_DATE", "score one snapshot_date partition: YYYY-MM-DD, today, yesterday or today-N (resolved at start in --timezone)", null, "DATE", Filter);

    /// <summary>First partition of a range.</summary>
    public static readonly OptionSpec From = new("--from", "SALESINTEL_FROM", "first snapshot_date of a range (inclusive; with --to); same forms as --date", null, "DATE", Filter);

    /// <summary>Last partition of a range.</summary>
    public static readonly OptionSpec To = new("--to", "SALESINTEL_TO", "last snapshot_date of a range (inclusive; with --from); same forms as --date", null, "DATE", Filter);

    /// <summary>The zone in which today / yesterday / today-N are resolved.</summary>
    public static readonly OptionSpec TimeZone = new("--timezone", "SALESINTEL_TIMEZONE", "IANA time zone in which --date/--from/--to today, yesterday and today-N are resolved when the run starts", "UTC", "ZONE", Filter);

    /// <summary>Reads every partition on purpose.</summary>
    public static readonly OptionSpec AllDates = new("--all-dates", "SALESINTEL_ALL_DATES", "read every partition (a run without a date is refused otherwise)", null, null, Filter);

    /// <summary>The dead-letter share a committed run may have and still succeed.</summary>
    public static readonly OptionSpec MaxDeadLetterRate = new("--max-dead-letter-rate", "SALESINTEL_MAX_DEAD_LETTER_RATE", "a committed run whose dead letters are at most this share of the rows read (0-1) exits 0 and reports them; above it exits 4", "0.01 (1%)", "RATE", Filter);

    /// <summary>Trial runs.</summary>
    public static readonly OptionSpec Limit = new("--limit", "SALESINTEL_LIMIT", "score at most N accounts, then stop reading (trial runs)", "no limit", "N", Filter);

    /// <summary>The row guard.</summary>
    public static readonly OptionSpec MaxRows = new("--max-rows", "SALESINTEL_MAX_ROWS", "refuse to publish anything when the selected partitions hold more rows", "1000000", "N", Filter);

    /// <summary>The byte guard of BigQuery sources.</summary>
    public static readonly OptionSpec MaxBytes = new("--max-bytes", "SALESINTEL_MAX_BYTES", "refuse to read when the BigQuery read session estimates scanning more bytes (bq:// sources)", "10000000000 (10 GB)", "N", Filter);

    /// <summary>Plan only.</summary>
    public static readonly OptionSpec DryRun = new("--dry-run", "SALESINTEL_DRY_RUN", "open the source, print the plan (rows, bytes, columns, filter) and stop without reading", null, null, Filter);

    /// <summary>Concurrent BigQuery read streams.</summary>
    public static readonly OptionSpec MaxStreams = new("--max-streams", "SALESINTEL_MAX_STREAMS", "most BigQuery read streams, all read concurrently (1-1000)", "4", "N", BigQuerySource);

    /// <summary>The project billed for the read session.</summary>
    public static readonly OptionSpec BillingProject = new("--billing-project", "SALESINTEL_BILLING_PROJECT", "project billed for the BigQuery read session", "the table's project", "PROJECT", BigQuerySource);

    /// <summary>Arrow buffer compression.</summary>
    public static readonly OptionSpec ReadCompression = new("--read-compression", "SALESINTEL_READ_COMPRESSION", "Arrow buffer compression asked of BigQuery: lz4 | zstd | none", "lz4", "CODEC", BigQuerySource);

    /// <summary>Split points of account_id for Cloud Run tasks that share partitions.</summary>
    public static readonly OptionSpec TaskKeyBoundaries = new("--task-key-boundaries", "SALESINTEL_TASK_KEY_BOUNDARIES", "account_id split points (CLOUD_RUN_TASK_COUNT - 1, comma-separated) when tasks share a day; see docs/BIGQUERY_READ.md", "evenly over 0-9A-Za-z", "K1,K2,..", BigQuerySource);

    /// <summary>Which scorer.</summary>
    public static readonly OptionSpec Scorer = new("--scorer", "SALESINTEL_SCORER", "rules (built-in, deterministic) | gemini (Vertex AI)", "rules", "NAME", Run);

    /// <summary>The run id.</summary>
    public static readonly OptionSpec RunId = new("--run-id", "SALESINTEL_RUN_ID", "id written with every row; a re-run with the same id replaces its own output", "CLOUD_RUN_EXECUTION, else a UTC timestamp", "ID", Run);

    /// <summary>Scoring parallelism.</summary>
    public static readonly OptionSpec Concurrency = new("--concurrency", "SALESINTEL_CONCURRENCY", "accounts scored at once (1-512)", "processor count", "N", Run);

    /// <summary>Rows per sink write.</summary>
    public static readonly OptionSpec BatchRows = new("--batch-rows", "SALESINTEL_BATCH_ROWS", "recommendations per sink write (also capped at 8 MB)", "10000", "N", Run);

    /// <summary>Progress log cadence.</summary>
    public static readonly OptionSpec ProgressInterval = new("--progress-interval", "SALESINTEL_PROGRESS_INTERVAL", "seconds between progress lines when output is not a terminal", "10", "SECONDS", Run);

    /// <summary>Log verbosity.</summary>
    public static readonly OptionSpec LogLevel = new("--log-level", "SALESINTEL_LOG_LEVEL", "trace | debug | information | warning | error", "information", "LEVEL", Run);

    /// <summary>The task's own timeout, which Cloud Run does not pass to the container.</summary>
    public static readonly OptionSpec TaskTimeout = new("--task-timeout", "SALESINTEL_TASK_TIMEOUT", "the Cloud Run task timeout in seconds (Cloud Run does not tell a task its own); deploy/job.yaml sets it to the job's timeoutSeconds; shown in the plan", "unknown", "SECONDS", Run);

    /// <summary>Log line format: text for people, JSON for Cloud Logging.</summary>
    public static readonly OptionSpec LogFormat = new("--log-format", "SALESINTEL_LOG_FORMAT", "text | json (one Cloud Logging entry per line; warnings and errors on stderr) | auto (text on a terminal, json otherwise)", "auto", "FORMAT", Run);

    /// <summary>Rows per committed chunk of the BigQuery sink.</summary>
    public static readonly OptionSpec CommitRows = new("--commit-rows", "SALESINTEL_COMMIT_ROWS", "rows per committed chunk (one PENDING write stream each); a killed run loses at most one chunk", "100000", "N", BigQuerySink);

    /// <summary>The longest a chunk of the BigQuery sink stays open.</summary>
    public static readonly OptionSpec CommitSeconds = new("--commit-seconds", "SALESINTEL_COMMIT_SECONDS", "commit the open chunk after this many seconds even if it is not full", "60", "SECONDS", BigQuerySink);

    /// <summary>Scores accounts again although the sink already holds their recommendation for the date.</summary>
    public static readonly OptionSpec Rescore = new("--rescore", "SALESINTEL_RESCORE", "score accounts again even when the BigQuery sink already holds their recommendation for the date (a re-run skips them otherwise)", null, null, BigQuerySink);

    /// <summary>How long an unchanged account's answer is carried forward instead of scored again.</summary>
    public static readonly OptionSpec CarryForwardDays = new("--carry-forward-days", "SALESINTEL_CARRY_FORWARD_DAYS", "an account whose material hash equals that of its latest recommendation scored within N days is not scored again; its answer is written with carried_from (0 turns it off)", "7", "N", CarryForward);

    /// <summary>The earlier output file a file sink's run carries forward from.</summary>
    public static readonly OptionSpec Previous = new("--previous", "SALESINTEL_PREVIOUS", "an earlier recommendations file (CSV, JSON Lines or Arrow) to carry unchanged accounts forward from; a bq:// sink reads its own table instead", "none (file sinks score everything)", "PATH", CarryForward);

    /// <summary>Columns left out of the material hash.</summary>
    public static readonly OptionSpec VolatileColumns = new("--volatile-columns", "SALESINTEL_VOLATILE_COLUMNS", "signal columns that change without changing the answer, left out of the material hash (comma-separated; snapshot_date always is)", "none", "C1,C2,..", CarryForward);

    /// <summary>Every option, in help order.</summary>
    public static IReadOnlyList<OptionSpec> All { get; } =
    [
        Source, SourceFormat, SourceSchema, Sink, SinkFormat, DeadLetter, Summary, Report,
        Date, From, To, TimeZone, AllDates, Limit, MaxRows, MaxBytes, MaxDeadLetterRate, DryRun,
        MaxStreams, BillingProject, ReadCompression, TaskKeyBoundaries,
        Scorer, RunId, Concurrency, BatchRows, ProgressInterval, LogLevel, LogFormat, TaskTimeout, Config,
        CommitRows, CommitSeconds, Rescore,
        CarryForwardDays, Previous, VolatileColumns,
        .. GeminiCliOptions.All,
    ];
}
