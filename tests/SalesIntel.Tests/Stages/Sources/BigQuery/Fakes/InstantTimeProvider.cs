using System.Collections.Concurrent;

namespace SalesIntel.Tests.Stages.Sources.BigQuery.Fakes;

/// <summary>
/// A fake clock for retry tests: every timer fires at once (no test ever waits on the wall clock), and every delay
/// asked for is recorded, so a test can assert the exact backoff and RetryInfo delays the code chose. With a frozen
/// time, the clock and the timestamps never move, so outputs that carry times stay byte-for-byte comparable; timers
/// longer than <paramref name="fireAtOnceUpTo"/> then never fire (a frozen clock never reaches them), so periodic
/// loops such as progress reports do not spin.
/// </summary>
internal sealed class InstantTimeProvider(DateTimeOffset? frozenAt = null, TimeSpan? fireAtOnceUpTo = null) : TimeProvider
{
    private readonly ConcurrentQueue<TimeSpan> _delays = new();

    /// <summary>The due times of the timers created, in order.</summary>
    public IReadOnlyList<TimeSpan> Delays => [.. _delays];

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => frozenAt ?? base.GetUtcNow();

    /// <inheritdoc />
    public override long GetTimestamp() => frozenAt is null ? base.GetTimestamp() : 0;

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime == Timeout.InfiniteTimeSpan || dueTime > fireAtOnceUpTo)
        {
            return base.CreateTimer(callback, state, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        _delays.Enqueue(dueTime);
        return base.CreateTimer(callback, state, TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }
}
