using System.Collections.Concurrent;
using System.Threading.Tasks.Dataflow;
using Microsoft.Extensions.Logging;
using SalesIntel.Stages.Batching;
using SalesIntel.Stages.Decode;
using SalesIntel.Stages.Errors;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Scoring;
using SalesIntel.Stages.Sinks;
using SalesIntel.Stages.Sinks.DeadLetters;
using SalesIntel.Stages.Sources;

namespace SalesIntel.Pipeline.Hosting;

/// <summary>
/// Wires the stages into a bounded TPL Dataflow pipeline and runs it:
/// <code>
/// source pump -> decode (parallel) -> admit (limit, guards, counts; sequential) -> score (parallel) -> write (batch + sink; sequential)
/// </code>
/// Every block is bounded, so a fast reader waits for a slow scorer instead of filling memory. Two tokens stop it:
/// <c>stopReading</c> (first Ctrl+C / SIGTERM) stops the source, lets in-flight work finish and commits it;
/// <c>abort</c> (a second signal) abandons in-flight work and commits nothing. A faulted block cancels the rest.
/// </summary>
public sealed class ScorePipeline
{
    private readonly IAccountSource _source;
    private readonly IScorer _scorer;
    private readonly IRecommendationSink _sink;
    private readonly DeadLetterFile _deadLetters;
    private readonly PipelineOptions _options;
    private readonly RunCounters _counters;
    private readonly ILogger _logger;
    private readonly ConcurrentBag<AccountRecordDecoder> _decoders = [];
    private long _admitted;
    private volatile bool _limitReached;

    /// <summary>Creates the pipeline; the stages must already be preflighted and the source opened.</summary>
    public ScorePipeline(IAccountSource source, IScorer scorer, IRecommendationSink sink, DeadLetterFile deadLetters, PipelineOptions options, RunCounters counters, ILogger logger)
    {
        _source = source;
        _scorer = scorer;
        _sink = sink;
        _deadLetters = deadLetters;
        _options = options;
        _counters = counters;
        _logger = logger;
    }

    /// <summary>True when the run stopped reading because <c>--limit</c> was reached.</summary>
    public bool LimitReached => _limitReached;

