using System.Collections.Concurrent;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using SalesIntel.Stages.GoogleApis;
using SalesIntel.Stages.Protos.BigQueryStorage;
using Status = Grpc.Core.Status;

namespace SalesIntel.Tests.Stages.Sources.BigQuery.Fakes;

/// <summary>
/// An in-process BigQueryRead built from our protos. It holds tables of Arrow record batches, applies
/// selected_fields and simple row restrictions, splits rows across streams, serves real Arrow IPC messages (LZ4 or
/// ZSTD compressed when asked), records every request with its routing header, and injects faults on demand:
/// statuses (with RetryInfo) on CreateReadSession, denied tables, streams that break at an offset with a status or a
/// reset connection, throttling, and streams that hang until the client cancels.
/// </summary>
internal sealed class FakeBigQueryRead : BigQueryRead.BigQueryReadBase
{
    private readonly ConcurrentDictionary<string, FakeTable> _tables = new();
    private readonly ConcurrentDictionary<string, (FakeSessionPlan Plan, int Index)> _streams = new();
    private readonly ConcurrentDictionary<string, FakeSessionPlan> _plans = new();
    private readonly List<FakeStreamBreak> _breaks = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _sessions;
    private int _cancelledReads;
    private long _rowsServed;

    /// <summary>Statuses the next CreateReadSession calls fail with, one per call.</summary>
    public ConcurrentQueue<RpcException> SessionFaults { get; } = new();

    /// <summary>Tables whose reads are refused with PERMISSION_DENIED.</summary>
    public ConcurrentDictionary<string, bool> DeniedTables { get; } = new();

    /// <summary>Every CreateReadSession request with its <c>x-goog-request-params</c> header.</summary>
    public ConcurrentQueue<(CreateReadSessionRequest Request, string? Routing)> SessionRequests { get; } = new();

    /// <summary>Every ReadRows request with its <c>x-goog-request-params</c> header.</summary>
    public ConcurrentQueue<(ReadRowsRequest Request, string? Routing)> ReadRequests { get; } = new();

    /// <summary>Rows per ReadRows response (responses are aligned to multiples of it within a stream).</summary>
    public int RowsPerResponse { get; set; } = 1000;

    /// <summary>Streams when the request leaves max_stream_count at 0.</summary>
    public int DefaultMaxStreams { get; set; } = 1;

    /// <summary>The throttle_percent sent on each stream's first response (0 for none).</summary>
    public int ThrottlePercent { get; set; }

    /// <summary>Overrides the session's estimated_row_count.</summary>
    public long? EstimatedRowsOverride { get; set; }

    /// <summary>Overrides the session's estimated_total_bytes_scanned.</summary>
    public long? EstimatedBytesOverride { get; set; }

    /// <summary>When set, each stream stops at this offset and waits until the client cancels the call.</summary>
    public long? HoldAtOffset { get; set; }

    /// <summary>Exceptions the fake itself threw by mistake (not injected faults): a bug in the fake, for diagnosis.</summary>
    public ConcurrentQueue<Exception> UnexpectedErrors { get; } = new();

    /// <summary>ReadRows calls that ended because the client cancelled them.</summary>
    public int CancelledReads => Volatile.Read(ref _cancelledReads);

    /// <summary>Rows sent in ReadRows responses, all calls together.</summary>
    public long RowsServed => Interlocked.Read(ref _rowsServed);

    /// <summary>Adds (or replaces) a table under its resource name <c>projects/p/datasets/d/tables/t</c>.</summary>
    public void AddTable(string resourceName, Schema schema, IReadOnlyList<RecordBatch> batches)
    {
        _tables[resourceName] = new FakeTable(schema, batches);

        // A replaced table must not be served from a session plan made over its old rows.
        foreach (var key in _plans.Keys.Where(k => k.StartsWith(resourceName + "|", StringComparison.Ordinal)).ToList())
        {
            _plans.TryRemove(key, out _);
        }
    }

    /// <summary>Schedules a stream break (consumed once).</summary>
    public void BreakStream(FakeStreamBreak fault)
    {
        lock (_breaks)
        {
            _breaks.Add(fault);
        }
    }

