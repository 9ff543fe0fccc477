using System.Runtime.ExceptionServices;
using System.Text;
using Apache.Arrow;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SalesIntel.Stages.Errors;
using SalesIntel.Stages.GoogleApis.BigQuery;
using SalesIntel.Stages.GoogleApis;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Protos.BigQueryStorage;
using SalesIntel.Stages.Sinks.BigQuery.Internal;
using SalesIntel.Stages.Sources.BigQuery;

namespace SalesIntel.Stages.Sinks.BigQuery;

/// <summary>
/// Loads recommendations into a BigQuery table with the Storage Write API, exactly once, in chunks.
/// <para>
/// Each chunk is a PENDING write stream: rows are appended as protobuf rows (the <c>RecommendationRow</c> descriptor
/// is the writer schema) with explicit offsets, several requests in flight, each under the request size limit; when
/// the chunk reaches <see cref="BigQuerySinkOptions.CommitRows"/> rows or has been open for
/// <see cref="BigQuerySinkOptions.CommitInterval"/>, its stream is finalized and committed with
/// BatchCommitWriteStreams. Nothing of a chunk is visible before its commit, so a killed run loses at most the chunk
/// in flight. <see cref="CompleteAsync"/> commits the last chunk; disposing without it aborts that chunk (its stream
/// is never committed). Rows BigQuery rejects one by one come back as dead letters from <see cref="CompleteAsync"/>.
/// </para>
/// </summary>
public sealed class BigQuerySink : IRecommendationSink, IResumableSink
{
    private static readonly string[] Scopes =
    [
        "https://www.googleapis.com/auth/bigquery",
        GoogleChannelFactory.CloudPlatformScope,
    ];

    private readonly BigQueryTableReference _table;
    private readonly int _commitRows;
    private readonly TimeSpan _commitInterval;
    private readonly int _maxRequestBytes;
    private readonly int _targetRequestBytes;
    private readonly int _envelopeBytes;
    private readonly BigQuerySinkOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly GrpcChannel _channel;
    private readonly WriteRetry _retry;
    private readonly WriteClient _client;
    private readonly RecommendationRowEncoder _encoder = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _lifetime = new();
    private readonly List<DeadLetter> _rejected = [];
    private readonly CallInvoker _invoker;

    private PendingChunk? _chunk;
    private AppendBatch<Recommendation>? _request;
    private int _chunks;
    private int _chunksCommitted;
    private long _rowsCommitted;
    private long _requestsSent;
    private long _bytesSent;
    private int _reconnects;
    private int _alreadyExisted;
    private ExceptionDispatchInfo? _fault;
    private bool _completed;
    private bool _disposed;

    /// <summary>Builds the sink; validates <paramref name="options"/> and opens the channel (emulator or ADC).</summary>
    /// <exception cref="ConfigurationException">A bad option or missing credentials.</exception>
    public BigQuerySink(BigQuerySinkOptions options, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _table = BigQueryTableReference.Parse(options.Table, BigQuerySinkOptions.TableOption);
        _options = options;
        _commitRows = options.CommitRows;
        _commitInterval = options.CommitInterval;
        _maxRequestBytes = options.MaxRequestBytes;
        _targetRequestBytes = Math.Min(options.TargetRequestBytes, options.MaxRequestBytes);
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;

        // What a request carries besides its rows, at most: the writer schema and stream name (first request of a
        // connection, and any request can become one after a reconnect), offset, trace id, and the wrappers.
        var streamNameBound = Encoding.UTF8.GetByteCount(_table.ResourceName) + 256;
        _envelopeBytes = RecommendationRowEncoder.WriterSchemaBytes.Length + streamNameBound + Encoding.UTF8.GetByteCount(options.TraceId) + 64;
        if (_envelopeBytes >= _maxRequestBytes)
        {
            throw new ConfigurationException($"BigQuery sink: max request bytes {_maxRequestBytes} leaves no room for rows (the envelope alone takes {_envelopeBytes}).");
        }

        _channel = GoogleChannelFactory.Create(BigQuerySinkDefaults.Endpoint, BigQuerySinkDefaults.EmulatorVariable, options.EmulatorHost, Scopes);
        _retry = new WriteRetry(options, _time, _logger);
        _client = new WriteClient(new BigQueryWrite.BigQueryWriteClient(_channel), _retry);
        _invoker = _channel.CreateCallInvoker();
    }

    /// <inheritdoc />
    public string Description =>
        $"{_table} (BigQuery Storage Write API, PENDING streams committed every {_commitRows:N0} rows or {_commitInterval.TotalSeconds:0.###} s)";

