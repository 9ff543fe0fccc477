using System.Diagnostics;

namespace SalesIntel.GeminiBench;

/// <summary>
/// A clock that runs <c>scale</c> times faster than real time: timestamps and UTC time advance faster, and timers
/// fire after 1/scale of their due time. The scorer does all its timing through a TimeProvider, so it runs on this
/// clock unchanged, with production settings (a per-minute quota, 1 s backoff steps, 60 s timeouts) compressed.
/// </summary>
internal sealed class ScaledTimeProvider(double scale) : TimeProvider
{
    private readonly long _startTimestamp = Stopwatch.GetTimestamp();
    private readonly DateTimeOffset _startUtc = DateTimeOffset.UtcNow;

    public double Scale => scale;

    public override long TimestampFrequency => Stopwatch.Frequency;

    public override long GetTimestamp() => _startTimestamp + (long)((Stopwatch.GetTimestamp() - _startTimestamp) * scale);

    public override DateTimeOffset GetUtcNow() => _startUtc + (Stopwatch.GetElapsedTime(_startTimestamp) * scale);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new ScaledTimer(System.CreateTimer(callback, state, Shrink(dueTime), Shrink(period)), this);

    /// <summary>Real time for a span of this clock's time.</summary>
    public TimeSpan Shrink(TimeSpan t) => t == Timeout.InfiniteTimeSpan ? t : t / scale;

    private sealed class ScaledTimer(ITimer inner, ScaledTimeProvider owner) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(owner.Shrink(dueTime), owner.Shrink(period));

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
