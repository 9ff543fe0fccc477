using SalesIntel.Stages.Model;
using SalesIntel.Stages.Scoring;
using SalesIntel.Tests.Stages.Scoring;

namespace SalesIntel.Tests.Support;

/// <summary>The test fake under the scorer contract, so pipeline tests built on it test against a scorer that behaves like the real ones.</summary>
public sealed class FakeScorerContractTests : ScorerContractTests
{
    private readonly TaskCompletionSource _hanging = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override bool CancelsDuringACall => true;

    protected override bool DeadLettersBadRecords => true;

    protected override ValueTask<IScorer> CreateAsync() => ValueTask.FromResult<IScorer>(new FakeScorer { OnScore = ScoreAsync });

    protected override Task WaitForHangingCallAsync() => _hanging.Task;

    private async ValueTask<ScoreOutcome> ScoreAsync(AccountRecord record, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var id = record.Signals.AccountId;
        if (id.StartsWith(HangingRecordId, StringComparison.Ordinal))
        {
            _hanging.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        }

        return id.StartsWith(BadRecordId, StringComparison.Ordinal)
            ? ScoreOutcome.Failed(record, "bad_record", "the fake refuses records named bad-*")
            : ScoreOutcome.Scored(record, FakeScorer.Recommend(record, 50));
    }
}
