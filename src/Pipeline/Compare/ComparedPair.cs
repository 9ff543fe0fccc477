namespace SalesIntel.Pipeline.Compare;

/// <summary>
/// One account scored by both sides of <c>salesintel compare</c>. A side that could not score the account (a dead
/// letter or a budget that ran out) leaves its tier and score null; such a pair is written but not counted in the
/// agreement figures.
/// </summary>
/// <param name="AccountId">The account key.</param>
/// <param name="TierA">Side A's tier, or null when A did not score the account.</param>
/// <param name="TierB">Side B's tier, or null.</param>
/// <param name="ScoreA">Side A's score 0-100, or null.</param>
/// <param name="ScoreB">Side B's score 0-100, or null.</param>
/// <param name="RationaleA">Side A's rationale, or null.</param>
/// <param name="RationaleB">Side B's rationale, or null.</param>
public sealed record ComparedPair(string AccountId, string? TierA, string? TierB, int? ScoreA, int? ScoreB, string? RationaleA, string? RationaleB)
{
    /// <summary>True when both sides scored the account.</summary>
    public bool BothScored => ScoreA is not null && ScoreB is not null && TierA is not null && TierB is not null;
}
