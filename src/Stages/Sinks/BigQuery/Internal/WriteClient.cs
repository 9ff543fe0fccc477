using Grpc.Core;
using SalesIntel.Stages.GoogleApis;
using SalesIntel.Stages.GoogleApis.BigQuery;
using SalesIntel.Stages.Protos.BigQueryStorage;

namespace SalesIntel.Stages.Sinks.BigQuery.Internal;

/// <summary>
/// The unary BigQueryWrite calls, each with its routing header (<c>x-goog-request-params</c>: <c>parent=</c> the
/// table for create and commit, <c>name=</c> the stream for get and finalize), a timeout per attempt and retries.
/// </summary>
internal sealed class WriteClient(BigQueryWrite.BigQueryWriteClient client, WriteRetry retry)
{
    private const string RoutingHeader = "x-goog-request-params";

    /// <summary>Creates a PENDING stream on the table.</summary>
    public ValueTask<WriteStream> CreatePendingStreamAsync(BigQueryTableReference table, CancellationToken cancellationToken)
    {
        var request = new CreateWriteStreamRequest
        {
            Parent = table.ResourceName,
            WriteStream = new WriteStream { Type = WriteStream.Types.Type.Pending },
        };
        return retry.UnaryAsync("CreateWriteStream", table.ToString(), ct =>
            client.CreateWriteStreamAsync(request, Routing("parent", table.ResourceName), cancellationToken: ct).ResponseAsync, cancellationToken);
    }

    /// <summary>Gets a stream; the FULL view carries the table schema.</summary>
    public ValueTask<WriteStream> GetStreamAsync(string stream, WriteStreamView view, string target, CancellationToken cancellationToken)
    {
        var request = new GetWriteStreamRequest { Name = stream, View = view };
        return retry.UnaryAsync("GetWriteStream", target, ct =>
            client.GetWriteStreamAsync(request, Routing("name", stream), cancellationToken: ct).ResponseAsync, cancellationToken);
    }

    /// <summary>
    /// Finalizes a stream and returns its row count, or null when an earlier attempt had already finalized it (its
    /// answer was lost and the retry is told STREAM_FINALIZED).
    /// </summary>
    public ValueTask<long?> FinalizeAsync(string stream, CancellationToken cancellationToken)
    {
        var request = new FinalizeWriteStreamRequest { Name = stream };
        return retry.UnaryAsync<long?>("FinalizeWriteStream", stream, async ct =>
        {
            try
            {
                var response = await client.FinalizeWriteStreamAsync(request, Routing("name", stream), cancellationToken: ct).ResponseAsync.ConfigureAwait(false);
                return response.RowCount;
            }
            catch (RpcException e) when (RpcErrorDetails.Detail<StorageError>(e) is { Code: StorageError.Types.StorageErrorCode.StreamFinalized })
            {
                return null;
            }
        }, cancellationToken);
    }

    /// <summary>Commits finalized streams of the table atomically.</summary>
    public ValueTask<BatchCommitWriteStreamsResponse> CommitAsync(BigQueryTableReference table, string stream, CancellationToken cancellationToken)
    {
        var request = new BatchCommitWriteStreamsRequest { Parent = table.ResourceName, WriteStreams = { stream } };
        return retry.UnaryAsync("BatchCommitWriteStreams", table.ToString(), ct =>
            client.BatchCommitWriteStreamsAsync(request, Routing("parent", table.ResourceName), cancellationToken: ct).ResponseAsync, cancellationToken);
    }

    // Sent raw, '/' not escaped: the form the Java and Python writers use (shared/protocols/README.md section 3).
    private static Metadata Routing(string field, string value) => new() { { RoutingHeader, field + "=" + value } };
}
