using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SalesIntel.Stages.Decode;
using SalesIntel.Stages.Errors;
using SalesIntel.Stages.GoogleApis.BigQuery;
using SalesIntel.Stages.GoogleApis;
using SalesIntel.Stages.Protos.BigQueryStorage;
using SalesIntel.Stages.Sources.BigQuery.Internal;

namespace SalesIntel.Stages.Sources.BigQuery;

/// <summary>
/// Reads <c>account_signals</c> from BigQuery with the Storage Read API in Arrow, never with query jobs: one read
/// session per run (per Cloud Run task) projecting only the needed columns and filtered to the chosen partitions,
/// its streams read concurrently into a bounded buffer. <see cref="OpenAsync"/> creates the session and checks the
/// <c>--max-rows</c> / <c>--max-bytes</c> guards against its estimates before a row is read; <see cref="ReadAsync"/>
/// yields one Arrow batch per ReadRows response, resuming broken streams at the row offset already consumed.
/// </summary>
public sealed class BigQuerySource : IAccountSource
{
    private static readonly string[] Scopes = ["https://www.googleapis.com/auth/bigquery", GoogleChannelFactory.CloudPlatformScope];

    private readonly BigQuerySourceOptions _options;
    private readonly ReadTarget _target;
    private readonly TaskShard _shard;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private GrpcChannel? _channel;
    private BigQueryRead.BigQueryReadClient? _client;
    private ReadSession? _session;
    private ArrowResponseDecoder? _decoder;
    private int _reads;

    /// <summary>Creates the source; throws <see cref="ConfigurationException"/> listing every invalid option.</summary>
    /// <param name="options">The options, validated here.</param>
    /// <param name="timeProvider">The clock for retry delays. Defaults to the system clock.</param>
    /// <param name="logger">Where retries and session facts are logged. Defaults to nowhere.</param>
    public BigQuerySource(BigQuerySourceOptions options, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        options.Validate();
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _shard = TaskShard.For(options.Dates, options.PartitionColumn, Model.AccountSignalsTable.KeyColumn, options.TaskIndex, options.TaskCount, options.TaskKeyBoundaries?.ToArray());
        var table = BigQueryTableReference.Parse(options.Table);
        var partitions = options.Dates.AllDates
            ? "every partition (--all-dates)"
            : $"{options.PartitionColumn} {options.Dates} ({options.Dates.Days().Count()} partition(s))";
        _target = new ReadTarget(table, options.BillingProject ?? table.ProjectId, [.. options.SelectedColumns], _shard.RowRestriction, partitions);
    }

    /// <summary>The table read.</summary>
    public BigQueryTableReference Table => _target.Table;

    /// <summary>The session name once opened (for logs and the run summary).</summary>
    public string? SessionName => _session?.Name;

