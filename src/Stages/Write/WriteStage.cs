using SalesIntel.Stages.Batching;
using SalesIntel.Stages.Drift;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Sinks;
using SalesIntel.Stages.Sinks.DeadLetters;

namespace SalesIntel.Stages.Write;

/// <summary>
/// Hands scored recommendations to the sink in batches (<see cref="RecommendationBatcher"/>: rows and estimated
/// bytes), dead-letters records the scorer could not score, counts what was not scored by reason, and at the end
/// flushes the last batch, commits the sink and dead-letters the rows the sink rejected. With a drift gate, nothing
/// reaches the sink before the gate decides: recommendations are held (at most the gate's held-row cap) and released
/// when it passes or warns; a blocking verdict throws <see cref="DriftTrippedException"/> and nothing is written.
/// Not thread-safe: the pipeline calls it from one worker so batches reach the sink in order.
/// </summary>
public sealed class WriteStage
{
    private readonly IRecommendationSink _sink;
    private readonly RecommendationBatcher _batcher;
    private readonly RunCounters _counters;
    private readonly IDeadLetterWriter _deadLetters;
    private readonly DriftGate? _drift;
    private readonly Action<DriftVerdict>? _onVerdict;
    private List<Recommendation>? _held;

    /// <summary>Creates the stage over an opened, preflighted sink.</summary>
    /// <param name="sink">Where recommendations go.</param>
    /// <param name="batcher">Cuts sink writes by rows and bytes.</param>
    /// <param name="counters">The run's counters.</param>
    /// <param name="deadLetters">Where records that could not be scored go.</param>
    /// <param name="drift">The drift gate, or null when it is off.</param>
    /// <param name="onVerdict">Called once with the gate's verdict, before a blocking one is thrown.</param>
    public WriteStage(IRecommendationSink sink, RecommendationBatcher batcher, RunCounters counters, IDeadLetterWriter deadLetters, DriftGate? drift = null, Action<DriftVerdict>? onVerdict = null)
    {
        _sink = sink;
        _batcher = batcher;
        _counters = counters;
        _deadLetters = deadLetters;
        _drift = drift;
        _onVerdict = onVerdict;
        if (drift is { IsDecided: false })
        {
            _held = [];
        }
        else if (drift?.Verdict is { } known)
        {
            onVerdict?.Invoke(known);
        }
    }

    /// <summary>Recommendations held back until the drift gate decides.</summary>
    public int Held => _held?.Count ?? 0;

    /// <summary>Takes one chunk of score outcomes, writing a batch to the sink whenever one fills.</summary>
    public async Task ProcessAsync(IReadOnlyList<ScoreOutcome> outcomes, CancellationToken cancellationToken)
    {
        List<DeadLetter>? failures = null;
        foreach (var outcome in outcomes)
        {
            if (outcome.Recommendation is { } recommendation)
            {
                _counters.AddScored(1);
                if (_held is null)
                {
                    await AddAsync(recommendation, cancellationToken);
                    continue;
                }

                _held.Add(recommendation);
                if (_drift!.Offer(recommendation) is { } verdict)
                {
                    await ReleaseAsync(verdict, cancellationToken);
                }
                else if (_held.Count >= _drift.Options.MaxHeldRows)
                {
                    await ReleaseAsync(_drift.DecideAtCap(_held.Count), cancellationToken);
                }
            }
            else if (outcome.Failure is { } failure)
            {
                (failures ??= []).Add(failure);
            }
            else
            {
                _counters.AddNotScored(outcome.NotScoredReason ?? "not_scored");
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
        if (_held is not null)
        {
            await ReleaseAsync(_drift!.DecideAtEnd(), cancellationToken);
        }

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

    private async Task AddAsync(Recommendation recommendation, CancellationToken cancellationToken)
    {
        if (_batcher.Add(recommendation) is { } full)
        {
            await _sink.WriteAsync(full, cancellationToken);
        }
    }

    private async Task ReleaseAsync(DriftVerdict verdict, CancellationToken cancellationToken)
    {
        _onVerdict?.Invoke(verdict);
        if (verdict.Blocks)
        {
            // The held rows never reach the sink; the pipeline's failure leaves the sink uncommitted.
            _held = null;
            throw new DriftTrippedException(verdict);
        }

        var held = _held!;
        _held = null;
        foreach (var recommendation in held)
        {
            await AddAsync(recommendation, cancellationToken);
        }
    }
}