    /// <summary>Runs the pipeline to the end and commits the sink unless the run failed or was aborted.</summary>
    public async Task<PipelineResult> RunAsync(CancellationToken stopReading, CancellationToken abort)
    {
        using var pipelineCts = CancellationTokenSource.CreateLinkedTokenSource(abort);
        using var readCts = CancellationTokenSource.CreateLinkedTokenSource(stopReading, pipelineCts.Token);
        var token = pipelineCts.Token;
        var batcher = new RecommendationBatcher(_options.SinkBatchRows, _options.SinkBatchBytes);

        var decodeWorkers = Math.Max(1, _options.DecodeParallelism);
        var decode = new TransformBlock<SourceBatch, DecodedBatch>(Decode, Options(decodeWorkers, token));
        var admit = new TransformManyBlock<DecodedBatch, AccountRecord[]>(batch => Admit(batch, readCts), Options(1, token));
        var scoreWorkers = Math.Max(1, _scorer.MaxParallelism);
        var score = new TransformBlock<AccountRecord[], ScoreOutcome[]>(records => Score(records, token), Options(scoreWorkers, token));
        var write = new ActionBlock<ScoreOutcome[]>(outcomes => Write(outcomes, batcher, token), Options(1, token, extraCapacity: scoreWorkers));

        var link = new DataflowLinkOptions { PropagateCompletion = true };
        decode.LinkTo(admit, link);
        admit.LinkTo(score, link);
        score.LinkTo(write, link);

        IDataflowBlock[] blocks = [decode, admit, score, write];
        foreach (var block in blocks)
        {
            // A fault anywhere must stop everything: faults only propagate downstream, and an upstream block
            // would otherwise wait forever on a consumer that no longer accepts messages.
            _ = block.Completion.ContinueWith(t => CancelQuietly(pipelineCts), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }

        var pumpFailure = await PumpAsync(decode, readCts.Token, stopReading, token);
        if (pumpFailure is not null)
        {
            CancelQuietly(pipelineCts);
        }

        try
        {
            await write.Completion;
        }
        catch (Exception)
        {
            // Inspected below, block by block, to find the first real cause.
        }

        var failure = pumpFailure ?? FirstFault(blocks);
        if (failure is not null)
        {
            return new PipelineResult(RunStatus.Failed, failure, null);
        }

        if (abort.IsCancellationRequested)
        {
            return new PipelineResult(RunStatus.Aborted, null, null);
        }

        try
        {
            var rest = batcher.Flush();
            if (rest.Count > 0)
            {
                await _sink.WriteAsync(rest, abort);
            }

            var result = await _sink.CompleteAsync(abort);
            _counters.AddWritten(result.RowsCommitted);
            if (result.Rejected.Count > 0)
            {
                _deadLetters.Write(result.Rejected);
                _counters.AddDeadLetters(result.Rejected, fromSink: true);
            }

            return new PipelineResult(stopReading.IsCancellationRequested && !_limitReached ? RunStatus.Stopped : RunStatus.Completed, null, result);
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            return new PipelineResult(RunStatus.Aborted, null, null);
        }
        catch (Exception e) when (e is SalesIntelException or IOException or UnauthorizedAccessException)
        {
            return new PipelineResult(RunStatus.Failed, e, null);
        }
    }

    private async Task<Exception?> PumpAsync(TransformBlock<SourceBatch, DecodedBatch> decode, CancellationToken readToken, CancellationToken stopReading, CancellationToken pipelineToken)
    {
        try
        {
            await foreach (var batch in _source.ReadAsync(readToken).WithCancellation(readToken))
            {
                if (!await decode.SendAsync(batch, pipelineToken))
                {
                    batch.Rows.Dispose();
                    break;
                }
            }

            return null;
        }
        catch (OperationCanceledException) when (readToken.IsCancellationRequested)
        {
            if (stopReading.IsCancellationRequested && !_limitReached)
            {
                Log.StoppedReading(_logger, _counters.Read);
            }

            return null;
        }
        catch (Exception e)
        {
            return e;
        }
        finally
        {
            decode.Complete();
        }
    }

    private DecodedBatch Decode(SourceBatch batch)
    {
        if (!_decoders.TryTake(out var decoder))
        {
            decoder = new AccountRecordDecoder(_options.Dates, _scorer.NeedsCanonicalJson, _options.MaterialHash);
        }

        try
        {
            return decoder.Decode(batch);
        }
        finally
        {
            batch.Rows.Dispose();
            _decoders.Add(decoder);
        }
    }

    private IEnumerable<AccountRecord[]> Admit(DecodedBatch batch, CancellationTokenSource readCts)
    {
        _counters.AddOutsideDateFilter(batch.OutsideDateFilter);
        if (batch.DeadLetters.Count > 0)
        {
            _counters.AddRead(batch.DeadLetters.Count);
            _deadLetters.Write(batch.DeadLetters);
            _counters.AddDeadLetters(batch.DeadLetters);
        }

        var records = batch.Records;
        if (_options.AlreadyCommitted is { Count: > 0 } committed)
        {
            var fresh = Array.FindAll(records, r => !committed.Contains((r.Signals.AccountId, r.Signals.SnapshotDate)));
            if (fresh.Length < records.Length)
            {
                _counters.AddRead(records.Length - fresh.Length);
                _counters.AddSkipped("already_committed", records.Length - fresh.Length);
                records = fresh;
            }
        }

        if (_options.Limit is { } limit)
        {
            var room = limit - _admitted;
            if (room <= records.Length)
            {
                records = records[..(int)Math.Max(0, room)];
                if (!_limitReached)
                {
                    _limitReached = true;
                    Log.LimitReached(_logger, limit);
                    CancelQuietly(readCts);
                }
            }
        }

        _admitted += records.Length;
        _counters.AddRead(records.Length);
        if (_counters.Read > _options.MaxRows)
        {
            throw new GuardTrippedException(
                $"the selected partitions ({_options.Dates}) hold more than {_options.MaxRows:N0} rows (--max-rows); nothing was published. " +
                "Raise --max-rows, narrow --date/--from/--to, or use --limit N for a trial run.");
        }

        var size = Math.Max(1, _scorer.PreferredBatchSize);
        for (var start = 0; start < records.Length; start += size)
        {
            yield return records[start..Math.Min(records.Length, start + size)];
        }
    }

    private async Task<ScoreOutcome[]> Score(AccountRecord[] records, CancellationToken token)
    {
        var outcomes = new ScoreOutcome[records.Length];
        for (var i = 0; i < records.Length; i++)
        {
            outcomes[i] = await _scorer.ScoreAsync(records[i], token);
        }

        return outcomes;
    }

    private async Task Write(ScoreOutcome[] outcomes, RecommendationBatcher batcher, CancellationToken token)
    {
        List<DeadLetter>? failures = null;
        foreach (var outcome in outcomes)
        {
            if (outcome.Recommendation is { } recommendation)
            {
                _counters.AddScored(1);
                if (batcher.Add(recommendation) is { } full)
                {
                    await _sink.WriteAsync(full, token);
                }
            }
            else if (outcome.Failure is { } failure)
            {
                (failures ??= []).Add(failure);
            }
            else
            {
                _counters.AddSkipped(outcome.NotScoredReason ?? "not_scored");
            }
        }

        if (failures is not null)
        {
            _deadLetters.Write(failures);
            _counters.AddDeadLetters(failures);
        }
    }

    private static ExecutionDataflowBlockOptions Options(int workers, CancellationToken token, int extraCapacity = 0) => new()
    {
        MaxDegreeOfParallelism = workers,
        BoundedCapacity = (workers * PipelineDefaults.QueuedMessagesPerWorker) + extraCapacity,
        EnsureOrdered = true,
        CancellationToken = token,
        SingleProducerConstrained = workers == 1,
    };

    /// <summary>
    /// The real cause of a failed run: the first exception, in block order, that is not a cancellation (a block
    /// stopped by the fault of another may report one), unwrapped from Dataflow's AggregateException.
    /// </summary>
    private static Exception? FirstFault(IEnumerable<IDataflowBlock> blocks)
    {
        var faults = blocks
            .Where(b => b.Completion.IsFaulted)
            .SelectMany(b => b.Completion.Exception!.Flatten().InnerExceptions)
            .ToList();
        return faults.FirstOrDefault(e => e is not OperationCanceledException) ?? faults.FirstOrDefault();
    }

    private static void CancelQuietly(CancellationTokenSource cts)
    {
        try
        {
            cts.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The run already ended.
        }
    }
}
