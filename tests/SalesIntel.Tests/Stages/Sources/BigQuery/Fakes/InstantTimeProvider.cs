using System.Collections.Concurrent;

namespace SalesIntel.Tests.Stages.Sources.BigQuery.Fakes;

/// <summary>
/// A fake clock for retry tests: every timer fires at once (no test ever waits on the wall clock), and every delay
/// asked for is recorded, so a test can assert the exact backoff and RetryInfo delays the code chose.
/// </summary>
internal sealed class InstantTimeProvider : TimeProvider
{
    private readonly ConcurrentQueue<TimeSpan> _delays = new();

    /// <summary>The due times of the timers created, in order.</summary>
    public IReadOnlyList<TimeSpan> Delays => [.. _delays];

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime == Timeout.InfiniteTimeSpan)
        {
            return base.CreateTimer(callback, state, dueTime, period);
        }

        _delays.Enqueue(dueTime);
        return base.CreateTimer(callback, state, TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }
}
