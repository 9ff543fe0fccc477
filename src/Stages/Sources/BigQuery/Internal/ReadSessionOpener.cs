using Grpc.Core;
using Microsoft.Extensions.Logging;
using SalesIntel.Stages.GoogleApis;
using SalesIntel.Stages.Protos.BigQueryStorage;

namespace SalesIntel.Stages.Sources.BigQuery.Internal;

/// <summary>
/// Creates the read session: retries RESOURCE_EXHAUSTED, UNAVAILABLE and DEADLINE_EXCEEDED with backoff and jitter
/// (waiting at least what the server's RetryInfo asks), and turns every other refusal into one actionable line.
/// </summary>
internal sealed class ReadSessionOpener(BigQueryRead.BigQueryReadClient client, BigQuerySourceOptions options, TimeProvider time, ILogger logger)
{
    /// <summary>Creates the session described by <paramref name="request"/>.</summary>
    public async Task<ReadSession> OpenAsync(CreateReadSessionRequest request, ReadTarget target, CancellationToken cancellationToken)
    {
        var failures = 0;
        var headers = RoutingHeader.For("read_session.table", target.Table.ResourceName);
        var pipeline = GoogleRetry.Pipeline(
            new GoogleRetryOptions
            {
                ShouldRetry = e => e is RpcException r && RpcFailures.IsRetryableSessionFailure(GoogleRpcFailure.From(r)),
                MaxRetryAttempts = options.MaxSessionAttempts - 1,
                BaseDelay = options.InitialBackoff,
                MaxDelay = options.MaxBackoff,
                OnRetry = (e, _, delay) => BigQueryReadLog.SessionRetry(logger, target.Table.Uri, ((RpcException)e).StatusCode, failures, delay),
            },
            time);
        try
        {
            return await pipeline.ExecuteAsync(
                async token =>
                {
                    try
                    {
                        return await client.CreateReadSessionAsync(request, headers, cancellationToken: token);
                    }
                    catch (RpcException)
                    {
                        failures++;
                        throw;
                    }
                },
                cancellationToken);
        }
        catch (RpcException e) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("CreateReadSession was cancelled", e, cancellationToken);
        }
        catch (RpcException e)
        {
            throw RpcFailures.SessionFailure(GoogleRpcFailure.From(e), target, failures);
        }
    }
}
