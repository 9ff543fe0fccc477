using SalesIntel.Stages.Model;
using SalesIntel.Stages.Scoring.Gemini;

namespace SalesIntel.Tests.Stages.Scoring.Gemini;

/// <summary>--max-llm-calls and --max-cost stop scoring cleanly: the rest is reported as not scored, never half-done.</summary>
public sealed class GeminiScorerBudgetTests
{
    [Fact]
    public async Task ScoreAsync_MaxLlmCallsReached_RemainingAccountsNotScoredAndNoFurtherCalls()
    {
        await using var fake = await FakeVertexAi.StartAsync();
        await using var scorer = GeminiTestScorer.Create(fake, o => o.MaxLlmCalls = 3);
        var outcomes = new List<ScoreOutcome>();

        foreach (var record in TestAccounts.Many(5))
        {
            outcomes.Add(await scorer.ScoreAsync(record, CancellationToken.None));
        }

        Assert.Equal(3, outcomes.Count(o => o.Recommendation is not null));
        Assert.Equal(["max_llm_calls_reached", "max_llm_calls_reached"], outcomes.Skip(3).Select(o => o.NotScoredReason));
        Assert.All(outcomes.Skip(3), o => Assert.Null(o.Failure));
        Assert.Equal(3, fake.GenerateCalls);
        Assert.Equal(("max_llm_calls_reached", 2L), (scorer.Usage.StoppedBy, scorer.Usage.NotScored));
    }

    [Fact]
    public async Task ScoreAsync_RetriesCountAsCalls_BudgetReachedMidRetryLeavesTheAccountNotScored()
    {
        await using var fake = await FakeVertexAi.StartAsync();
        fake.FaultFor = call => call.AccountId == "acc-0002" ? FakeFault.Unavailable : FakeFault.None;
        await using var scorer = GeminiTestScorer.Create(fake, o => o.MaxLlmCalls = 3);
        var records = TestAccounts.Many(2);

        var first = await scorer.ScoreAsync(records[0], CancellationToken.None);
        var second = await scorer.ScoreAsync(records[1], CancellationToken.None);

        Assert.NotNull(first.Recommendation);
        Assert.Equal("max_llm_calls_reached", second.NotScoredReason);
        Assert.Equal(3, fake.GenerateCalls); // acc-0002 got two attempts, then the budget ran out
    }

    [Fact]
    public async Task ScoreAsync_MaxCostReached_StopsBeforeTheSpendCanPassTheLimit()
    {
        await using var fake = await FakeVertexAi.StartAsync();
        // gemini-3.1-flash-lite (the catalog's default): $0.25 in / $1.50 out per million. With $0.008 a call reserves its input
        // estimate plus the whole output budget (1024 answer + 2048 thinking headroom tokens, $0.0046), then settles to what it
        // used (about 250 in, 25 out, 7 thinking: ~$0.00011).
        await using var scorer = GeminiTestScorer.Create(fake, o =>
        {
            o.MaxCostUsd = 0.008m;
            o.Concurrency = 1;
        });
        var outcomes = new List<ScoreOutcome>();

        foreach (var record in TestAccounts.Many(20))
        {
            outcomes.Add(await scorer.ScoreAsync(record, CancellationToken.None));
        }

        var usage = scorer.Usage;
        var scored = outcomes.Count(o => o.Recommendation is not null);
        Assert.InRange(scored, 1, 19);
        Assert.All(outcomes.Skip(scored), o => Assert.Equal("max_cost_reached", o.NotScoredReason));
        Assert.True(usage.EstimatedCostUsd <= 0.008m, $"spent {usage.EstimatedCostUsd}");
        Assert.Equal((scored, "max_cost_reached"), ((int)usage.Scored, usage.StoppedBy));
        Assert.Equal(scored, fake.GenerateCalls);
    }

