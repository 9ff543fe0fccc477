namespace SalesIntel.Stages.Scoring.Gemini.Internal;

/// <summary>
/// An async gate whose limit adapts, additive increase / multiplicative decrease: RESOURCE_EXHAUSTED halves the
/// limit (at most once per cool-down, so a burst of 429s from calls already in flight counts once), each success
/// adds 1/limit (about +1 per limit's worth of successes), never above the configured maximum or below 1.
/// Waiters are served in arrival order.
/// </summary>
internal sealed class AdaptiveConcurrency
{
    private readonly object _lock = new();
    private readonly LinkedList<Waiter> _waiters = new();
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _coolDown;
    private readonly int _max;
    private double _limit;
    private int _inFlight;
    private int _lowest;
    private long _lastCut = long.MinValue;

    public AdaptiveConcurrency(int max, TimeProvider timeProvider, TimeSpan coolDown)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        _max = max;
        _limit = max;
        _lowest = max;
        _timeProvider = timeProvider;
        _coolDown = coolDown;
    }

    /// <summary>The whole-number limit in force.</summary>
    public int Limit
    {
        get
        {
            lock (_lock)
            {
                return (int)_limit;
            }
        }
    }

    /// <summary>The lowest limit so far.</summary>
    public int LowestLimit
    {
        get
        {
            lock (_lock)
            {
                return _lowest;
            }
        }
    }

    /// <summary>Calls holding a slot.</summary>
    public int InFlight
    {
        get
        {
            lock (_lock)
            {
                return _inFlight;
            }
        }
    }

    /// <summary>Waits for a slot; dispose the result to give it back.</summary>
    public ValueTask<Slot> AcquireAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Waiter waiter;
        lock (_lock)
        {
            if (_waiters.Count == 0 && _inFlight < (int)_limit)
            {
                _inFlight++;
                return ValueTask.FromResult(new Slot(this));
            }

            waiter = new Waiter(this);
            waiter.Node = _waiters.AddLast(waiter);
        }

        waiter.Registration = cancellationToken.UnsafeRegister(static (state, token) => ((Waiter)state!).Cancel(token), waiter);
        return new ValueTask<Slot>(waiter.Task);
    }

    /// <summary>A call succeeded: grow the limit a little.</summary>
    public void OnSuccess()
    {
        lock (_lock)
        {
            _limit = Math.Min(_max, _limit + (1.0 / _limit));
            GrantLocked();
        }
    }

    /// <summary>A call was answered RESOURCE_EXHAUSTED: halve the limit unless it was just cut.</summary>
    public void OnThrottled()
    {
        lock (_lock)
        {
            var now = _timeProvider.GetTimestamp();
            if (_lastCut != long.MinValue && _timeProvider.GetElapsedTime(_lastCut, now) < _coolDown)
            {
                return;
            }

            _lastCut = now;
            _limit = Math.Max(1, Math.Floor(_limit / 2));
            _lowest = Math.Min(_lowest, (int)_limit);
        }
    }

    private void Release()
    {
        lock (_lock)
        {
            _inFlight--;
            GrantLocked();
        }
    }

    private void GrantLocked()
    {
        while (_waiters.First is { } first && _inFlight < (int)_limit)
        {
            _waiters.RemoveFirst();
            first.Value.Node = null;
            _inFlight++;
            first.Value.Grant();
        }
    }

    /// <summary>A held slot.</summary>
    internal readonly struct Slot(AdaptiveConcurrency owner) : IDisposable
    {
        public void Dispose() => owner.Release();
    }

    private sealed class Waiter(AdaptiveConcurrency owner) : TaskCompletionSource<Slot>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public LinkedListNode<Waiter>? Node { get; set; }

        public CancellationTokenRegistration Registration { get; set; }

        public void Grant()
        {
            Registration.Unregister(); // not Dispose: it would wait for a running Cancel, which waits for our lock
            TrySetResult(new Slot(owner));
        }

        public void Cancel(CancellationToken token)
        {
            lock (owner._lock)
            {
                if (Node is null)
                {
                    return; // already granted
                }

                owner._waiters.Remove(Node);
                Node = null;
            }

            TrySetCanceled(token);
        }
    }
}
