using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace SalesIntel.Stages.GoogleApis;

/// <summary>
/// The one retry design for Google API calls, as a Polly v8 pipeline timed by the injected <see cref="TimeProvider"/>:
/// exponential backoff from <see cref="GoogleRetryOptions.BaseDelay"/> doubling to <see cref="GoogleRetryOptions.MaxDelay"/>
/// with jitter, the server's RetryInfo delay honoured as a floor, an attempt limit per call and an optional budget
/// shared by the run. Caller cancellation is never retried: once the caller's token is cancelled, or for an
/// <see cref="OperationCanceledException"/> carrying it, the failure goes straight back.
/// </summary>
public static class GoogleRetry
{
    /// <summary>Builds a pipeline with the retry (and the per-attempt timeout, when set).</summary>
    public static ResiliencePipeline Pipeline(GoogleRetryOptions options, TimeProvider timeProvider, string? name = null) =>
        new ResiliencePipelineBuilder { TimeProvider = timeProvider, Name = name }.AddGoogleRetry(options).Build();

    /// <summary>
    /// Adds the retry (and the per-attempt timeout, when set) to <paramref name="builder"/>, so a caller can add its
    /// own strategies (a circuit breaker) inside it. Set the builder's TimeProvider.
    /// </summary>
    public static ResiliencePipelineBuilder AddGoogleRetry(this ResiliencePipelineBuilder builder, GoogleRetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        var maxRetries = Math.Max(0, options.MaxRetryAttempts);
        builder.AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = Math.Max(1, maxRetries),
            // Polly asks before it checks the attempt count, so the count is checked here: a refused last attempt
            // must not spend budget.
            ShouldHandle = args => ValueTask.FromResult(
                args.Outcome.Exception is { } e
                && args.AttemptNumber < maxRetries
                && !IsCallerCancellation(e, args.Context.CancellationToken)
                && options.ShouldRetry(e)
                && (options.Budget?.TryWithdraw() ?? true)),
            DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(Delay(
                options,
                options.FailureNumber?.Invoke(args.Outcome.Exception!) ?? args.AttemptNumber + 1,
                options.ServerDelay(args.Outcome.Exception!))),
            OnRetry = args =>
            {
                options.OnRetry?.Invoke(args.Outcome.Exception!, args.AttemptNumber + 1, args.RetryDelay);
                return ValueTask.CompletedTask;
            },
        });
        if (options.AttemptTimeout is { } timeout)
        {
            builder.AddTimeout(new TimeoutStrategyOptions { Timeout = timeout });
        }

        return builder;
    }

    /// <summary>
    /// The delay before retrying after failure number <paramref name="failure"/> (1 for the first): the server's
    /// delay plus up to <see cref="GoogleRetryOptions.ServerDelayJitter"/> of it when it sent one; else
    /// min(max, base * 2^(failure - 1)) with the <see cref="GoogleRetryOptions.Jitter"/> fraction of it random.
    /// </summary>
    public static TimeSpan Delay(GoogleRetryOptions options, int failure, TimeSpan? serverDelay)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (serverDelay is { } asked && asked > TimeSpan.Zero)
        {
            return asked + (asked * (options.ServerDelayJitter * options.Random()));
        }

        var exponential = options.BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Clamp(failure - 1, 0, 30));
        var ceiling = Math.Min(exponential, options.MaxDelay.TotalMilliseconds);
        var jitter = Math.Clamp(options.Jitter, 0, 1);
        return TimeSpan.FromMilliseconds((ceiling * (1 - jitter)) + (ceiling * jitter * options.Random()));
    }

    /// <summary>True when <paramref name="failure"/> is (or follows) the caller cancelling: never retried.</summary>
    public static bool IsCallerCancellation(Exception failure, CancellationToken callerToken) =>
        callerToken.IsCancellationRequested
        || (failure is OperationCanceledException oce && callerToken.CanBeCanceled && oce.CancellationToken == callerToken);
}
