using Polly;
using Polly.Retry;

namespace SalesIntel.Stages.Sources.BigQuery.Internal;

/// <summary>
/// Retry delays for the read path: exponential from the initial delay, doubling up to the cap, with "equal jitter"
/// (half fixed, half random) so parallel tasks and streams do not come back in step. A server's RetryInfo wins:
/// its delay is honoured as a floor, plus up to 20% so a throttled fleet spreads out again.
/// </summary>
internal sealed class RetryBackoff(TimeSpan initial, TimeSpan max, Func<double> random)
{
    /// <summary>The delay before retry number <paramref name="failures"/> (1 for the first).</summary>
    public TimeSpan Next(int failures, TimeSpan? serverDelay)
    {
        if (serverDelay is { } asked && asked > TimeSpan.Zero)
        {
            return asked + (asked * (0.2 * random()));
        }

        var exponential = initial.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 30));
        var capped = Math.Min(exponential, max.TotalMilliseconds);
        return TimeSpan.FromMilliseconds((capped / 2) + (capped / 2 * random()));
    }

    /// <summary>
    /// A Polly pipeline that retries while <paramref name="shouldRetry"/> says so (it sees the exception and the
    /// 1-based failure count), waiting <see cref="Next"/> on the injected clock. Caller cancellation is never retried.
    /// </summary>
    public ResiliencePipeline Pipeline(TimeProvider time, Func<Exception, bool> shouldRetry, Func<Exception, int> failureCount, Func<Exception, TimeSpan?> serverDelay, Action<Exception, TimeSpan>? onRetry = null) =>
        new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = int.MaxValue,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } e and not OperationCanceledException
                    && !args.Context.CancellationToken.IsCancellationRequested
                    && shouldRetry(e)),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
                    Next(failureCount(args.Outcome.Exception!), serverDelay(args.Outcome.Exception!))),
                OnRetry = args =>
                {
                    onRetry?.Invoke(args.Outcome.Exception!, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
}
