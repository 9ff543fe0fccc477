using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.Scoring;

/// <summary>
/// Turns an account into a recommendation. A bad record is a result (<see cref="ScoreOutcome.Failed"/>), not an
/// exception; an exception means the scorer cannot go on at all (<see cref="Errors.ScorerException"/>) or the run
/// was cancelled (<see cref="OperationCanceledException"/>, passed through untouched).
/// </summary>
public interface IScorer : IAsyncDisposable
{
    /// <summary>The scorer name written with every row: rules | gemini.</summary>
    string Name { get; }

    /// <summary>
    /// Everything about the scorer that shapes an answer (scorer, model, prompt version and hash), part of the
    /// material hash: a change here means yesterday's answers may not be carried forward.
    /// </summary>
    string Fingerprint => Name;

    /// <summary>True when the scorer reads <see cref="AccountRecord.CanonicalJson"/>; the decoder materialises it only then.</summary>
    bool NeedsCanonicalJson { get; }

    /// <summary>How many records one pipeline message should carry: large for CPU scorers, 1 for remote ones.</summary>
    int PreferredBatchSize { get; }

    /// <summary>How many messages may be scored at once (the pipeline's degree of parallelism for this stage).</summary>
    int MaxParallelism { get; }

    /// <summary>
    /// True when one record can take far longer than the others, e.g. a remote call sitting in a retry's backoff for
    /// seconds while its neighbours answer in milliseconds. The pipeline then lets scored records pass in the order
    /// they finish (not source order) and keeps several records in flight per <see cref="MaxParallelism"/> slot, so
    /// one slow record holds back nothing but itself and the scorer's own pacing, not the pipeline, limits its calls.
    /// Such a scorer must bound its concurrent work itself (Gemini: the adaptive concurrency gate).
    /// <value>Defaults to false: records keep source order and at most <see cref="MaxParallelism"/> are in flight.</value>
    /// </summary>
    bool LatencyVaries => false;

    /// <summary>Checks, before any data is read, that scoring can work at all (e.g. the model exists).</summary>
    ValueTask PreflightAsync(CancellationToken cancellationToken);

    /// <summary>Scores one record.</summary>
    ValueTask<ScoreOutcome> ScoreAsync(AccountRecord record, CancellationToken cancellationToken);
}
