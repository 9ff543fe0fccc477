using SalesIntel.Stages.CarryForward;
using SalesIntel.Stages.Model;
using SalesIntel.Tests.Support;

namespace SalesIntel.Tests.Stages.CarryForward;

public sealed class CarryForwardScorerTests
{
    private const string Material = "0123456789abcdef0123456789abcdef";
    private static readonly DateOnly Today = new(2026, 11, 27);

    private static AccountRecord Record(string id, string? material = Material) =>
        new(new AccountSignals { AccountId = id, SnapshotDate = Today }, "{}", "feedfacefeedfacefeedfacefeedface", new SourcePosition("t", "1")) { MaterialHash = material };

    // Answers under the fake's own name, as a real scorer does (a different name marks a fallback answer).
    private static FakeScorer Fake() => new() { OnScore = (r, _) => ValueTask.FromResult(ScoreOutcome.Scored(r, FakeScorer.Recommend(r, 50) with { Scorer = "fake" })) };

    private static PreviousRecommendationIndex Index(params Recommendation[] rows)
    {
        using var builder = new PreviousRecommendationIndex.Builder();
        foreach (var r in rows)
        {
            builder.Add(r);
        }

        return builder.Build();
    }

    [Fact]
    public async Task Score_Unchanged_IsCarriedWithoutCallingTheScorer()
    {
        var inner = Fake();
        var previous = TestRecommendations.Make("acc-1", 81) with { ScoreDate = Today.AddDays(-1), MaterialHash = Material, LatencyMs = 900, InputTokens = 1200 };
        await using var scorer = new CarryForwardScorer(inner, Index(previous), 7, "run-2");

        var outcome = await scorer.ScoreAsync(Record("acc-1"), CancellationToken.None);

        Assert.Equal(0, inner.Calls);
        var r = outcome.Recommendation!;
        Assert.Equal((Today, (DateOnly?)Today.AddDays(-1), "run-2", 81, previous.Rationale), (r.ScoreDate, r.CarriedFrom, r.RunId, r.Score, r.Rationale));
        Assert.Equal((0L, 0L, 0L, 0L), (r.LatencyMs, r.InputTokens, r.OutputTokens, r.ThinkingTokens));
        Assert.Equal(("feedfacefeedfacefeedfacefeedface", Material), (r.InputHash, r.MaterialHash));
        Assert.Equal(1L, scorer.GetMetrics()["carried_forward"]);
    }

    [Fact]
    public async Task Score_ChangedExpiredOrNew_GoesToTheScorerAndGetsTheMaterialHash()
    {
        var inner = Fake();
        var changed = TestRecommendations.Make("acc-1") with { ScoreDate = Today.AddDays(-1), MaterialHash = "ffffffffffffffff0123456789abcdef" };
        var expired = TestRecommendations.Make("acc-2") with { ScoreDate = Today.AddDays(-1), CarriedFrom = Today.AddDays(-8), MaterialHash = Material };
        await using var scorer = new CarryForwardScorer(inner, Index(changed, expired), 7, "run-2");

        var outcomes = new[]
        {
            await scorer.ScoreAsync(Record("acc-1"), CancellationToken.None),
            await scorer.ScoreAsync(Record("acc-2"), CancellationToken.None),
            await scorer.ScoreAsync(Record("acc-3"), CancellationToken.None),
        };

        Assert.Equal(3, inner.Calls);
        Assert.All(outcomes, o => Assert.Null(o.Recommendation!.CarriedFrom));
        Assert.All(outcomes, o => Assert.Equal(Material, o.Recommendation!.MaterialHash));
        var m = scorer.GetMetrics();
        Assert.Equal((0L, 1L, 1L, 1L), (m["carried_forward"], m["carry_changed"], m["carry_expired"], m["carry_not_found"]));
    }

    [Fact]
    public async Task Score_OnTheLastDayOfTheWindow_IsStillCarried()
    {
        var inner = Fake();
        var previous = TestRecommendations.Make("acc-1") with { ScoreDate = Today.AddDays(-1), CarriedFrom = Today.AddDays(-7), MaterialHash = Material };
        await using var scorer = new CarryForwardScorer(inner, Index(previous), 7, "run-2");

        var outcome = await scorer.ScoreAsync(Record("acc-1"), CancellationToken.None);

        Assert.Equal(Today.AddDays(-7), outcome.Recommendation!.CarriedFrom);
        Assert.Equal(0, inner.Calls);
    }

    [Fact]
    public async Task Score_APreviousRowOfTheSameDate_IsNotCarried()
    {
        var inner = Fake();
        var sameDay = TestRecommendations.Make("acc-1") with { ScoreDate = Today, MaterialHash = Material };
        await using var scorer = new CarryForwardScorer(inner, Index(sameDay), 7, "run-2");

        await scorer.ScoreAsync(Record("acc-1"), CancellationToken.None);

        Assert.Equal(1, inner.Calls);
    }

    [Fact]
    public async Task LatencyVaries_IsTheInnerScorers()
    {
        await using var varies = new CarryForwardScorer(new FakeScorer { LatencyVaries = true }, null, 7, "run-2");
        await using var steady = new CarryForwardScorer(new FakeScorer(), null, 7, "run-2");

        Assert.True(varies.LatencyVaries);
        Assert.False(steady.LatencyVaries);
    }

    [Fact]
    public async Task Score_WithoutAnIndex_StillStampsTheMaterialHash()
    {
        await using var scorer = new CarryForwardScorer(Fake(), null, 7, "run-2");

        var outcome = await scorer.ScoreAsync(Record("acc-1"), CancellationToken.None);

        Assert.Equal(Material, outcome.Recommendation!.MaterialHash);
        Assert.False(scorer.GetMetrics().ContainsKey("carried_forward"));
    }

    [Fact]
    public async Task Score_AFallbackAnswer_GetsNoMaterialHash()
    {
        var inner = new FakeScorer { OnScore = (r, _) => ValueTask.FromResult(ScoreOutcome.Scored(r, FakeScorer.Recommend(r, 50) with { Scorer = "rules-fallback" })) };
        await using var scorer = new CarryForwardScorer(inner, null, 7, "run-2");

        var outcome = await scorer.ScoreAsync(Record("acc-1"), CancellationToken.None);

        Assert.Null(outcome.Recommendation!.MaterialHash);
    }
}
