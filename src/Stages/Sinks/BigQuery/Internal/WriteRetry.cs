using Grpc.Core;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Timeout;
using SalesIntel.Stages.Errors;
using SalesIntel.Stages.GoogleApis;

namespace SalesIntel.Stages.Sinks.BigQuery.Internal;

/// <summary>
/// Retries for every BigQueryWrite operation through the shared <see cref="GoogleRetry"/>: exponential backoff with
/// jitter (or the server's RetryInfo delay), a per-operation attempt limit and a budget shared by the whole run, so a sick service fails the run in bounded time
/// instead of retrying forever. Caller cancellation is never retried. Failures that remain become one-line
/// <see cref="SinkException"/>s naming the operation and the target.
/// </summary>
internal sealed class WriteRetry
{
    private readonly ResiliencePipeline _unary;
    private readonly ResiliencePipeline _append;
    private readonly TimeSpan _callTimeout;
    private readonly int _budgetSize;
    private readonly GoogleRetryBudget _budget;
    private readonly ILogger _logger;
    private int _retries;

    public WriteRetry(BigQuerySinkOptions options, TimeProvider timeProvider, ILogger logger)
    {
        _logger = logger;
        _budgetSize = options.RetryBudget;
        _budget = new GoogleRetryBudget(options.RetryBudget);
        _callTimeout = options.CallTimeout;
        var retry = new GoogleRetryOptions
        {
            ShouldRetry = IsTransient,
            MaxRetryAttempts = options.MaxRetryAttempts,
            BaseDelay = options.RetryBaseDelay,
            MaxDelay = options.MaxRetryDelay,
            // The server's delay is waited exactly: appends to one stream are serial, there is no fleet to spread out.
            ServerDelayJitter = 0,
            ServerDelay = ServerDelay,
            Budget = _budget,
            OnRetry = (e, retryNumber, delay) =>
            {
                Interlocked.Increment(ref _retries);
                BigQuerySinkLog.Retrying(_logger, retryNumber, delay.TotalMilliseconds, e.Message);
            },
        };
        _append = GoogleRetry.Pipeline(retry, timeProvider, "bigquery-append");
        _unary = GoogleRetry.Pipeline(retry with { AttemptTimeout = options.CallTimeout }, timeProvider, "bigquery-write");
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

    /// <summary>
    /// True for failures a later attempt may not repeat: the shared transient codes, plus INTERNAL, UNKNOWN and
    /// CANCELLED (a server-side cancel; the caller's own is filtered out before this is asked), which BigQueryWrite
    /// returns for failures a resend from the last acknowledged offset fixes.
    /// </summary>
    public static bool IsTransient(Exception e) => e switch
    {
        TransientAppendException or TimeoutRejectedException or IOException or HttpRequestException => true,
        RpcException r => GoogleRpcFailure.From(r) is var f
            && (f.IsTransient || f.Code is StatusCode.Internal or StatusCode.Cancelled or StatusCode.Unknown),
        _ => false,
    };

    private static TimeSpan? ServerDelay(Exception e) => e switch
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

        var budgetNote = _budget.Remaining <= 0 && IsTransient(e) ? $" (retry budget of {_budgetSize} used up)" : "";
        var f = e is RpcException rpc ? GoogleRpcFailure.From(rpc) : null;
        return (e, f) switch
        {
            (TimeoutRejectedException, _) => new SinkException(
                $"{operation} on {target} did not answer within the {_callTimeout.TotalSeconds:0.###} s call timeout{budgetNote}; try again later or raise the timeout.", isTransient: true, e),
            (_, { Code: StatusCode.NotFound }) => new SinkException(
                $"{operation}: {target} was not found ({f.ServerMessage}). Create the table with deploy/account_recommendations.sql.", isTransient: false, e),
            (_, { Code: StatusCode.PermissionDenied }) => new SinkException(
                $"{operation} on {target}: permission denied ({f.ServerMessage}). The job's account needs BigQuery Data Editor (roles/bigquery.dataEditor) on the table or dataset.", isTransient: false, e),
            (_, { Code: StatusCode.Unauthenticated }) => new SinkException(
                $"{operation} on {target}: not authenticated ({f.ServerMessage}); {f.FixHint}.", isTransient: false, e),
            (_, not null) => new SinkException(
                $"{operation} on {target} failed: {f.Code} {f.ServerMessage}{budgetNote}.", IsTransient(e), e),
            _ => new SinkException($"{operation} on {target} failed: {e.Message}{budgetNote}.", IsTransient(e), e),
        };
    }
}