    /// <summary>Creates the read session, checks the schema and the guards, and returns the plan. Reads no row.</summary>
    public async ValueTask<SourcePlan> OpenAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_session is not null)
        {
            throw new InvalidOperationException("the BigQuery source is already open");
        }

        _channel ??= GoogleChannelFactory.Create(BigQuerySourceOptions.Endpoint, BigQuerySourceOptions.EmulatorVariable, _options.EmulatorHost, Scopes);
        _client = new BigQueryRead.BigQueryReadClient(_channel);
        var opener = new ReadSessionOpener(_client, _options, _time, _logger);
        var session = await opener.OpenAsync(BuildRequest(), _target, cancellationToken);

        var schemaBytes = session.ArrowSchema?.SerializedSchema;
        if (schemaBytes is null || schemaBytes.IsEmpty)
        {
            throw new SourceException($"{_target.Table.Uri}: read session {session.Name} came back without an Arrow schema (data format {session.DataFormat}); the server does not speak the Arrow read API.");
        }

        ArrowResponseDecoder decoder;
        Model.TableSchema schema;
        try
        {
            decoder = new ArrowResponseDecoder(schemaBytes);
            schema = BigQueryArrowTypes.ToTableSchema(decoder.Schema);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException)
        {
            throw new SourceException($"{_target.Table.Uri}: read session {session.Name}: {e.Message}.", inner: e);
        }

        if (_options.ChecksAccountSchema)
        {
            AccountSchemaCheck.Validate(schema, _target.Table.Uri);
        }

        _session = session;
        _decoder = decoder;
        BigQueryReadLog.SessionCreated(_logger, session.Name, _target.Table.Uri, session.Streams.Count, session.EstimatedRowCount, session.EstimatedTotalBytesScanned, _target.RowRestriction ?? "none");
        var guard = GuardMessage(session);
        if (guard is not null && !_options.ReportGuardsOnly)
        {
            throw new GuardTrippedException(guard);
        }

        return Plan(session, schema, guard);
    }

    /// <summary>
    /// Reads every stream of the session concurrently and yields one batch per ReadRows response, positions naming
    /// the stream and row offset. Stops after <c>--limit</c> rows, cancelling the open streams.
    /// </summary>
    public async IAsyncEnumerable<SourceBatch> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var session = _session ?? throw new InvalidOperationException("call OpenAsync before ReadAsync");
        if (Interlocked.Exchange(ref _reads, 1) != 0)
        {
            throw new InvalidOperationException("a BigQuery read session is read once");
        }

        if (session.Streams.Count == 0)
        {
            yield break;
        }

        var buffer = Channel.CreateBounded<SourceBatch>(new BoundedChannelOptions(_options.BufferedBatches)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        using var readers = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var worker = new ReadStreamWorker(_client!, _decoder!, _target, _options, _time, _logger);
        Exception? failure = null;
        var pump = PumpAsync();
        var remaining = _options.Limit ?? long.MaxValue;
        try
        {
            await foreach (var batch in buffer.Reader.ReadAllAsync(cancellationToken))
            {
                // ReadAllAsync drains buffered items without looking at the token; a cancelled run stops at once.
                if (cancellationToken.IsCancellationRequested)
                {
                    batch.Rows.Dispose();
                    cancellationToken.ThrowIfCancellationRequested();
                }

                if (batch.Rows.Length >= remaining)
                {
                    var last = (int)remaining;
                    yield return last == batch.Rows.Length ? batch : batch with { Rows = batch.Rows.Slice(0, last) };
                    BigQueryReadLog.LimitReached(_logger, _target.Table.Uri, _options.Limit!.Value);
                    yield break;
                }

                remaining -= batch.Rows.Length;
                yield return batch;
            }

            if (failure is not null)
            {
                ExceptionDispatchInfo.Throw(failure);
            }
        }
        finally
        {
            await readers.CancelAsync();
            await pump;
            while (buffer.Reader.TryRead(out var unread))
            {
                unread.Rows.Dispose();
            }
        }

        async Task PumpAsync()
        {
            var tasks = session.Streams.Select(s => Task.Run(() => worker.ReadAsync(s.Name, buffer.Writer, readers.Token), readers.Token)).ToList();
            while (tasks.Count > 0)
            {
                var done = await Task.WhenAny(tasks);
                tasks.Remove(done);
                if (done.Exception?.InnerException is { } e && failure is null)
                {
                    // The first real failure stops every stream; the cancellations it causes are not failures.
                    failure = e;
                    await readers.CancelAsync();
                }
            }

            buffer.Writer.TryComplete();
        }
    }

    /// <summary>Closes the gRPC channel.</summary>
    public ValueTask DisposeAsync()
    {
        _channel?.Dispose();
        _channel = null;
        return ValueTask.CompletedTask;
    }

    private CreateReadSessionRequest BuildRequest()
    {
        var readOptions = new ReadSession.Types.TableReadOptions
        {
            ArrowSerializationOptions = new ArrowSerializationOptions
            {
                BufferCompression = _options.Compression switch
                {
                    BigQueryCompression.Lz4Frame => ArrowSerializationOptions.Types.CompressionCodec.Lz4Frame,
                    BigQueryCompression.Zstd => ArrowSerializationOptions.Types.CompressionCodec.Zstd,
                    _ => ArrowSerializationOptions.Types.CompressionCodec.CompressionUnspecified,
                },
            },
        };
        readOptions.SelectedFields.Add(_target.Columns);
        if (_target.RowRestriction is not null)
        {
            readOptions.RowRestriction = _target.RowRestriction;
        }

        return new CreateReadSessionRequest
        {
            Parent = $"projects/{_target.BillingProject}",
            MaxStreamCount = _options.MaxStreams,
            ReadSession = new ReadSession
            {
                Table = _target.Table.ResourceName,
                DataFormat = DataFormat.Arrow,
                ReadOptions = readOptions,
                TraceId = "salesintel",
            },
        };
    }

    private string? GuardMessage(ReadSession session)
    {
        var rows = session.EstimatedRowCount;
        var bytes = session.EstimatedTotalBytesScanned;
        var limited = "";
        if (_options.Limit is { } limit && rows > limit)
        {
            // The run stops after --limit rows, so it reads (and is billed for) about that share of the estimate.
            bytes = (long)(bytes * ((double)limit / rows));
            rows = limit;
            limited = $" (--limit {limit} reads about {N(rows)} rows, {ByteSize.Format(bytes)})";
        }

        var over = new List<string>();
        var raise = new List<string>();
        if (_options.MaxRows is { } maxRows && rows > maxRows)
        {
            over.Add($"{N(rows)} rows over --max-rows {N(maxRows)}");
            raise.Add($"--max-rows {rows}");
        }

        if (_options.MaxBytes is { } maxBytes && bytes > maxBytes)
        {
            over.Add($"{ByteSize.Format(bytes)} ({N(bytes)} bytes) scanned over --max-bytes {N(maxBytes)} ({ByteSize.Format(maxBytes)})");
            raise.Add($"--max-bytes {bytes}");
        }

        return over.Count == 0
            ? null
            : $"{_target.Table.Uri}: the read session estimates {string.Join(" and ", over)} for {_target.Partitions}{limited}, in {session.Streams.Count} stream(s); nothing was read. Narrow the dates (--date, --from/--to) or raise the guard with {string.Join(" ", raise)}.";
    }

    private SourcePlan Plan(ReadSession session, Model.TableSchema schema, string? guard)
    {
        var details = new List<string>
        {
            $"session: {session.Name}",
            $"streams: {session.Streams.Count} (--max-streams {_options.MaxStreams})",
            $"estimated rows: {N(session.EstimatedRowCount)}",
            $"estimated bytes scanned: {N(session.EstimatedTotalBytesScanned)} ({ByteSize.Format(session.EstimatedTotalBytesScanned)})",
            $"columns: {_target.ColumnList}",
            $"filter: {_target.RowRestriction ?? "none (--all-dates)"}",
            $"partitions: {_target.Partitions}",
            $"billing project: {_target.BillingProject}",
            $"compression: {_options.Compression}",
        };
        if (_shard.Description is { } share)
        {
            details.Add(share);
        }

        if (_options.Limit is { } limit)
        {
            details.Add($"limit: {N(limit)} rows");
        }

        details.Add(guard is null ? $"guards: within{GuardList()}" : $"guards: WOULD STOP THE RUN: {guard}");

        return new SourcePlan($"{_target.Table.Uri} (BigQuery Storage Read API, Arrow)", schema, session.EstimatedRowCount, session.EstimatedTotalBytesScanned, details);
    }

    private string GuardList()
    {
        var guards = new[]
        {
            _options.MaxRows is { } rows ? $"--max-rows {N(rows)}" : null,
            _options.MaxBytes is { } bytes ? $"--max-bytes {N(bytes)} ({ByteSize.Format(bytes)})" : null,
        }.OfType<string>().ToList();
        return guards.Count == 0 ? " (none set)" : " " + string.Join(", ", guards);
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
