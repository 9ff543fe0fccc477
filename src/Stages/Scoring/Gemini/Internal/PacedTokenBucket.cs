using System.Threading.RateLimiting;

namespace SalesIntel.Stages.Scoring.Gemini.Internal;

/// <summary>
/// A per-minute limit (requests or tokens): a token bucket, as a System.Threading.RateLimiting
/// <see cref="RateLimiter"/>, refilled only by a <see cref="TimeProvider"/> timer that adds
/// <see cref="TokensPerPeriod"/> every <see cref="Period"/>, so tests drive it with a fake clock.
/// (<see cref="TokenBucketRateLimiter"/> is no substitute: with <c>AutoReplenishment = false</c> its
/// <c>TryReplenish</c> adds tokens in proportion to Stopwatch time since the last call, so a fake clock adds nothing.)
/// The refill period is as short as sensible (at least 50 ms, one token at a time when the rate allows), so the pace is
/// smooth, and the bucket holds at most <c>burst</c> tokens, so an idle spell does not become a burst that a quota
/// counted over a sliding minute would reject. Waiters are served strictly in arrival order.
/// </summary>
internal sealed class PacedTokenBucket : RateLimiter
{
    private static readonly TimeSpan MinimumPeriod = TimeSpan.FromMilliseconds(50);
    private static readonly RateLimitLease Granted = new Lease(true);
    private static readonly RateLimitLease Refused = new Lease(false);

    private readonly object _lock = new();
    private readonly LinkedList<Waiter> _queue = new();
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private int _tokens;
    private long _queuedTokens;
    private long _granted;
    private long _refused;
    private long? _idleSince;
    private bool _disposed;

    /// <param name="perMinute">Tokens per minute.</param>
    /// <param name="burst">The most tokens the bucket holds (at least one period's worth); it starts full.</param>
    /// <param name="timeProvider">Drives the refill.</param>
    public PacedTokenBucket(int perMinute, int burst, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perMinute, 1);
        TokensPerPeriod = (int)Math.Max(1, Math.Ceiling(perMinute * MinimumPeriod.TotalMinutes));
        Period = TimeSpan.FromTicks((long)(TimeSpan.TicksPerMinute * (double)TokensPerPeriod / perMinute));
        Capacity = Math.Max(TokensPerPeriod, burst);
        _tokens = Capacity;
        _time = timeProvider;
        _idleSince = timeProvider.GetTimestamp();
        _timer = timeProvider.CreateTimer(static s => ((PacedTokenBucket)s!).Replenish(), this, Period, Period);
    }

    /// <summary>The refill period.</summary>
    public TimeSpan Period { get; }

    /// <summary>Tokens added per period.</summary>
    public int TokensPerPeriod { get; }

    /// <summary>The most tokens the bucket holds; <see cref="TakeAsync"/> clamps larger requests to it.</summary>
    public int Capacity { get; }

    /// <summary>Tokens available now.</summary>
    public int Available
    {
        get
        {
            lock (_lock)
            {
                return _tokens;
            }
        }
    }

    /// <inheritdoc />
    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_lock)
            {
                return _idleSince is { } since ? _time.GetElapsedTime(since) : null;
            }
        }
    }

    /// <summary>Waits (in arrival order) until <paramref name="tokens"/> (clamped to <see cref="Capacity"/>) are available and takes them.</summary>
    public async ValueTask TakeAsync(int tokens, CancellationToken cancellationToken)
    {
        using var lease = await AcquireAsync(Math.Clamp(tokens, 0, Capacity), cancellationToken).ConfigureAwait(false);
        ObjectDisposedException.ThrowIf(!lease.IsAcquired, this);
    }

    /// <summary>Takes up to <paramref name="tokens"/> without waiting (to charge tokens an estimate missed).</summary>
    public void Charge(int tokens)
    {
        lock (_lock)
        {
            _tokens = Math.Max(0, _tokens - Math.Max(0, tokens));
        }
    }

    /// <inheritdoc />
    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_lock)
        {
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = _tokens,
                CurrentQueuedCount = _queuedTokens,
                TotalSuccessfulLeases = _granted,
                TotalFailedLeases = _refused,
            };
        }
    }

    /// <inheritdoc />
    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, Capacity);
        lock (_lock)
        {
            if (!_disposed && _queue.Count == 0 && _tokens >= permitCount)
            {
                return TakeLocked(permitCount);
            }

            _refused++;
            return Refused;
        }
    }

    /// <inheritdoc />
    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, Capacity);
        cancellationToken.ThrowIfCancellationRequested();
        Waiter waiter;
        lock (_lock)
        {
            if (_disposed)
            {
                _refused++;
                return ValueTask.FromResult(Refused);
            }

            if (_queue.Count == 0 && _tokens >= permitCount)
            {
                return ValueTask.FromResult(TakeLocked(permitCount));
            }

            waiter = new Waiter(this, permitCount);
            waiter.Node = _queue.AddLast(waiter);
            _queuedTokens += permitCount;
            _idleSince = null;
        }

        waiter.Registration = cancellationToken.UnsafeRegister(static (s, token) => ((Waiter)s!).Cancel(token), waiter);
        return new ValueTask<RateLimitLease>(waiter.Task);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (!disposing)
        {
            return;
        }

        List<Waiter> waiters;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            waiters = [.. _queue];
            _queue.Clear();
        }

        _timer.Dispose();
        foreach (var w in waiters)
        {
            w.Registration.Unregister();
            w.TrySetResult(Refused);
        }
    }

    private RateLimitLease TakeLocked(int permitCount)
    {
        _tokens -= permitCount;
        _granted++;
        if (_queue.Count == 0)
        {
            _idleSince ??= _time.GetTimestamp();
        }

        return Granted;
    }

    private void Replenish()
    {
        List<Waiter>? ready = null;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _tokens = Math.Min(Capacity, _tokens + TokensPerPeriod);
            while (_queue.First is { } first && first.Value.Permits <= _tokens)
            {
                _queue.RemoveFirst();
                first.Value.Node = null;
                _queuedTokens -= first.Value.Permits;
                (ready ??= []).Add(first.Value);
                TakeLocked(first.Value.Permits);
            }
        }

        // Complete outside the lock: continuations run asynchronously anyway, but registrations are unhooked here.
        if (ready is not null)
        {
            foreach (var w in ready)
            {
                w.Registration.Unregister();
                w.TrySetResult(Granted);
            }
        }
    }

    private sealed class Lease(bool acquired) : RateLimitLease
    {
        public override bool IsAcquired { get; } = acquired;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }

    private sealed class Waiter(PacedTokenBucket owner, int permits) : TaskCompletionSource<RateLimitLease>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public int Permits { get; } = permits;

        public LinkedListNode<Waiter>? Node { get; set; }

        public CancellationTokenRegistration Registration { get; set; }

        public void Cancel(CancellationToken token)
        {
            lock (owner._lock)
            {
                if (Node is null)
                {
                    return; // already granted or disposed
                }

                owner._queue.Remove(Node);
                Node = null;
                owner._queuedTokens -= Permits;
                owner._refused++;
            }

            TrySetCanceled(token);
        }
    }
}
