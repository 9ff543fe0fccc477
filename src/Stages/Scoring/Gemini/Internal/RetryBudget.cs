namespace SalesIntel.Stages.Scoring.Gemini.Internal;

/// <summary>
/// The retries the whole run may spend: a floor plus a ratio of the successful calls. Every retry withdraws one;
/// once the budget is gone no call is retried again and the scorer stops the run, because an endpoint that needs
/// that many retries is not serving us and burning the input on it helps nobody.
/// </summary>
internal sealed class RetryBudget(int floor, double ratio)
{
    private long _successes;
    private long _retries;

    /// <summary>Retries spent.</summary>
    public long Spent => Interlocked.Read(ref _retries);

    /// <summary>Retries allowed so far.</summary>
    public long Allowed => floor + (long)(ratio * Interlocked.Read(ref _successes));

    /// <summary>True once a retry was refused.</summary>
    public bool Exhausted { get; private set; }

    public void OnSuccess() => Interlocked.Increment(ref _successes);

    /// <summary>Takes one retry, or refuses (and marks the budget exhausted).</summary>
    public bool TryWithdraw()
    {
        if (Interlocked.Increment(ref _retries) <= Allowed)
        {
            return true;
        }

        Interlocked.Decrement(ref _retries);
        Exhausted = true;
        return false;
    }
}
