using System.Collections.Concurrent;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using SalesIntel.Stages.GoogleApis;
using SalesIntel.Stages.Protos.BigQueryStorage;

namespace SalesIntel.Tests.Stages.Sinks.BigQuery.Fakes;

/// <summary>
/// An in-process BigQueryWrite service built from our protos, with the semantics the sink relies on: PENDING streams
/// whose rows stay invisible until BatchCommitWriteStreams commits them atomically; explicit offsets enforced
/// (ALREADY_EXISTS / OUT_OF_RANGE in-band); rows decoded with the descriptor the client sent and checked against the
/// table; requests and routing headers recorded; faults injected through callback properties.
/// </summary>
public sealed class FakeBigQueryWrite : BigQueryWrite.BigQueryWriteBase
{
    public const string RoutingHeader = "x-goog-request-params";

    private readonly object _lock = new();
    private readonly TimeProvider _time;
    private readonly Dictionary<string, FakeTable> _tables = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FakeStream> _streams = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RecordedCall> _calls = new();
    private readonly ConcurrentQueue<RecordedAppend> _appends = new();
    private readonly List<(int Count, TaskCompletionSource Done)> _commitWaiters = [];
    private int _appendCount;
    private int _streamCount;
    private int _commits;

    public FakeBigQueryWrite(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    /// <summary>The largest AppendRows request accepted (the API's limit is 20 MB).</summary>
    public int MaxRequestBytes { get; set; } = 20_000_000;

    /// <summary>Keep decoded rows (tests); off, the fake only counts committed rows (benchmarks).</summary>
    public bool KeepRows { get; set; } = true;

    /// <summary>Called with the 1-based number of every append request received (all connections); returns a fault to inject.</summary>
    public Func<int, AppendFault?>? OnAppend { get; set; }

    /// <summary>Awaited before an append request is processed (hold the server back to observe the client).</summary>
    public Func<int, Task>? BeforeAppendAsync { get; set; }

    /// <summary>Called for every decoded row; a non-null message rejects the row (row_errors, whole request refused).</summary>
    public Func<FakeRow, string?>? RejectRow { get; set; }

    /// <summary>Called with the method name of every unary call; returns a fault to inject.</summary>
    public Func<string, UnaryFault?>? OnUnary { get; set; }

    /// <summary>Called for every commit; returned errors are sent as stream_errors and nothing is committed.</summary>
    public Func<BatchCommitWriteStreamsRequest, IReadOnlyList<StorageError>?>? CommitErrors { get; set; }

    /// <summary>Every call with its routing header.</summary>
    public IReadOnlyList<RecordedCall> Calls => [.. _calls];

    /// <summary>Every append request received.</summary>
    public IReadOnlyList<RecordedAppend> Appends => [.. _appends];

    /// <summary>Successful commits.</summary>
    public int Commits => Volatile.Read(ref _commits);

    /// <summary>Adds an empty table.</summary>
    public void AddTable(string resourceName, TableSchema schema)
    {
        lock (_lock)
        {
            _tables[resourceName] = new FakeTable(schema);
        }
    }

    /// <summary>Drops a table, as if it had never been created.</summary>
    public void RemoveTable(string resourceName)
    {
        lock (_lock)
        {
            _tables.Remove(resourceName);
        }
    }

    /// <summary>The committed (visible) rows of a table, in commit order.</summary>
    public IReadOnlyList<FakeRow> CommittedRows(string table)
    {
        lock (_lock)
        {
            return [.. _tables[table].Rows];
        }
    }

    /// <summary>How many rows a table shows.</summary>
    public long CommittedRowCount(string table)
    {
        lock (_lock)
        {
            return _tables[table].RowCount;
        }
    }

    /// <summary>Rows appended to streams that are not committed (invisible).</summary>
    public long UncommittedRowCount
    {
        get
        {
            lock (_lock)
            {
                return _streams.Values.Where(s => s.CommitTime is null).Sum(s => (long)s.RowCount);
            }
        }
    }

    /// <summary>The streams created so far.</summary>
    public IReadOnlyList<FakeStream> Streams
    {
        get
        {
            lock (_lock)
            {
                return [.. _streams.Values];
            }
        }
    }

    /// <summary>Completes when at least <paramref name="count"/> commits have succeeded.</summary>
    public Task WaitForCommitsAsync(int count, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_commits >= count)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _commitWaiters.Add((count, done));
            return done.Task.WaitAsync(cancellationToken);
        }
    }

    public override async Task<WriteStream> CreateWriteStream(CreateWriteStreamRequest request, ServerCallContext context)
    {
        Record(nameof(CreateWriteStream), context);
        var fault = Fault(nameof(CreateWriteStream));
        WriteStream result;
        lock (_lock)
        {
            var table = Table(request.Parent);
            if (request.WriteStream?.Type is not (WriteStream.Types.Type.Pending or WriteStream.Types.Type.Committed))
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, "the fake supports PENDING and COMMITTED streams"));
            }

            var name = $"{request.Parent}/streams/fake{++_streamCount:D6}";
            var stream = new FakeStream(name, request.Parent, request.WriteStream.Type, Timestamp.FromDateTimeOffset(_time.GetUtcNow()));
            _streams[name] = stream;
            result = new WriteStream
            {
                Name = name,
                Type = stream.Type,
                CreateTime = stream.CreateTime,
                TableSchema = table.Schema.Clone(),
                WriteMode = WriteStream.Types.WriteMode.Insert,
                Location = "fake-location",
            };
        }

        await AfterAsync(fault).ConfigureAwait(false);
        return result;
    }

    public override async Task<WriteStream> GetWriteStream(GetWriteStreamRequest request, ServerCallContext context)
    {
        Record(nameof(GetWriteStream), context);
        var fault = Fault(nameof(GetWriteStream));
        WriteStream result;
        lock (_lock)
        {
            if (request.Name.EndsWith("/streams/_default", StringComparison.Ordinal))
            {
                var tableName = request.Name[..^"/streams/_default".Length];
                var table = Table(tableName);
                result = new WriteStream { Name = request.Name, Type = WriteStream.Types.Type.Committed, WriteMode = WriteStream.Types.WriteMode.Insert };
                if (request.View == WriteStreamView.Full)
                {
                    result.TableSchema = table.Schema.Clone();
                }
            }
            else
            {
                var stream = Stream(request.Name);
                result = new WriteStream { Name = stream.Name, Type = stream.Type, CreateTime = stream.CreateTime, CommitTime = stream.CommitTime };
                if (request.View == WriteStreamView.Full)
                {
                    result.TableSchema = _tables[stream.Table].Schema.Clone();
                }
            }
        }

        await AfterAsync(fault).ConfigureAwait(false);
        return result;
    }

    public override async Task<FinalizeWriteStreamResponse> FinalizeWriteStream(FinalizeWriteStreamRequest request, ServerCallContext context)
    {
        Record(nameof(FinalizeWriteStream), context);
        var fault = Fault(nameof(FinalizeWriteStream));
        long rows;
        lock (_lock)
        {
            var stream = Stream(request.Name);
            stream.Finalized = true;
            rows = stream.RowCount;
        }

        await AfterAsync(fault).ConfigureAwait(false);
        return new FinalizeWriteStreamResponse { RowCount = rows };
    }

    public override async Task<BatchCommitWriteStreamsResponse> BatchCommitWriteStreams(BatchCommitWriteStreamsRequest request, ServerCallContext context)
    {
        Record(nameof(BatchCommitWriteStreams), context);
        var fault = Fault(nameof(BatchCommitWriteStreams));
        var response = new BatchCommitWriteStreamsResponse();
        lock (_lock)
        {
            var table = Table(request.Parent);
            foreach (var name in request.WriteStreams)
            {
                if (!_streams.TryGetValue(name, out var stream) || stream.Table != request.Parent)
                {
                    response.StreamErrors.Add(Error(StorageError.Types.StorageErrorCode.StreamNotFound, name, "stream not found in this table"));
                }
                else if (stream.CommitTime is not null)
                {
                    response.StreamErrors.Add(Error(StorageError.Types.StorageErrorCode.StreamAlreadyCommitted, name, "stream already committed"));
                }
                else if (!stream.Finalized)
                {
                    response.StreamErrors.Add(Error(StorageError.Types.StorageErrorCode.InvalidStreamState, name, "stream is not finalized"));
                }
            }

            if (response.StreamErrors.Count == 0 && CommitErrors?.Invoke(request) is { Count: > 0 } injected)
            {
                response.StreamErrors.AddRange(injected);
            }

            if (response.StreamErrors.Count == 0)
            {
                // All or nothing: every listed stream becomes visible at the same commit time.
                var now = Timestamp.FromDateTimeOffset(_time.GetUtcNow());
                foreach (var name in request.WriteStreams)
                {
                    var stream = _streams[name];
                    stream.CommitTime = now;
                    table.Add(stream, KeepRows);
                }

                response.CommitTime = now;
                _commits++;
                foreach (var waiter in _commitWaiters.Where(w => w.Count <= _commits).ToList())
                {
                    _commitWaiters.Remove(waiter);
                    waiter.Done.TrySetResult();
                }
            }
        }

        await AfterAsync(fault).ConfigureAwait(false);
        return response;
    }

    public override async Task AppendRows(IAsyncStreamReader<AppendRowsRequest> requestStream, IServerStreamWriter<AppendRowsResponse> responseStream, ServerCallContext context)
    {
        Record(nameof(AppendRows), context);
        var routing = context.RequestHeaders.GetValue(RoutingHeader);
        string? streamName = null;
        DescriptorRowDecoder? decoder = null;
        while (await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            var request = requestStream.Current;
            var number = Interlocked.Increment(ref _appendCount);
            var size = request.CalculateSize();
            streamName ??= request.WriteStream;
            if (string.IsNullOrEmpty(streamName))
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, "the first AppendRows request of a connection must name write_stream"));
            }

            if (request.WriteStream.Length > 0 && request.WriteStream != streamName)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, "the fake does not switch streams on one connection"));
            }

            if (request.ProtoRows?.WriterSchema is { } schema)
            {
                decoder = CheckedDecoder(streamName, schema);
            }

            if (decoder is null)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, "the first AppendRows request of a connection must carry writer_schema"));
            }

            var rows = request.ProtoRows?.Rows?.SerializedRows ?? [];
            _appends.Enqueue(new RecordedAppend(number, streamName, request.Offset, rows.Count, size, request.ProtoRows?.WriterSchema is not null, routing));
            if (BeforeAppendAsync is { } before)
            {
                await before(number).ConfigureAwait(false);
            }

            var fault = OnAppend?.Invoke(number);
            switch (fault?.Kind)
            {
                case AppendFaultKind.DropBeforeProcessing:
                    throw new RpcException(new Status(StatusCode.Unavailable, $"fake: connection dropped at append {number}"));
                case AppendFaultKind.ResetBeforeProcessing:
                    context.GetHttpContext().Abort();
                    return;
                case AppendFaultKind.InBandError:
                    await responseStream.WriteAsync(new AppendRowsResponse { Error = new Google.Rpc.Status { Code = (int)fault.Code, Message = $"fake: injected {fault.Code}" }, WriteStream = streamName }).ConfigureAwait(false);
                    continue;
            }

            var response = Append(streamName, request, rows, decoder, size);
            if (fault?.Kind == AppendFaultKind.DropAfterProcessing)
            {
                throw new RpcException(new Status(StatusCode.Unavailable, $"fake: connection dropped after processing append {number}"));
            }

            await responseStream.WriteAsync(response).ConfigureAwait(false);
        }
    }

    private AppendRowsResponse Append(string streamName, AppendRowsRequest request, IList<ByteString> rows, DescriptorRowDecoder decoder, int size)
    {
        var response = new AppendRowsResponse { WriteStream = streamName };
        if (size > MaxRequestBytes)
        {
            response.Error = new Google.Rpc.Status { Code = (int)StatusCode.InvalidArgument, Message = $"AppendRows request of {size} bytes is over the {MaxRequestBytes}-byte limit" };
            return response;
        }

        // Decode outside the lock: it is the expensive part, and rows of a request that turns out to be a duplicate are simply dropped.
        var decoded = new List<FakeRow>(rows.Count);
        var errors = new List<RowError>();
        FakeTable table;
        lock (_lock)
        {
            table = _tables[Stream(streamName).Table];
        }

        var materialize = KeepRows || RejectRow is not null;
        var required = table.RequiredMask(decoder);
        for (var i = 0; i < rows.Count; i++)
        {
            if (!materialize)
            {
                // The benchmark's path: every row is still walked with the sent descriptor and checked, not kept.
                try
                {
                    if ((decoder.Validate(rows[i]) & required) != required)
                    {
                        errors.Add(new RowError { Index = i, Code = RowError.Types.RowErrorCode.FieldsError, Message = "a required column has no value" });
                    }
                }
                catch (Exception e) when (e is InvalidProtocolBufferException or FormatException)
                {
                    errors.Add(new RowError { Index = i, Code = RowError.Types.RowErrorCode.FieldsError, Message = "cannot decode the row: " + e.Message });
                }

                continue;
            }

            FakeRow row;
            try
            {
                row = new FakeRow(decoder.Decode(rows[i]));
            }
            catch (Exception e) when (e is InvalidProtocolBufferException or FormatException)
            {
                errors.Add(new RowError { Index = i, Code = RowError.Types.RowErrorCode.FieldsError, Message = "cannot decode the row: " + e.Message });
                continue;
            }

            var problem = table.MissingRequired(row) ?? RejectRow?.Invoke(row);
            if (problem is not null)
            {
                errors.Add(new RowError { Index = i, Code = RowError.Types.RowErrorCode.FieldsError, Message = problem });
            }

            decoded.Add(row);
        }

        lock (_lock)
        {
            var stream = Stream(streamName);
            if (stream.Finalized || stream.CommitTime is not null)
            {
                response.Error = new Google.Rpc.Status { Code = (int)StatusCode.InvalidArgument, Message = $"stream {streamName} is finalized" };
                response.Error.Details.Add(Any.Pack(Error(StorageError.Types.StorageErrorCode.StreamFinalized, streamName, "stream is finalized")));
                return response;
            }

            var offset = request.Offset ?? stream.RowCount;
            if (offset < stream.RowCount)
            {
                response.Error = new Google.Rpc.Status { Code = (int)StatusCode.AlreadyExists, Message = $"offset {offset} already exists (stream has {stream.RowCount} rows)" };
                response.Error.Details.Add(Any.Pack(Error(StorageError.Types.StorageErrorCode.OffsetAlreadyExists, streamName, "offset already exists")));
                return response;
            }

            if (offset > stream.RowCount)
            {
                response.Error = new Google.Rpc.Status { Code = (int)StatusCode.OutOfRange, Message = $"offset {offset} is beyond the end ({stream.RowCount} rows)" };
                response.Error.Details.Add(Any.Pack(Error(StorageError.Types.StorageErrorCode.OffsetOutOfRange, streamName, "offset out of range")));
                return response;
            }

            if (errors.Count > 0)
            {
                response.Error = new Google.Rpc.Status { Code = (int)StatusCode.InvalidArgument, Message = "Errors found while processing rows. Please refer to the row_errors field for details." };
                response.RowErrors.AddRange(errors);
                return response;
            }

            stream.Append(decoded, rows.Count, KeepRows);
            response.AppendResult = new AppendRowsResponse.Types.AppendResult { Offset = offset };
            return response;
        }
    }

    private DescriptorRowDecoder CheckedDecoder(string streamName, ProtoSchema schema)
    {
        DescriptorRowDecoder decoder;
        try
        {
            decoder = new DescriptorRowDecoder(schema.ProtoDescriptor);
        }
        catch (DescriptorValidationException e)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "invalid writer_schema: " + e.Message));
        }

        FakeTable table;
        lock (_lock)
        {
            table = _tables[Stream(streamName).Table];
        }

        var problem = table.Incompatible(decoder.Fields);
        return problem is null ? decoder : throw new RpcException(new Status(StatusCode.InvalidArgument, problem));
    }

    private FakeTable Table(string name) =>
        _tables.TryGetValue(name, out var table) ? table : throw new RpcException(new Status(StatusCode.NotFound, $"Not found: Table {name}"));

    private FakeStream Stream(string name) =>
        _streams.TryGetValue(name, out var stream) ? stream : throw new RpcException(new Status(StatusCode.NotFound, $"Not found: Stream {name}"));

    private static StorageError Error(StorageError.Types.StorageErrorCode code, string entity, string message) =>
        new() { Code = code, Entity = entity, ErrorMessage = message };

    private void Record(string method, ServerCallContext context) =>
        _calls.Enqueue(new RecordedCall(method, context.RequestHeaders.GetValue(RoutingHeader)));

    private UnaryFault? Fault(string method)
    {
        var fault = OnUnary?.Invoke(method);
        if (fault is { AfterProcessing: false })
        {
            throw Exception(fault);
        }

        return fault;
    }

    private static Task AfterAsync(UnaryFault? fault) => fault is { AfterProcessing: true } ? Task.FromException(Exception(fault)) : Task.CompletedTask;

    private static RpcException Exception(UnaryFault fault)
    {
        var trailers = fault.RetryAfter is { } delay
            ? RpcErrorDetails.Trailers(fault.Code, fault.Message, new Google.Rpc.RetryInfo { RetryDelay = Duration.FromTimeSpan(delay) })
            : [];
        return new RpcException(new Status(fault.Code, fault.Message), trailers);
    }

    /// <summary>A table: its schema and committed rows.</summary>
    private sealed class FakeTable(TableSchema schema)
    {
        public TableSchema Schema { get; } = schema;

        public List<FakeRow> Rows { get; } = [];

        public long RowCount { get; private set; }

        public void Add(FakeStream stream, bool keepRows)
        {
            if (keepRows)
            {
                Rows.AddRange(stream.Rows);
            }

            RowCount += stream.RowCount;
        }

        /// <summary>The field numbers (as bits) of the descriptor fields that fill REQUIRED columns.</summary>
        public ulong RequiredMask(DescriptorRowDecoder decoder)
        {
            ulong mask = 0;
            foreach (var field in decoder.Fields)
            {
                if (field.FieldNumber < 64 && Schema.Fields.Any(c => c.Mode == TableFieldSchema.Types.Mode.Required && string.Equals(c.Name, field.Name, StringComparison.OrdinalIgnoreCase)))
                {
                    mask |= 1UL << field.FieldNumber;
                }
            }

            return mask;
        }

        public string? MissingRequired(FakeRow row)
        {
            foreach (var f in Schema.Fields)
            {
                if (f.Mode == TableFieldSchema.Types.Mode.Required && !row.Values.ContainsKey(f.Name))
                {
                    return $"required column {f.Name} has no value";
                }
            }

            return null;
        }

        public string? Incompatible(IList<FieldDescriptor> fields)
        {
            foreach (var field in fields)
            {
                var column = Schema.Fields.FirstOrDefault(c => string.Equals(c.Name, field.Name, StringComparison.OrdinalIgnoreCase));
                if (column is null)
                {
                    return $"Input schema has more fields than BigQuery schema, extra fields: '{field.Name}'";
                }

                if (field.IsRepeated != (column.Mode == TableFieldSchema.Types.Mode.Repeated))
                {
                    return $"field {field.Name}: repeated does not match the mode of column {column.Name} ({column.Mode})";
                }

                var ok = column.Type switch
                {
                    TableFieldSchema.Types.Type.String => field.FieldType == FieldType.String,
                    TableFieldSchema.Types.Type.Int64 => field.FieldType is FieldType.Int64 or FieldType.Int32 or FieldType.SInt64 or FieldType.UInt32,
                    TableFieldSchema.Types.Type.Double => field.FieldType is FieldType.Double or FieldType.Float,
                    TableFieldSchema.Types.Type.Date => field.FieldType is FieldType.Int32 or FieldType.Int64,
                    TableFieldSchema.Types.Type.Timestamp => field.FieldType is FieldType.Int64,
                    TableFieldSchema.Types.Type.Bool => field.FieldType == FieldType.Bool,
                    TableFieldSchema.Types.Type.Json => field.FieldType == FieldType.String,
                    TableFieldSchema.Types.Type.Numeric or TableFieldSchema.Types.Type.Bignumeric => field.FieldType is FieldType.String or FieldType.Int64 or FieldType.Int32,
                    _ => false,
                };
                if (!ok)
                {
                    return $"field {field.Name} of type {field.FieldType} cannot be converted to column {column.Name} of type {column.Type}";
                }
            }

            return null;
        }
    }
}