    [Fact]
    public async Task ScoreAsync_MaxCostWithConcurrency_InFlightReservationsNeverOvershoot()
    {
        await using var fake = await FakeVertexAi.StartAsync();
        fake.Latency = _ => TimeSpan.FromMilliseconds(10);
        await using var scorer = GeminiTestScorer.Create(fake, o =>
        {
            o.MaxCostUsd = 0.003m;
            o.Concurrency = 8;
        });
        var outcomes = new System.Collections.Concurrent.ConcurrentBag<ScoreOutcome>();

        await Parallel.ForEachAsync(TestAccounts.Many(60), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (r, ct) => outcomes.Add(await scorer.ScoreAsync(r, ct)));

        Assert.Equal(60, outcomes.Count);
        Assert.True(scorer.Usage.EstimatedCostUsd <= 0.003m, $"spent {scorer.Usage.EstimatedCostUsd}");
        Assert.All(outcomes, o => Assert.True(o.Recommendation is not null || o.NotScoredReason == "max_cost_reached"));
        Assert.Contains(outcomes, o => o.NotScoredReason is not null);
    }

    [Fact]
    public void Constructor_MaxCostForAModelWithoutAPrice_IsAConfigurationErrorNamingThePriceTable()
    {
        var options = new GeminiScorerOptions { Project = "p", EmulatorHost = "127.0.0.1:1", Model = "my-tuned-model", MaxCostUsd = 5m };

        var e = Assert.Throws<SalesIntel.Stages.Errors.ConfigurationException>(() => new GeminiScorer(options));

        Assert.Contains("--max-cost needs a price for model 'my-tuned-model'", e.Message, StringComparison.Ordinal);
        Assert.Contains("--price-table", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Usage_SummaryLines_ShowCallsTokensLatencyAndCost()
    {
        await using var fake = await FakeVertexAi.StartAsync();
        fake.FaultFor = call => call.Attempt == 1 && call.AccountId == "acc-0001" ? FakeFault.ResourceExhausted : FakeFault.None;
        await using var scorer = GeminiTestScorer.Create(fake);
        foreach (var record in TestAccounts.Many(3))
        {
            await scorer.ScoreAsync(record, CancellationToken.None);
        }

        var lines = scorer.Usage.ToSummaryLines().ToDictionary(l => l.Key, l => l.Value);

        Assert.StartsWith("gemini-3.1-flash-lite (prompt scoring-v1@", lines["model"], StringComparison.Ordinal);
        Assert.StartsWith("4 (3 answered, 1 retries, 0 answer retries, 1 throttled = 25.0%, 0 timeouts)", lines["llm calls"], StringComparison.Ordinal);
        Assert.Equal("3 scored, 0 failed, 0 not scored, 0 by rules fallback", lines["llm accounts"]);
        Assert.Matches(@"^\d+ in, \d+ out, 21 thinking$", lines["llm tokens"]);
        Assert.Matches(@"^p50 \d+ ms, p95 \d+ ms; concurrency now \d+, lowest 4$", lines["llm latency"]);
        Assert.Matches(@"^~\$0\.\d{4} \(estimate from the price table\)$", lines["llm cost"]);
    }

    [Fact]
    public async Task ScoreAsync_CachedPromptTokens_BilledAtTheCachedPriceAndReportedAsAShare()
    {
        await using var fake = await FakeVertexAi.StartAsync();
        await using var scorer = GeminiTestScorer.Create(fake);
        await using var uncachedFake = await FakeVertexAi.StartAsync();
        await using var uncached = GeminiTestScorer.Create(uncachedFake);
        fake.CachedTokens = 100;

        await scorer.ScoreAsync(TestAccounts.Record("acc-1"), CancellationToken.None);
        await uncached.ScoreAsync(TestAccounts.Record("acc-1"), CancellationToken.None);

        var metrics = scorer.GetMetrics();
        Assert.Equal(100L, metrics["llm_tokens_cached"]);
        Assert.Equal(Math.Round(100d / scorer.Usage.InputTokens, 4), metrics["llm_cached_share"]);
        // 100 tokens at 0.025 instead of 0.25 USD per million: 0.0000225 less.
        Assert.Equal(uncached.Usage.EstimatedCostUsd - 0.0000225m, scorer.Usage.EstimatedCostUsd);
    }
}
