using SalesIntel.Stages.GoogleApis;

namespace SalesIntel.Tests.Stages.GoogleApis;

public sealed class GoogleRetryBudgetTests
{
    [Fact]
    public void TryWithdraw_FixedBudget_RefusesOnceSpentAndSaysExhausted()
    {
        var budget = new GoogleRetryBudget(2);

        Assert.True(budget.TryWithdraw());
        Assert.True(budget.TryWithdraw());
        Assert.False(budget.Exhausted);
        Assert.Equal(0, budget.Remaining);

        Assert.False(budget.TryWithdraw());
        Assert.True(budget.Exhausted);
        Assert.Equal(2, budget.Spent);
    }

    [Fact]
    public void TryWithdraw_RatioOfSuccesses_EarnsRetriesAsCallsSucceed()
    {
        var budget = new GoogleRetryBudget(0, ratioOfSuccesses: 0.5);
        Assert.False(budget.TryWithdraw());

        budget.OnSuccess();
        budget.OnSuccess();

        Assert.Equal(1, budget.Allowed);
        Assert.True(budget.TryWithdraw());
        Assert.False(budget.TryWithdraw());
    }

    [Fact]
    public async Task TryWithdraw_FromManyThreads_NeverGrantsMoreThanTheBudget()
    {
        var budget = new GoogleRetryBudget(100);
        var granted = 0;

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                if (budget.TryWithdraw())
                {
                    Interlocked.Increment(ref granted);
                }
            }
        })));

        Assert.Equal(100, granted);
        Assert.Equal(100, budget.Spent);
    }
}