    /// <summary>Breaks not triggered yet.</summary>
    public int PendingBreaks
    {
        get
        {
            lock (_breaks)
            {
                return _breaks.Count;
            }
        }
    }

    /// <summary>Completes when <paramref name="condition"/> holds, re-checking each time a call arrives or ends (no polling).</summary>
    public async Task WhenAsync(Func<FakeBigQueryRead, bool> condition, CancellationToken cancellationToken)
    {
        while (true)
        {
            var changed = Volatile.Read(ref _changed).Task;
            if (condition(this))
            {
                return;
            }

            await changed.WaitAsync(cancellationToken);
        }
    }

    private void Changed() => Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>A status with RetryInfo, as Google servers send them.</summary>
    public static RpcException Fault(StatusCode code, string message, TimeSpan? retryDelay = null) =>
        retryDelay is { } delay
            ? new RpcException(new Status(code, message), RpcErrorDetails.Trailers(code, message, new RetryInfo { RetryDelay = Duration.FromTimeSpan(delay) }))
            : new RpcException(new Status(code, message));

    /// <inheritdoc />
    public override Task<ReadSession> CreateReadSession(CreateReadSessionRequest request, ServerCallContext context)
    {
        SessionRequests.Enqueue((request.Clone(), context.RequestHeaders.GetValue("x-goog-request-params")));
        Changed();
        if (SessionFaults.TryDequeue(out var fault))
        {
            throw fault;
        }

        var requested = request.ReadSession ?? throw Fault(StatusCode.InvalidArgument, "read_session is required");
        var tableName = requested.Table;
        var display = DisplayName(tableName);
        if (!request.Parent.StartsWith("projects/", StringComparison.Ordinal))
        {
            throw Fault(StatusCode.InvalidArgument, $"Invalid parent '{request.Parent}': expected projects/{{project}}");
        }

        if (!_tables.TryGetValue(tableName, out var table))
        {
            throw Fault(StatusCode.NotFound, $"Not found: Table {display} was not found in location US");
        }

        if (DeniedTables.ContainsKey(tableName))
        {
            throw Fault(StatusCode.PermissionDenied, $"Access Denied: Table {display}: Permission bigquery.tables.getData denied on table {display} (or it may not exist).");
        }

        if (requested.DataFormat != DataFormat.Arrow)
        {
            throw Fault(StatusCode.InvalidArgument, $"data_format {requested.DataFormat} is not supported by this fake");
        }

        var options = requested.ReadOptions ?? new ReadSession.Types.TableReadOptions();
        var codec = options.ArrowSerializationOptions?.BufferCompression switch
        {
            ArrowSerializationOptions.Types.CompressionCodec.Lz4Frame => CompressionCodecType.Lz4Frame,
            ArrowSerializationOptions.Types.CompressionCodec.Zstd => (CompressionCodecType?)CompressionCodecType.Zstd,
            _ => null,
        };
        var restriction = string.IsNullOrEmpty(options.RowRestriction) ? null : options.RowRestriction;
        var maxStreams = request.MaxStreamCount > 0 ? request.MaxStreamCount : DefaultMaxStreams;
        var key = $"{tableName}|{string.Join(',', options.SelectedFields)}|{restriction}|{codec}|{maxStreams}";
        FakeSessionPlan plan;
        try
        {
            plan = _plans.GetOrAdd(key, _ => new FakeSessionPlan(table, options.SelectedFields, restriction, codec, maxStreams));
        }
        catch (FormatException e)
        {
            throw Fault(StatusCode.InvalidArgument, $"request failed: {e.Message}");
        }

        var id = Interlocked.Increment(ref _sessions);
        var session = new ReadSession
        {
            Name = $"{request.Parent}/locations/us/sessions/fake{id}",
            Table = tableName,
            DataFormat = DataFormat.Arrow,
            ReadOptions = options,
            ArrowSchema = new ArrowSchema { SerializedSchema = plan.SchemaMessage },
            EstimatedRowCount = EstimatedRowsOverride ?? plan.TotalRows,
            EstimatedTotalBytesScanned = EstimatedBytesOverride ?? plan.EstimatedBytes,
            ExpireTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch.AddYears(60)),
        };
        for (var i = 0; i < plan.StreamRanges.Count; i++)
        {
            var name = $"{session.Name}/streams/{i}";
            _streams[name] = (plan, i);
            session.Streams.Add(new ReadStream { Name = name });
        }

