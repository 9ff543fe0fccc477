using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Polly.CircuitBreaker;
using SalesIntel.Stages.GoogleApis;
using SalesIntel.Stages.Scoring.Gemini;
using SalesIntel.Stages.Scoring.Gemini.Internal;

namespace SalesIntel.Tests.Stages.Scoring.Gemini.Internal;

/// <summary>Backoff, RetryInfo, retry limits, timeout and breaker on a fake clock: no wall-clock waits.</summary>
public sealed class GeminiCallPolicyTests
{
    private readonly TimerAwareClock _clock = new();
    private readonly List<(Exception? Failure, TimeSpan Delay)> _retries = [];
    private readonly List<Exception?> _breaks = [];

    [Fact]
    public async Task Execute_ResourceExhaustedWithRetryInfo_WaitsAtLeastTheServerDelay()
    {
        var policy = Policy(random: 0.5);
        var calls = 0;
        var task = policy.ExecuteAsync(_ => ++calls == 1 ? throw Throttled(TimeSpan.FromSeconds(5)) : ValueTask.FromResult("ok"), CancellationToken.None).AsTask();

        Assert.Equal(1, calls);
        _clock.Advance(TimeSpan.FromMilliseconds(5499)); // 5 s from RetryInfo + 0.5 x 20% of it as jitter
        Assert.Equal(1, calls);
        _clock.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal("ok", await task);
        Assert.Equal(2, calls);
        Assert.Equal(TimeSpan.FromMilliseconds(5500), Assert.Single(_retries).Delay);
    }

    [Fact]
    public async Task Execute_ResourceExhaustedWithoutRetryInfo_BacksOffExponentiallyWithFullJitter()
    {
        var policy = Policy(random: 0.75, maxRetries: 5);
        var calls = 0;
        var task = policy.ExecuteAsync(_ => Interlocked.Increment(ref calls) <= 5 ? throw Throttled(null) : ValueTask.FromResult(calls), CancellationToken.None).AsTask();

        // Ceilings 1, 2, 4, 8, 16 s; the jitter draw 0.75 puts each delay at three quarters of its ceiling.
        var delays = new[] { 750, 1500, 3000, 6000, 12000 }.Select(ms => TimeSpan.FromMilliseconds(ms)).ToArray();
        for (var i = 0; i < delays.Length; i++)
        {
            await _clock.WaitForTimersAsync(i + 1); // retry i + 1 is now waiting
            Assert.Equal(i + 1, Volatile.Read(ref calls));
            _clock.Advance(delays[i] - TimeSpan.FromMilliseconds(1));
            Assert.Equal(i + 1, Volatile.Read(ref calls));
            _clock.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.Equal(6, await task);
        Assert.Equal(delays, _retries.Select(r => r.Delay).ToArray());
    }

    [Fact]
    public void BackoffDelay_FullJitter_UniformBelowTheDoublingCeilingCappedAtMax()
    {
        Assert.Equal(TimeSpan.Zero, Policy(random: 0).BackoffDelay(3, Throttled(null)));
        Assert.Equal(TimeSpan.FromSeconds(4), Policy(random: 0.5).BackoffDelay(3, Throttled(null))); // ceiling 8 s
        Assert.Equal(TimeSpan.FromSeconds(30), Policy(random: 0.5).BackoffDelay(12, Throttled(null))); // ceiling capped at 60 s
        Assert.Equal(TimeSpan.FromSeconds(5), Policy(random: 0).BackoffDelay(0, Throttled(TimeSpan.FromSeconds(5))));
    }

    [Theory]
    [InlineData(StatusCode.Unavailable)]
    [InlineData(StatusCode.DeadlineExceeded)]
    [InlineData(StatusCode.Internal)]
    public void BackoffDelay_TransientServerFault_StartsFromTheShorterTransientBase(StatusCode code)
    {
        var fault = new RpcException(new Grpc.Core.Status(code, "backend"));

        Assert.Equal(TimeSpan.FromMilliseconds(50), Policy(random: 0.5).BackoffDelay(0, fault)); // ceiling 100 ms
        Assert.Equal(TimeSpan.FromMilliseconds(400), Policy(random: 0.5).BackoffDelay(3, fault)); // ceiling 800 ms
        Assert.Equal(TimeSpan.FromSeconds(30), Policy(random: 0.5).BackoffDelay(12, fault)); // ceiling capped at 60 s
        Assert.Equal(TimeSpan.FromMilliseconds(50), Policy(random: 0.5).BackoffDelay(0, new GeminiTimeoutException(TimeSpan.FromSeconds(30), new TimeoutException())));
        Assert.Equal(TimeSpan.FromMilliseconds(500), Policy(random: 0.5).BackoffDelay(0, Throttled(null))); // a quota refusal keeps the 1 s base
    }

    [Fact]
    public void BackoffDelay_RetryInfoInItsOwnTrailer_IsHonouredToo()
    {
        var trailers = new Metadata { { "google.rpc.retryinfo-bin", new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromSeconds(7)) }.ToByteArray() } };
        var e = new RpcException(new Grpc.Core.Status(StatusCode.ResourceExhausted, "quota"), trailers);