    /// <summary>What the sink has done so far.</summary>
    public BigQuerySinkStatistics Statistics
    {
        get
        {
            var live = _chunk?.Appender;
            return new BigQuerySinkStatistics(
                Interlocked.Read(ref _rowsCommitted),
                Volatile.Read(ref _chunksCommitted),
                _rejected.Count,
                _requestsSent + (live?.RequestsSent ?? 0),
                _bytesSent + (live?.BytesSent ?? 0),
                _reconnects + (live?.Reconnects ?? 0),
                _alreadyExisted + (live?.AlreadyExisted ?? 0),
                _retry.RetriesUsed);
        }
    }

    /// <summary>
    /// Checks that the table exists and takes every column the sink writes with a compatible type, from the table
    /// schema GetWriteStream returns for the default stream with the FULL view.
    /// </summary>
    /// <exception cref="SinkException">The table is missing or unreachable, or its schema does not fit (one line naming the columns).</exception>
    public async ValueTask PreflightAsync(CancellationToken cancellationToken)
    {
        var stream = await _client.GetStreamAsync(_table.DefaultStream, WriteStreamView.Full, _table.ToString(), cancellationToken).ConfigureAwait(false);
        if (stream.TableSchema is null)
        {
            throw new SinkException($"{_table}: GetWriteStream (view FULL) returned no table schema, so the columns cannot be checked.");
        }

        var problems = SinkSchemaCheck.Problems(stream.TableSchema, RecommendationsTable.Schema);
        if (problems.Count > 0)
        {
            throw new SinkException(
                $"{_table} does not fit the rows SalesIntel writes: {string.Join("; ", problems)}. Fix the table (deploy/account_recommendations.sql has the DDL) or choose another --sink.");
        }

        BigQuerySinkLog.PreflightPassed(_logger, _table.ToString(), _commitRows, _commitInterval.TotalSeconds);
    }

    /// <summary>
    /// Reads back which accounts the table already holds for <paramref name="dates"/>: <c>account_id</c> and
    /// <c>score_date</c> only, through the Storage Read API (the BigQuery source) with a row restriction on
    /// <c>score_date</c>, so only those partitions are read. Rows of any earlier run count.
    /// </summary>
    public async ValueTask<IReadOnlySet<(string AccountId, DateOnly ScoreDate)>> CommittedAsync(DateRange dates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dates);
        var committed = new HashSet<(string, DateOnly)>();
        var options = new BigQuerySourceOptions
        {
            Table = _table.ToString(),
            Dates = dates,
            PartitionColumn = RecommendationsTable.PartitionColumn,
            Columns = ["account_id", RecommendationsTable.PartitionColumn],
            EmulatorHost = _options.EmulatorHost,
        };
        try
        {
            await using var source = new BigQuerySource(options, _time, _logger);
            await source.OpenAsync(cancellationToken).ConfigureAwait(false);
            await foreach (var batch in source.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                using var rows = batch.Rows;
                var ids = (StringArray)rows.Column("account_id");
                var days = (Date32Array)rows.Column(RecommendationsTable.PartitionColumn);
                for (var i = 0; i < rows.Length; i++)
                {
                    if (ids.GetString(i) is { } id && days.GetDateOnly(i) is { } day)
                    {
                        committed.Add((id, day));
                    }
                }
            }
        }
        catch (SourceException e)
        {
            throw new SinkException($"cannot read back what {_table} already holds for {dates}: {e.Message}", e.IsTransient, e);
        }