        return Task.FromResult(session);
    }

    /// <inheritdoc />
    public override async Task ReadRows(ReadRowsRequest request, IServerStreamWriter<ReadRowsResponse> responseStream, ServerCallContext context)
    {
        ReadRequests.Enqueue((request.Clone(), context.RequestHeaders.GetValue("x-goog-request-params")));
        Changed();
        if (!_streams.TryGetValue(request.ReadStream, out var stream))
        {
            throw Fault(StatusCode.NotFound, $"Not found: stream {request.ReadStream}");
        }

        var (start, end) = stream.Plan.StreamRanges[stream.Index];
        var length = end - start;
        if (request.Offset < 0 || request.Offset > length)
        {
            throw Fault(StatusCode.OutOfRange, $"offset {request.Offset} is beyond the {length} rows of {request.ReadStream}");
        }

        var offset = request.Offset;
        var first = true;
        try
        {
            while (offset < length)
            {
                var chunkEnd = Math.Min(Math.Min(length, ((offset / RowsPerResponse) + 1) * RowsPerResponse), stream.Plan.PieceEnd(start + offset) - start);
                var fault = TakeBreak(stream.Index, offset, chunkEnd);
                if (fault is not null && fault.AtOffset == offset)
                {
                    Fail(fault, context);
                    return;
                }

                if (fault is not null)
                {
                    chunkEnd = fault.AtOffset;
                }

                if (HoldAtOffset is { } hold && offset >= hold)
                {
                    await Task.Delay(Timeout.Infinite, context.CancellationToken);
                }

                var response = new ReadRowsResponse
                {
                    RowCount = chunkEnd - offset,
                    ArrowRecordBatch = new ArrowRecordBatch { SerializedRecordBatch = stream.Plan.Message(start + offset, start + chunkEnd) },
                    Stats = new StreamStats { Progress = new StreamStats.Types.Progress { AtResponseStart = (double)offset / length, AtResponseEnd = (double)chunkEnd / length } },
                };
                if (first)
                {
                    response.ArrowSchema = new ArrowSchema { SerializedSchema = stream.Plan.SchemaMessage };
                    if (ThrottlePercent > 0)
                    {
                        response.ThrottleState = new ThrottleState { ThrottlePercent = ThrottlePercent };
                    }

                    first = false;
                }

                await responseStream.WriteAsync(response, context.CancellationToken);
                Interlocked.Add(ref _rowsServed, chunkEnd - offset);
                offset = chunkEnd;
                if (fault is not null)
                {
                    Fail(fault, context);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _cancelledReads);
            Changed();
            throw;
        }
        catch (IOException) when (context.CancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _cancelledReads);
            Changed();
        }
        catch (Exception e) when (e is not RpcException and not OperationCanceledException and not IOException)
        {
            UnexpectedErrors.Enqueue(e);
            throw;
        }
    }

    /// <inheritdoc />
    public override Task<SplitReadStreamResponse> SplitReadStream(SplitReadStreamRequest request, ServerCallContext context) =>
        Task.FromResult(new SplitReadStreamResponse());

    private FakeStreamBreak? TakeBreak(int streamIndex, long offset, long chunkEnd)
    {
        lock (_breaks)
        {
            var fault = _breaks
                .Where(b => (b.StreamIndex is null || b.StreamIndex == streamIndex) && b.AtOffset >= offset && b.AtOffset <= chunkEnd)
                .OrderBy(b => b.AtOffset)
                .FirstOrDefault();
            if (fault is not null)
            {
                _breaks.Remove(fault);
            }

            return fault;
        }
    }

    private static void Fail(FakeStreamBreak fault, ServerCallContext context)
    {
        if (fault.AbortConnection)
        {
            context.GetHttpContext().Abort();
            return;
        }

        throw Fault(fault.Code, fault.Detail, fault.RetryDelay);
    }

    private static string DisplayName(string resourceName)
    {
        var parts = resourceName.Split('/');
        return parts.Length == 6 ? $"{parts[1]}:{parts[3]}.{parts[5]}" : resourceName;
    }
}
