using Grpc.Core;

namespace SalesIntel.Stages.GoogleApis;

/// <summary>How <see cref="GoogleRetry"/> retries one kind of Google API call (a record, so variants are <c>with</c> expressions).</summary>
public sealed record GoogleRetryOptions
{
    /// <summary>Which failures this operation retries. Caller cancellation never reaches it. Required.</summary>
    public required Func<Exception, bool> ShouldRetry { get; init; }

    /// <summary>Retries after the first attempt (0 for none). <value>Defaults to 5.</value></summary>
    public int MaxRetryAttempts { get; init; } = 5;

    /// <summary>The ceiling of the first backoff; it doubles per retry up to <see cref="MaxDelay"/>. <value>Defaults to 200 ms.</value></summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The largest computed backoff (a server's RetryInfo may ask for longer). <value>Defaults to 30 s.</value></summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How much of the backoff is random: 0.5 is "equal jitter" (half fixed, half random), 1 is "full jitter"
    /// (uniform from zero), 0 none. <value>Defaults to 0.5.</value>
    /// </summary>
    public double Jitter { get; init; } = 0.5;

    /// <summary>
    /// Up to this fraction of a server's RetryInfo delay is added at random, so a fleet told the same delay does not
    /// return at once; the server's delay itself is always waited in full. <value>Defaults to 0.2.</value>
    /// </summary>
    public double ServerDelayJitter { get; init; } = 0.2;

    /// <summary>The retry budget shared with other calls, or null for none.</summary>
    public GoogleRetryBudget? Budget { get; init; }

    /// <summary>
    /// The delay the server asked for, or null. <value>Defaults to the RetryInfo of an <see cref="RpcException"/>.</value>
    /// </summary>
    public Func<Exception, TimeSpan?> ServerDelay { get; init; } = static e => e is RpcException r ? RpcErrorDetails.RetryDelay(r) : null;

    /// <summary>
    /// Which consecutive failure this is (1 for the first), for the backoff. <value>Defaults to Polly's attempt count;
    /// a streaming reader that resets its count on progress supplies its own.</value>
    /// </summary>
    public Func<Exception, int>? FailureNumber { get; init; }

    /// <summary>A timeout for each attempt (a <c>TimeoutRejectedException</c> when exceeded), or null for none.</summary>
    public TimeSpan? AttemptTimeout { get; init; }

    /// <summary>A uniform [0, 1) source for the jitter. <value>Defaults to <see cref="Random.Shared"/>.</value></summary>
    public Func<double> Random { get; init; } = System.Random.Shared.NextDouble;

    /// <summary>Told before each retry's delay: the failure, the retry number (1 for the first) and the delay.</summary>
    public Action<Exception, int, TimeSpan>? OnRetry { get; init; }
}
