using SalesIntel.Stages.Model;
using SalesIntel.Stages.Scoring;

namespace SalesIntel.Tests.Support;

/// <summary>A scorer whose behaviour is a callback; by default it scores everything 50.</summary>
public sealed class FakeScorer : IScorer
{
    public Func<AccountRecord, CancellationToken, ValueTask<ScoreOutcome>> OnScore { get; init; } = (r, _) => ValueTask.FromResult(ScoreOutcome.Scored(r, Recommend(r, 50)));

    public string Name => "fake";

    public bool NeedsCanonicalJson => true;

    public int PreferredBatchSize { get; init; } = 1;

    public int MaxParallelism { get; init; } = 4;

    public bool LatencyVaries { get; init; }

    public int Calls;

    public ValueTask PreflightAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask<ScoreOutcome> ScoreAsync(AccountRecord record, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Calls);
        return OnScore(record, cancellationToken);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public static Recommendation Recommend(AccountRecord r, int score) => TestRecommendations.Make(r.Signals.AccountId, score) with { InputHash = r.InputHash, ScoreDate = r.Signals.SnapshotDate };
}
