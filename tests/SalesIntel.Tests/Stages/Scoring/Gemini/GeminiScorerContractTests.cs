using SalesIntel.Stages.Scoring;

namespace SalesIntel.Tests.Stages.Scoring.Gemini;

/// <summary>
/// The Gemini scorer under the scorer contract, over the in-process fake Vertex AI: bad records get an unusable
/// answer (dead-lettered after the answer retry), hanging records never get one until cancelled.
/// </summary>
public sealed class GeminiScorerContractTests : ScorerContractTests
{
    private FakeVertexAi _fake = null!;

    protected override bool CancelsDuringACall => true;

    protected override bool DeadLettersBadRecords => true;

    public override async Task InitializeAsync()
    {
        _fake = await FakeVertexAi.StartAsync();
        _fake.FaultFor = call =>
            call.AccountId.StartsWith(BadRecordId, StringComparison.Ordinal) ? FakeFault.MalformedJson
            : call.AccountId.StartsWith(HangingRecordId, StringComparison.Ordinal) ? FakeFault.Hang
            : FakeFault.None;
    }

    public override async Task DisposeAsync() => await _fake.DisposeAsync();

    protected override ValueTask<IScorer> CreateAsync() => ValueTask.FromResult<IScorer>(GeminiTestScorer.Create(_fake));

    protected override Task WaitForHangingCallAsync() => _fake.WaitForCallsAsync(1);
}
