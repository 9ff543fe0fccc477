using SalesIntel.Pipeline.Cli;
using SalesIntel.Stages.Model;
using static SalesIntel.Pipeline.Cli.OptionTypes;

namespace SalesIntel.Pipeline.Compare;

/// <summary>
/// The options of <c>salesintel compare</c> of its own, each defined once, and the whole list the command takes:
/// these, the score options that choose and read the sample (source, dates, time zone, run) and every gemini option.
/// The two sides are repeated <c>--model</c> or <c>--prompt-file</c> occurrences (see <see cref="CompareSides"/>).
/// </summary>
public static class CompareCliOptions
{
    private const string Group = "Compare";

    /// <summary>The bounds of <see cref="Sample"/>.</summary>
    public static readonly Bounds<int> SampleBounds = new(1, 100_000);

    /// <summary>The sample size.</summary>
    public static readonly OptionSpec<int> Sample = new("--sample", "SALESINTEL_COMPARE_SAMPLE", "score the first N valid accounts of the selected dates with both sides", "N", Group, Int(SampleBounds), 200);

    /// <summary>The paired rows file.</summary>
    public static readonly OptionSpec<string?> Out = new("--out", "SALESINTEL_COMPARE_OUT", "the paired rows (account_id, tier_a, tier_b, score_a, score_b, rationale_a, rationale_b); .csv or .jsonl by extension", "PATH", Group, Text, "out/compare.csv");

    /// <summary>The comparison as one self-contained HTML page.</summary>
    public static readonly OptionSpec<string?> Report = new("--report", "SALESINTEL_COMPARE_REPORT", "also write the comparison as one self-contained HTML page (inline SVG: the tier confusion matrix, score differences, tokens and latency per side)", "PATH.html", Group, Text, null) { ShownDefault = "none" };

    /// <summary>Compare's own options.</summary>
    public static IReadOnlyList<OptionSpec> Own { get; } = [Sample, Out, Report];

    /// <summary>Every option compare takes, in help order.</summary>
    public static IReadOnlyList<OptionSpec> All { get; } =
    [
        .. Own,
        ScoreOptions.Source, ScoreOptions.SourceFormat, ScoreOptions.SourceSchema, ScoreOptions.CsvFormulaGuard,
        ScoreOptions.Date, ScoreOptions.From, ScoreOptions.To, ScoreOptions.TimeZone, ScoreOptions.AllDates,
        ScoreOptions.MaxBytes, ScoreOptions.MaxStreams, ScoreOptions.BillingProject, ScoreOptions.ReadCompression,
        ScoreOptions.Scorer, ScoreOptions.RunId, ScoreOptions.Concurrency, ScoreOptions.LogLevel, ScoreOptions.Config,
        .. GeminiCliOptions.All,
    ];
}
