using System.Text;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using SalesIntel.Stages.Errors;
using SalesIntel.Stages.GoogleApis;
using SalesIntel.Stages.GoogleApis.BigQuery;

using SalesIntel.Stages.Protos.BigQueryStorage;

namespace SalesIntel.Stages.Sinks.BigQuery.Internal;

/// <summary>
/// A channel to BigQueryWrite with the sink's retries, for tables that are written in one PENDING stream committed
/// once (the dead letters and the run ledger): the same <see cref="StreamAppender{TRow}"/>, offsets, resends and
/// commit checks as the sink's chunks, over another <see cref="IRowEncoder{TRow}"/>.
/// </summary>
internal sealed class WriteConnection : IDisposable
{
    private static readonly string[] Scopes =
    [
        "https://www.googleapis.com/auth/bigquery",
        GoogleChannelFactory.CloudPlatformScope,
    ];

    private readonly BigQuerySinkOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly GrpcChannel _channel;
    private readonly CallInvoker _invoker;

    public WriteConnection(BigQuerySinkOptions options, TimeProvider time, ILogger logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
        _channel = GoogleChannelFactory.Create(BigQuerySinkDefaults.Endpoint, BigQuerySinkDefaults.EmulatorVariable, options.EmulatorHost, Scopes);
        Retry = new WriteRetry(options, time, logger);
        Client = new WriteClient(new BigQueryWrite.BigQueryWriteClient(_channel), Retry);
        _invoker = _channel.CreateCallInvoker();
    }

    public WriteRetry Retry { get; }

    public WriteClient Client { get; }

    /// <summary>Checks the table's schema (GetWriteStream, view FULL, on the default stream) against <paramref name="expected"/>.</summary>
    /// <exception cref="SinkException">Missing, unreachable, or not fitting: one line naming the columns and the DDL file.</exception>
    public async ValueTask PreflightAsync(BigQueryTableReference table, Model.TableSchema expected, string what, string ddlFile, string option, CancellationToken cancellationToken)
    {
        WriteStream stream;
        try
        {
            stream = await Client.GetStreamAsync(table.DefaultStream, WriteStreamView.Full, table.ToString(), cancellationToken).ConfigureAwait(false);
        }
        catch (SinkException e) when (e.InnerException is RpcException { StatusCode: StatusCode.NotFound })
        {
            // The translator's generic hint names the recommendations DDL; this table may be another one.
            throw new SinkException($"{table} was not found: create it with {ddlFile} or choose another {option}.", isTransient: false, e);
        }

        var problems = SinkSchemaCheck.Problems(stream.TableSchema, expected);
        if (problems.Count > 0)
        {
            throw new SinkException(
                $"{table} does not fit the {what} rows SalesIntel writes: {string.Join("; ", problems)}. Fix the table ({ddlFile} has the DDL) or choose another {option}.");
        }

        TableWriteLog.PreflightPassed(_logger, table.ToString(), what);
    }

    /// <summary>
    /// Writes <paramref name="rows"/> to one new PENDING stream of <paramref name="table"/> and commits it: all of
    /// them become visible at once, or none. Returns the rows BigQuery refused one by one (the rest is committed).
    /// A failure or cancellation before the commit leaves nothing visible (the stream is never committed).
    /// </summary>
    public async ValueTask<IReadOnlyList<RejectedRow<TRow>>> CommitOnceAsync<TRow>(
        BigQueryTableReference table, IRowEncoder<TRow> encoder, IReadOnlyList<TRow> rows, string what, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return [];
        }

        var envelope = encoder.SchemaBytes.Length + Encoding.UTF8.GetByteCount(table.ResourceName) + 256 + Encoding.UTF8.GetByteCount(_options.TraceId) + 64;
        var target = Math.Min(_options.TargetRequestBytes, _options.MaxRequestBytes);
        var stream = await Client.CreatePendingStreamAsync(table, cancellationToken).ConfigureAwait(false);
        var appender = new StreamAppender<TRow>(_invoker, stream.Name, _options, Retry, _time, _logger);
        var tooLarge = new List<RejectedRow<TRow>>();
        var committed = false;
        try
        {
            AppendBatch<TRow>? request = null;
            foreach (var row in rows)
            {
                var size = encoder.Measure(row);
                var framed = AppendBatch<TRow>.FramedSize(size);
                if (framed + envelope > _options.MaxRequestBytes)
                {
                    tooLarge.Add(new RejectedRow<TRow>(row, "row_too_large", $"the encoded row is {size} bytes, over the {_options.MaxRequestBytes}-byte request limit", "never sent"));
                    continue;
                }

                if (request is not null && request.RowBytes + framed + envelope > target)
                {
                    await appender.AppendAsync(request, cancellationToken).ConfigureAwait(false);
                    request = null;
                }

                request ??= new AppendBatch<TRow>(Math.Min(target, framed * 16), encoder.SchemaBytes);
                request.Add(row, encoder, size);
            }

            if (request is not null)
            {
                await appender.AppendAsync(request, cancellationToken).ConfigureAwait(false);
            }

            await appender.DrainAsync(cancellationToken).ConfigureAwait(false);
            if (appender.AckedRows > 0)
            {
                var finalized = await Client.FinalizeAsync(stream.Name, cancellationToken).ConfigureAwait(false);
                if (finalized is { } count && count != appender.AckedRows)
                {
                    throw new SinkException($"{stream.Name} holds {count} rows after finalize but {appender.AckedRows} were acknowledged; the {what} rows are not committed.");
                }

                var response = await Client.CommitAsync(table, stream.Name, cancellationToken).ConfigureAwait(false);
                var commitTime = response.CommitTime;
                if ((commitTime is null || response.StreamErrors.Count > 0) && response.StreamErrors.Count > 0
                    && response.StreamErrors.All(e => e.Code == StorageError.Types.StorageErrorCode.StreamAlreadyCommitted))
                {
                    // A retried commit whose first attempt landed: the stream's own commit time proves it.
                    commitTime = (await Client.GetStreamAsync(stream.Name, WriteStreamView.Basic, stream.Name, cancellationToken).ConfigureAwait(false)).CommitTime;
                }

                if (commitTime is null)
                {
                    throw new SinkException(
                        $"commit of {appender.AckedRows} {what} rows ({stream.Name}) to {table} failed, nothing of it is visible: " +
                        (response.StreamErrors.Count == 0
                            ? "no commit time and no error in the answer"
                            : string.Join("; ", response.StreamErrors.Select(e => $"{e.Code} {e.Entity}: {e.ErrorMessage}"))) + ".");
                }

                committed = true;
                TableWriteLog.Committed(_logger, appender.AckedRows, what, table.ToString(), commitTime.ToDateTimeOffset(), stream.Name);
            }

            return [.. tooLarge, .. appender.Rejected];
        }
        finally
        {
            if (!committed && appender.AckedRows + appender.PendingRows > 0)
            {
                TableWriteLog.Discarded(_logger, what, stream.Name, appender.AckedRows + appender.PendingRows);
            }

            await appender.DisposeAsync().ConfigureAwait(false);
        }
    }

    public void Dispose() => _channel.Dispose();
}
