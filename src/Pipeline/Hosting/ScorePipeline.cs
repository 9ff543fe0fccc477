using System.Collections.Concurrent;
using System.Threading.Tasks.Dataflow;
using Microsoft.Extensions.Logging;
using SalesIntel.Stages.Admit;
using SalesIntel.Stages.Batching;
using SalesIntel.Stages.Decode;
using SalesIntel.Stages.Drift;
using SalesIntel.Stages.Errors;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Scoring;
using SalesIntel.Stages.Sinks;
using SalesIntel.Stages.Sinks.DeadLetters;
using SalesIntel.Stages.Sources;
using SalesIntel.Stages.Write;

namespace SalesIntel.Pipeline.Hosting;

/// <summary>
/// Wires the stages into a bounded TPL Dataflow pipeline and runs it:
/// <code>
/// source pump -> decode (parallel) -> admit (limit, guards, counts; sequential) -> score (parallel) -> write (batch + sink; sequential)
/// </code>
/// Rows reach the sink in source order, except from a scorer whose latency varies (<see cref="IScorer.LatencyVaries"/>,
/// Gemini), whose rows arrive in the order they finish.
/// Every block is bounded, so a fast reader waits for a slow scorer instead of filling memory. Two tokens stop it:
/// <c>stopReading</c> (first Ctrl+C / SIGTERM) stops the source, lets in-flight work finish and commits it;
/// <c>abort</c> (a second signal) abandons in-flight work and commits nothing. A faulted block cancels the rest.
/// </summary>
public sealed class ScorePipeline
{
    private readonly IAccountSource _source;
    private readonly IScorer _scorer;
    private readonly IRecommendationSink _sink;
    private readonly IDeadLetterWriter _deadLetters;
    private readonly PipelineOptions _options;
    private readonly RunCounters _counters;
    private readonly ILogger _logger;
    private readonly ConcurrentBag<AccountRecordDecoder> _decoders = [];
    private volatile bool _limitReached;

    /// <summary>Creates the pipeline; the stages must already be preflighted and the source opened.</summary>
    public ScorePipeline(IAccountSource source, IScorer scorer, IRecommendationSink sink, IDeadLetterWriter deadLetters, PipelineOptions options, RunCounters counters, ILogger logger)
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
        var admitStage = new AdmitStage(AdmitOptionsFor(_options, _scorer), _counters, _deadLetters);
        var writeStage = new WriteStage(_sink, new RecommendationBatcher(_options.SinkBatchRows, _options.SinkBatchBytes), _counters, _deadLetters, _options.Drift, LogVerdict);

        var decodeWorkers = Math.Max(1, _options.DecodeParallelism);
        var decode = new TransformBlock<SourceBatch, DecodedBatch>(Decode, Options(decodeWorkers, token));
        var admit = new TransformManyBlock<DecodedBatch, AccountRecord[]>(batch => Admit(admitStage, batch, readCts), Options(1, token));
        var scoreWorkers = ScoreWorkers(_scorer);

        // A scorer whose records may sit in backoff for seconds scores out of order: in source order one such record
        // would hold every finished one behind it in the block's bounded buffer and stall the run (head-of-line
        // blocking). Nothing downstream needs source order: the sink writes what it is given, resume skips by
        // (account_id, score_date) and chunked commits count rows, not positions.
        var score = new TransformBlock<AccountRecord[], ScoreOutcome[]>(records => Score(records, token), Options(scoreWorkers, token, ordered: !_scorer.LatencyVaries));
        var write = new ActionBlock<ScoreOutcome[]>(outcomes => writeStage.ProcessAsync(outcomes, token), Options(1, token, extraCapacity: scoreWorkers));

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

        // A scorer that stopped before answering anything leaves nothing worth publishing: fail without committing,
        // so an earlier output is not replaced by an empty one. With answers, they are committed (paid for).
        if (_scorer is IStopsEarly { StoppedBecause: { } stopped } && _counters.Scored == 0)
        {
            return new PipelineResult(RunStatus.Failed, stopped, null);
        }

        try
        {
            var result = await writeStage.CompleteAsync(abort);
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

    private void LogVerdict(DriftVerdict verdict)
    {
        switch (verdict)
        {
            case { Status: DriftStatus.NoPrevious }:
                Log.DriftNothingToCompare(_logger, verdict.Describe());
                break;
            case { Status: DriftStatus.Passed }:
                Log.DriftPassed(_logger, verdict.Describe());
                break;
            case { Blocks: false }:
                Log.DriftWarned(_logger, verdict.Describe());
                break;

            // A blocking verdict ends the run: its one ERROR line is the run's failure, logged once by the command.
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

    /// <summary>The admit stage's settings: the row guard, the scorer's chunk size and the per-record rules.</summary>
    internal static AdmitOptions AdmitOptionsFor(PipelineOptions options, IScorer scorer)
    {
        var rules = new List<IAdmitRule>();
        if (options.AlreadyCommitted is { Count: > 0 } committed)
        {
            rules.Add(new AlreadyCommittedRule(committed));
        }

        return new AdmitOptions
        {
            Dates = options.Dates,
            Guard = new RowGuard(options.MaxRows, options.Limit),
            ChunkSize = scorer.PreferredBatchSize,
            Rules = rules,
        };
    }

    private IReadOnlyList<AccountRecord[]> Admit(AdmitStage stage, DecodedBatch batch, CancellationTokenSource readCts)
    {
        try
        {
            return stage.Process(batch);
        }
        finally
        {
            // Also when the guard trips on the batch that reached the limit: the run did reach it.
            if (stage.LimitReached && !_limitReached)
            {
                _limitReached = true;
                Log.LimitReached(_logger, _options.Limit!.Value);
                CancelQuietly(readCts);
            }
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

    /// <summary>
    /// The score block's workers: the scorer's parallelism, or for a scorer whose latency varies
    /// <see cref="PipelineDefaults.ScoreWorkersPerSlot"/> per slot (at most <see cref="PipelineDefaults.MaxScoreWorkers"/>),
    /// so its own concurrency gate and limiters, not records waiting in backoff, decide how many calls are made.
    /// </summary>
    internal static int ScoreWorkers(IScorer scorer)
    {
        var slots = Math.Max(1, scorer.MaxParallelism);
        return scorer.LatencyVaries ? (int)Math.Min((long)slots * PipelineDefaults.ScoreWorkersPerSlot, PipelineDefaults.MaxScoreWorkers) : slots;
    }

    private static ExecutionDataflowBlockOptions Options(int workers, CancellationToken token, int extraCapacity = 0, bool ordered = true) => new()
    {
        MaxDegreeOfParallelism = workers,
        BoundedCapacity = (workers * PipelineDefaults.QueuedMessagesPerWorker) + extraCapacity,
        EnsureOrdered = ordered,
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
