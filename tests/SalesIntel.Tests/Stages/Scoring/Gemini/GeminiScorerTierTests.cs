using SalesIntel.Stages.Errors;
using SalesIntel.Stages.Scoring.Gemini;

namespace SalesIntel.Tests.Stages.Scoring.Gemini;

/// <summary>--tier flex: the Flex PayGo header on every GenerateContent, the global endpoint only, a longer timeout, the catalog's discount.</summary>
public sealed class GeminiScorerTierTests
{
    [Fact]
    public async Task ScoreAsync_TierFlex_EveryGenerateContentCarriesTheFlexHeader()
    {
        await using var fake = await FakeVertexAi.StartAsync();
        await using var scorer = GeminiTestScorer.Create(fake, o => (o.Tier, o.Region) = (GeminiTier.Flex, "global"));

        await scorer.PreflightAsync(CancellationToken.None);
        foreach (var record in TestAccounts.Many(3))
        {
            Assert.NotNull((await scorer.ScoreAsync(record, CancellationToken.None)).Recommendation);
        }

        Assert.Equal(4, fake.GenerateRequests.Count); // the canary and three accounts
        Assert.All(fake.GenerateRequests, r => Assert.Equal("flex", r.SharedRequestType));
        Assert.Equal("flex", scorer.GetMetrics()["llm_tier_requested"]);
    }

    [Fact]
    public async Task ScoreAsync_TierStandard_SendsNoRequestTypeHeader()
    {
        await using var fake = await FakeVertexAi.StartAsync();
        await using var scorer = GeminiTestScorer.Create(fake);

        await scorer.ScoreAsync(TestAccounts.Record("acc-0001"), CancellationToken.None);

        Assert.Null(Assert.Single(fake.GenerateRequests).SharedRequestType);
        Assert.Equal("standard", scorer.GetMetrics()["llm_tier_requested"]);
    }

    [Fact]
    public async Task Usage_TierFlex_CostsTheCatalogsFlexDiscountLessThanStandard()
    {
        await using var fake = await FakeVertexAi.StartAsync();
        await using var standard = GeminiTestScorer.Create(fake, o => o.Region = "global");
        await using var flex = GeminiTestScorer.Create(fake, o => (o.Tier, o.Region) = (GeminiTier.Flex, "global"));
        var record = TestAccounts.Record("acc-0001");

        await standard.ScoreAsync(record, CancellationToken.None);
        await flex.ScoreAsync(record, CancellationToken.None);

        // The built-in catalog gives gemini-3.1-flash-lite a flex_discount of 0.5; the fake answers both calls alike.
        var standardCost = standard.Usage.EstimatedCostUsd!.Value;
        Assert.True(standardCost > 0m);
        Assert.Equal(standardCost * 0.5m, flex.Usage.EstimatedCostUsd!.Value);
    }

    [Fact]
    public async Task Constructor_TierFlexOutsideGlobal_RefusedInOneLineNamingTheRegion()
    {
        await using var fake = await FakeVertexAi.StartAsync();

        var error = Assert.Throws<ConfigurationException>(() => GeminiTestScorer.Create(fake, o => (o.Tier, o.Region) = (GeminiTier.Flex, "europe-west4")));

        Assert.Contains("--tier flex needs --region global", error.Message, StringComparison.Ordinal);
        Assert.Contains("'europe-west4'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData(GeminiTier.Flex, 1800, true)]
    [InlineData(GeminiTier.Flex, 1801, false)]
    [InlineData(GeminiTier.Standard, 600, true)]
    [InlineData(GeminiTier.Standard, 1200, false)]
    public void Problems_Timeout_UpTo600sStandardAnd1800sFlex(GeminiTier tier, int seconds, bool valid)
    {
        var options = new GeminiScorerOptions { Project = "p", Region = "global", Tier = tier, Timeout = TimeSpan.FromSeconds(seconds) };

        var problems = options.Problems();

        Assert.Equal(valid, !problems.Any(p => p.StartsWith("--timeout", StringComparison.Ordinal)));
    }
}
