namespace SalesIntel.Stages.Scoring.Gemini;

/// <summary>What the canary call proved: the model answered the run's exact request.</summary>
/// <param name="ModelVersion">The <c>model_version</c> that answered.</param>
/// <param name="Tokens">Tokens it used (input, answer and thinking).</param>
/// <param name="CostUsd">What it cost, or null without a price.</param>
/// <param name="Latency">How long the call took, retries included.</param>
/// <param name="AnswerProblem">Why its answer would not have been usable, or null when it was (not fatal: answers vary).</param>
public sealed record GeminiCanaryResult(string ModelVersion, long Tokens, decimal? CostUsd, TimeSpan Latency, string? AnswerProblem);
