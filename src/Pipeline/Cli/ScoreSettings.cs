using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using SalesIntel.Stages.CarryForward;
using SalesIntel.Stages.Drift;
using SalesIntel.Stages.Model;

namespace SalesIntel.Pipeline.Cli;

/// <summary>The validated run-level settings of <c>salesintel score</c>.</summary>
public sealed partial record ScoreSettings
{
    /// <summary>The accounts to score: a file path or a <c>bq://</c> URI.</summary>
    public required string Source { get; init; }

    /// <summary>An explicit source format, or null to use the extension.</summary>
    public string? SourceFormat { get; init; }

    /// <summary>The schema of a CSV/JSON Lines source, or null for account_signals.</summary>
    public string? SourceSchemaPath { get; init; }

    /// <summary>Where recommendations go.</summary>
    public required string Sink { get; init; }

    /// <summary>An explicit sink format, or null to use the extension.</summary>
    public string? SinkFormat { get; init; }

    /// <summary>Whether a CSV sink guards text cells that start like a formula (<c>--csv-formula-guard</c>).</summary>
    public bool GuardCsvFormulas { get; init; } = true;

    /// <summary>The dead-letter file.</summary>
    public required string DeadLetterPath { get; init; }

    /// <summary>The JSON summary file.</summary>
    public required string SummaryPath { get; init; }

    /// <summary>Where the HTML run report goes (<c>--report</c>), or null for none.</summary>
    public string? ReportPath { get; init; }

    /// <summary>The partition filter.</summary>
    public required DateRange Dates { get; init; }

    /// <summary>The zone in which relative dates were resolved.</summary>
    public required TimeZoneInfo TimeZone { get; init; }

    /// <summary>Today in <see cref="TimeZone"/> when the run started: what today / yesterday / today-N were resolved against.</summary>
    public required DateOnly Today { get; init; }

    /// <summary>A committed run with dead letters at most this share of the rows read exits 0.</summary>
    public double MaxDeadLetterRate { get; init; }

    /// <summary>At most this many accounts, or null.</summary>
    public long? Limit { get; init; }

    /// <summary>The row guard.</summary>
    public long MaxRows { get; init; }

    /// <summary>Plan only.</summary>
    public bool DryRun { get; init; }

    /// <summary>Score again what the sink already holds (no resume).</summary>
    public bool Rescore { get; init; }

    /// <summary>The carry-forward window in days; 0 turns carry-forward off.</summary>
    public int CarryForwardDays { get; init; } = CarryForwardScorer.DefaultWindowDays;

    /// <summary>The earlier output file a file sink's run carries forward from, or null.</summary>
    public string? PreviousPath { get; init; }

