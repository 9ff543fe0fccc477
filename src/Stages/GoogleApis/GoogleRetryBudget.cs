namespace SalesIntel.Stages.GoogleApis;

/// <summary>
/// The retries a whole run may spend across all calls that share it: a floor plus, optionally, a ratio of the
/// successful calls. Every retry withdraws one; once it is spent no call is retried, so a service that keeps failing
/// fails the run in bounded time instead of being retried forever. Thread-safe.
/// </summary>
/// <param name="floor">Retries allowed before any call succeeded.</param>
/// <param name="ratioOfSuccesses">Extra retries earned per successful call (0 for a fixed budget).</param>
public sealed class GoogleRetryBudget(int floor, double ratioOfSuccesses = 0)
{
    private long _successes;
    private long _spent;
    private volatile bool _exhausted;

    /// <summary>Retries spent so far.</summary>
    public long Spent => Interlocked.Read(ref _spent);

    /// <summary>Retries allowed so far.</summary>
    public long Allowed => floor + (long)(ratioOfSuccesses * Interlocked.Read(ref _successes));

    /// <summary>Retries still allowed now.</summary>
    public long Remaining => Math.Max(0, Allowed - Spent);

    /// <summary>True once a retry was refused for want of budget.</summary>
    public bool Exhausted => _exhausted;

    /// <summary>Counts a successful call (earns <c>ratioOfSuccesses</c> of a retry).</summary>
    public void OnSuccess() => Interlocked.Increment(ref _successes);

    /// <summary>Takes one retry, or refuses and marks the budget exhausted.</summary>
    public bool TryWithdraw()
    {
        if (Interlocked.Increment(ref _spent) <= Allowed)
        {
            return true;
        }

        Interlocked.Decrement(ref _spent);
        _exhausted = true;
        return false;
    }
}
