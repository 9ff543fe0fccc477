using Grpc.Core;
using Microsoft.Extensions.Logging;
using SalesIntel.Stages.Errors;
using SalesIntel.Stages.Protos.BigQueryStorage;

namespace SalesIntel.Stages.Sinks.BigQuery.Internal;

/// <summary>
/// Appends to one PENDING write stream over one AppendRows connection, exactly once.
/// <para>
/// Every request carries an explicit offset and several are in flight at once; the server answers in request order,
/// so answers are matched to the head of <see cref="_queue"/>. A request leaves the queue only when acknowledged
/// (or answered ALREADY_EXISTS: an earlier attempt landed). When the connection drops, the next attempt opens a new
/// one and resends every unacknowledged request with the same offset and the same rows, so a request that did land
/// is answered ALREADY_EXISTS and counted once. When BigQuery rejects rows (row_errors, the whole request refused)
/// those rows leave, the rest is resent at the same offset, and the answers to the requests that were already in
/// flight behind it (OUT_OF_RANGE: their offsets are now past the end) are swallowed.
/// </para>
/// <para>Not thread safe: the sink drives it under its lock, one operation at a time.</para>
/// </summary>
/// <typeparam name="TRow">The row type of the table.</typeparam>
internal sealed class StreamAppender<TRow> : IAsyncDisposable
{
    private const string RoutingHeader = "x-goog-request-params";

    private readonly CallInvoker _invoker;
    private readonly WriteRetry _retry;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly int _maxInflightRequests;
    private readonly long _maxInflightBytes;
    private readonly TimeSpan _responseTimeout;
    private readonly string _traceId;
    private readonly List<AppendBatch<TRow>> _queue = [];
    private readonly List<RejectedRow<TRow>> _rejected = [];
    private readonly CancellationTokenSource _lifetime = new();

    private AsyncDuplexStreamingCall<AppendFrame, AppendRowsResponse>? _call;
    private int _sent;
    private int _discard;
    private long _inflightBytes;
    private long _nextOffset;
    private long _acked;
    private int _connections;

    public StreamAppender(CallInvoker invoker, string streamName, BigQuerySinkOptions options, WriteRetry retry, TimeProvider time, ILogger logger)
    {
        _invoker = invoker;
        StreamName = streamName;
        _retry = retry;
        _time = time;
        _logger = logger;
        _maxInflightRequests = options.MaxInflightRequests;
        _maxInflightBytes = options.MaxInflightBytes;
        _responseTimeout = options.CallTimeout;
        _traceId = options.TraceId;
    }

    /// <summary>The full stream name.</summary>
    public string StreamName { get; }

    /// <summary>Rows acknowledged by the server: the stream's length as far as we know it.</summary>
    public long AckedRows => _acked;

    /// <summary>Rows handed to the appender and not acknowledged or rejected yet.</summary>
    public long PendingRows { get; private set; }

    /// <summary>Rows BigQuery refused, with its reasons.</summary>
    public IReadOnlyList<RejectedRow<TRow>> Rejected => _rejected;

    /// <summary>Connections opened after the first (drops and timeouts).</summary>
    public int Reconnects { get; private set; }

    /// <summary>Requests answered ALREADY_EXISTS (landed in an earlier attempt).</summary>
    public int AlreadyExisted { get; private set; }

    /// <summary>Requests written to the wire, resends included.</summary>
    public long RequestsSent { get; private set; }

    /// <summary>Bytes of requests written to the wire, resends included.</summary>
    public long BytesSent { get; private set; }

    /// <summary>Queues a request and sends it as soon as the in-flight limits allow; returns once it is on the wire.</summary>
    public ValueTask AppendAsync(AppendBatch<TRow> batch, CancellationToken cancellationToken)
    {
        _queue.Add(batch);
        PendingRows += batch.RowCount;
        return _retry.AppendAsync(StreamName, ct => PumpAsync(drain: false, ct), cancellationToken);
    }