    /// <summary>Columns left out of the material hash.</summary>
    public IReadOnlySet<string> VolatileColumns { get; init; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The drift gate's sample, thresholds and action (<c>--drift-*</c>, <c>--on-drift</c>).</summary>
    public DriftGateOptions Drift { get; init; } = new();

    /// <summary>rules | gemini.</summary>
    public required string Scorer { get; init; }

    /// <summary>The run id.</summary>
    public required string RunId { get; init; }

    /// <summary>Scoring parallelism, or null for the scorer's default.</summary>
    public int? Concurrency { get; init; }

    /// <summary>Rows per sink write.</summary>
    public int BatchRows { get; init; }

    /// <summary>Seconds between progress lines.</summary>
    public double ProgressIntervalSeconds { get; init; }

    /// <summary>Log verbosity.</summary>
    public LogLevel LogLevel { get; init; }

    /// <summary>The Cloud Run task timeout in seconds, when the job definition says it, else null.</summary>
    public double? TaskTimeoutSeconds { get; init; }

    /// <summary>Log line format: text, json or auto (decided by <see cref="Logging.RunLogging"/>).</summary>
    public string LogFormat { get; init; } = "auto";

    /// <summary>Reads and cross-checks the run-level options; problems go to <paramref name="r"/>.Errors.</summary>
    public static ScoreSettings Read(SettingsReader r, Func<string, string?> environment, TimeProvider time)
    {
        var runId = r.Get(ScoreOptions.RunId) ?? environment("CLOUD_RUN_EXECUTION") ?? DefaultRunId(time);
        if (!RunIdPattern().IsMatch(runId))
        {
            r.Fail($"{r.Describe(ScoreOptions.RunId)} must be 1-64 letters, digits, '.', '_' or '-'");
        }

        // Resolved once, here: every later mention of the dates (plan, logs, summary) shows the same calendar days.
        var zone = r.Get(ScoreOptions.TimeZone);
        var today = RelativeDate.Today(time, zone);
        var logLevel = r.Get(ScoreOptions.LogLevel);
        var settings = new ScoreSettings
        {
            Source = r.Get(ScoreOptions.Source)!,
            SourceFormat = r.Get(ScoreOptions.SourceFormat),
            SourceSchemaPath = r.Get(ScoreOptions.SourceSchema),
            Sink = r.Get(ScoreOptions.Sink)!,
            SinkFormat = r.Get(ScoreOptions.SinkFormat),
            GuardCsvFormulas = r.Get(ScoreOptions.CsvFormulaGuard) == "on",
            DeadLetterPath = r.Get(ScoreOptions.DeadLetter)!,
            SummaryPath = r.Get(ScoreOptions.Summary)!,
            ReportPath = r.Get(ScoreOptions.Report),
            TimeZone = zone,
            Today = today,
            Dates = ReadDates(r, today),
            MaxDeadLetterRate = r.Get(ScoreOptions.MaxDeadLetterRate),
            Limit = r.Get(ScoreOptions.Limit),
            MaxRows = r.Get(ScoreOptions.MaxRows),
            DryRun = r.Get(ScoreOptions.DryRun),
            Rescore = r.Get(ScoreOptions.Rescore),
            CarryForwardDays = r.Get(ScoreOptions.CarryForwardDays),
            PreviousPath = r.Get(ScoreOptions.Previous),
            VolatileColumns = ReadVolatileColumns(r),
            Drift = DriftCliOptions.Read(r),
            Scorer = r.Get(ScoreOptions.Scorer),
            RunId = runId,
            Concurrency = r.Get(ScoreOptions.Concurrency),
            BatchRows = r.Get(ScoreOptions.BatchRows),
            ProgressIntervalSeconds = r.Get(ScoreOptions.ProgressInterval),
            LogLevel = Enum.Parse<LogLevel>(logLevel, ignoreCase: true),
            TaskTimeoutSeconds = r.Get(ScoreOptions.TaskTimeout),
            LogFormat = r.Get(ScoreOptions.LogFormat),
        };
        CheckDistinctPaths(r, settings);
        return settings;
    }

    /// <summary>
    /// Every file the run writes must differ from the others and from the source: two outputs on one path overwrite
    /// each other (or the input) and the run still reports success. Paths are compared fully resolved, so
    /// <c>out/x.csv</c> and <c>./out/../out/x.csv</c> are the same file; <c>bq://</c> tables are not files.
    /// </summary>
    private static void CheckDistinctPaths(SettingsReader r, ScoreSettings s)
    {
        var paths = new List<(OptionSpec Spec, string Path)>();
        if (!IsTable(s.Source))
        {
            paths.Add((ScoreOptions.Source, s.Source));
        }

        if (!IsTable(s.Sink))
        {
            paths.Add((ScoreOptions.Sink, s.Sink));
        }

        paths.Add((ScoreOptions.DeadLetter, s.DeadLetterPath));
        paths.Add((ScoreOptions.Summary, s.SummaryPath));
        if (s.ReportPath is { } report)
        {
            paths.Add((ScoreOptions.Report, report));
        }

        var comparison = OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        for (var i = 0; i < paths.Count; i++)
        {
            for (var j = i + 1; j < paths.Count; j++)
            {
                if (Resolve(paths[i].Path) is { } a && Resolve(paths[j].Path) is { } b && string.Equals(a, b, comparison))
                {
                    r.Fail($"{Describe(r, paths[j].Spec, paths[j].Path)} is the same file as {Describe(r, paths[i].Spec, paths[i].Path)} ({a}): "
                        + "one would overwrite the other; give each of --source, --sink, --dead-letter, --summary and --report its own path");
                }
            }
        }
    }

    private static bool IsTable(string location) => location.StartsWith("bq://", StringComparison.OrdinalIgnoreCase);

    private static string Describe(SettingsReader r, OptionSpec spec, string path) =>
        r.IsSet(spec) ? r.Describe(spec) : $"{spec.Name} '{path}' (the default)";

    /// <summary>The full path, or null when the text is not a path at all (reported elsewhere when it matters).</summary>
    private static string? Resolve(string path)
    {
        try
        {
            return Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return null;
        }
    }

    /// <summary>The date rule every source enforces: one date, a range, or --all-dates on purpose; never nothing.</summary>
    private static DateRange ReadDates(SettingsReader r, DateOnly today)
    {
        var date = r.Get(ScoreOptions.Date)?.Resolve(today);
        var from = r.Get(ScoreOptions.From)?.Resolve(today);
        var to = r.Get(ScoreOptions.To)?.Resolve(today);
        var all = r.Get(ScoreOptions.AllDates);
        var given = new[] { ScoreOptions.Date, ScoreOptions.From, ScoreOptions.To }.Where(r.IsSet).ToList();
        if (all && given.Count > 0)
        {
            r.Fail($"--all-dates cannot be combined with {string.Join(" / ", given.Select(s => s.Name))}: pick one");
            return DateRange.All;
        }

        if (all)
        {
            return DateRange.All;
        }

        if (r.IsSet(ScoreOptions.Date) && (r.IsSet(ScoreOptions.From) || r.IsSet(ScoreOptions.To)))
        {
            r.Fail("--date cannot be combined with --from/--to: use --date for one partition or --from and --to for a range");
            return DateRange.All;
        }

        if (r.IsSet(ScoreOptions.Date))
        {
            return date is { } d ? DateRange.Single(d) : DateRange.All;
        }

        if (r.IsSet(ScoreOptions.From) != r.IsSet(ScoreOptions.To))
        {
            r.Fail($"{(r.IsSet(ScoreOptions.From) ? "--from needs --to" : "--to needs --from")}: a range is inclusive at both ends, e.g. --from 2026-11-01 --to 2026-11-07");
            return DateRange.All;
        }

        if (from is { } f && to is { } t)
        {
            if (f > t)
            {
                r.Fail($"{r.Describe(ScoreOptions.From)} is after {r.Describe(ScoreOptions.To)}");
                return DateRange.All;
            }

            return DateRange.Between(f, t);
        }

        if (given.Count == 0)
        {
            r.Fail("no partition selected: give --date YYYY-MM-DD (or yesterday) or --from/--to to choose snapshot_date partitions, or --all-dates to read every partition on purpose");
        }

        return DateRange.All;
    }

    private static HashSet<string> ReadVolatileColumns(SettingsReader r)
    {
        var columns = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in (r.Get(ScoreOptions.VolatileColumns) ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (string.Equals(name, AccountSignalsTable.KeyColumn, StringComparison.OrdinalIgnoreCase))
            {
                r.Fail($"{r.Describe(ScoreOptions.VolatileColumns)} names {name}, the account key; list only signal columns whose changes do not matter");
            }

            columns.Add(name);
        }

        return columns;
    }

    private static string DefaultRunId(TimeProvider time) =>
        "run-" + time.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex RunIdPattern();
}
