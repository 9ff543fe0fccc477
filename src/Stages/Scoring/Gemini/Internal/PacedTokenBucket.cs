using System.Threading.RateLimiting;

namespace SalesIntel.Stages.Scoring.Gemini.Internal;

/// <summary>
/// A per-minute limit (requests or tokens) as a <see cref="TokenBucketRateLimiter"/> refilled by a
/// <see cref="TimeProvider"/> timer: the limiter has no TimeProvider of its own, so it runs with
/// <c>AutoReplenishment = false</c> and the timer calls <see cref="TokenBucketRateLimiter.TryReplenish"/> (each call
/// adds one period's tokens). The refill period is as short as is sensible (at least 50 ms, one token at a time when
/// the rate allows), so the pace is smooth, and the bucket holds at most <c>burst</c> tokens, so an idle
/// spell does not turn into a burst a per-minute quota would reject.
/// </summary>
internal sealed class PacedTokenBucket : IDisposable
{
    private static readonly TimeSpan MinimumPeriod = TimeSpan.FromMilliseconds(50);

    private readonly TokenBucketRateLimiter _bucket;
    private readonly ITimer _timer;

    /// <param name="perMinute">Tokens per minute.</param>
    /// <param name="burst">The most tokens the bucket holds (at least one period's worth).</param>
    /// <param name="timeProvider">Drives the refill.</param>
    public PacedTokenBucket(int perMinute, int burst, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perMinute, 1);
        var perPeriod = (int)Math.Max(1, Math.Ceiling(perMinute * MinimumPeriod.TotalMinutes));
        Period = TimeSpan.FromTicks((long)(TimeSpan.TicksPerMinute * (double)perPeriod / perMinute));
        TokensPerPeriod = perPeriod;
        Capacity = Math.Max(perPeriod, burst);
        _bucket = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = Capacity,
            TokensPerPeriod = perPeriod,
            ReplenishmentPeriod = Period,
            AutoReplenishment = false,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        _timer = timeProvider.CreateTimer(static s => ((TokenBucketRateLimiter)s!).TryReplenish(), _bucket, Period, Period);
    }

    /// <summary>The refill period.</summary>
    public TimeSpan Period { get; }

    /// <summary>Tokens added per period.</summary>
    public int TokensPerPeriod { get; }

    /// <summary>The most tokens the bucket holds; larger requests are clamped to it.</summary>
    public int Capacity { get; }

    /// <summary>Tokens available now.</summary>
    public long Available => _bucket.GetStatistics()?.CurrentAvailablePermits ?? 0;

    /// <summary>Waits (in order of arrival) until <paramref name="tokens"/> are available and takes them.</summary>
    public async ValueTask AcquireAsync(int tokens, CancellationToken cancellationToken)
    {
        var permits = Math.Clamp(tokens, 0, Capacity);
        using var lease = await _bucket.AcquireAsync(permits, cancellationToken).ConfigureAwait(false);
        if (!lease.IsAcquired)
        {
            // Only possible after disposal: the queue is unbounded and permits never exceed the capacity.
            throw new ObjectDisposedException(nameof(PacedTokenBucket));
        }
    }

    /// <summary>Takes up to <paramref name="tokens"/> without waiting (used to charge tokens an estimate missed).</summary>
    public void TryTake(int tokens)
    {
        if (tokens > 0)
        {
            using var lease = _bucket.AttemptAcquire(Math.Min(tokens, (int)Math.Max(0, Available)));
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        _bucket.Dispose();
    }
}
