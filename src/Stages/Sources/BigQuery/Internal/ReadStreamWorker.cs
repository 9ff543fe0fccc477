using System.Threading.Channels;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using SalesIntel.Stages.Errors;
using SalesIntel.Stages.GoogleApis;
using SalesIntel.Stages.Protos.BigQueryStorage;

namespace SalesIntel.Stages.Sources.BigQuery.Internal;

/// <summary>
/// Reads one stream of a session into the shared channel. The offset is the count of rows already handed to the
/// channel, so a stream that breaks (UNAVAILABLE, a reset HTTP/2 stream, a dropped connection) is re-opened exactly
/// where the consumer's view ends: nothing lost, nothing repeated. Any row delivered resets the failure count; a
/// stream that keeps breaking without progress gives up after the configured number of attempts.
/// </summary>
internal sealed class ReadStreamWorker(
    BigQueryRead.BigQueryReadClient client,
    ArrowResponseDecoder decoder,
    ReadTarget target,
    BigQuerySourceOptions options,
    TimeProvider time,
    ILogger logger)
{
    /// <summary>Reads <paramref name="stream"/> to its end, writing one <see cref="SourceBatch"/> per response.</summary>
    public async Task ReadAsync(string stream, ChannelWriter<SourceBatch> output, CancellationToken cancellationToken)
    {
        long offset = 0;
        var failures = 0;
        var headers = RoutingHeader.For("read_stream", stream);
        // Any row delivered resets the failure count, so the limit is on consecutive failures, not Polly's total.
        var pipeline = GoogleRetry.Pipeline(
            new GoogleRetryOptions
            {
                ShouldRetry = e => e is RpcException r && RpcFailures.IsResumableStreamBreak(GoogleRpcFailure.From(r)) && failures <= options.MaxResumeAttempts,
                MaxRetryAttempts = int.MaxValue,
                FailureNumber = _ => failures,
                BaseDelay = options.InitialBackoff,
                MaxDelay = options.MaxBackoff,
                OnRetry = (e, _, delay) => BigQueryReadLog.StreamResume(logger, stream, offset, ((RpcException)e).StatusCode, ((RpcException)e).Status.Detail, delay),
            },
            time);
        try
        {
            await pipeline.ExecuteAsync(
                async token =>
                {
                    try
                    {
                        using var call = client.ReadRows(new ReadRowsRequest { ReadStream = stream, Offset = offset }, headers, cancellationToken: token);
                        while (await call.ResponseStream.MoveNext(token))
                        {
                            var response = call.ResponseStream.Current;
                            if (response.ThrottleState is { ThrottlePercent: > 0 } throttle)
                            {
                                BigQueryReadLog.Throttled(logger, stream, throttle.ThrottlePercent);
                            }

                            if (response.RowsCase != ReadRowsResponse.RowsOneofCase.ArrowRecordBatch)
                            {
                                continue;
                            }

                            var rows = decoder.Decode(response.ArrowRecordBatch.SerializedRecordBatch);
                            // row_count is authoritative; servers before it existed set only the deprecated batch field.
                            var expected = response.RowCount != 0 ? response.RowCount : response.ArrowRecordBatch.RowCount;
                            if (expected != 0 && expected != rows.Length)
                            {
                                throw new InvalidDataException($"a response says row_count {expected} but its record batch holds {rows.Length} rows");
                            }

                            if (rows.Length == 0)
                            {
                                continue;
                            }

                            var start = offset;
                            await output.WriteAsync(new SourceBatch(rows, stream, i => $"offset {start + i}", []), token);
                            offset += rows.Length;
                            failures = 0;
                        }
                    }
                    catch (RpcException)
                    {
                        failures++;
                        throw;
                    }
                },
                cancellationToken);
            BigQueryReadLog.StreamDone(logger, stream, offset);
        }
        catch (RpcException e) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException($"ReadRows on {stream} was cancelled", e, cancellationToken);
        }
        catch (RpcException e)
        {
            throw RpcFailures.StreamFailure(GoogleRpcFailure.From(e), target, stream, offset, failures);
        }
        catch (InvalidDataException e)
        {
            throw new SourceException($"{target.Table.Uri}: ReadRows on {stream} at offset {offset}: {e.Message}.", inner: e);
        }
    }
}