    /// <summary>Waits until every queued request is acknowledged (or its bad rows rejected), then closes the connection.</summary>
    public async ValueTask DrainAsync(CancellationToken cancellationToken)
    {
        await _retry.AppendAsync(StreamName, ct => PumpAsync(drain: true, ct), cancellationToken).ConfigureAwait(false);
        await CloseAsync().ConfigureAwait(false);
    }

    /// <summary>Drops the connection without waiting for anything (abort).</summary>
    public ValueTask DisposeAsync()
    {
        _lifetime.Cancel();
        ResetConnection();
        _lifetime.Dispose();
        return ValueTask.CompletedTask;
    }

    private async ValueTask PumpAsync(bool drain, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await SendWhatFitsAsync(cancellationToken).ConfigureAwait(false);
                if (drain ? _queue.Count == 0 : _sent == _queue.Count)
                {
                    return;
                }

                await ReceiveOneAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (TransientAppendException e) when (e.ConnectionUsable)
        {
            throw;
        }
        catch (Exception e) when (e is not SinkException)
        {
            // The call failed (dropped, reset, timed out, or cancelled by the caller): nothing more can be read from it,
            // and what it had in flight is unknown. The next attempt resends from the last acknowledged offset.
            BigQuerySinkLog.ConnectionLost(_logger, StreamName, e.Message, _acked);
            ResetConnection();
            cancellationToken.ThrowIfCancellationRequested();
            throw;
        }
    }

    private async ValueTask SendWhatFitsAsync(CancellationToken cancellationToken)
    {
        var first = false;
        if (_call is null)
        {
            var headers = new Metadata { { RoutingHeader, "write_stream=" + StreamName } };
            _call = AppendRowsCall.Open(_invoker, headers, _lifetime.Token);
            _sent = 0;
            _discard = 0;
            _inflightBytes = 0;
            _nextOffset = _acked;
            first = true;
            _connections++;
            Reconnects = Math.Max(0, _connections - 1);
        }

        while (_sent < _queue.Count)
        {
            var batch = _queue[_sent];
            var inflight = _sent + _discard;
            if (inflight > 0 && (inflight >= _maxInflightRequests || _inflightBytes + batch.RowBytes > _maxInflightBytes))
            {
                return;
            }

            batch.Offset = _nextOffset;

            // The stream name, writer schema and trace id go on the first request of every connection.
            var request = first
                ? new AppendFrame(StreamName, batch.Offset, IncludeSchema: true, _traceId, batch)
                : new AppendFrame(null, batch.Offset, IncludeSchema: false, null, batch);
            first = false;
            await _call.RequestStream.WriteAsync(request, cancellationToken).ConfigureAwait(false);
            _sent++;
            _inflightBytes += batch.RowBytes;
            _nextOffset += batch.RowCount;
            RequestsSent++;
            BytesSent += batch.RowBytes;
        }
    }

