using SalesIntel.Stages.Protos.VertexAi;

namespace SalesIntel.Stages.Scoring.Gemini.Internal;

/// <summary>
/// Counts what the scorer spends (calls, tokens, estimated cost, latency) and enforces <c>--max-llm-calls</c> and
/// <c>--max-cost</c>. A call reserves its worst-case cost (input estimate plus the whole output budget) before it
/// is sent and settles to the real cost when it ends, so the spend cannot pass the limit; when the limit is near,
/// a new call waits for calls in flight to settle before it gives up. Once a budget stops scoring it stays stopped.
/// </summary>
internal sealed class UsageMeter
{
    public const string MaxCostReached = "max_cost_reached";
    public const string MaxCallsReached = "max_llm_calls_reached";

    private readonly object _lock = new();
    private readonly ModelPrice? _price;
    private readonly long? _maxCalls;
    private readonly decimal? _maxCost;
    private readonly int _maxOutputTokens;
    private readonly string _model;
    private readonly string _promptVersion;
    private readonly AdaptiveConcurrency _concurrency;
    private readonly List<long> _latencyTicks = [];
    private TaskCompletionSource _settled = NewSignal();
    private decimal _cost;
    private decimal _reserved;
    private long _calls;
    private long _successfulCalls;
    private long _retries;
    private long _answerRetries;
    private long _throttled;
    private long _timeouts;
    private long _scored;
    private long _failed;
    private long _notScored;
    private long _fallback;
    private long _inputTokens;
    private long _outputTokens;
    private long _thinkingTokens;
    private long _cachedTokens;

    public UsageMeter(GeminiScorerOptions options, GenerationPlan plan, ModelPrice? price, string promptVersion, AdaptiveConcurrency concurrency)
    {
        _price = price;
        _maxCalls = options.MaxLlmCalls;
        _maxCost = options.MaxCostUsd;
        _maxOutputTokens = plan.MaxOutputTokens;
        _model = plan.Model;
        _promptVersion = promptVersion;
        _concurrency = concurrency;
    }

    /// <summary>The budget that stopped scoring, or null.</summary>
    public string? StoppedBy { get; private set; }

