using SalesIntel.Pipeline.Composition;
using SalesIntel.Stages.Model;

namespace SalesIntel.Pipeline.Reporting;

/// <summary>
/// Maps a run's <see cref="RunSummary"/> to its row in the run ledger (<see cref="ScoringRunsTable"/>): the stage
/// project writes the row but does not know the summary, so the mapping lives here. Scorer figures come from
/// <see cref="RunSummary.ScorerMetrics"/> by their summary names; a scorer that reports none (rules) leaves the
/// model columns null and its token counts 0.
/// </summary>
public static class RunLedgerRow
{
    /// <summary>The ledger row for <paramref name="summary"/>, run as <paramref name="task"/>.</summary>
    public static ScoringRun From(RunSummary summary, RunTask task, DateTimeOffset startedAt, DateTimeOffset endedAt)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(task);
        var m = summary.ScorerMetrics ?? new Dictionary<string, object?>();
        return new ScoringRun
        {
            RunId = summary.RunId,
            Execution = task.Execution,
            TaskIndex = task.Index,
            TaskCount = task.Count,
            TaskAttempt = task.Attempt,
            Dates = summary.Dates,
            Source = summary.Source,
            Sink = summary.Sink,
            Scorer = summary.Scorer,
            Model = Text(m, "llm_model"),
            ModelVersion = m.GetValueOrDefault("llm_model_versions") is IEnumerable<string> versions ? string.Join(",", versions) : null,
            PromptVersion = Text(m, "llm_prompt"),
            Status = summary.Status.ToString().ToLowerInvariant(),
            ExitCode = summary.ExitCode,
            Read = summary.Read,
            Scored = summary.Scored,
            Written = summary.Written,
            Skipped = summary.Skipped,
            DeadLettered = summary.DeadLettered,
            CarriedForward = Whole(m, "carried_forward"),
            InputTokens = Whole(m, "llm_tokens_in") ?? 0,
            OutputTokens = Whole(m, "llm_tokens_out") ?? 0,
            ThinkingTokens = Whole(m, "llm_tokens_think"),
            CostUsd = Number(m, "llm_cost_usd"),
            LatencyP50Ms = Whole(m, "llm_p50_ms"),
            LatencyP90Ms = Whole(m, "llm_p90_ms"),
            LatencyP99Ms = Whole(m, "llm_p99_ms"),
            StartedAt = startedAt,
            EndedAt = endedAt,
            Error = summary.Error,
        };
    }

    private static string? Text(IReadOnlyDictionary<string, object?> metrics, string key) =>
        metrics.GetValueOrDefault(key) is string s && s.Length > 0 ? s : null;

    private static long? Whole(IReadOnlyDictionary<string, object?> metrics, string key) => metrics.GetValueOrDefault(key) switch
    {
        long l => l,
        int i => i,
        _ => null,
    };

    // The cost is a number when a price is known and an explanatory string otherwise: only a number goes in the column.
    private static double? Number(IReadOnlyDictionary<string, object?> metrics, string key) => metrics.GetValueOrDefault(key) switch
    {
        decimal d => (double)d,
        double d => d,
        long l => l,
        _ => null,
    };
}