        BigQuerySinkLog.CommittedRead(_logger, committed.Count, _table.ToString(), dates.ToString());
        return committed;
    }

    /// <inheritdoc />
    public async ValueTask WriteAsync(IReadOnlyList<Recommendation> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfUnusable();
            await GuardAsync(WriteCoreAsync(batch, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask<SinkResult> CompleteAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfUnusable();
            if (_chunk is { } chunk)
            {
                await GuardAsync(CommitAsync(chunk, cancellationToken), cancellationToken).ConfigureAwait(false);
            }

            _completed = true;
            return new SinkResult(Interlocked.Read(ref _rowsCommitted), [.. _rejected], _table.ToString());
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Aborts the chunk in flight unless <see cref="CompleteAsync"/> ran: its stream is never committed.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _lifetime.CancelAsync().ConfigureAwait(false);
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_chunk is { } chunk)
            {
                await AbortAsync(chunk).ConfigureAwait(false);
            }

            _channel.Dispose();
        }
        finally
        {
            _gate.Release();
            _lifetime.Dispose();
        }
    }

    private async ValueTask WriteCoreAsync(IReadOnlyList<Recommendation> batch, CancellationToken cancellationToken)
    {
        for (var index = 0; index < batch.Count; index++)
        {
            var recommendation = batch[index];
            var size = _encoder.Measure(recommendation);
            var framed = AppendBatch<Recommendation>.FramedSize(size);
            if (framed + _envelopeBytes > _maxRequestBytes)
            {
                _rejected.Add(DeadLetterOf(new RejectedRow<Recommendation>(recommendation, "row_too_large",
                    $"the encoded row is {size} bytes, over the {_maxRequestBytes}-byte request limit", "never sent")));
                continue;
            }

            var chunk = _chunk ?? await OpenChunkAsync(cancellationToken).ConfigureAwait(false);
            if (_request is { } full && full.RowBytes + framed + _envelopeBytes > _targetRequestBytes)
            {
                await SendRequestAsync(chunk, cancellationToken).ConfigureAwait(false);
            }

            // Measure and Write go as a pair on the encoder: nothing above touches it.
            _request ??= new AppendBatch<Recommendation>((int)Math.Min(_targetRequestBytes, (long)(batch.Count - index) * framed), RecommendationRowEncoder.WriterSchemaBytes);
            _request.Add(recommendation, _encoder, size);
            chunk.Rows++;
            if (chunk.Rows >= _commitRows)
            {
                await CommitAsync(chunk, cancellationToken).ConfigureAwait(false);
            }
        }

        if (_chunk is { } open && _request is not null)
        {
            await SendRequestAsync(open, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask<PendingChunk> OpenChunkAsync(CancellationToken cancellationToken)
    {
        var stream = await _client.CreatePendingStreamAsync(_table, cancellationToken).ConfigureAwait(false);
        var appender = new StreamAppender<Recommendation>(_invoker, stream.Name, _options, _retry, _time, _logger);
        var chunk = new PendingChunk(++_chunks, appender, _time.GetUtcNow());
        chunk.CommitTimer = _time.CreateTimer(_ => OnCommitDue(chunk), null, _commitInterval, Timeout.InfiniteTimeSpan);
        _chunk = chunk;
        BigQuerySinkLog.ChunkOpened(_logger, chunk.Number, stream.Name);
        return chunk;
    }

    private async ValueTask SendRequestAsync(PendingChunk chunk, CancellationToken cancellationToken)
    {
        var batch = _request!;
        _request = null;
        await chunk.Appender.AppendAsync(batch, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask CommitAsync(PendingChunk chunk, CancellationToken cancellationToken)
    {
        if (_request is not null)
        {
            await SendRequestAsync(chunk, cancellationToken).ConfigureAwait(false);
        }

        chunk.CommitTimer?.Dispose();
        var appender = chunk.Appender;
        if (chunk.Step == ChunkStep.Open)
        {
            await appender.DrainAsync(cancellationToken).ConfigureAwait(false);
            foreach (var rejected in appender.Rejected)
            {
                _rejected.Add(DeadLetterOf(rejected));
            }

            chunk.Step = ChunkStep.Drained;
        }

        if (appender.AckedRows == 0)
        {
            // Every row was rejected: nothing to publish, and an empty commit would only cost a call.
            await CloseChunkAsync(chunk).ConfigureAwait(false);
            return;
        }

        if (chunk.Step == ChunkStep.Drained)
        {
            var finalized = await _client.FinalizeAsync(appender.StreamName, cancellationToken).ConfigureAwait(false);
            if (finalized is { } count && count != appender.AckedRows)
            {
                throw new SinkException(
                    $"{appender.StreamName} holds {count} rows after finalize but {appender.AckedRows} were acknowledged; chunk {chunk.Number} is not committed.");
            }

            chunk.Step = ChunkStep.Finalized;
        }

        var response = await _client.CommitAsync(_table, appender.StreamName, cancellationToken).ConfigureAwait(false);
        var commitTime = response.CommitTime;
        if (commitTime is null || response.StreamErrors.Count > 0)
        {
            commitTime = await AlreadyCommittedAsync(appender.StreamName, response, cancellationToken).ConfigureAwait(false)
                ?? throw new SinkException(
                    $"commit of chunk {chunk.Number} ({appender.AckedRows} rows, {appender.StreamName}) to {_table} failed, nothing of it is visible: " +
                    (response.StreamErrors.Count == 0
                        ? "no commit time and no error in the answer"
                        : string.Join("; ", response.StreamErrors.Select(e => $"{e.Code} {e.Entity}: {e.ErrorMessage}"))) +
                    ". A re-run writes these accounts again.");
        }

        chunk.Step = ChunkStep.Committed;
        Interlocked.Add(ref _rowsCommitted, appender.AckedRows);
        Interlocked.Increment(ref _chunksCommitted);
        BigQuerySinkLog.ChunkCommitted(_logger, chunk.Number, appender.AckedRows, commitTime.ToDateTimeOffset(), Interlocked.Read(ref _rowsCommitted));
        await CloseChunkAsync(chunk).ConfigureAwait(false);
    }

    /// <summary>
    /// A retried commit whose first attempt landed is told STREAM_ALREADY_COMMITTED; the stream's commit time (BASIC
    /// view) proves it. Returns that time, or null when the commit really failed.
    /// </summary>
    private async ValueTask<Google.Protobuf.WellKnownTypes.Timestamp?> AlreadyCommittedAsync(string stream, BatchCommitWriteStreamsResponse response, CancellationToken cancellationToken)
    {
        if (response.StreamErrors.Count == 0 || response.StreamErrors.Any(e => e.Code != StorageError.Types.StorageErrorCode.StreamAlreadyCommitted))
        {
            return null;
        }

        var state = await _client.GetStreamAsync(stream, WriteStreamView.Basic, stream, cancellationToken).ConfigureAwait(false);
        return state.CommitTime;
    }

    private async ValueTask CloseChunkAsync(PendingChunk chunk)
    {
        var appender = chunk.Appender;
        _requestsSent += appender.RequestsSent;
        _bytesSent += appender.BytesSent;
        _reconnects += appender.Reconnects;
        _alreadyExisted += appender.AlreadyExisted;
        await appender.DisposeAsync().ConfigureAwait(false);
        if (ReferenceEquals(_chunk, chunk))
        {
            _chunk = null;
        }
    }

    private async ValueTask AbortAsync(PendingChunk chunk)
    {
        chunk.CommitTimer?.Dispose();
        _request = null;
        if (chunk.Step != ChunkStep.Committed)
        {
            BigQuerySinkLog.ChunkAborted(_logger, chunk.Number, chunk.Rows, chunk.Appender.StreamName);
        }

        await CloseChunkAsync(chunk).ConfigureAwait(false);
    }

    private void OnCommitDue(PendingChunk chunk) => _ = CommitDueAsync(chunk);

    private async Task CommitDueAsync(PendingChunk chunk)
    {
        CancellationToken token;
        try
        {
            // A timer that fired while the sink was being disposed finds it gone: nothing to commit.
            token = _lifetime.Token;
            await _gate.WaitAsync(token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            return;
        }

        try
        {
            if (ReferenceEquals(_chunk, chunk) && _fault is null && !_completed && !_disposed && chunk.Step != ChunkStep.Committed)
            {
                await GuardAsync(CommitAsync(chunk, token), token).ConfigureAwait(false);
            }
        }
        catch (Exception)
        {
            // GuardAsync recorded a fault for the next call to report; a cancelled commit resumes at the next call.
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Runs a step; a failure that is not the caller's cancellation leaves the sink faulted (every later call reports
    /// it) and aborts the chunk in flight, so nothing of it is ever committed.
    /// </summary>
    private async ValueTask GuardAsync(ValueTask step, CancellationToken cancellationToken)
    {
        try
        {
            await step.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            var error = e as SinkException ?? new SinkException($"{_table}: {e.Message}", isTransient: false, e);
            _fault = ExceptionDispatchInfo.Capture(error);
            if (_chunk is { } chunk)
            {
                await AbortAsync(chunk).ConfigureAwait(false);
            }

            if (ReferenceEquals(error, e))
            {
                throw;
            }

            throw error;
        }
    }

    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _fault?.Throw();
        if (_completed)
        {
            throw new InvalidOperationException("the BigQuery sink was already completed");
        }
    }

    private DeadLetter DeadLetterOf(RejectedRow<Recommendation> rejected) => new(
        "sink",
        rejected.Reason,
        $"BigQuery did not take the recommendation for account {rejected.Row.AccountId} on {rejected.Row.ScoreDate:yyyy-MM-dd}: {rejected.Message}",
        new SourcePosition(_table.ToString(), rejected.Where),
        rejected.Row.AccountId);
}
