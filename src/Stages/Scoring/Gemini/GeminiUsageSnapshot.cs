using System.Globalization;

namespace SalesIntel.Stages.Scoring.Gemini;

/// <summary>
/// What the Gemini scorer spent and saw so far, for the run summary. A copy: later calls do not change it.
/// Latencies are of successful GenerateContent calls (queueing and backoff excluded).
/// </summary>
public sealed record GeminiUsageSnapshot
{
    /// <summary>The configured model id.</summary>
    public required string Model { get; init; }

    /// <summary>The prompt version written with every row, e.g. <c>scoring-v1@1a2b3c4d</c>.</summary>
    public required string PromptVersion { get; init; }

    /// <summary>GenerateContent calls sent, retries and answer retries included.</summary>
    public required long Calls { get; init; }

    /// <summary>Calls that returned an answer (valid or not).</summary>
    public required long SuccessfulCalls { get; init; }

    /// <summary>Calls repeated after a transient error (RESOURCE_EXHAUSTED, UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL, timeout).</summary>
    public required long Retries { get; init; }

    /// <summary>Second requests sent because the first answer was invalid, empty, truncated or blocked.</summary>
    public required long AnswerRetries { get; init; }

    /// <summary>Calls answered RESOURCE_EXHAUSTED (HTTP 429).</summary>
    public required long Throttled { get; init; }

    /// <summary>Calls that ran past the per-call timeout.</summary>
    public required long Timeouts { get; init; }

    /// <summary>Accounts scored by the model.</summary>
    public required long Scored { get; init; }

    /// <summary>Accounts dead-lettered by the scorer.</summary>
    public required long Failed { get; init; }

    /// <summary>Accounts left unscored because a budget ran out.</summary>
    public required long NotScored { get; init; }

    /// <summary>Accounts scored by the rules fallback.</summary>
    public required long FallbackScored { get; init; }

    /// <summary>Prompt tokens, summed over successful calls.</summary>
    public required long InputTokens { get; init; }

    /// <summary>Answer tokens, thinking excluded.</summary>
    public required long OutputTokens { get; init; }

    /// <summary>Thinking tokens.</summary>
    public required long ThinkingTokens { get; init; }

    /// <summary>The estimated cost in USD from the price table, or null when the model has no price.</summary>
    public required decimal? EstimatedCostUsd { get; init; }

    /// <summary>The median call latency.</summary>
    public required TimeSpan LatencyP50 { get; init; }

    /// <summary>The 90th percentile call latency (for the run ledger).</summary>
    public TimeSpan LatencyP90 { get; init; }

    /// <summary>The 95th percentile call latency.</summary>
    public required TimeSpan LatencyP95 { get; init; }

    /// <summary>The 99th percentile call latency (for the run ledger).</summary>
    public TimeSpan LatencyP99 { get; init; }

    /// <summary>The live concurrency limit now (it is cut on RESOURCE_EXHAUSTED and grows back on success).</summary>
    public required int ConcurrencyLimit { get; init; }

    /// <summary>The lowest the concurrency limit went.</summary>
    public required int LowestConcurrencyLimit { get; init; }

    /// <summary>Why scoring stopped early (<c>max_cost_reached</c>, <c>max_llm_calls_reached</c>), or null.</summary>
    public string? StoppedBy { get; init; }

    /// <summary>The share of calls answered RESOURCE_EXHAUSTED, 0-1.</summary>
    public double ThrottledShare => Calls == 0 ? 0 : (double)Throttled / Calls;

    /// <summary>Summary lines, label and value, for the run summary.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ToSummaryLines()
    {
        var lines = new List<KeyValuePair<string, string>>
        {
            new("model", $"{Model} (prompt {PromptVersion})"),
            new("llm calls", Invariant($"{Calls} ({SuccessfulCalls} answered, {Retries} retries, {AnswerRetries} answer retries, {Throttled} throttled = {ThrottledShare * 100:0.0}%, {Timeouts} timeouts)")),
            new("llm accounts", Invariant($"{Scored} scored, {Failed} failed, {NotScored} not scored, {FallbackScored} by rules fallback")),
            new("llm tokens", Invariant($"{InputTokens} in, {OutputTokens} out, {ThinkingTokens} thinking")),
            new("llm latency", Invariant($"p50 {LatencyP50.TotalMilliseconds:0} ms, p95 {LatencyP95.TotalMilliseconds:0} ms; concurrency now {ConcurrencyLimit}, lowest {LowestConcurrencyLimit}")),
            new("llm cost", EstimatedCostUsd is { } cost ? Invariant($"~${cost:0.0000} (estimate from the price table)") : "unknown (no price for this model; see --price-table)"),
        };
        if (StoppedBy is not null)
        {
            lines.Add(new("llm stopped by", StoppedBy));
        }

        return lines;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
