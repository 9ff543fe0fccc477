using Grpc.Core;
using SalesIntel.Stages.Errors;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Scoring.Gemini;

namespace SalesIntel.Tests.Stages.Scoring.Gemini;

/// <summary>Transient failures are retried within limits; permanent ones are not; a failing endpoint stops the run.</summary>
public sealed class GeminiScorerResilienceTests
{
    [Theory]
    [InlineData(FakeFault.Unavailable)]
    [InlineData(FakeFault.Internal)]
    [InlineData(FakeFault.DeadlineExceeded)]
    [InlineData(FakeFault.ResourceExhausted)]
    [InlineData(FakeFault.ResourceExhaustedWithRetryInfo)]
    public async Task ScoreAsync_TransientFaultTwice_RetriedAndScored(FakeFault fault)
    {
        await using var fake = await FakeVertexAi.StartAsync();
        fake.RetryInfoDelay = TimeSpan.FromMilliseconds(5);
        fake.FaultFor = call => call.Attempt <= 2 ? fault : FakeFault.None;
        await using var scorer = GeminiTestScorer.Create(fake);

        var outcome = await scorer.ScoreAsync(TestAccounts.Record("acc-1"), CancellationToken.None);

        Assert.NotNull(outcome.Recommendation);
        Assert.Equal(3, fake.GenerateCalls);
        Assert.Equal((3, 2), (scorer.Usage.Calls, scorer.Usage.Retries));
    }

    [Theory]
    [InlineData(FakeFault.Unavailable, "vertex_unavailable")]
    [InlineData(FakeFault.Internal, "vertex_internal")]
    [InlineData(FakeFault.ResourceExhausted, "vertex_throttled")]
    public async Task ScoreAsync_TransientFaultEveryTime_DeadLettersAfterMaxRetries(FakeFault fault, string reason)
    {
        await using var fake = await FakeVertexAi.StartAsync();
        fake.FaultFor = _ => fault;
        await using var scorer = GeminiTestScorer.Create(fake, o => o.MaxRetries = 3);

        var outcome = await scorer.ScoreAsync(TestAccounts.Record("acc-1"), CancellationToken.None);

        Assert.Equal(reason, outcome.Failure!.Reason);
        Assert.Contains("after 3 retries", outcome.Failure.Message, StringComparison.Ordinal);
        Assert.Equal(4, fake.GenerateCalls);
    }

    [Fact]
    public async Task ScoreAsync_ResourceExhausted_CountsThrottlingAndCutsTheConcurrencyLimit()
    {
        await using var fake = await FakeVertexAi.StartAsync();
        fake.FaultFor = call => call.Attempt == 1 ? FakeFault.ResourceExhausted : FakeFault.None;
        await using var scorer = GeminiTestScorer.Create(fake, o => o.Concurrency = 16);

        await scorer.ScoreAsync(TestAccounts.Record("acc-1"), CancellationToken.None);

        var usage = scorer.Usage;
        Assert.Equal((1, 8), (usage.Throttled, usage.LowestConcurrencyLimit));
        Assert.Equal(0.5, usage.ThrottledShare);
    }

    [Fact]
    public async Task ScoreAsync_InvalidArgument_NotRetriedAndDeadLettered()
    {
        await using var fake = await FakeVertexAi.StartAsync();
        fake.FaultFor = call => call.AccountId == "acc-bad" ? FakeFault.InvalidArgument : FakeFault.None;
        await using var scorer = GeminiTestScorer.Create(fake);
        await scorer.ScoreAsync(TestAccounts.Record("acc-good"), CancellationToken.None);

        var outcome = await scorer.ScoreAsync(TestAccounts.Record("acc-bad"), CancellationToken.None);

        Assert.Equal("invalid_argument", outcome.Failure!.Reason);
        Assert.Equal(2, fake.GenerateCalls);
    }

    [Fact]
    public async Task ScoreAsync_EveryRequestInvalidFromTheStart_StopsTheRunNamingConfiguration()
    {
        await using var fake = await FakeVertexAi.StartAsync();
        fake.FaultFor = _ => FakeFault.InvalidArgument;
        await using var scorer = GeminiTestScorer.Create(fake);

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal("invalid_argument", (await scorer.ScoreAsync(TestAccounts.Record($"acc-{i}"), CancellationToken.None)).Failure!.Reason);
        }

