using SalesIntel.Stages.Protos.VertexAi;
using SalesIntel.Stages.Scoring.Gemini;
using SalesIntel.Stages.Scoring.Gemini.Internal;

namespace SalesIntel.Tests.Stages.Scoring.Gemini.Internal;

public sealed class UsageMeterTests
{
    private static readonly ModelPrice Price = new(1m, 10m); // $1 in, $10 out per million

    [Fact]
    public async Task ReserveCall_CostLimitNearWithCallsInFlight_WaitsForThemToSettleThenProceeds()
    {
        // Worst case of one call: 1000 input + 1024 output tokens = $0.01124. Two fit under $0.025; a third must wait.
        var meter = Meter(o => o.MaxCostUsd = 0.025m);
        var a = await meter.ReserveCallAsync(1000, CancellationToken.None);
        var b = await meter.ReserveCallAsync(1000, CancellationToken.None);

        var c = meter.ReserveCallAsync(1000, CancellationToken.None).AsTask();
        Assert.False(c.IsCompleted);
        meter.Settle(a!, Usage(1000, 50), sent: true); // really cost $0.0015

        Assert.NotNull(await c.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Null(meter.StoppedBy);
        meter.Settle(b!, Usage(1000, 50), sent: true);
    }

    [Fact]
    public async Task ReserveCall_SpentPlusWorstCaseAboveLimit_StopsForGood()
    {
        var meter = Meter(o => o.MaxCostUsd = 0.012m);
        var a = await meter.ReserveCallAsync(1000, CancellationToken.None);
        meter.Settle(a!, Usage(1000, 100), sent: true); // $0.002 spent; $0.002 + $0.01124 > $0.012

        Assert.Null(await meter.ReserveCallAsync(1000, CancellationToken.None));
        Assert.Equal(UsageMeter.MaxCostReached, meter.StoppedBy);
        Assert.Null(await meter.ReserveCallAsync(1, CancellationToken.None));
    }

    [Fact]
    public async Task ReserveCall_NotSent_GivesTheCallBack()
    {
        var meter = Meter(o => o.MaxLlmCalls = 1);
        var a = await meter.ReserveCallAsync(10, CancellationToken.None);
        meter.Settle(a!, null, sent: false);

        Assert.NotNull(await meter.ReserveCallAsync(10, CancellationToken.None));
        Assert.Null(await meter.ReserveCallAsync(10, CancellationToken.None));
        Assert.Equal(UsageMeter.MaxCallsReached, meter.StoppedBy);
    }

    [Fact]
    public void Snapshot_Latencies_NearestRankPercentiles()
    {
        var meter = Meter();
        for (var ms = 1; ms <= 100; ms++)
        {
            meter.RecordAnswered(TimeSpan.FromMilliseconds(ms), Usage(10, 1, thinking: 2));
        }

        var snapshot = meter.Snapshot();

        Assert.Equal((TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(95)), (snapshot.LatencyP50, snapshot.LatencyP95));
        Assert.Equal((1000L, 100L, 200L), (snapshot.InputTokens, snapshot.OutputTokens, snapshot.ThinkingTokens));
    }

    [Fact]
    public async Task Snapshot_Cost_ThinkingBilledAsOutput()
    {
        var meter = Meter();
        var permit = await meter.ReserveCallAsync(100, CancellationToken.None);

        meter.Settle(permit!, Usage(1_000_000, 100_000, thinking: 100_000), sent: true);

        Assert.Equal(1m + 2m, meter.Snapshot().EstimatedCostUsd);
    }

    private static UsageMeter Meter(Action<GeminiScorerOptions>? configure = null)
    {
        var options = new GeminiScorerOptions();
        configure?.Invoke(options);
        return new UsageMeter(options, GenerationPlan.Resolve(options, options.Model ?? "gemini-3.1-flash-lite", info: null), Price, "scoring-v1@00000000", new AdaptiveConcurrency(4, TimeProvider.System, TimeSpan.Zero));
    }

    private static GenerateContentResponse.Types.UsageMetadata Usage(int input, int output, int thinking = 0) =>
        new() { PromptTokenCount = input, CandidatesTokenCount = output, ThoughtsTokenCount = thinking, TotalTokenCount = input + output + thinking };
}
