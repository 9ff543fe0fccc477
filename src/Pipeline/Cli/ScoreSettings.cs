using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using SalesIntel.Pipeline.Hosting;
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

    /// <summary>The dead-letter file.</summary>
    public required string DeadLetterPath { get; init; }

    /// <summary>The JSON summary file.</summary>
    public required string SummaryPath { get; init; }

    /// <summary>The partition filter.</summary>
    public required DateRange Dates { get; init; }

    /// <summary>At most this many accounts, or null.</summary>
    public long? Limit { get; init; }

    /// <summary>The row guard.</summary>
    public long MaxRows { get; init; }

    /// <summary>Plan only.</summary>
    public bool DryRun { get; init; }

    /// <summary>Score again what the sink already holds (no resume).</summary>
    public bool Rescore { get; init; }

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

    /// <summary>Log line format: text, json or auto (decided by <see cref="Logging.RunLogging"/>).</summary>
    public string LogFormat { get; init; } = "auto";

    /// <summary>The scorers <c>--scorer</c> accepts.</summary>
    public static IReadOnlyList<string> Scorers { get; } = ["rules", "gemini"];

    /// <summary>Reads and cross-checks the run-level options; problems go to <paramref name="r"/>.Errors.</summary>
    public static ScoreSettings Read(SettingsReader r, Func<string, string?> environment, TimeProvider time)
    {
        var runId = r.String(ScoreOptions.RunId) ?? environment("CLOUD_RUN_EXECUTION") ?? DefaultRunId(time);
        if (!RunIdPattern().IsMatch(runId))
        {
            r.Fail($"{r.Describe(ScoreOptions.RunId)} must be 1-64 letters, digits, '.', '_' or '-'");
        }

        var logLevel = r.Choice(ScoreOptions.LogLevel, ["trace", "debug", "information", "warning", "error"], "information");
        return new ScoreSettings
        {
            Source = r.String(ScoreOptions.Source, "fixtures/accounts.csv")!,
            SourceFormat = r.String(ScoreOptions.SourceFormat),
            SourceSchemaPath = r.String(ScoreOptions.SourceSchema),
            Sink = r.String(ScoreOptions.Sink, "out/recommendations.csv")!,
            SinkFormat = r.String(ScoreOptions.SinkFormat),
            DeadLetterPath = r.String(ScoreOptions.DeadLetter, "out/dead-letters.jsonl")!,
            SummaryPath = r.String(ScoreOptions.Summary, "out/summary.json")!,
            Dates = ReadDates(r),
            Limit = r.Long(ScoreOptions.Limit, 1, long.MaxValue),
            MaxRows = r.Long(ScoreOptions.MaxRows, 1, long.MaxValue, PipelineDefaults.MaxRows)!.Value,
            DryRun = r.Flag(ScoreOptions.DryRun),
            Rescore = r.Flag(ScoreOptions.Rescore),
            Scorer = r.Choice(ScoreOptions.Scorer, Scorers, "rules"),
            RunId = runId,
            Concurrency = r.Int(ScoreOptions.Concurrency, 1, 512),
            BatchRows = r.Int(ScoreOptions.BatchRows, 1, 1_000_000, PipelineDefaults.SinkBatchRows)!.Value,
            ProgressIntervalSeconds = r.Double(ScoreOptions.ProgressInterval, 0.1, 3600, 10)!.Value,
            LogLevel = Enum.Parse<LogLevel>(logLevel, ignoreCase: true),
            LogFormat = r.Choice(ScoreOptions.LogFormat, ["text", "json", "auto"], "auto"),
        };
    }

    /// <summary>The date rule every source enforces: one date, a range, or --all-dates on purpose; never nothing.</summary>
    private static DateRange ReadDates(SettingsReader r)
    {
        var date = r.Date(ScoreOptions.Date);
        var from = r.Date(ScoreOptions.From);
        var to = r.Date(ScoreOptions.To);
        var all = r.Flag(ScoreOptions.AllDates);
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
            r.Fail("no partition selected: give --date YYYY-MM-DD or --from/--to to choose snapshot_date partitions, or --all-dates to read every partition on purpose");
        }

        return DateRange.All;
    }

    private static string DefaultRunId(TimeProvider time) =>
        "run-" + time.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex RunIdPattern();
}
