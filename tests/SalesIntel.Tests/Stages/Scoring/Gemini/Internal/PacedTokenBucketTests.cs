using SalesIntel.Stages.Scoring.Gemini.Internal;

namespace SalesIntel.Tests.Stages.Scoring.Gemini.Internal;

/// <summary>The RPM/TPM limiter: a token bucket refilled by a fake clock.</summary>
public sealed class PacedTokenBucketTests
{
    private readonly TimerAwareClock _clock = new();

    [Fact]
    public void Construct_LowRate_OneTokenPerSixtiethOfAMinuteOverTheRate()
    {
        using var bucket = new PacedTokenBucket(600, burst: 1, _clock);

        Assert.Equal((TimeSpan.FromMilliseconds(100), 1, 1), (bucket.Period, bucket.TokensPerPeriod, bucket.Capacity));
    }

    [Fact]
    public void Construct_HighRate_BatchesTokensInto50MillisecondPeriods()
    {
        using var bucket = new PacedTokenBucket(60_000, burst: 1, _clock);

        Assert.Equal((TimeSpan.FromMilliseconds(50), 50, 50), (bucket.Period, bucket.TokensPerPeriod, bucket.Capacity));
    }

    [Fact]
    public async Task Acquire_BeyondTheBurst_WaitsForTheNextRefill()
    {
        using var bucket = new PacedTokenBucket(600, burst: 1, _clock);
        await bucket.TakeAsync(1, CancellationToken.None);

        var second = bucket.TakeAsync(1, CancellationToken.None).AsTask();
        _clock.Advance(TimeSpan.FromMilliseconds(99));
        Assert.False(second.IsCompleted);
        _clock.Advance(TimeSpan.FromMilliseconds(1));

        await second.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Acquire_OverAMinuteWithEveryoneWaiting_GrantsTheRatePlusTheBurstAndNoMore()
    {
        using var bucket = new PacedTokenBucket(120, burst: 1, _clock);
        using var cts = new CancellationTokenSource();
        var waiters = Enumerable.Range(0, 400).Select(_ => bucket.TakeAsync(1, cts.Token).AsTask()).ToArray();

        for (var t = 0; t < 60_000; t += 100)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(100));
        }

        var stats = bucket.GetStatistics()!;
        Assert.Equal(121, stats.TotalSuccessfulLeases); // 120 per minute + the one token it started with
        Assert.Equal(279, stats.CurrentQueuedCount);
        await Task.WhenAll(waiters[..121]).WaitAsync(TimeSpan.FromSeconds(5)); // the first 121 in arrival order
        await cts.CancelAsync();
        foreach (var w in waiters[121..])
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => w);
        }
    }

    [Fact]
    public async Task Acquire_IdleForAMinute_DoesNotSaveUpABurst()
    {
        using var bucket = new PacedTokenBucket(600, burst: 1, _clock);
        _clock.Advance(TimeSpan.FromMinutes(1));

        await bucket.TakeAsync(1, CancellationToken.None);
        var second = bucket.TakeAsync(1, CancellationToken.None).AsTask();

        Assert.False(second.IsCompleted);
        _clock.Advance(TimeSpan.FromMilliseconds(100));
        await second.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Acquire_MoreTokensThanTheBucketHolds_IsClampedInsteadOfWaitingForever()
    {
        using var bucket = new PacedTokenBucket(60_000, burst: 1_000, _clock);

        await bucket.TakeAsync(5_000, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(0, bucket.Available);
    }

    [Fact]
    public async Task Acquire_CancelledWhileWaiting_ThrowsAndLeavesTheTokenForOthers()
    {
        using var bucket = new PacedTokenBucket(600, burst: 1, _clock);
        await bucket.TakeAsync(1, CancellationToken.None);
        using var cts = new CancellationTokenSource();
        var cancelled = bucket.TakeAsync(1, cts.Token).AsTask();
        var next = bucket.TakeAsync(1, CancellationToken.None).AsTask();

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        _clock.Advance(TimeSpan.FromMilliseconds(100));

        await next.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Charge_TakesTokensAnEstimateMissedWithoutWaiting()
    {
        using var bucket = new PacedTokenBucket(60_000, burst: 1_000, _clock);

        bucket.Charge(300);

        Assert.Equal(700, bucket.Available);
    }
}