        var e = await StoppedAsync(scorer, "acc-5");
        Assert.Contains("the configuration, not the data, is wrong", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(FakeFault.PermissionDenied, "roles/aiplatform.user")]
    [InlineData(FakeFault.NotFound, "set LLM_MODEL")]
    public async Task ScoreAsync_PermanentRefusal_NeverRetriedAndStopsTheRun(FakeFault fault, string hint)
    {
        await using var fake = await FakeVertexAi.StartAsync();
        fake.FaultFor = _ => fault;
        await using var scorer = GeminiTestScorer.Create(fake);

        var e = await StoppedAsync(scorer, "acc-1");

        Assert.Contains(hint, e.Message, StringComparison.Ordinal);
        Assert.Equal(1, fake.GenerateCalls);
    }

    [Fact]
    public async Task ScoreAsync_EndpointKeepsFailing_BreakerStopsTheRunLongBeforeTheInputIsBurnt()
    {
        await using var fake = await FakeVertexAi.StartAsync();
        fake.FaultFor = _ => FakeFault.Unavailable;
        await using var scorer = GeminiTestScorer.Create(fake, o =>
        {
            o.BreakerMinimumCalls = 10;
            o.MaxRetries = 3;
            o.Concurrency = 4;
        });
        var records = TestAccounts.Many(200);

        var outcomes = new List<ScoreOutcome>();
        await Parallel.ForEachAsync(records, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (r, ct) =>
        {
            var o = await scorer.ScoreAsync(r, ct);
            lock (outcomes)
            {
                outcomes.Add(o);
            }
        });

        // Every account after the stop comes back not scored (nothing thrown), so a run can commit what was answered.
        var e = Assert.IsType<ScorerException>(scorer.StoppedBecause);
        Assert.Equal(200, outcomes.Count);
        Assert.True(outcomes.Count(o => o.NotScoredReason == GeminiScorer.StoppedReason) >= 180);
        Assert.Contains("keeps failing", e.Message, StringComparison.Ordinal);
        Assert.Contains("Unavailable", e.Message, StringComparison.Ordinal);
        Assert.True(e.IsTransient);
        Assert.InRange(fake.GenerateCalls, 10, 20);
        var calls = fake.GenerateCalls;
        Assert.Equal(GeminiScorer.StoppedReason, (await scorer.ScoreAsync(records[^1], CancellationToken.None)).NotScoredReason);
        Assert.Equal(calls, fake.GenerateCalls); // a stopped scorer makes no more calls
    }

    [Fact]
    public async Task ScoreAsync_RetryBudgetSpent_StopsTheRunInsteadOfRetryingForever()
    {
        await using var fake = await FakeVertexAi.StartAsync();
        fake.FaultFor = call => call.Attempt <= 3 ? FakeFault.ResourceExhausted : FakeFault.None;
        await using var scorer = GeminiTestScorer.Create(fake, o =>
        {
            o.RetryBudgetFloor = 4;
            o.RetryBudgetRatio = 0;
            o.Concurrency = 1;
        });

        var first = await scorer.ScoreAsync(TestAccounts.Record("acc-1"), CancellationToken.None);
        var e = await StoppedAsync(scorer, "acc-2");

        Assert.NotNull(first.Recommendation); // 3 retries
        Assert.Contains("more retries than the run's budget (4 retries", e.Message, StringComparison.Ordinal);
        Assert.Contains("Lower --rpm or --concurrency", e.Message, StringComparison.Ordinal);
        Assert.Equal(4 + 2, fake.GenerateCalls); // acc-1: 4 calls; acc-2: first call + the one retry left
    }

    [Fact]
    public async Task ScoreAsync_CancelledBefore_ThrowsWithoutCalling()
    {
        await using var fake = await FakeVertexAi.StartAsync();
        await using var scorer = GeminiTestScorer.Create(fake);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => scorer.ScoreAsync(TestAccounts.Record("acc-1"), cts.Token).AsTask());

