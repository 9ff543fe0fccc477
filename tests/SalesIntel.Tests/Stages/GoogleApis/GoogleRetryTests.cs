using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using Polly.Timeout;
using SalesIntel.Stages.GoogleApis;
using SalesIntel.Tests.Stages.Sinks.BigQuery.Fakes;

namespace SalesIntel.Tests.Stages.GoogleApis;

public sealed class GoogleRetryTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);

    private static RpcException Unavailable(TimeSpan? retryAfter = null) => retryAfter is { } delay
        ? new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, "try later"), RpcErrorDetails.Trailers(StatusCode.Unavailable, "try later", new RetryInfo { RetryDelay = Duration.FromTimeSpan(delay) }))
        : new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, "try later"));

    private static GoogleRetryOptions Options(int maxRetries = 5, GoogleRetryBudget? budget = null, Func<double>? random = null, List<TimeSpan>? delays = null) => new()
    {
        ShouldRetry = e => e is RpcException r && GoogleRpcFailure.From(r).IsTransient || e is TimeoutRejectedException,
        MaxRetryAttempts = maxRetries,
        BaseDelay = TimeSpan.FromMilliseconds(100),
        MaxDelay = TimeSpan.FromSeconds(1),
        Budget = budget,
        Random = random ?? (() => 0.5),
        OnRetry = (_, _, d) => delays?.Add(d),
    };

    [Fact]
    public async Task Execute_RetryInfo_WaitsTheServersDelayOnTheTimeProvider()
    {
        var time = new TimerWatchingTimeProvider(DateTimeOffset.UnixEpoch);
        var calls = 0;
        var pipeline = GoogleRetry.Pipeline(Options(random: () => 0), time);

        var run = pipeline.ExecuteAsync(_ => ++calls == 1 ? throw Unavailable(TimeSpan.FromSeconds(30)) : ValueTask.FromResult(calls)).AsTask();
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(30)).WaitAsync(Guard);
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(run.IsCompleted);
        Assert.Equal(1, calls);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, await run.WaitAsync(Guard));
    }

    [Fact]
    public void Delay_RetryInfo_IsAFloorWithAtMostTheServerJitterAdded()
    {
        var asked = TimeSpan.FromSeconds(10);

        Assert.Equal(asked, GoogleRetry.Delay(Options(random: () => 0), 1, asked));
        Assert.InRange(GoogleRetry.Delay(Options(random: () => 0.999), 1, asked), asked, TimeSpan.FromSeconds(12));
        Assert.Equal(asked, GoogleRetry.Delay(Options(random: () => 0.999) with { ServerDelayJitter = 0 }, 7, asked));
    }

    [Theory]
    [InlineData(1, 100)]
    [InlineData(2, 200)]
    [InlineData(3, 400)]
    [InlineData(4, 800)]
    [InlineData(5, 1000)]
    [InlineData(40, 1000)]
    public void Delay_WithoutRetryInfo_IsExponentialCappedAndEqualJitterKeepsItWithinHalfToFull(int failure, double ceilingMs)
    {
        var low = GoogleRetry.Delay(Options(random: () => 0), failure, null);
        var high = GoogleRetry.Delay(Options(random: () => 0.999999), failure, null);

        Assert.Equal(TimeSpan.FromMilliseconds(ceilingMs / 2), low);
        Assert.InRange(high, TimeSpan.FromMilliseconds(ceilingMs * 0.999), TimeSpan.FromMilliseconds(ceilingMs));
    }

    [Fact]
    public void Delay_FullJitter_SpansZeroToTheCeiling()
    {
        var full = Options(random: () => 0) with { Jitter = 1 };

        Assert.Equal(TimeSpan.Zero, GoogleRetry.Delay(full, 3, null));
        Assert.Equal(TimeSpan.FromMilliseconds(200), GoogleRetry.Delay(full with { Random = () => 0.5 }, 3, null));
    }

    [Fact]
    public async Task Execute_KeepsFailing_StopsAfterMaxRetriesAndRethrowsTheLastFailure()
    {
        var time = new FakeTimeProvider();
        var calls = 0;
        var delays = new List<TimeSpan>();
        var pipeline = GoogleRetry.Pipeline(Options(maxRetries: 3, delays: delays), time);

        var run = pipeline.ExecuteAsync(_ => { calls++; throw Unavailable(); }).AsTask();
        var e = await Assert.ThrowsAsync<RpcException>(() => AdvanceUntilDone(time, run));

        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        Assert.Equal(4, calls);
        Assert.Equal([TimeSpan.FromMilliseconds(75), TimeSpan.FromMilliseconds(150), TimeSpan.FromMilliseconds(300)], delays);
    }

    [Fact]
    public async Task Execute_ZeroRetries_MakesOneAttempt()
    {
        var calls = 0;
        var pipeline = GoogleRetry.Pipeline(Options(maxRetries: 0), new FakeTimeProvider());

        await Assert.ThrowsAsync<RpcException>(() => pipeline.ExecuteAsync(_ => { calls++; throw Unavailable(); }).AsTask());

        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task Execute_NotRetryable_FailsAtOnce()
    {
        var calls = 0;
        var pipeline = GoogleRetry.Pipeline(Options(), new FakeTimeProvider());

        await Assert.ThrowsAsync<RpcException>(() => pipeline.ExecuteAsync(_ => { calls++; throw new RpcException(new Grpc.Core.Status(StatusCode.PermissionDenied, "no")); }).AsTask());

        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task Execute_BudgetSharedByTwoPipelines_StopsBothOnceSpent()
    {
        var time = new FakeTimeProvider();
        var budget = new GoogleRetryBudget(3);
        var first = GoogleRetry.Pipeline(Options(maxRetries: 10, budget: budget), time);
        var second = GoogleRetry.Pipeline(Options(maxRetries: 10, budget: budget), time);
        var firstCalls = 0;
        var secondCalls = 0;

        await Assert.ThrowsAsync<RpcException>(() => AdvanceUntilDone(time, first.ExecuteAsync(_ => { firstCalls++; throw Unavailable(); }).AsTask()));
        await Assert.ThrowsAsync<RpcException>(() => AdvanceUntilDone(time, second.ExecuteAsync(_ => { secondCalls++; throw Unavailable(); }).AsTask()));

        Assert.Equal(4, firstCalls);
        Assert.Equal(1, secondCalls);
        Assert.True(budget.Exhausted);
        Assert.Equal(3, budget.Spent);
    }

    [Fact]
    public async Task Execute_LastAttemptRefusedByTheLimit_SpendsNoBudget()
    {
        var time = new FakeTimeProvider();
        var budget = new GoogleRetryBudget(10);
        var pipeline = GoogleRetry.Pipeline(Options(maxRetries: 2, budget: budget), time);
        var run = pipeline.ExecuteAsync(_ => throw Unavailable()).AsTask();

        await Assert.ThrowsAsync<RpcException>(() => AdvanceUntilDone(time, run));

        Assert.Equal(2, budget.Spent);
    }

    [Fact]
    public async Task Execute_CallerCancelsDuringTheDelay_ThrowsOperationCanceledAndDoesNotRetry()
    {
        var time = new TimerWatchingTimeProvider(DateTimeOffset.UnixEpoch);
        var calls = 0;
        var pipeline = GoogleRetry.Pipeline(Options(), time);
        using var cts = new CancellationTokenSource();

        var run = pipeline.ExecuteAsync(_ => { calls++; throw Unavailable(TimeSpan.FromSeconds(30)); }, cts.Token).AsTask();
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(33)).WaitAsync(Guard);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Guard));
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task Execute_CancellationOfTheCallersToken_IsNeverRetriedEvenWhenTheRetryPredicateWouldSayYes()
    {
        var calls = 0;
        using var cts = new CancellationTokenSource();
        var pipeline = GoogleRetry.Pipeline(Options() with { ShouldRetry = _ => true }, new FakeTimeProvider());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pipeline.ExecuteAsync(
            _ =>
            {
                calls++;
                cts.Cancel();
                throw new OperationCanceledException(cts.Token);
            },
            cts.Token).AsTask());

        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task Execute_CancellationFromAnotherToken_IsLeftToTheRetryPredicate()
    {
        var time = new FakeTimeProvider();
        var calls = 0;
        using var caller = new CancellationTokenSource();
        using var other = new CancellationTokenSource();
        await other.CancelAsync();
        var pipeline = GoogleRetry.Pipeline(Options() with { ShouldRetry = e => e is OperationCanceledException }, time);

        var run = pipeline.ExecuteAsync(_ => ++calls < 3 ? throw new OperationCanceledException(other.Token) : ValueTask.FromResult(calls), caller.Token).AsTask();

        Assert.Equal(3, await AdvanceUntilDone(time, run));
    }

    [Fact]
    public void IsCallerCancellation_TellsTheCallersCancellationFromOthers()
    {
        using var caller = new CancellationTokenSource();
        using var other = new CancellationTokenSource();
        other.Cancel();

        Assert.False(GoogleRetry.IsCallerCancellation(new OperationCanceledException(other.Token), caller.Token));
        Assert.False(GoogleRetry.IsCallerCancellation(new OperationCanceledException(), CancellationToken.None));
        caller.Cancel();
        Assert.True(GoogleRetry.IsCallerCancellation(Unavailable(), caller.Token));
    }

    [Fact]
    public async Task Execute_AttemptTimeout_TimesEachAttemptAndRetriesTheTimeout()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var calls = 0;
        var pipeline = GoogleRetry.Pipeline(Options() with { AttemptTimeout = TimeSpan.FromSeconds(5) }, time);

        var run = pipeline.ExecuteAsync(async ct =>
        {
            if (++calls == 1)
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, time, ct);
            }

            return calls;
        }).AsTask();
        Assert.Equal(2, await AdvanceUntilDone(time, run));
        Assert.True(time.GetUtcNow() - DateTimeOffset.UnixEpoch >= TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Execute_FailureNumberSupplied_BacksOffFromThatCountNotPollys()
    {
        var time = new FakeTimeProvider();
        var delays = new List<TimeSpan>();
        var calls = 0;
        var pipeline = GoogleRetry.Pipeline(Options(delays: delays) with { FailureNumber = _ => 1 }, time);

        var run = pipeline.ExecuteAsync(_ => ++calls < 4 ? throw Unavailable() : ValueTask.FromResult(calls)).AsTask();
        await AdvanceUntilDone(time, run);

        Assert.Equal([TimeSpan.FromMilliseconds(75), TimeSpan.FromMilliseconds(75), TimeSpan.FromMilliseconds(75)], delays);
    }

    // Moves the fake clock in small steps until the run ends, so each retry delay elapses whatever its length.
    private static async Task<T> AdvanceUntilDone<T>(FakeTimeProvider time, Task<T> run)
    {
        await AdvanceUntilDone(time, (Task)run);
        return await run;
    }

    private static async Task AdvanceUntilDone(FakeTimeProvider time, Task run)
    {
        for (var i = 0; i < 2_000 && !run.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(50));
            await Task.Delay(1);
        }

        await run.WaitAsync(Guard);
    }
}
