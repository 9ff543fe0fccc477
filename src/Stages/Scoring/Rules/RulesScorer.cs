using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.Scoring.Rules;

/// <summary>
/// The built-in scorer: deterministic, explainable, free. Five weighted signal groups (engagement, intent,
/// pipeline, fit, product health), a lifecycle adjustment, and rules for the next best actions; the formula is in
/// docs/RULES_SCORER.md. Every "days since" is measured from the row's snapshot_date, never the clock, so the same
/// row always gets the same score.
/// </summary>
public sealed class RulesScorer : IScorer
{
    /// <summary>Written as prompt_version with every rules row; bump it when the formula changes.</summary>
    public const string Version = "rules-v1";

    private readonly string _runId;
    private readonly TimeProvider _time;
    private readonly string _scorerName;
    private readonly int _parallelism;

    /// <summary>Creates the scorer.</summary>
    /// <param name="runId">The run id written with every row.</param>
    /// <param name="time">The clock for scored_at.</param>
    /// <param name="scorerName">The scorer column value: <c>rules</c>, or <c>rules-fallback</c> when it stands in for another scorer.</param>
    /// <param name="parallelism">Batches scored at once. Defaults to the processor count.</param>
    public RulesScorer(string runId, TimeProvider time, string scorerName = "rules", int? parallelism = null)
    {
        _parallelism = parallelism ?? Environment.ProcessorCount;
        _runId = runId;
        _time = time;
        _scorerName = scorerName;
    }

    /// <inheritdoc />
    public string Name => _scorerName;

    /// <inheritdoc />
    public string Fingerprint => $"{_scorerName}|{Version}";

    /// <inheritdoc />
    public bool NeedsCanonicalJson => false;

    /// <inheritdoc />
    public int PreferredBatchSize => 1024;

    /// <inheritdoc />
    public int MaxParallelism => _parallelism;

    /// <inheritdoc />
    public ValueTask PreflightAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public ValueTask<ScoreOutcome> ScoreAsync(AccountRecord record, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(ScoreOutcome.Scored(record, Score(record)));
    }

    /// <summary>Scores synchronously (the pipeline's fast path for CPU scorers).</summary>
    public Recommendation Score(AccountRecord record)
    {
        var s = record.Signals;
        var evaluation = RulesFormula.Evaluate(s);
        return new Recommendation
        {
            AccountId = s.AccountId,
            ScoreDate = s.SnapshotDate,
            Score = evaluation.Score,
            Tier = Tiers.ForScore(evaluation.Score),
            Rationale = evaluation.Rationale,
            RecommendedActions = RulesActions.For(s, evaluation),
            Confidence = evaluation.Confidence,
            Scorer = _scorerName,
            Model = null,
            PromptVersion = Version,
            InputHash = record.InputHash,
            RunId = _runId,
            ScoredAt = _time.GetUtcNow(),
        };
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
