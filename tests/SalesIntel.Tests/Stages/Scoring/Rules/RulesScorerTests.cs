using Microsoft.Extensions.Time.Testing;
using SalesIntel.Stages.Decode;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Scoring.Rules;
using SalesIntel.Tests.Support;

namespace SalesIntel.Tests.Stages.Scoring.Rules;

public sealed class RulesScorerTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 11, 28, 6, 0, 0, TimeSpan.Zero));

    private static AccountRecord Record(TestAccount account) =>
        new AccountRecordDecoder(DateRange.All, false).Decode(TestAccounts.SourceBatch([account])).Records.Single();

    private static Recommendation Score(TestAccount account) => new RulesScorer("run-1", Clock).Score(Record(account));

    [Fact]
    public void Score_FillsEveryColumnWithinItsRange()
    {
        var r = Score(new TestAccount("acc-1", TestAccounts.Day));
        Assert.InRange(r.Score, 0, 100);
        Assert.Equal(Tiers.ForScore(r.Score), r.Tier);
        Assert.InRange(r.RecommendedActions.Count, 1, 3);
        Assert.InRange(r.Confidence, 0, 1);
        Assert.Equal(("rules", "rules-v1", "run-1", TestAccounts.Day), (r.Scorer, r.PromptVersion, r.RunId, r.ScoreDate));
        Assert.Null(r.Model);
        Assert.Equal(Clock.GetUtcNow(), r.ScoredAt);
        Assert.StartsWith($"Score {r.Score} ({r.Tier}): strongest signals are ", r.Rationale, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_IsDeterministic()
    {
        var account = new TestAccount("acc-1", TestAccounts.Day);
        var first = Score(account);
        var second = Score(account);
        Assert.Equal(first.RecommendedActions, second.RecommendedActions);
        Assert.Equal(first with { RecommendedActions = [] }, second with { RecommendedActions = [] });
    }

    [Fact]
    public void Score_StrongAccountBeatsColdAccount()
    {
        var hot = new TestAccount("hot", TestAccounts.Day)
        {
            LastActivity = new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero), Intent = 95, WebVisits = 900, OpenOpportunities = 4,
            Pipeline = "2000000", Employees = 20000, Revenue = "900000000", UsageTrend = 0.3, Tickets = 0,
        };
        var cold = new TestAccount("cold", TestAccounts.Day)
        {
            Lifecycle = "prospect",
            LastActivity = null, LastMeeting = null, Intent = 2, WebVisits = 0, OpenOpportunities = 0, Pipeline = null,
            Employees = 3, Revenue = "1000", UsageTrend = -0.5, Tickets = 0,
        };
        var h = Score(hot);
        var c = Score(cold);
        Assert.Equal("A", h.Tier);
        Assert.Equal("D", c.Tier);
        Assert.Contains("Re-engage: no activity on record", c.RecommendedActions);
    }

    [Fact]
    public void Score_ChurnedAccount_IsDiscountedAndGetsWinBack()
    {
        var customer = Score(new TestAccount("a", TestAccounts.Day) { Lifecycle = "customer" });
        var churned = Score(new TestAccount("a", TestAccounts.Day) { Lifecycle = "churned" });
        Assert.True(churned.Score < customer.Score, $"churned {churned.Score} should be below customer {customer.Score}");
        Assert.Contains("Churned accounts are scored at 60%", churned.Rationale, StringComparison.Ordinal);
        Assert.Contains(churned.RecommendedActions, a => a.StartsWith("Start a win-back", StringComparison.Ordinal));
    }

    [Fact]
    public void Score_CustomerNearRenewalWithFallingUsage_GetsThoseActionsFirst()
    {
        var r = Score(new TestAccount("a", TestAccounts.Day) { Renewal = new DateOnly(2026, 12, 20), UsageTrend = -0.3, Tickets = 4 });
        Assert.Equal(3, r.RecommendedActions.Count);
        Assert.StartsWith("Prepare the renewal due 2026-12-20", r.RecommendedActions[0], StringComparison.Ordinal);
        Assert.StartsWith("Run a product health check: usage is -30%", r.RecommendedActions[1], StringComparison.Ordinal);
        Assert.StartsWith("Escalate the 4 open support tickets", r.RecommendedActions[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Score_MissingSignals_LowerTheConfidence()
    {
        var full = Score(new TestAccount("a", TestAccounts.Day));
        var sparse = Score(new TestAccount("a", TestAccounts.Day)
        {
            LastActivity = null, LastMeeting = null, Intent = null, WebVisits = null, OpenOpportunities = null, Pipeline = null,
            Employees = null, Revenue = null, UsageTrend = null, Tickets = null,
        });
        Assert.Equal(1.0, full.Confidence);
        Assert.Equal(0.4, sparse.Confidence);
    }

    [Fact]
    public async Task ScoreAsync_CancelledBefore_Throws()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await new RulesScorer("r", Clock).ScoreAsync(Record(new TestAccount("a", TestAccounts.Day)), cts.Token));
    }
}
