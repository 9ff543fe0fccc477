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

    /// <summary>Checks, before any data is read, that scoring can work at all (e.g. the model exists).</summary>
    ValueTask PreflightAsync(CancellationToken cancellationToken);

    /// <summary>Scores one record.</summary>
    ValueTask<ScoreOutcome> ScoreAsync(AccountRecord record, CancellationToken cancellationToken);
}
