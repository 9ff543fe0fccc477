using SalesIntel.Pipeline.Hosting;
using SalesIntel.Stages.CarryForward;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Scoring.Gemini;
using SalesIntel.Stages.Sinks.BigQuery;
using SalesIntel.Stages.Sources.BigQuery;
using static SalesIntel.Pipeline.Cli.OptionTypes;

namespace SalesIntel.Pipeline.Cli;

/// <summary>
/// Every option of <c>salesintel score</c>, each defined once: name, environment variable, help, value type and
/// range, default. Parsing (<see cref="SettingsReader.Get{T}"/>), the help screen and docs/CLI.md come from this list;
/// ranges owned by a stage are the stage's own <see cref="Bounds{T}"/>, so the CLI does not repeat them.
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
    public static readonly OptionSpec<string?> Config = new("--config", "SALESINTEL_CONFIG", "JSON file of option names (without dashes) to values; command line and environment win over it", "FILE", Run, Text, null);

    /// <summary>Where accounts come from.</summary>
    public static readonly OptionSpec<string?> Source = new("--source", "SALESINTEL_SOURCE", "accounts to score: a CSV, JSON Lines or Arrow file, or bq://PROJECT.DATASET.TABLE", "PATH|URI", Io, Text, "fixtures/accounts.csv");

    /// <summary>Overrides the source format the extension implies.</summary>
    public static readonly OptionSpec<string?> SourceFormat = new("--source-format", "SALESINTEL_SOURCE_FORMAT", "csv | jsonl | arrow (IPC file) | arrows (IPC stream); overrides the file extension", "FORMAT", Io, Text, null) { ShownDefault = "from the extension" };

    /// <summary>The schema of CSV / JSON Lines input.</summary>
    public static readonly OptionSpec<string?> SourceSchema = new("--source-schema", "SALESINTEL_SOURCE_SCHEMA", "BigQuery JSON schema of a CSV/JSON Lines source with extra columns", "FILE", Io, Text, null) { ShownDefault = "account_signals" };

    /// <summary>Where recommendations go.</summary>
    public static readonly OptionSpec<string?> Sink = new("--sink", "SALESINTEL_SINK", "where recommendations go: a .csv, .jsonl or .arrow/.arrows file, or bq://PROJECT.DATASET.TABLE", "PATH|URI", Io, Text, "out/recommendations.csv");

    /// <summary>Overrides the sink format the extension implies.</summary>
    public static readonly OptionSpec<string?> SinkFormat = new("--sink-format", "SALESINTEL_SINK_FORMAT", "csv | jsonl | arrow | arrows; overrides the file extension", "FORMAT", Io, Text, null) { ShownDefault = "from the extension" };

    /// <summary>Whether text cells of a CSV sink that start like a formula are written as text.</summary>
    public static readonly OptionSpec<string> CsvFormulaGuard = new("--csv-formula-guard", "SALESINTEL_CSV_FORMULA_GUARD", "on: a CSV text cell starting with = + - @, tab or CR gets a leading apostrophe, so a spreadsheet shows it as text instead of running it | off: write values as they are (for tools that read the CSV as data only)", "on|off", Io, Choice("on", "off"), "on");

    /// <summary>The dead-letter file.</summary>
    public static readonly OptionSpec<string?> DeadLetter = new("--dead-letter", "SALESINTEL_DEAD_LETTER", "JSON Lines file of rows that could not be processed, with reason and source position", "PATH", Io, Text, "out/dead-letters.jsonl");

    /// <summary>The run summary as JSON.</summary>
    public static readonly OptionSpec<string?> Summary = new("--summary", "SALESINTEL_SUMMARY", "the run summary as JSON, for machines", "PATH", Io, Text, "out/summary.json");

    /// <summary>The run report as one self-contained HTML page.</summary>
    public static readonly OptionSpec<string?> Report = new("--report", "SALESINTEL_REPORT", "also write the run report as one self-contained HTML page (inline SVG charts: scores, tiers, carry-forward, dead letters, tokens, latency)", "PATH.html", Io, Text, null) { ShownDefault = "none" };

    /// <summary>One partition.</summary>
    public static readonly OptionSpec<RelativeDateForm?> Date = new("--date", "SALESINTEL_DATE", "score one snapshot_date partition: YYYY-MM-DD, today, yesterday or today-N (resolved at start in --timezone)", "DATE", Filter, OptionTypes.Date, null);

    /// <summary>First partition of a range.</summary>
    public static readonly OptionSpec<RelativeDateForm?> From = new("--from", "SALESINTEL_FROM", "first snapshot_date of a range (inclusive; with --to); same forms as --date", "DATE", Filter, OptionTypes.Date, null);

    /// <summary>Last partition of a range.</summary>
    public static readonly OptionSpec<RelativeDateForm?> To = new("--to", "SALESINTEL_TO", "last snapshot_date of a range (inclusive; with --from); same forms as --date", "DATE", Filter, OptionTypes.Date, null);

    /// <summary>The zone in which today / yesterday / today-N are resolved.</summary>
    public static readonly OptionSpec<TimeZoneInfo> TimeZone = new("--timezone", "SALESINTEL_TIMEZONE", "IANA time zone in which --date/--from/--to today, yesterday and today-N are resolved when the run starts", "ZONE", Filter, OptionTypes.TimeZone, TimeZoneInfo.Utc);

    /// <summary>Reads every partition on purpose.</summary>
    public static readonly OptionSpec<bool> AllDates = new("--all-dates", "SALESINTEL_ALL_DATES", "read every partition (a run without a date is refused otherwise)", null, Filter, Flag, false);

    /// <summary>The dead-letter share a committed run may have and still succeed.</summary>
    public static readonly OptionSpec<double> MaxDeadLetterRate = new("--max-dead-letter-rate", "SALESINTEL_MAX_DEAD_LETTER_RATE", "a committed run whose dead letters are at most this share of the rows read exits 0 and reports them; above it exits 4", "RATE", Filter, Number(new(0, 1)), 0.01) { ShownDefault = "0.01 (1%)" };

    /// <summary>Trial runs.</summary>
    public static readonly OptionSpec<long?> Limit = new("--limit", "SALESINTEL_LIMIT", "score at most N accounts, then stop reading (trial runs)", "N", Filter, Optional(Whole(new(1, long.MaxValue))), null) { ShownDefault = "no limit" };

    /// <summary>The row guard.</summary>
    public static readonly OptionSpec<long> MaxRows = new("--max-rows", "SALESINTEL_MAX_ROWS", "refuse to publish anything when the selected partitions hold more rows", "N", Filter, Whole(new(1, long.MaxValue)), PipelineDefaults.MaxRows);

    /// <summary>The byte guard of BigQuery sources.</summary>
    public static readonly OptionSpec<long> MaxBytes = new("--max-bytes", "SALESINTEL_MAX_BYTES", "refuse to read when the BigQuery read session estimates scanning more bytes (bq:// sources)", "N", Filter, Whole(new(1, long.MaxValue)), PipelineDefaults.MaxBytes) { ShownDefault = $"{PipelineDefaults.MaxBytes} (10 GB)" };

    /// <summary>Plan only.</summary>
    public static readonly OptionSpec<bool> DryRun = new("--dry-run", "SALESINTEL_DRY_RUN", "open the source, print the plan (rows, bytes, columns, filter) and stop without reading", null, Filter, Flag, false);

    /// <summary>Concurrent BigQuery read streams.</summary>
    public static readonly OptionSpec<int> MaxStreams = new("--max-streams", "SALESINTEL_MAX_STREAMS", "most BigQuery read streams, all read concurrently", "N", BigQuerySource, Int(BigQuerySourceOptions.MaxStreamsBounds), BigQuerySourceOptions.DefaultMaxStreams);

    /// <summary>The project billed for the read session.</summary>
    public static readonly OptionSpec<string?> BillingProject = new("--billing-project", "SALESINTEL_BILLING_PROJECT", "project billed for the BigQuery read session", "PROJECT", BigQuerySource, Text, null) { ShownDefault = "the table's project" };

    /// <summary>Arrow buffer compression.</summary>
    public static readonly OptionSpec<string> ReadCompression = new("--read-compression", "SALESINTEL_READ_COMPRESSION", "Arrow buffer compression asked of BigQuery: lz4 | zstd | none", "CODEC", BigQuerySource, Choice("lz4", "zstd", "none"), "lz4");

    /// <summary>Split points of account_id for Cloud Run tasks that share partitions.</summary>
    public static readonly OptionSpec<string?> TaskKeyBoundaries = new("--task-key-boundaries", "SALESINTEL_TASK_KEY_BOUNDARIES", "account_id split points (CLOUD_RUN_TASK_COUNT - 1, comma-separated) when tasks share a day; see docs/BIGQUERY_READ.md", "K1,K2,..", BigQuerySource, Text, null) { ShownDefault = "evenly over 0-9A-Za-z" };

    /// <summary>Which scorer.</summary>
    public static readonly OptionSpec<string> Scorer = new("--scorer", "SALESINTEL_SCORER", "rules (built-in, deterministic) | gemini (Vertex AI)", "NAME", Run, Choice("rules", "gemini"), "rules");

    /// <summary>The run id.</summary>
    public static readonly OptionSpec<string?> RunId = new("--run-id", "SALESINTEL_RUN_ID", "id written with every row; a re-run with the same id replaces its own output", "ID", Run, Text, null) { ShownDefault = "CLOUD_RUN_EXECUTION, else a UTC timestamp" };

    /// <summary>Scoring parallelism.</summary>
    public static readonly OptionSpec<int?> Concurrency = new("--concurrency", "SALESINTEL_CONCURRENCY", "accounts scored at once", "N", Run, Optional(Int(GeminiScorerOptions.ConcurrencyBounds)), null) { ShownDefault = $"rules: processor count; gemini: {GeminiCliOptions.DefaultConcurrency}" };

    /// <summary>Rows per sink write.</summary>
    public static readonly OptionSpec<int> BatchRows = new("--batch-rows", "SALESINTEL_BATCH_ROWS", "recommendations per sink write (also capped at 8 MB)", "N", Run, Int(PipelineDefaults.SinkBatchRowsBounds), PipelineDefaults.SinkBatchRows);

    /// <summary>Progress log cadence.</summary>
    public static readonly OptionSpec<double> ProgressInterval = new("--progress-interval", "SALESINTEL_PROGRESS_INTERVAL", "seconds between progress lines when output is not a terminal", "SECONDS", Run, Number(new(0.1, 3600)), 10);

    /// <summary>Log verbosity.</summary>
    public static readonly OptionSpec<string> LogLevel = new("--log-level", "SALESINTEL_LOG_LEVEL", "trace | debug | information | warning | error", "LEVEL", Run, Choice("trace", "debug", "information", "warning", "error"), "information");

    /// <summary>The task's own timeout, which Cloud Run does not pass to the container.</summary>
    public static readonly OptionSpec<double?> TaskTimeout = new("--task-timeout", "SALESINTEL_TASK_TIMEOUT", "the Cloud Run task timeout in seconds (Cloud Run does not tell a task its own); deploy/job.yaml sets it to the job's timeoutSeconds; shown in the plan", "SECONDS", Run, Optional(Number(new(1, 604_800))), null) { ShownDefault = "unknown" };

    /// <summary>Log line format: text for people, JSON for Cloud Logging.</summary>
    public static readonly OptionSpec<string> LogFormat = new("--log-format", "SALESINTEL_LOG_FORMAT", "text | json (one Cloud Logging entry per line; warnings and errors on stderr) | auto (text on a terminal, json otherwise)", "FORMAT", Run, Choice("text", "json", "auto"), "auto");

    /// <summary>Rows per committed chunk of the BigQuery sink.</summary>
    public static readonly OptionSpec<int> CommitRows = new("--commit-rows", "SALESINTEL_COMMIT_ROWS", "rows per committed chunk (one PENDING write stream each); a killed run loses at most one chunk", "N", BigQuerySink, Int(BigQuerySinkOptions.CommitRowsBounds), BigQuerySinkDefaults.CommitRows);

    /// <summary>The longest a chunk of the BigQuery sink stays open.</summary>
    public static readonly OptionSpec<double> CommitSeconds = new("--commit-seconds", "SALESINTEL_COMMIT_SECONDS", "commit the open chunk after this many seconds even if it is not full", "SECONDS", BigQuerySink, Number(BigQuerySinkOptions.CommitSecondsBounds), BigQuerySinkDefaults.CommitSeconds);

    /// <summary>The BigQuery table dead letters go to beside the local file, when the sink is a BigQuery table.</summary>
    public static readonly OptionSpec<string?> DeadLetterTable = new("--dead-letter-table", "SALESINTEL_DEAD_LETTER_TABLE", "bq://PROJECT.DATASET.TABLE that a bq:// sink's run commits its dead letters to, once, after its final commit (deploy/account_recommendation_dead_letters.sql); none keeps them in the --dead-letter file only", "URI|none", BigQuerySink, Text, null) { ShownDefault = "account_recommendation_dead_letters in the sink's dataset" };

    /// <summary>The BigQuery table each task attempt of a bq:// sink's run appends its ledger row to.</summary>
    public static readonly OptionSpec<string?> RunLedgerTable = new("--run-ledger-table", "SALESINTEL_RUN_LEDGER_TABLE", "bq://PROJECT.DATASET.TABLE that every task attempt of a bq:// sink's run appends one row to at its end, committed once, with its status and figures (deploy/scoring_runs.sql); none writes no row", "URI|none", BigQuerySink, Text, null) { ShownDefault = "scoring_runs in the sink's dataset" };

    /// <summary>Scores accounts again although the sink already holds their recommendation for the date.</summary>
    public static readonly OptionSpec<bool> Rescore = new("--rescore", "SALESINTEL_RESCORE", "score accounts again even when the BigQuery sink already holds their recommendation for the date (a re-run skips them otherwise)", null, BigQuerySink, Flag, false);

    /// <summary>How long an unchanged account's answer is carried forward instead of scored again.</summary>
    public static readonly OptionSpec<int> CarryForwardDays = new("--carry-forward-days", "SALESINTEL_CARRY_FORWARD_DAYS", "an account whose material hash equals that of its latest recommendation scored within N days is not scored again; its answer is written with carried_from (0 turns it off)", "N", CarryForward, Int(CarryForwardScorer.WindowDaysBounds), CarryForwardScorer.DefaultWindowDays);

    /// <summary>The earlier output file a file sink's run carries forward from.</summary>
    public static readonly OptionSpec<string?> Previous = new("--previous", "SALESINTEL_PREVIOUS", "an earlier recommendations file (CSV, JSON Lines or Arrow) to carry unchanged accounts forward from; a bq:// sink reads its own table instead", "PATH", CarryForward, Text, null) { ShownDefault = "none (file sinks score everything)" };

    /// <summary>Columns left out of the material hash.</summary>
    public static readonly OptionSpec<string?> VolatileColumns = new("--volatile-columns", "SALESINTEL_VOLATILE_COLUMNS", "signal columns that change without changing the answer, left out of the material hash (comma-separated; snapshot_date always is)", "C1,C2,..", CarryForward, Text, null) { ShownDefault = "none" };

    /// <summary>Every option, in help order.</summary>
    public static IReadOnlyList<OptionSpec> All { get; } =
    [
        Source, SourceFormat, SourceSchema, Sink, SinkFormat, CsvFormulaGuard, DeadLetter, Summary, Report,
        Date, From, To, TimeZone, AllDates, Limit, MaxRows, MaxBytes, MaxDeadLetterRate, DryRun,
        MaxStreams, BillingProject, ReadCompression, TaskKeyBoundaries,
        Scorer, RunId, Concurrency, BatchRows, ProgressInterval, LogLevel, LogFormat, TaskTimeout, Config,
        CommitRows, CommitSeconds, DeadLetterTable, RunLedgerTable, Rescore,
        CarryForwardDays, Previous, VolatileColumns,
        .. DriftCliOptions.All,
        .. GeminiCliOptions.All,
    ];
}
