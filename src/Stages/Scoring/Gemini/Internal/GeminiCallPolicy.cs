using Grpc.Core;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;
using SalesIntel.Stages.GoogleApis;

namespace SalesIntel.Stages.Scoring.Gemini.Internal;

/// <summary>
/// The Polly v8 pipelines around every Vertex AI call, all timed by the injected <see cref="TimeProvider"/>:
/// <list type="bullet">
/// <item>retry (outermost): RESOURCE_EXHAUSTED, UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL and our own per-call timeout,
/// at most <see cref="GeminiScorerOptions.MaxRetries"/> times per call and within the run's <see cref="RetryBudget"/>;
/// exponential backoff with full jitter, or the server's RetryInfo delay when it sends one. Never INVALID_ARGUMENT,
/// NOT_FOUND, PERMISSION_DENIED, or the caller's cancellation.</item>
/// <item>circuit breaker, per attempt: when UNAVAILABLE, INTERNAL, DEADLINE_EXCEEDED and timeouts pass
/// <see cref="GeminiScorerOptions.BreakerFailureRatio"/> of the calls in its window it opens, and the scorer turns
/// that into a run-stopping error (it never half-opens into the rest of the input). 429s are quota signals handled by
/// the limiters and the adaptive concurrency, so they do not count.</item>
/// <item>timeout, around the network call only (not the limiter queues): <see cref="GeminiTimeoutException"/>.</item>
/// </list>
/// </summary>
internal sealed class GeminiCallPolicy
{
    private readonly ResiliencePipeline _pipeline;
    private readonly ResiliencePipeline _timeout;
    private readonly TimeSpan _timeoutLimit;
    private readonly TimeSpan _baseBackoff;
    private readonly TimeSpan _transientBaseBackoff;
    private readonly TimeSpan _maxBackoff;
    private readonly RetryBudget _budget;
    private readonly Func<double> _random;

    /// <param name="options">Validated options.</param>
    /// <param name="timeProvider">Times backoff, breaker window and timeout.</param>
    /// <param name="budget">The run's retry budget.</param>
    /// <param name="random">A uniform [0, 1) source for the jitter.</param>
    /// <param name="onRetry">Told about each retry before its delay: the failure and the delay.</param>
    /// <param name="onBreak">Told once when the breaker opens, with the failure that opened it.</param>
    public GeminiCallPolicy(GeminiScorerOptions options, TimeProvider timeProvider, RetryBudget budget, Func<double> random, Action<Exception?, TimeSpan> onRetry, Action<Exception?> onBreak)
    {
        _timeoutLimit = options.Timeout;
        _baseBackoff = options.BaseBackoff;
        _transientBaseBackoff = options.TransientBaseBackoff;
        _maxBackoff = options.MaxBackoff;
        _budget = budget;
        _random = random;
        var maxRetries = options.MaxRetries;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = timeProvider, Name = "vertex-ai" }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = maxRetries,
                // Polly asks before it checks the attempt count, so check it here: a refused last attempt must not spend budget.
                ShouldHandle = args => ValueTask.FromResult(IsRetryable(args.Outcome.Exception) && args.AttemptNumber < maxRetries && _budget.TryWithdraw()),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(BackoffDelay(args.AttemptNumber, args.Outcome.Exception)),
                OnRetry = args =>
                {
                    onRetry(args.Outcome.Exception, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = options.BreakerFailureRatio,
                MinimumThroughput = options.BreakerMinimumCalls,
                SamplingDuration = options.BreakerWindow,
                BreakDuration = options.BreakerWindow,
                ShouldHandle = args => ValueTask.FromResult(IsEndpointFailure(args.Outcome.Exception)),
                OnOpened = args =>
                {
                    onBreak(args.Outcome.Exception);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
        _timeout = new ResiliencePipelineBuilder { TimeProvider = timeProvider, Name = "vertex-ai-call" }
            .AddTimeout(options.Timeout)
            .Build();
    }

    /// <summary>Runs <paramref name="attempt"/> with retries and the breaker. A refused or exhausted retry rethrows the last failure.</summary>
    public ValueTask<T> ExecuteAsync<T>(Func<CancellationToken, ValueTask<T>> attempt, CancellationToken cancellationToken) =>
        _pipeline.ExecuteAsync(static (a, ct) => a(ct), attempt, cancellationToken);

    /// <summary>Runs one network call under the per-call timeout; a timeout becomes <see cref="GeminiTimeoutException"/>.</summary>
    public async ValueTask<T> WithTimeoutAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await _timeout.ExecuteAsync(
                static async (c, ct) =>
                {
                    try
                    {
                        return await c(ct).ConfigureAwait(false);
                    }
                    catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && ct.IsCancellationRequested)
                    {
                        // Grpc.Net.Client reports a cancelled call as RpcException(Cancelled); Polly (and our callers)
                        // tell timeout from caller cancellation by OperationCanceledException.
                        throw new OperationCanceledException(e.Status.Detail, e, ct);
                    }
                },
                call,
                cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException e)
        {
            throw new GeminiTimeoutException(_timeoutLimit, e);
        }
    }

    /// <summary>
    /// The delay before retry <paramref name="attempt"/> + 1: at least the server's RetryInfo delay, plus up to 20% of
    /// it as jitter so callers told the same delay do not all return at once; else full jitter, uniform in
    /// [0, min(max, base * 2^attempt)), where base is the quota base after RESOURCE_EXHAUSTED and the (shorter)
    /// transient base after any other retryable failure.
    /// </summary>
    internal TimeSpan BackoffDelay(int attempt, Exception? failure)
    {
        if (failure is RpcException rpc && RpcErrorDetails.RetryDelay(rpc) is { } hint && hint > TimeSpan.Zero)
        {
            return hint + (hint * 0.2 * _random());
        }

        var start = failure is RpcException { StatusCode: StatusCode.ResourceExhausted } ? _baseBackoff : _transientBaseBackoff;
        var ceiling = Math.Min(_maxBackoff.Ticks, start.Ticks * Math.Pow(2, Math.Min(attempt, 30)));
        return TimeSpan.FromTicks((long)(ceiling * _random()));
    }

    /// <summary>The failures worth another attempt.</summary>
    internal static bool IsRetryable(Exception? failure) => failure switch
    {
        GeminiTimeoutException => true,
        RpcException e => e.StatusCode is StatusCode.ResourceExhausted or StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal,
        _ => false,
    };

    /// <summary>The failures that say the endpoint itself is unwell (the breaker counts these).</summary>
    internal static bool IsEndpointFailure(Exception? failure) => failure switch
    {
        GeminiTimeoutException => true,
        RpcException e => e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal,
        _ => false,
    };
}
