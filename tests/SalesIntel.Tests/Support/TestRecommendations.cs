using SalesIntel.Stages.Model;

namespace SalesIntel.Tests.Support;

public static class TestRecommendations
{
    public static Recommendation Make(string accountId, int score = 72) => new()
    {
        AccountId = accountId,
        ScoreDate = new DateOnly(2026, 11, 27),
        Score = score,
        Tier = Tiers.ForScore(score),
        Rationale = "Strong intent, \"quoted\", comma, and a\nnewline; Zoë 株式会社",
        RecommendedActions = ["Call them", "Send the deck"],
        Confidence = 0.85,
        Scorer = "rules",
        Model = null,
        PromptVersion = "rules-v1",
        InputHash = "0123456789abcdef0123456789abcdef",
        RunId = "run-1",
        ScoredAt = new DateTimeOffset(2026, 11, 28, 6, 0, 0, TimeSpan.Zero).AddTicks(1230),
        LatencyMs = null,
        InputTokens = 12,
    };
}