/// <summary>A stream of the fake.</summary>
public sealed class FakeStream(string name, string table, WriteStream.Types.Type type, Timestamp createTime)
{
    private readonly List<FakeRow> _rows = [];

    public string Name { get; } = name;

    public string Table { get; } = table;

    public WriteStream.Types.Type Type { get; } = type;

    public Timestamp CreateTime { get; } = createTime;

    public bool Finalized { get; set; }

    public Timestamp? CommitTime { get; set; }

    public int RowCount { get; private set; }

    public IReadOnlyList<FakeRow> Rows => _rows;

    public void Append(List<FakeRow> rows, int count, bool keep)
    {
        if (keep)
        {
            _rows.AddRange(rows);
        }

        RowCount += count;
    }
}

/// <summary>One decoded row: column name to value (DATE as days, TIMESTAMP as microseconds, arrays as lists).</summary>
public sealed class FakeRow(Dictionary<string, object?> values)
{
    public IReadOnlyDictionary<string, object?> Values { get; } = values;

    public string AccountId => (string)Values["account_id"]!;

    public DateOnly ScoreDate => DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + (int)Values["score_date"]!);

    public string RunId => (string)Values["run_id"]!;

    public object? this[string column] => Values.TryGetValue(column, out var v) ? v : null;
}

/// <summary>A call as received.</summary>
public sealed record RecordedCall(string Method, string? RoutingParams);

/// <summary>An append request as received.</summary>
public sealed record RecordedAppend(int Number, string Stream, long? Offset, int Rows, int Bytes, bool HadSchema, string? RoutingParams);

/// <summary>What to do to an append request.</summary>
public enum AppendFaultKind
{
    /// <summary>Fail the call with UNAVAILABLE before the request is processed.</summary>
    DropBeforeProcessing,

    /// <summary>Write the rows, then fail the call with UNAVAILABLE: the answer is lost.</summary>
    DropAfterProcessing,

    /// <summary>Reset the HTTP/2 stream (RST_STREAM) before the request is processed.</summary>
    ResetBeforeProcessing,

    /// <summary>Answer in-band with an error status; nothing is written.</summary>
    InBandError,
}

/// <summary>A fault for one append request.</summary>
public sealed record AppendFault(AppendFaultKind Kind, StatusCode Code = StatusCode.Unavailable);

/// <summary>A fault for a unary call: fail before doing anything, or do it and then fail (the answer is lost).</summary>
public sealed record UnaryFault(StatusCode Code, string Message = "fake: injected fault", bool AfterProcessing = false, TimeSpan? RetryAfter = null);
