namespace SalesIntel.Stages.Scoring.Gemini;

/// <summary>What one model costs, in USD per million tokens.</summary>
/// <param name="InputPerMillion">USD per million prompt tokens not served from the cache.</param>
/// <param name="OutputPerMillion">USD per million answer tokens.</param>
public sealed record ModelPrice(decimal InputPerMillion, decimal OutputPerMillion)
{
    /// <summary>USD per million prompt tokens served from the implicit cache. <value>Defaults to the input price (no discount known).</value></summary>
    public decimal? CachedInputPerMillion { get; init; }

    /// <summary>USD per million thinking tokens. <value>Defaults to the output price: thinking is billed as output.</value></summary>
    public decimal? ThinkingPerMillion { get; init; }

    /// <summary>The estimated cost of a call with these token counts; <paramref name="cachedTokens"/> are part of <paramref name="inputTokens"/>.</summary>
    public decimal Cost(long inputTokens, long outputTokens, long thinkingTokens, long cachedTokens = 0)
    {
        var cached = Math.Clamp(cachedTokens, 0, inputTokens);
        return (((inputTokens - cached) * InputPerMillion)
            + (cached * (CachedInputPerMillion ?? InputPerMillion))
            + (outputTokens * OutputPerMillion)
            + (thinkingTokens * (ThinkingPerMillion ?? OutputPerMillion))) / 1_000_000m;
    }

    /// <summary>This price with <paramref name="discount"/> (0.5 = half) taken off every rate, e.g. for Flex PayGo.</summary>
    public ModelPrice Discounted(decimal discount)
    {
        var keep = 1m - discount;
        return new ModelPrice(InputPerMillion * keep, OutputPerMillion * keep)
        {
            CachedInputPerMillion = CachedInputPerMillion * keep,
            ThinkingPerMillion = ThinkingPerMillion * keep,
        };
    }
}