        Assert.Equal(0, fake.GenerateCalls);
    }

    [Fact]
    public async Task ScoreAsync_CancelledDuringCall_PassesCancellationThroughAndDoesNotRetry()
    {
        await using var fake = await FakeVertexAi.StartAsync();
        fake.FaultFor = _ => FakeFault.Hang;
        await using var scorer = GeminiTestScorer.Create(fake);
        using var cts = new CancellationTokenSource();

        var scoring = scorer.ScoreAsync(TestAccounts.Record("acc-1"), cts.Token).AsTask();
        await fake.WaitForCallsAsync(1);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => scoring);
        Assert.Equal(1, fake.GenerateCalls);
        Assert.Equal((0, 0, 0), (scorer.Usage.Retries, scorer.Usage.Failed, scorer.Usage.Timeouts));
    }

    [Fact]
    public async Task ScoreAsync_CancelledWhileQueuedForTheRateLimit_PassesCancellationThroughWithoutCalling()
    {
        var clock = GeminiTestScorer.FakeClock();
        await using var fake = await FakeVertexAi.StartAsync(clock);
        await using var scorer = GeminiTestScorer.Create(fake, o => o.RequestsPerMinute = 1, clock);
        await scorer.ScoreAsync(TestAccounts.Record("acc-1"), CancellationToken.None); // takes the only token
        using var cts = new CancellationTokenSource();

        var queued = scorer.ScoreAsync(TestAccounts.Record("acc-2"), cts.Token).AsTask();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        Assert.Equal(1, fake.GenerateCalls);
        Assert.Equal(1, scorer.Usage.Calls); // the cancelled call was given back
    }

    [Fact]
    public async Task ScoreAsync_CancelledAfterCompletion_ResultStandsAndScorerStillWorks()
    {
        await using var fake = await FakeVertexAi.StartAsync();
        await using var scorer = GeminiTestScorer.Create(fake);
        using var cts = new CancellationTokenSource();

        var outcome = await scorer.ScoreAsync(TestAccounts.Record("acc-1"), cts.Token);
        await cts.CancelAsync();
        var next = await scorer.ScoreAsync(TestAccounts.Record("acc-2"), CancellationToken.None);

        Assert.NotNull(outcome.Recommendation);
        Assert.NotNull(next.Recommendation);
    }

    [Fact]
    public async Task ScoreAsync_CallHangsPastTimeout_RetriedThenDeadLetteredNamingTheLimit()
    {
        var clock = GeminiTestScorer.FakeClock();
        await using var fake = await FakeVertexAi.StartAsync(clock);
        fake.FaultFor = _ => FakeFault.Hang;
        await using var scorer = GeminiTestScorer.Create(fake, o =>
        {
            o.Timeout = TimeSpan.FromSeconds(30);
            o.MaxRetries = 1;
        }, clock);

        var scoring = scorer.ScoreAsync(TestAccounts.Record("acc-1"), CancellationToken.None).AsTask();
        await fake.WaitForCallsAsync(1);
        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.False(scoring.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1)); // first call times out; the retry goes at once (zero jitter)
        await fake.WaitForCallsAsync(2);
        clock.Advance(TimeSpan.FromSeconds(30));
        var outcome = await scoring;

        Assert.Equal("vertex_timeout", outcome.Failure!.Reason);
        Assert.Contains("--timeout 30s", outcome.Failure.Message, StringComparison.Ordinal);
        Assert.Equal((2, 1), (scorer.Usage.Timeouts, scorer.Usage.Retries));
    }

    [Fact]
    public async Task ScoreAsync_Concurrency_NeverMoreCallsInFlightThanConfigured()
    {
        await using var fake = await FakeVertexAi.StartAsync();
        fake.Latency = _ => TimeSpan.FromMilliseconds(20);
        await using var scorer = GeminiTestScorer.Create(fake, o => o.Concurrency = 3);

        await Parallel.ForEachAsync(TestAccounts.Many(24), new ParallelOptions { MaxDegreeOfParallelism = 12 }, async (r, ct) => await scorer.ScoreAsync(r, ct));

        Assert.Equal(24, fake.GenerateCalls);
        Assert.InRange(fake.MaxInFlight, 1, 3);
    }

    [Fact]
    public void Policy_RetryableCodes_AreExactlyTheTransientOnes()
    {
        var retryable = Enum.GetValues<StatusCode>().Where(c => SalesIntel.Stages.Scoring.Gemini.Internal.GeminiCallPolicy.IsRetryable(new RpcException(new Status(c, "x")))).ToArray();

        Assert.Equal([StatusCode.DeadlineExceeded, StatusCode.ResourceExhausted, StatusCode.Internal, StatusCode.Unavailable], retryable);
        Assert.True(SalesIntel.Stages.Scoring.Gemini.Internal.GeminiCallPolicy.IsRetryable(new GeminiTimeoutException(TimeSpan.FromSeconds(1))));
        Assert.False(SalesIntel.Stages.Scoring.Gemini.Internal.GeminiCallPolicy.IsRetryable(new OperationCanceledException()));
    }

    /// <summary>Scores one account that meets a stopped scorer: it comes back not scored, and the stop's error is kept.</summary>
    internal static async Task<ScorerException> StoppedAsync(GeminiScorer scorer, string accountId)
    {
        var outcome = await scorer.ScoreAsync(TestAccounts.Record(accountId), CancellationToken.None);
        Assert.Null(outcome.Recommendation);
        Assert.Equal(GeminiScorer.StoppedReason, outcome.NotScoredReason);
        return Assert.IsType<ScorerException>(scorer.StoppedBecause);
    }
}
