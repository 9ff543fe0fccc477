namespace SalesIntel.Stages.Scoring.Gemini;

/// <summary>What one model costs, in USD per million tokens. Thinking tokens are billed as output.</summary>
/// <param name="InputPerMillion">USD per million prompt tokens.</param>
/// <param name="OutputPerMillion">USD per million output tokens (answer and thinking).</param>
public sealed record ModelPrice(decimal InputPerMillion, decimal OutputPerMillion)
{
    /// <summary>The estimated cost of a call with these token counts.</summary>
    public decimal Cost(long inputTokens, long outputTokens, long thinkingTokens) =>
        ((inputTokens * InputPerMillion) + ((outputTokens + thinkingTokens) * OutputPerMillion)) / 1_000_000m;
}