        Assert.Equal(TimeSpan.FromSeconds(7), Policy(random: 0).BackoffDelay(0, e));
    }

    [Theory]
    [InlineData(StatusCode.InvalidArgument)]
    [InlineData(StatusCode.NotFound)]
    [InlineData(StatusCode.PermissionDenied)]
    [InlineData(StatusCode.Unauthenticated)]
    [InlineData(StatusCode.FailedPrecondition)]
    public async Task Execute_NonRetryableStatus_FailsAfterOneCall(StatusCode code)
    {
        var policy = Policy();
        var calls = 0;

        var e = await Assert.ThrowsAsync<RpcException>(() => policy.ExecuteAsync<int>(_ => { calls++; throw new RpcException(new Grpc.Core.Status(code, "no")); }, CancellationToken.None).AsTask());

        Assert.Equal((code, 1), (e.StatusCode, calls));
        Assert.Empty(_retries);
    }

    [Fact]
    public async Task Execute_AlwaysUnavailable_StopsAfterMaxRetriesAndRethrowsTheLastFailure()
    {
        var policy = Policy(random: 0, maxRetries: 3);
        var calls = 0;

        var e = await Assert.ThrowsAsync<RpcException>(() => policy.ExecuteAsync<int>(_ => { calls++; throw new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, "down")); }, CancellationToken.None).AsTask());

        Assert.Equal((StatusCode.Unavailable, 4, 3), (e.StatusCode, calls, _retries.Count));
    }

    [Fact]
    public async Task Execute_RetryBudgetSpent_NoFurtherRetriesAndBudgetMarkedExhausted()
    {
        var budget = new RetryBudget(floor: 2, ratio: 0);
        var policy = Policy(random: 0, maxRetries: 5, budget: budget);
        var calls = 0;

        await Assert.ThrowsAsync<RpcException>(() => policy.ExecuteAsync<int>(_ => { calls++; throw Throttled(null); }, CancellationToken.None).AsTask());

        Assert.Equal((3, 2L, true), (calls, budget.Spent, budget.Exhausted));
    }

    [Fact]
    public async Task Execute_CallerCancelsDuringBackoff_OperationCanceledAndNoMoreCalls()
    {
        var policy = Policy(random: 0.5);
        using var cts = new CancellationTokenSource();
        var calls = 0;
        var task = policy.ExecuteAsync<int>(_ => { calls++; throw Throttled(null); }, cts.Token).AsTask();

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        _clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task Execute_CallerCancellationInsideTheCall_IsNeverRetried()
    {
        var policy = Policy();
        using var cts = new CancellationTokenSource();
        var calls = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => policy.ExecuteAsync<int>(ct =>
        {
            calls++;
            cts.Cancel();
            ct.ThrowIfCancellationRequested();
            return ValueTask.FromResult(1);
        }, cts.Token).AsTask());

        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task WithTimeout_CallOutlastsTheLimit_GeminiTimeoutExceptionNamingTheLimit()
    {
        var policy = Policy(timeout: TimeSpan.FromSeconds(20));
        var task = policy.WithTimeoutAsync(ct => Task.Delay(Timeout.InfiniteTimeSpan, _clock, ct).ContinueWith(_ => 1, ct), CancellationToken.None).AsTask();

        _clock.Advance(TimeSpan.FromSeconds(19.9));
        Assert.False(task.IsCompleted);
        _clock.Advance(TimeSpan.FromSeconds(0.1));

        var e = await Assert.ThrowsAsync<GeminiTimeoutException>(() => task);
        Assert.Equal(TimeSpan.FromSeconds(20), e.Limit);
        Assert.Contains("--timeout 20s", e.Message, StringComparison.Ordinal);
        Assert.True(e.IsTransient);
        Assert.IsAssignableFrom<OperationCanceledException>(e.InnerException!.InnerException);
    }

    [Fact]
    public async Task WithTimeout_GrpcReportsItsCancellationAsStatusCancelled_StillATimeout()
    {
        var policy = Policy(timeout: TimeSpan.FromSeconds(5));
        var task = policy.WithTimeoutAsync<int>(async ct =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, _clock, ct).ContinueWith(_ => { }, CancellationToken.None);
            throw new RpcException(new Grpc.Core.Status(StatusCode.Cancelled, "Call canceled by the client."));
        }, CancellationToken.None).AsTask();

        _clock.Advance(TimeSpan.FromSeconds(5));

        await Assert.ThrowsAsync<GeminiTimeoutException>(() => task);
    }

    [Fact]
    public async Task WithTimeout_CallerCancels_OperationCanceledNotATimeout()
    {
        var policy = Policy(timeout: TimeSpan.FromSeconds(5));
        using var cts = new CancellationTokenSource();
        var task = policy.WithTimeoutAsync(ct => Task.Delay(Timeout.InfiniteTimeSpan, _clock, ct).ContinueWith(_ => 1, ct), cts.Token).AsTask();

        await cts.CancelAsync();

        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        Assert.IsNotType<GeminiTimeoutException>(e);
    }

    [Fact]
    public async Task Breaker_FailureRatioReached_OpensOnceAndRejectsFurtherCalls()
    {
        var policy = Policy(random: 0, maxRetries: 1, breakerMinimumCalls: 4);
        var calls = 0;

        for (var i = 0; i < 2; i++)
        {
            await Assert.ThrowsAsync<RpcException>(() => policy.ExecuteAsync<int>(_ => { calls++; throw new RpcException(new Grpc.Core.Status(StatusCode.Internal, "boom")); }, CancellationToken.None).AsTask());
        }

        var e = await Assert.ThrowsAsync<BrokenCircuitException>(() => policy.ExecuteAsync(_ => { calls++; return ValueTask.FromResult(1); }, CancellationToken.None).AsTask());
        Assert.Equal(4, calls);
        Assert.Equal(StatusCode.Internal, Assert.IsType<RpcException>(Assert.Single(_breaks)).StatusCode);
        Assert.IsType<RpcException>(e.InnerException);
    }

    [Fact]
    public async Task Breaker_ResourceExhaustedIsAQuotaSignal_DoesNotOpenIt()
    {
        var policy = Policy(random: 0, maxRetries: 1, breakerMinimumCalls: 4);

        for (var i = 0; i < 4; i++)
        {
            await Assert.ThrowsAsync<RpcException>(() => policy.ExecuteAsync<int>(_ => throw Throttled(null), CancellationToken.None).AsTask());
        }

        Assert.Equal(5, await policy.ExecuteAsync(_ => ValueTask.FromResult(5), CancellationToken.None));
        Assert.Empty(_breaks);
    }

    [Fact]
    public async Task Breaker_FailuresSpreadBeyondItsWindow_StaysClosed()
    {
        var policy = Policy(random: 0, maxRetries: 1, breakerMinimumCalls: 4, breakerWindow: TimeSpan.FromSeconds(10));

        for (var i = 0; i < 6; i++)
        {
            await Assert.ThrowsAsync<RpcException>(() => policy.ExecuteAsync<int>(_ => throw new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, "down")), CancellationToken.None).AsTask());
            await policy.ExecuteAsync(_ => ValueTask.FromResult(1), CancellationToken.None);
            await policy.ExecuteAsync(_ => ValueTask.FromResult(1), CancellationToken.None);
            await policy.ExecuteAsync(_ => ValueTask.FromResult(1), CancellationToken.None);
            _clock.Advance(TimeSpan.FromSeconds(11));
        }

        Assert.Empty(_breaks);
    }

    private GeminiCallPolicy Policy(double random = 0, int maxRetries = 6, RetryBudget? budget = null, TimeSpan? timeout = null, int breakerMinimumCalls = 20, TimeSpan? breakerWindow = null)
    {
        var options = new GeminiScorerOptions
        {
            MaxRetries = maxRetries,
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
            BreakerMinimumCalls = breakerMinimumCalls,
            BreakerWindow = breakerWindow ?? TimeSpan.FromSeconds(60),
        };
        return new GeminiCallPolicy(options, _clock, budget ?? new RetryBudget(100, 1), () => random, (f, d) => _retries.Add((f, d)), _breaks.Add);
    }

    private static RpcException Throttled(TimeSpan? retryDelay) => retryDelay is { } d
        ? new RpcException(new Grpc.Core.Status(StatusCode.ResourceExhausted, "quota"), RpcErrorDetails.Trailers(StatusCode.ResourceExhausted, "quota", new RetryInfo { RetryDelay = Duration.FromTimeSpan(d) }))
        : new RpcException(new Grpc.Core.Status(StatusCode.ResourceExhausted, "quota"));
}
