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

    [Fact]
    public async Task Replenish_TimerFiresLate_CreditsEveryPeriodThatPassedSoThePaceHolds()
    {
        var lateClock = new LateTimerClock(lateness: 3); // ticks come every third period
        using var bucket = new PacedTokenBucket(600, burst: 1, lateClock);
        await bucket.TakeAsync(1, CancellationToken.None);
        var waiters = Enumerable.Range(0, 3).Select(_ => bucket.TakeAsync(1, CancellationToken.None).AsTask()).ToArray();

        lateClock.Advance(TimeSpan.FromMilliseconds(300));

        await Task.WhenAll(waiters).WaitAsync(TimeSpan.FromSeconds(5)); // three periods, three grants from one late tick
    }

    [Fact]
    public async Task WindowCap_NoMoreGrantsInAnySlidingMinuteThanTheCap()
    {
        using var bucket = new PacedTokenBucket(600, burst: 10, _clock, windowCap: 12);
        for (var i = 0; i < 10; i++)
        {
            await bucket.TakeAsync(1, CancellationToken.None); // the burst
        }

        var waiters = Enumerable.Range(0, 5).Select(_ => bucket.TakeAsync(1, CancellationToken.None).AsTask()).ToArray();
        for (var t = 0; t < 590; t++)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(100)); // 59 s: tokens keep coming, the cap holds them back
        }

        Assert.Equal(12, bucket.GetStatistics()!.TotalSuccessfulLeases);
        _clock.Advance(TimeSpan.FromSeconds(1)); // the burst ages out of the minute

        await Task.WhenAll(waiters).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(15, bucket.GetStatistics()!.TotalSuccessfulLeases);
    }

    /// <summary>A fake clock whose periodic timers fire only every <c>lateness</c>-th period, like a starved timer queue.</summary>
    private sealed class LateTimerClock(int lateness) : Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2024, 5, 1, 0, 0, 0, TimeSpan.Zero))
    {
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            base.CreateTimer(callback, state, dueTime * lateness, period * lateness);
    }
}
