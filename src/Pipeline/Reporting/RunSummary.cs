using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using SalesIntel.Pipeline.Hosting;
using SalesIntel.Stages.Drift;
using SalesIntel.Stages.Model;

namespace SalesIntel.Pipeline.Reporting;

/// <summary>What a run did, for people (<see cref="ToText"/>) and machines (<see cref="ToJson"/>, <c>--summary</c>).</summary>
public sealed record RunSummary
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>The run id.</summary>
    public required string RunId { get; init; }

    /// <summary>How the run ended.</summary>
    public required RunStatus Status { get; init; }

    /// <summary>The exit code the process returns.</summary>
    public required int ExitCode { get; init; }

    /// <summary>The source description.</summary>
    public required string Source { get; init; }

    /// <summary>The sink description.</summary>
    public required string Sink { get; init; }

    /// <summary>The scorer.</summary>
    public required string Scorer { get; init; }

    /// <summary>The partition filter.</summary>
    public required string Dates { get; init; }

    /// <summary>Rows read within the date filter (good and bad).</summary>
    public long Read { get; init; }

    /// <summary>Rows outside the date filter (file sources).</summary>
    public long OutsideDateFilter { get; init; }

    /// <summary>Recommendations produced.</summary>
    public long Scored { get; init; }

    /// <summary>Rows committed by the sink.</summary>
    public long Written { get; init; }

    /// <summary>Rows deliberately not scored.</summary>
    public long Skipped { get; init; }

    /// <summary>Of <see cref="Skipped"/>, the accounts the scorer left unscored (a budget, a mid-run stop): what a rerun still scores.</summary>
    public long NotScored { get; init; }

    /// <summary>Rows dead-lettered.</summary>
    public long DeadLettered { get; init; }

    /// <summary>Rows read but not accounted otherwise: in flight when the run failed or was stopped hard.</summary>
    public long Abandoned { get; init; }

    /// <summary>Skips by reason.</summary>
    public IReadOnlyDictionary<string, long> SkipReasons { get; init; } = new Dictionary<string, long>();

    /// <summary>Dead letters by reason.</summary>
    public IReadOnlyDictionary<string, long> DeadLetterReasons { get; init; } = new Dictionary<string, long>();

    /// <summary>True when --limit stopped the reading.</summary>
    public bool LimitReached { get; init; }

    /// <summary>Wall time.</summary>
    public double ElapsedSeconds { get; init; }

    /// <summary>Rows read per second of wall time.</summary>
    public double RowsPerSecond { get; init; }

    /// <summary>Where the recommendations are.</summary>
    public string? Output { get; init; }

    /// <summary>Where the dead letters are.</summary>
    public string? DeadLetterFile { get; init; }

    /// <summary>The BigQuery table this run's dead letters were committed to, or null (a file sink, or none committed).</summary>
    public string? DeadLetterTable { get; init; }

    /// <summary>The dead-letter rows committed to <see cref="DeadLetterTable"/>.</summary>
    public long? DeadLetterTableRows { get; init; }

    /// <summary>The BigQuery table this run's ledger row went to, or null (a file sink, or none).</summary>
    public string? RunLedgerTable { get; init; }

    /// <summary>Whether the ledger row was committed to <see cref="RunLedgerTable"/>; null when there is no ledger.</summary>
    public bool? RunLedgerWritten { get; init; }

    /// <summary>The one-line error of a failed run.</summary>
    public string? Error { get; init; }

    /// <summary>Scorer-specific figures (tokens, latency percentiles, cost, retries), when the scorer reports any.</summary>
    public IReadOnlyDictionary<string, object?>? ScorerMetrics { get; init; }

    /// <summary>The drift gate's verdict with its figures, or null when the gate was off or never decided.</summary>
    public DriftVerdict? Drift { get; init; }

    /// <summary>True when read = written + skipped + dead-lettered + abandoned holds.</summary>
    public bool Balanced => Read == Written + Skipped + DeadLettered + Abandoned && Abandoned >= 0;

    /// <summary>Builds the summary from the counters.</summary>
    public static RunSummary From(RunCounters c, string runId, RunStatus status, int exitCode, string source, string sink, string scorer, string dates, TimeSpan elapsed) => new()
    {
        RunId = runId,
        Status = status,
        ExitCode = exitCode,
        Source = source,
        Sink = sink,
        Scorer = scorer,
        Dates = dates,
        Read = c.Read,
        OutsideDateFilter = c.OutsideDateFilter,
        Scored = c.Scored,
        Written = c.Written,
        Skipped = c.Skipped,
        NotScored = c.NotScored,
        DeadLettered = c.DeadLettered,
        Abandoned = c.Abandoned,
        SkipReasons = c.SkipReasons,
        DeadLetterReasons = c.DeadLetterReasons,
        ElapsedSeconds = Math.Round(elapsed.TotalSeconds, 3),
        RowsPerSecond = elapsed.TotalSeconds > 0 ? Math.Round(c.Read / elapsed.TotalSeconds) : 0,
    };

    /// <summary>The summary as indented snake_case JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>The summary as aligned text lines.</summary>
    public string ToText()
    {
        var t = new StringBuilder();
        void Line(string name, string value) => t.Append(CultureInfo.InvariantCulture, $"  {name,-18} {value}\n");
        static string Reasons(IReadOnlyDictionary<string, long> r) =>
            r.Count == 0 ? "" : " (" + string.Join(", ", r.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key}: {kv.Value:N0}")) + ")";

        t.Append(CultureInfo.InvariantCulture, $"run {RunId}: {Status.ToString().ToLowerInvariant()} (exit {ExitCode})\n");
        Line("source", Source);
        Line("dates", Dates);
        Line("scorer", Scorer);
        Line("read", Read.ToString("N0", CultureInfo.InvariantCulture) + (LimitReached ? " (--limit reached)" : ""));
        if (OutsideDateFilter > 0)
        {
            Line("outside dates", OutsideDateFilter.ToString("N0", CultureInfo.InvariantCulture) + " (not selected, not counted as read)");
        }

        Line("scored", Scored.ToString("N0", CultureInfo.InvariantCulture));
        Line("written", Written.ToString("N0", CultureInfo.InvariantCulture));
        Line("skipped", Skipped.ToString("N0", CultureInfo.InvariantCulture) + Reasons(SkipReasons));
        if (NotScored > 0)
        {
            Line("remaining", NotScored.ToString("N0", CultureInfo.InvariantCulture) + " not scored (budget or stop); a rerun with the same settings scores only these");
        }
        Line("dead-lettered", DeadLettered.ToString("N0", CultureInfo.InvariantCulture) + Reasons(DeadLetterReasons));
        if (Abandoned != 0)
        {
            Line("abandoned", Abandoned.ToString("N0", CultureInfo.InvariantCulture) + " (in flight when the run stopped; not written)");
        }

        Line("elapsed", $"{ElapsedSeconds:0.00} s");
        Line("throughput", $"{RowsPerSecond:N0} rows/s");
        if (ScorerMetrics is { Count: > 0 })
        {
            foreach (var (key, value) in ScorerMetrics)
            {
                Line(key, Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");
            }
        }

        if (Drift is { } drift)
        {
            Line("drift", (drift is { Status: DriftStatus.Tripped, Blocks: false } ? "WARNING " : "") + drift.Describe());
        }

        Line("output", Output ?? "(nothing published)");
        if (DeadLettered > 0 && DeadLetterFile is not null)
        {
            Line("dead letters", DeadLetterFile);
        }

        if (DeadLetterTable is not null)
        {
            Line("dead-letter table", $"{DeadLetterTable} ({DeadLetterTableRows ?? 0} rows committed)");
        }

        if (RunLedgerTable is not null)
        {
            Line("run ledger", $"{RunLedgerTable} ({(RunLedgerWritten == true ? "row committed" : "row NOT written, see the ERROR entry")})");
        }

        if (Error is not null)
        {
            Line("error", Error);
        }

        return t.ToString();
    }
}
