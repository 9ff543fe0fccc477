using SalesIntel.Stages.Batching;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Sinks;
using SalesIntel.Stages.Sinks.DeadLetters;

namespace SalesIntel.Stages.Write;

/// <summary>
/// Hands scored recommendations to the sink in batches (<see cref="RecommendationBatcher"/>: rows and estimated
/// bytes), dead-letters records the scorer could not score, counts what was not scored by reason, and at the end
/// flushes the last batch, commits the sink and dead-letters the rows the sink rejected. Not thread-safe: the
/// pipeline calls it from one worker so batches reach the sink in order.
/// </summary>
public sealed class WriteStage
{
    private readonly IRecommendationSink _sink;
    private readonly RecommendationBatcher _batcher;
    private readonly RunCounters _counters;
    private readonly DeadLetterFile _deadLetters;

    /// <summary>Creates the stage over an opened, preflighted sink.</summary>
    public WriteStage(IRecommendationSink sink, RecommendationBatcher batcher, RunCounters counters, DeadLetterFile deadLetters)
    {
        _sink = sink;
        _batcher = batcher;
        _counters = counters;
        _deadLetters = deadLetters;
    }

    /// <summary>Takes one chunk of score outcomes, writing a batch to the sink whenever one fills.</summary>
    public async Task ProcessAsync(IReadOnlyList<ScoreOutcome> outcomes, CancellationToken cancellationToken)
    {
        List<DeadLetter>? failures = null;
        foreach (var outcome in outcomes)
        {
            if (outcome.Recommendation is { } recommendation)
            {
                _counters.AddScored(1);
                if (_batcher.Add(recommendation) is { } full)
                {
                    await _sink.WriteAsync(full, cancellationToken);
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

    /// <summary>
    /// Writes the last partial batch and commits the sink, counting the rows committed and dead-lettering the rows
    /// the sink rejected. Call once, after the last <see cref="ProcessAsync"/>, and only for a run that should publish.
    /// </summary>
    public async Task<SinkResult> CompleteAsync(CancellationToken cancellationToken)
    {
        var rest = _batcher.Flush();
        if (rest.Count > 0)
        {
            await _sink.WriteAsync(rest, cancellationToken);
        }

        var result = await _sink.CompleteAsync(cancellationToken);
        _counters.AddWritten(result.RowsCommitted);
        if (result.Rejected.Count > 0)
        {
            _deadLetters.Write(result.Rejected);
            _counters.AddDeadLetters(result.Rejected, fromSink: true);
        }

        return result;
    }
}
