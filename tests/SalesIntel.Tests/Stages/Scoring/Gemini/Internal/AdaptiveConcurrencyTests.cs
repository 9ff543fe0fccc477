using SalesIntel.Stages.Scoring.Gemini.Internal;

namespace SalesIntel.Tests.Stages.Scoring.Gemini.Internal;

/// <summary>AIMD concurrency: halve on RESOURCE_EXHAUSTED (once per cool-down), grow back on success, waiters in order.</summary>
public sealed class AdaptiveConcurrencyTests
{
    private readonly TimerAwareClock _clock = new();

    [Fact]
    public void OnThrottled_HalvesOncePerCoolDown()
    {
        var gate = new AdaptiveConcurrency(16, _clock, TimeSpan.FromSeconds(1));

        gate.OnThrottled();
        gate.OnThrottled(); // the same burst of 429s
        Assert.Equal(8, gate.Limit);
        _clock.Advance(TimeSpan.FromSeconds(1));
        gate.OnThrottled();

        Assert.Equal((4, 4), (gate.Limit, gate.LowestLimit));
    }

    [Fact]
    public void OnThrottled_NeverBelowOne()
    {
        var gate = new AdaptiveConcurrency(2, _clock, TimeSpan.Zero);

        for (var i = 0; i < 5; i++)
        {
            gate.OnThrottled();
        }

        Assert.Equal(1, gate.Limit);
    }

    [Fact]
    public void OnSuccess_GrowsBackAboutOnePerLimitSuccessesUpToTheMaximum()
    {
        var gate = new AdaptiveConcurrency(8, _clock, TimeSpan.Zero);
        gate.OnThrottled(); // 4

        for (var i = 0; i < 5; i++)
        {
            gate.OnSuccess(); // +1/4, +1/4.25, ... : five successes lift 4 past 5
        }

        Assert.Equal(5, gate.Limit);
        for (var i = 0; i < 100; i++)
        {
            gate.OnSuccess();
        }

        Assert.Equal(8, gate.Limit);
    }

    [Fact]
    public async Task Acquire_AtTheLimit_WaitsAndIsServedInArrivalOrder()
    {
        var gate = new AdaptiveConcurrency(2, _clock, TimeSpan.Zero);
        var a = await gate.AcquireAsync(CancellationToken.None);
        var b = await gate.AcquireAsync(CancellationToken.None);
        var order = new List<string>();
        var c = gate.AcquireAsync(CancellationToken.None).AsTask().ContinueWith(t => { lock (order) { order.Add("c"); } return t.Result; }, TaskScheduler.Default);
        var d = gate.AcquireAsync(CancellationToken.None).AsTask().ContinueWith(t => { lock (order) { order.Add("d"); } return t.Result; }, TaskScheduler.Default);

        Assert.Equal(2, gate.InFlight);
        Assert.False(c.IsCompleted);
        a.Dispose();
        (await c).Dispose();
        b.Dispose();
        (await d).Dispose();

        Assert.Equal(["c", "d"], order);
        Assert.Equal(0, gate.InFlight);
    }

    [Fact]
    public async Task Acquire_AfterACut_InFlightDrainsBelowTheNewLimitBeforeNewCallsStart()
    {
        var gate = new AdaptiveConcurrency(4, _clock, TimeSpan.Zero);
        var held = new List<AdaptiveConcurrency.Slot>();
        for (var i = 0; i < 4; i++)
        {
            held.Add(await gate.AcquireAsync(CancellationToken.None));
        }

        gate.OnThrottled(); // limit 2 with 4 in flight
        var waiting = gate.AcquireAsync(CancellationToken.None).AsTask();
        held[0].Dispose();
        held[1].Dispose();
        Assert.False(waiting.IsCompleted); // 2 in flight = the limit
        held[2].Dispose();

        (await waiting.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
        held[3].Dispose();
    }

    [Fact]
    public async Task Acquire_CancelledWhileWaiting_ThrowsAndDoesNotTakeASlot()
    {
        var gate = new AdaptiveConcurrency(1, _clock, TimeSpan.Zero);
        var held = await gate.AcquireAsync(CancellationToken.None);
        using var cts = new CancellationTokenSource();
        var waiting = gate.AcquireAsync(cts.Token).AsTask();

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        held.Dispose();

        Assert.Equal(0, gate.InFlight);
        (await gate.AcquireAsync(CancellationToken.None)).Dispose();
    }
}