    /// <summary>Reserves one call; null when a budget is reached (then <see cref="StoppedBy"/> says which).</summary>
    public async ValueTask<CallPermit?> ReserveCallAsync(int estimatedInputTokens, CancellationToken cancellationToken)
    {
        var bound = _price?.Cost(estimatedInputTokens, _maxOutputTokens, 0) ?? 0m;
        while (true)
        {
            Task wait;
            lock (_lock)
            {
                if (StoppedBy is not null)
                {
                    return null;
                }

                if (_maxCalls is { } maxCalls && _calls >= maxCalls)
                {
                    StoppedBy = MaxCallsReached;
                    return null;
                }

                if (_maxCost is { } maxCost && _cost + bound > maxCost)
                {
                    StoppedBy = MaxCostReached;
                    return null;
                }

                if (_maxCost is null || _cost + _reserved + bound <= _maxCost)
                {
                    _calls++;
                    _reserved += bound;
                    return new CallPermit(bound);
                }

                // The limit is only reached if the calls in flight cost what they reserved; wait and see.
                wait = _settled.Task;
            }

            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Ends a reserved call: its real cost replaces the reservation. <paramref name="sent"/> false gives the call back.</summary>
    public void Settle(CallPermit permit, GenerateContentResponse.Types.UsageMetadata? usage, bool sent)
    {
        TaskCompletionSource signal;
        lock (_lock)
        {
            _reserved -= permit.ReservedCost;
            if (!sent)
            {
                _calls--;
            }

            if (usage is not null && _price is not null)
            {
                _cost += _price.Cost(usage.PromptTokenCount, usage.CandidatesTokenCount, usage.ThoughtsTokenCount, usage.CachedContentTokenCount);
            }

            signal = _settled;
            _settled = NewSignal();
        }

        signal.TrySetResult();
    }

    public void RecordAnswered(TimeSpan latency, GenerateContentResponse.Types.UsageMetadata? usage)
    {
        lock (_lock)
        {
            _successfulCalls++;
            _latencyTicks.Add(latency.Ticks);
            if (usage is not null)
            {
                _inputTokens += usage.PromptTokenCount;
                _outputTokens += usage.CandidatesTokenCount;
                _thinkingTokens += usage.ThoughtsTokenCount;
                _cachedTokens += usage.CachedContentTokenCount;
            }
        }
    }

    /// <summary>Prompt tokens served from the implicit cache (billed at the cached-input price), over every answered call.</summary>
    public long CachedTokens
    {
        get
        {
            lock (_lock)
            {
                return _cachedTokens;
            }
        }
    }

    /// <summary>
    /// Counts the canary's tokens and cost in the run's totals (it is billed like any call) but not as a call:
    /// <c>--max-llm-calls</c> and the retry budget are about scoring.
    /// </summary>
    public void RecordCanary(GenerateContentResponse.Types.UsageMetadata? usage)
    {
        lock (_lock)
        {
            if (usage is null)
            {
                return;
            }

            _inputTokens += usage.PromptTokenCount;
            _outputTokens += usage.CandidatesTokenCount;
            _thinkingTokens += usage.ThoughtsTokenCount;
            _cachedTokens += usage.CachedContentTokenCount;
            CanaryTokens = usage.PromptTokenCount + usage.CandidatesTokenCount + usage.ThoughtsTokenCount;
            if (_price is not null)
            {
                CanaryCostUsd = _price.Cost(usage.PromptTokenCount, usage.CandidatesTokenCount, usage.ThoughtsTokenCount, usage.CachedContentTokenCount);
                _cost += CanaryCostUsd.Value;
            }
        }
    }

    /// <summary>Tokens the canary used (input, answer and thinking), or 0 before it ran.</summary>
    public long CanaryTokens { get; private set; }

    /// <summary>What the canary cost, or null without a price.</summary>
    public decimal? CanaryCostUsd { get; private set; }

    public void RecordRetry() => Interlocked.Increment(ref _retries);

    public void RecordAnswerRetry() => Interlocked.Increment(ref _answerRetries);

    public void RecordThrottled() => Interlocked.Increment(ref _throttled);

    public void RecordTimeout() => Interlocked.Increment(ref _timeouts);

    public void RecordScored() => Interlocked.Increment(ref _scored);

    public void RecordFailed() => Interlocked.Increment(ref _failed);

    public void RecordNotScored() => Interlocked.Increment(ref _notScored);

    public void RecordFallback() => Interlocked.Increment(ref _fallback);

    public GeminiUsageSnapshot Snapshot()
    {
        lock (_lock)
        {
            var sorted = _latencyTicks.ToArray();
            Array.Sort(sorted);
            return new GeminiUsageSnapshot
            {
                Model = _model,
                PromptVersion = _promptVersion,
                Calls = _calls,
                SuccessfulCalls = _successfulCalls,
                Retries = Interlocked.Read(ref _retries),
                AnswerRetries = Interlocked.Read(ref _answerRetries),
                Throttled = Interlocked.Read(ref _throttled),
                Timeouts = Interlocked.Read(ref _timeouts),
                Scored = Interlocked.Read(ref _scored),
                Failed = Interlocked.Read(ref _failed),
                NotScored = Interlocked.Read(ref _notScored),
                FallbackScored = Interlocked.Read(ref _fallback),
                InputTokens = _inputTokens,
                OutputTokens = _outputTokens,
                ThinkingTokens = _thinkingTokens,
                EstimatedCostUsd = _price is null ? null : _cost,
                LatencyP50 = Percentile(sorted, 0.50),
                LatencyP90 = Percentile(sorted, 0.90),
                LatencyP95 = Percentile(sorted, 0.95),
                LatencyP99 = Percentile(sorted, 0.99),
                ConcurrencyLimit = _concurrency.Limit,
                LowestConcurrencyLimit = _concurrency.LowestLimit,
                StoppedBy = StoppedBy,
            };
        }
    }

    /// <summary>Nearest-rank percentile of sorted ticks.</summary>
    internal static TimeSpan Percentile(long[] sorted, double p) =>
        sorted.Length == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)]);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A reserved call.</summary>
    internal sealed record CallPermit(decimal ReservedCost);
}
