using SalesIntel.Stages.Model;

namespace SalesIntel.Tests.Stages.Sinks.BigQuery.Fakes;

/// <summary>Deterministic recommendations for sink tests and benchmarks.</summary>
public static class TestRecommendations
{
    public static readonly DateOnly ScoreDate = new(2024, 5, 1);

    public static string AccountId(int i) => $"acct-{i:D7}";

    /// <summary>Recommendation number <paramref name="i"/>; every fifth one has a model and token counts, the rest are rules rows.</summary>
    public static Recommendation Make(int i, DateOnly? date = null, string runId = "run-test")
    {
        var score = i % 101;
        var gemini = i % 5 == 0;
        return new Recommendation
        {
            AccountId = AccountId(i),
            ScoreDate = date ?? ScoreDate,
            Score = score,
            Tier = Tiers.ForScore(score),
            Rationale = $"Account {i}: intent {score % 17} topics, usage trend {(score - 50) / 100.0:0.00}, {i % 7} open tickets; renewal in {i % 365} days. Zürich, 東京.",
            RecommendedActions = i % 3 == 0 ? ["Book an executive briefing"] : ["Call the champion this week", "Send the ROI calculator", "Offer a health check"],
            Confidence = (i % 11) / 10.0,
            Scorer = gemini ? "gemini" : "rules",
            Model = gemini ? "gemini-2.5-flash" : null,
            PromptVersion = gemini ? "prompt-v3" : "rules-v1",
            InputHash = $"{(ulong)i * 0x9E3779B97F4A7C15UL:x16}{(ulong)(i + 1) * 0xC2B2AE3D27D4EB4FUL:x16}",
            RunId = runId,
            ScoredAt = new DateTimeOffset(2024, 5, 2, 6, 30, 0, TimeSpan.Zero).AddTicks(i * 10L),
            LatencyMs = gemini ? 800 + (i % 400) : null,
            InputTokens = gemini ? 1200 + (i % 300) : null,
            OutputTokens = gemini ? 150 + (i % 50) : null,
            ThinkingTokens = gemini ? 0 : null,
            MaterialHash = i % 4 == 0 ? null : $"{(ulong)(i + 7) * 0x9E3779B97F4A7C15UL:x16}{(ulong)i * 0x165667B19E3779F9UL:x16}",
            CarriedFrom = i % 3 == 1 ? (date ?? ScoreDate).AddDays(-(1 + (i % 6))) : null,
        };
    }

    public static List<Recommendation> Range(int start, int count, DateOnly? date = null, string runId = "run-test") =>
        [.. Enumerable.Range(start, count).Select(i => Make(i, date, runId))];
}
