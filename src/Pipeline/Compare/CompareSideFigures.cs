namespace SalesIntel.Pipeline.Compare;

/// <summary>One side's own figures in <c>salesintel compare</c>: what it scored, what it spent, how fast it answered.</summary>
/// <param name="Label">A or B.</param>
/// <param name="Description">The scorer, model and prompt.</param>
/// <param name="Scored">Accounts of the sample it scored.</param>
/// <param name="Failed">Accounts it could not score (dead letters of the side).</param>
/// <param name="NotScored">Accounts a budget left unscored.</param>
/// <param name="NotScoredReason">The first not-scored reason, or null.</param>
/// <param name="InputTokens">Input tokens over the sample (the canary excluded).</param>
/// <param name="OutputTokens">Output tokens.</param>
/// <param name="ThinkingTokens">Thinking tokens.</param>
/// <param name="CostPer1000">Cost per 1,000 accounts as printed ("$0.1234", "unknown ...", "0 (no model calls)").</param>
/// <param name="P50">Median latency in ms, or null with nothing scored.</param>
/// <param name="P90">90th percentile latency in ms.</param>
/// <param name="P99">99th percentile latency in ms.</param>
internal sealed record CompareSideFigures(
    string Label, string Description, int Scored, int Failed, int NotScored, string? NotScoredReason,
    long InputTokens, long OutputTokens, long ThinkingTokens, string CostPer1000, long? P50, long? P90, long? P99);