    private async ValueTask ReceiveOneAsync(CancellationToken cancellationToken)
    {
        var call = _call!;
        using var timeout = new CancellationTokenSource(_responseTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        bool more;
        try
        {
            more = await call.ResponseStream.MoveNext(linked.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TransientAppendException(
                $"AppendRows on {StreamName} gave no answer within the {_responseTimeout.TotalSeconds:0.###} s call timeout", e, connectionUsable: false);
        }

        if (!more)
        {
            throw new IOException($"AppendRows connection to {StreamName} ended with {_sent + _discard} request(s) unanswered");
        }

        var response = call.ResponseStream.Current;
        if (_discard > 0)
        {
            _discard--;
            if (response.ResponseCase == AppendRowsResponse.ResponseOneofCase.AppendResult)
            {
                // A request the sink had written off landed after all: resending it would duplicate rows.
                throw new SinkException($"BigQuery acknowledged an append to {StreamName} after an earlier request failed; the chunk is abandoned so no row is written twice.");
            }

            return;
        }

        var head = _queue[0];
        if (response.RowErrors.Count > 0)
        {
            RejectRows(head, response);
            Resync();
            return;
        }

        if (response.ResponseCase == AppendRowsResponse.ResponseOneofCase.AppendResult)
        {
            if (response.AppendResult.Offset is { } offset && offset != head.Offset)
            {
                throw new SinkException($"BigQuery appended at offset {offset} of {StreamName}, the sink asked for {head.Offset}; the chunk is abandoned.");
            }

            Acknowledge(head);
            return;
        }

        var status = response.Error ?? new Google.Rpc.Status { Code = (int)StatusCode.Unknown, Message = "an answer without result or error" };
        var code = (StatusCode)status.Code;
        switch (code)
        {
            case StatusCode.AlreadyExists:
                AlreadyExisted++;
                BigQuerySinkLog.AlreadyExists(_logger, head.Offset, StreamName);
                Acknowledge(head);
                return;
            case StatusCode.OutOfRange:
            case StatusCode.Internal:
            case StatusCode.Aborted:
            case StatusCode.Unavailable:
            case StatusCode.ResourceExhausted:
            case StatusCode.DeadlineExceeded:
            case StatusCode.Cancelled:
                // Nothing of this request was written; resend it and what follows from the last acknowledged offset.
                Resync();
                throw new TransientAppendException(
                    $"AppendRows at offset {head.Offset} of {StreamName}: {code} {status.Message}", retryAfter: RetryAfter(status), connectionUsable: true);
            default:
                throw new SinkException($"BigQuery refused an append of {head.RowCount} rows at offset {head.Offset} of {StreamName}: {code} {status.Message}", isTransient: false);
        }
    }

    private void Acknowledge(AppendBatch<TRow> head)
    {
        _queue.RemoveAt(0);
        _sent--;
        _inflightBytes -= head.RowBytes;
        _acked += head.RowCount;
        PendingRows -= head.RowCount;
        head.Release();
    }

    private void RejectRows(AppendBatch<TRow> head, AppendRowsResponse response)
    {
        var bad = new HashSet<int>();
        foreach (var error in response.RowErrors)
        {
            if (error.Index < 0 || error.Index >= head.RowCount)
            {
                throw new SinkException($"BigQuery reported a row error at index {error.Index} of a {head.RowCount}-row append to {StreamName}: {error.Message}");
            }

            if (bad.Add((int)error.Index))
            {
                var row = head.Source((int)error.Index);
                _rejected.Add(new RejectedRow<TRow>(row, "bigquery_row_error", $"{error.Code}: {error.Message}", $"{StreamName} offset {head.Offset + error.Index}"));
            }
        }

        BigQuerySinkLog.RowsRejected(_logger, bad.Count, StreamName);
        head.Remove(bad);
        PendingRows -= bad.Count;
        if (head.RowCount == 0)
        {
            // Resync below counts the head as answered; an emptied head simply leaves the queue.
            _queue.RemoveAt(0);
        }
    }

    /// <summary>Forgets what is in flight: its answers are swallowed, and sending starts again at the last acknowledged offset.</summary>
    private void Resync()
    {
        // The head's answer has just been read; the requests sent after it will be answered with errors.
        _discard += Math.Max(_sent - 1, 0);
        _sent = 0;
        _inflightBytes = 0;
        _nextOffset = _acked;
    }

    private static TimeSpan? RetryAfter(Google.Rpc.Status status)
    {
        foreach (var detail in status.Details)
        {
            if (detail.TryUnpack<Google.Rpc.RetryInfo>(out var info) && info.RetryDelay is not null)
            {
                return info.RetryDelay.ToTimeSpan();
            }
        }

        return null;
    }

    private async ValueTask CloseAsync()
    {
        if (_call is not { } call)
        {
            return;
        }

        try
        {
            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is RpcException or IOException or InvalidOperationException)
        {
            // Everything is acknowledged; a connection that fails while closing loses nothing.
        }

        ResetConnection();
    }

    private void ResetConnection()
    {
        if (_call is not null)
        {
            _call.Dispose();
            _call = null;
        }

        _sent = 0;
        _discard = 0;
        _inflightBytes = 0;
        _nextOffset = _acked;
    }
}
