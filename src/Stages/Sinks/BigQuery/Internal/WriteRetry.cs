using Grpc.Core;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using SalesIntel.Stages.Errors;
using SalesIntel.Stages.GoogleApis;

namespace SalesIntel.Stages.Sinks.BigQuery.Internal;

/// <summary>
/// Retries for every BigQueryWrite operation: exponential backoff with jitter (or the server's RetryInfo delay), a
/// per-operation attempt limit and a budget shared by the whole run, so a sick service fails the run in bounded time
/// instead of retrying forever. Caller cancellation is never retried. Failures that remain become one-line
/// <see cref="SinkException"/>s naming the operation and the target.
/// </summary>
internal sealed class WriteRetry
{
    private readonly ResiliencePipeline _unary;
    private readonly ResiliencePipeline _append;
    private readonly TimeSpan _callTimeout;
    private readonly int _budget;
    private readonly ILogger _logger;
    private int _budgetLeft;
    private int _retries;

    public WriteRetry(BigQuerySinkOptions options, TimeProvider timeProvider, ILogger logger)
    {
        _logger = logger;
        _budget = options.RetryBudget;
        _budgetLeft = options.RetryBudget;
        _callTimeout = options.CallTimeout;
        var retry = new RetryStrategyOptions
        {
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && !args.Context.CancellationToken.IsCancellationRequested && IsTransient(e) && TryTakeBudget()),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.RetryBaseDelay,
            MaxDelay = options.MaxRetryDelay,
            MaxRetryAttempts = Math.Max(options.MaxRetryAttempts, 1),
            DelayGenerator = args => ValueTask.FromResult(ServerDelay(args.Outcome.Exception)),
            OnRetry = args =>
            {
                Interlocked.Increment(ref _retries);
                BigQuerySinkLog.Retrying(_logger, args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds, args.Outcome.Exception?.Message ?? "");
                return ValueTask.CompletedTask;
            },
        };
        if (options.MaxRetryAttempts == 0)
        {
            retry.ShouldHandle = _ => ValueTask.FromResult(false);
        }

        _append = new ResiliencePipelineBuilder { TimeProvider = timeProvider }.AddRetry(retry).Build();
        _unary = new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddRetry(retry)
            .AddTimeout(new TimeoutStrategyOptions { Timeout = options.CallTimeout })
            .Build();
    }

    /// <summary>Retries spent so far, all operations together.</summary>
    public int RetriesUsed => Volatile.Read(ref _retries);

    /// <summary>Runs a unary call with a timeout per attempt and retries.</summary>
    public async ValueTask<T> UnaryAsync<T>(string operation, string target, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await _unary.ExecuteAsync(async ct => await call(ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not SinkException and not OperationCanceledException)
        {
            throw Translate(operation, target, e, cancellationToken);
        }
    }

    /// <summary>Runs one step of the appender (send and get answers) with retries; the step resumes from the appender's state.</summary>
    public async ValueTask AppendAsync(string target, Func<CancellationToken, ValueTask> step, CancellationToken cancellationToken)
    {
        try
        {
            await _append.ExecuteAsync(step, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not SinkException and not OperationCanceledException)
        {
            throw Translate("AppendRows", target, e, cancellationToken);
        }
    }

    /// <summary>True for failures a later attempt may not repeat.</summary>
    public static bool IsTransient(Exception e) => e switch
    {
        TransientAppendException or TimeoutRejectedException or IOException or HttpRequestException => true,
        RpcException r => r.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Aborted
            or StatusCode.ResourceExhausted or StatusCode.Internal or StatusCode.Cancelled or StatusCode.Unknown,
        _ => false,
    };

    private bool TryTakeBudget()
    {
        while (true)
        {
            var left = Volatile.Read(ref _budgetLeft);
            if (left <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _budgetLeft, left - 1, left) == left)
            {
                return true;
            }
        }
    }

    private static TimeSpan? ServerDelay(Exception? e) => e switch
    {
        RpcException r => RpcErrorDetails.RetryDelay(r),
        TransientAppendException t => t.RetryAfter,
        _ => null,
    };

    private Exception Translate(string operation, string target, Exception e, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return new OperationCanceledException(cancellationToken);
        }

        var budgetNote = Volatile.Read(ref _budgetLeft) <= 0 && IsTransient(e) ? $" (retry budget of {_budget} used up)" : "";
        return e switch
        {
            TimeoutRejectedException => new SinkException(
                $"{operation} on {target} did not answer within the {_callTimeout.TotalSeconds:0.###} s call timeout{budgetNote}; try again later or raise the timeout.", isTransient: true, e),
            RpcException { StatusCode: StatusCode.NotFound } r => new SinkException(
                $"{operation}: {target} was not found ({r.Status.Detail}). Create the table with deploy/account_recommendations.sql.", isTransient: false, e),
            RpcException { StatusCode: StatusCode.PermissionDenied } r => new SinkException(
                $"{operation} on {target}: permission denied ({r.Status.Detail}). The job's account needs BigQuery Data Editor (roles/bigquery.dataEditor) on the table or dataset.", isTransient: false, e),
            RpcException { StatusCode: StatusCode.Unauthenticated } r => new SinkException(
                $"{operation} on {target}: not authenticated ({r.Status.Detail}); {GoogleFixHints.Credentials}.", isTransient: false, e),
            RpcException r => new SinkException(
                $"{operation} on {target} failed: {r.StatusCode} {r.Status.Detail}{budgetNote}.", IsTransient(e), e),
            _ => new SinkException($"{operation} on {target} failed: {e.Message}{budgetNote}.", IsTransient(e), e),
        };
    }
}
