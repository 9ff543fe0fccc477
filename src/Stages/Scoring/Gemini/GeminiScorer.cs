using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly.CircuitBreaker;
using SalesIntel.Stages.Decode;
using SalesIntel.Stages.Errors;
using SalesIntel.Stages.Fixtures;
using SalesIntel.Stages.GoogleApis;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Protos.VertexAi;
using SalesIntel.Stages.Scoring.Gemini.Internal;
using SalesIntel.Stages.Sources;

namespace SalesIntel.Stages.Scoring.Gemini;

/// <summary>
/// Scores accounts with a Gemini model on Vertex AI (GenerateContent over gRPC): a versioned system instruction,
/// the account's canonical JSON in a delimited data block, JSON output constrained by a response schema, and a
/// validated answer. Calls pass an adaptive concurrency gate, client-side RPM and TPM limiters and a Polly retry /
/// circuit-breaker / timeout pipeline; budgets (<c>--max-cost</c>, <c>--max-llm-calls</c>) stop scoring cleanly.
/// A bad answer is retried once with an adjusted request, then dead-lettered (or, opt-in, scored by the rules
/// fallback). Errors that will hit every account (model not found, permission denied, the breaker opening, the
/// retry budget running out) throw <see cref="ScorerException"/> and stop the run.
/// </summary>
public sealed class GeminiScorer : IScorer, IReportsMetrics, IStopsEarly
{
    /// <summary>The scorer name written with every row.</summary>
    public const string ScorerName = "gemini";

    /// <summary>The scorer name of rows the rules fallback scored.</summary>
    public const string FallbackScorerName = "rules-fallback";

    /// <summary>The not-scored reason of the accounts after a mid-run stop (the breaker, the retry budget, a fatal answer).</summary>
    public const string StoppedReason = "model_stopped";

    /// <summary>Successive INVALID_ARGUMENT answers, before any success, that mean the configuration (not the row) is wrong.</summary>
    private const int InvalidArgumentStreakLimit = 5;

    private readonly GeminiScorerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly VertexModel _model;
    private readonly PromptTemplate _prompt;
    private readonly GeminiRequestFactory _requests;
    private readonly GrpcChannel _channel;
    private readonly PredictionService.PredictionServiceClient _prediction;
    private readonly Metadata _generateHeaders;
    private readonly PacedTokenBucket _rpm;
    private readonly PacedTokenBucket? _tpm;
    private readonly AdaptiveConcurrency _concurrency;
    private readonly RetryBudget _retryBudget;
    private readonly GeminiCallPolicy _policy;
    private readonly UsageMeter _meter;
    private readonly TokenEstimator _tokens;
    private readonly IScorer? _fallback;
    private readonly GenerationPlan _plan;
    private readonly IReadOnlyList<string> _modelWarnings;
    private readonly CancellationTokenSource _stopping = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _servedVersions = new(StringComparer.OrdinalIgnoreCase);
    private ScorerException? _fatal;
    private int _invalidArgumentStreak;
    private long _answered;
    private int _budgetLogged;

    /// <summary>Creates the scorer; no call is made until <see cref="PreflightAsync"/>.</summary>
    /// <param name="options">The options; validated here (every problem in one <see cref="ConfigurationException"/>) and copied.</param>
    /// <param name="fallback">The rules scorer, required with <see cref="GeminiFallback.Rules"/>; not owned (not disposed here).</param>
    /// <param name="timeProvider">Times limiters, backoff, timeouts and latencies. Defaults to the system clock.</param>
    /// <param name="logger">Logs retries, throttling, fallbacks and stops.</param>
    public GeminiScorer(GeminiScorerOptions options, IScorer? fallback = null, TimeProvider? timeProvider = null, ILogger? logger = null)
        : this(options, fallback, timeProvider, logger, random: null)
    {
    }

    internal GeminiScorer(GeminiScorerOptions options, IScorer? fallback, TimeProvider? timeProvider, ILogger? logger, Func<double>? random)
    {
        options.Validate();
        _options = options.Copy();
        if (_options.Fallback == GeminiFallback.Rules && fallback is null)
        {
            throw new ConfigurationException("--fallback rules needs the rules scorer, but none was given to the gemini scorer");
        }

        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;

        // The model's lifecycle is checked before any data is read: a retired id fails every call with NOT_FOUND.
        var catalog = GeminiModelCatalog.Load(_options.ModelCatalogFile);
        _options.Model ??= catalog.DefaultModel;
        var model = _options.Model;
        var info = catalog.Find(model);
        _modelWarnings = catalog.Check(model, DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime));
        foreach (var warning in _modelWarnings)
        {
            GeminiLog.ModelWarning(_logger, warning);
        }

        var prices = catalog.Prices();
        if (_options.PriceTableFile is not null)
        {
            prices = prices.With(_options.PriceTableFile);
        }

        // Flex PayGo bills every rate at the catalog's discount; a model the catalog does not know keeps the user's prices.
        var price = prices.For(model);
        if (_options.Tier == GeminiTier.Flex && price is not null && info is not null)
        {
            price = price.Discounted(info.FlexDiscount);
        }

        if (_options.MaxCostUsd is not null && price is null)
        {
            throw new ConfigurationException($"--max-cost needs a price for model '{model}': add it with \"prices\" to a --model-catalog file (a copy of {GeminiModelCatalog.DefaultRelativePath}), or to a --price-table file, e.g. {{\"{model}\": {{\"input\": 0.30, \"output\": 2.50}}}}");
        }

        _plan = GenerationPlan.Resolve(_options, model, info);
        _fallback = _options.Fallback == GeminiFallback.Rules ? fallback : null;
        _prompt = PromptTemplate.Load(_options.PromptFile);
        _model = new VertexModel(_options.Project!, _options.Region, model)
        {
            Suggestion = info?.Replacement ?? (string.Equals(model, catalog.DefaultModel, StringComparison.OrdinalIgnoreCase) ? "another model from the model catalog" : catalog.DefaultModel),
        };
        _requests = new GeminiRequestFactory(_model, _prompt, _options, _plan);
        _channel = GoogleChannelFactory.Create(_model.Endpoint, GeminiScorerOptions.EmulatorVariable, _options.EmulatorHost, [GoogleChannelFactory.CloudPlatformScope], 16 * 1024 * 1024);
        _prediction = new PredictionService.PredictionServiceClient(_channel);
        _generateHeaders = new Metadata { { VertexModel.RoutingHeader, _model.GenerateRouting } };
        if (_options.Tier == GeminiTier.Flex)
        {
            _generateHeaders.Add(FlexHeader, FlexHeaderValue);
        }

        GeminiLog.Pacing(_logger, _options.TaskRequestsPerMinute, _options.TaskTokensPerMinute, _options.RequestsPerMinute, _options.TokensPerMinute, _options.TaskCount, TierName);

        // One token of burst, paced 1% (at least one request) below --rpm: at exactly the quota, a few milliseconds of
        // network jitter at a window's edge is enough for the server to count one request too many. A log of grants
        // also keeps any sliding minute at or below --rpm when late timer ticks catch up two grants at once.
        // --rpm and --tpm are for the whole execution: each Cloud Run task paces to its share of them.
        var rpm = _options.TaskRequestsPerMinute;
        var tpm = _options.TaskTokensPerMinute;
        _rpm = new PacedTokenBucket(Headroom(rpm), burst: 1, _time, windowCap: rpm);
        _tpm = tpm > 0
            ? new PacedTokenBucket(Headroom(tpm), burst: Math.Min(tpm, Math.Max(tpm / 60, 16_384)), _time)
            : null;
        _concurrency = new AdaptiveConcurrency(_options.Concurrency, _time, coolDown: TimeSpan.FromSeconds(1));
        _retryBudget = new RetryBudget(_options.RetryBudgetFloor, _options.RetryBudgetRatio);
        _tokens = new TokenEstimator(_options.MaxAnswerTokens);
        _meter = new UsageMeter(_options, _plan, price, _prompt.VersionTag, _concurrency);
        var jitter = random ?? Random.Shared.NextDouble;
        _policy = new GeminiCallPolicy(_options, _time, _retryBudget, jitter, OnRetry, OnBreak);
    }

    /// <summary>The request header that asks Vertex AI for Flex PayGo (gRPC metadata keys are lower case).</summary>
    public const string FlexHeader = "x-vertex-ai-llm-shared-request-type";

    /// <summary>The value of <see cref="FlexHeader"/> for Flex PayGo.</summary>
    public const string FlexHeaderValue = "flex";

    /// <inheritdoc />
    public string Name => ScorerName;

    /// <summary>The tier requested with every call.</summary>
    public GeminiTier Tier => _options.Tier;

    private string TierName => _options.Tier == GeminiTier.Flex ? "flex" : "standard";

    /// <inheritdoc />
    public bool NeedsCanonicalJson => true;

    /// <inheritdoc />
    public int PreferredBatchSize => 1;

    /// <inheritdoc />
    public int MaxParallelism => _options.Concurrency;

    /// <summary>
    /// True: a call in backoff (seconds) must not hold back the calls that answer in milliseconds. The adaptive
    /// concurrency gate, the RPM and TPM limiters and the budgets bound what is sent, however many records wait.
    /// </summary>
    public bool LatencyVaries => true;

    /// <summary>The prompt version written with every row, e.g. <c>scoring-v1@1a2b3c4d</c>.</summary>
    public string PromptVersion => _prompt.VersionTag;

    /// <inheritdoc />
    public string Fingerprint => $"{ScorerName}|{_options.Model}|{_prompt.VersionTag}";

    /// <summary>The full model path calls go to.</summary>
    public string ModelPath => _model.Path;

    /// <summary>What was spent and seen so far, for the run summary.</summary>
    public GeminiUsageSnapshot Usage => _meter.Snapshot();

    /// <summary>The thinking level sent with every call (Gemini 3.x), or null.</summary>
    public string? ThinkingLevel => _plan.ThinkingLevel;

    /// <summary>The temperature sent with every first call.</summary>
    public float Temperature => _plan.Temperature;

    /// <summary>The start-up warnings about the model (near retirement, not in the catalog); also in the summary as <c>model_warnings</c>.</summary>
    public IReadOnlyList<string> ModelWarnings => _modelWarnings;

    /// <summary>The usage figures for the run summary: snake_case names, numbers where possible.</summary>
    public IReadOnlyDictionary<string, object?> GetMetrics()
    {
        var u = Usage;
        var metrics = new Dictionary<string, object?>
        {
            ["llm_model"] = u.Model,
            ["llm_prompt"] = u.PromptVersion,
            ["llm_calls"] = u.Calls,
            ["llm_retries"] = u.Retries,
            ["llm_429s"] = u.Throttled,
            ["llm_429_share"] = Math.Round(u.ThrottledShare, 4),
            ["llm_timeouts"] = u.Timeouts,
            ["llm_answer_retries"] = u.AnswerRetries,
            ["llm_failed"] = u.Failed,
            ["llm_fallbacks"] = u.FallbackScored,
            ["llm_tokens_in"] = u.InputTokens,
            ["llm_tokens_out"] = u.OutputTokens,
            ["llm_tokens_think"] = u.ThinkingTokens,
            ["llm_p50_ms"] = (long)Math.Round(u.LatencyP50.TotalMilliseconds),
            ["llm_p90_ms"] = (long)Math.Round(u.LatencyP90.TotalMilliseconds),
            ["llm_p95_ms"] = (long)Math.Round(u.LatencyP95.TotalMilliseconds),
            ["llm_p99_ms"] = (long)Math.Round(u.LatencyP99.TotalMilliseconds),
            ["llm_concurrency_lo"] = u.LowestConcurrencyLimit,
            ["llm_cost_usd"] = u.EstimatedCostUsd is { } cost ? Math.Round(cost, 6) : "unknown (no price; see --price-table)",
        };
        // The tier is the one requested: the traffic type Vertex AI reports per response is not read yet.
        metrics["llm_tier_requested"] = TierName;
        metrics["llm_task_count"] = _options.TaskCount;
        metrics["llm_rpm_task_share"] = _options.TaskRequestsPerMinute;
        metrics["llm_tpm_task_share"] = _options.TaskTokensPerMinute;
        if (u.StoppedBy is not null)
        {
            metrics["llm_stopped_by"] = u.StoppedBy;
        }

        // The share of prompt tokens the implicit cache served: the stable system instruction comes first so it can.
        var cached = _meter.CachedTokens;
        metrics["llm_tokens_cached"] = cached;
        metrics["llm_cached_share"] = u.InputTokens > 0 ? Math.Round((double)cached / u.InputTokens, 4) : 0d;
        metrics["llm_canary_tokens"] = _meter.CanaryTokens;
        if (_meter.CanaryCostUsd is { } canaryCost)
        {
            metrics["llm_canary_cost_usd"] = Math.Round(canaryCost, 6);
        }

        if (_modelWarnings.Count > 0)
        {
            metrics["model_warnings"] = _modelWarnings.ToArray();
        }

        var served = _servedVersions.Keys.Where(v => !string.Equals(v, _plan.Model, StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal).ToArray();
        if (served.Length > 0)
        {
            metrics["llm_model_versions"] = _servedVersions.Keys.Order(StringComparer.Ordinal).ToArray();
            metrics["llm_model_version_note"] = $"requested {_plan.Model}, served by {string.Join(", ", served)}";
        }

        return metrics;
    }

    /// <summary>
    /// The canary (see <see cref="CanaryAsync"/>), before any data is read: a missing model, a missing permission, a
    /// disabled API or a generation config the model refuses ends the run here, in one line naming the fix.
    /// </summary>
    public async ValueTask PreflightAsync(CancellationToken cancellationToken) => await CanaryAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// One GenerateContent call with the exact request of the run (system instruction, schema, thinking, temperature,
    /// safety, labels) on a synthetic account from the fixture generator, so what every account will send is proven
    /// before any is read. Its tokens and cost count in the run's totals (not as a call). Throws
    /// <see cref="ScorerException"/> in one line on NOT_FOUND, PERMISSION_DENIED, a disabled API or INVALID_ARGUMENT.
    /// Reusable on its own (e.g. by a <c>doctor</c> command).
    /// </summary>
    public async ValueTask<GeminiCanaryResult> CanaryAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var (userText, _) = _prompt.RenderUser(CanaryAccount.Value.CanonicalJson!, CanaryAccount.Value.InputHash);
        var request = _requests.Create(userText);
        var started = _time.GetTimestamp();
        GenerateContentResponse response;
        try
        {
            response = await _policy.ExecuteAsync(
                ct => _policy.WithTimeoutAsync(c => _prediction.GenerateContentAsync(request, _generateHeaders, cancellationToken: c).ResponseAsync, ct),
                cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw Stop(VertexErrors.Preflight(e, _model, IdentityInUse, DescribeConfig()));
        }
        catch (GeminiTimeoutException e)
        {
            throw Stop(new ScorerException($"Vertex AI preflight for {_model.Path} at {_model.Endpoint} got no answer within --timeout {_options.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s (and its retries); check the network or rerun later", isTransient: true, e));
        }
        catch (BrokenCircuitException e)
        {
            // Another call may find the circuit open before OnOpened has recorded why.
            throw Stop(BreakerError(e.InnerException ?? e));
        }

        _meter.RecordCanary(response.UsageMetadata);
        if (response.UsageMetadata is { PromptTokenCount: > 0 } usage)
        {
            _tokens.ObservePrompt(_prompt.SystemInstruction.Length + userText.Length, usage.PromptTokenCount, weight: 1);
        }

        var (_, problem) = AnswerParser.Parse(response);
        var version = string.IsNullOrWhiteSpace(response.ModelVersion) ? _plan.Model : NoteServed(response.ModelVersion);
        GeminiLog.PreflightOk(_logger, _model.Path, response.UsageMetadata?.PromptTokenCount ?? 0, _prompt.VersionTag);
        return new GeminiCanaryResult(version, _meter.CanaryTokens, _meter.CanaryCostUsd, _time.GetElapsedTime(started), problem?.Message);
    }

    /// <summary>The generation settings every call sends, for messages.</summary>
    private string DescribeConfig()
    {
        var thinking = _plan.ThinkingLevel is { } level ? $"thinking_level {level}" : _plan.ThinkingBudget is { } budget ? $"thinking_budget {budget}" : "no thinking config";
        return string.Create(CultureInfo.InvariantCulture, $"{thinking}, temperature {_plan.Temperature}, max_output_tokens {_plan.MaxOutputTokens}, JSON response schema");
    }

    /// <summary>The synthetic account of the canary: the first row of the fixture generator, decoded as any source row is.</summary>
    private static readonly Lazy<AccountRecord> CanaryAccount = new(() =>
    {
        var day = new DateOnly(2026, 1, 1);
        using var batch = AccountFixtureGenerator.Generate(new FixtureSpec(1, Seed: 7, day, day)).Single();
        var decoded = new AccountRecordDecoder(DateRange.All, keepCanonicalJson: true).Decode(new SourceBatch(batch, "canary", _ => "canary", []));
        return decoded.Records.Single();
    });

    /// <summary>Remembers the model version that answered (it may differ from the requested id) and returns it.</summary>
    private string NoteServed(string version)
    {
        _servedVersions.TryAdd(version, 0);
        return version;
    }

    /// <inheritdoc />
    public Exception? StoppedBecause => Volatile.Read(ref _fatal);

    /// <inheritdoc />
    public async ValueTask<ScoreOutcome> ScoreAsync(AccountRecord record, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();

        // After a mid-run stop the rest is not scored rather than failed, so the run still commits the answers it
        // has paid for; the run fails on StoppedBecause, and its rerun scores only what is left.
        if (StoppedBecause is not null)
        {
            return StoppedOutcome(record);
        }

        if (_meter.StoppedBy is { } stopped)
        {
            return NotScored(record, stopped);
        }

        // A fatal error elsewhere cancels this account's waits (backoff, limiters, the call itself) at once, so a
        // stopping run does not sit out minutes of backoff in every worker.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        try
        {
            return await ScoreCoreAsync(record, linked.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ScorerException && StoppedBecause is not null && !cancellationToken.IsCancellationRequested)
        {
            // This account's call was cut short by the stop, or was the one that caused it.
            return StoppedOutcome(record);
        }
    }

    private ScoreOutcome StoppedOutcome(AccountRecord record)
    {
        _meter.RecordNotScored();
        return ScoreOutcome.NotScored(record, StoppedReason);
    }

    private async ValueTask<ScoreOutcome> ScoreCoreAsync(AccountRecord record, CancellationToken cancellationToken)
    {
        var json = record.CanonicalJson
            ?? throw new InvalidOperationException($"account {record.Signals.AccountId} has no canonical JSON: the gemini scorer sets NeedsCanonicalJson, so the decoder must keep it");
        var (userText, _) = _prompt.RenderUser(json, record.InputHash);
        var request = _requests.Create(userText);
        var promptChars = _prompt.SystemInstruction.Length + userText.Length;
        var totals = new RowTotals();

        var first = await CallAsync(request, promptChars, totals, cancellationToken).ConfigureAwait(false);
        if (first.Outcome is not null)
        {
            return await Finish(record, first.Outcome.Value, cancellationToken).ConfigureAwait(false);
        }

        var (answer, problem) = AnswerParser.Parse(first.Response!);
        var response = first.Response!;
        if (problem is not null)
        {
            _meter.RecordAnswerRetry();
            GeminiLog.AnswerRetry(_logger, record.Signals.AccountId, problem.Reason, problem.Message);
            var adjusted = _requests.Adjust(request, problem);
            var second = await CallAsync(adjusted, promptChars + 300, totals, cancellationToken).ConfigureAwait(false);
            if (second.Outcome is not null)
            {
                return await Finish(record, second.Outcome.Value, cancellationToken).ConfigureAwait(false);
            }

            (answer, var again) = AnswerParser.Parse(second.Response!);
            response = second.Response!;
            if (again is not null)
            {
                var failure = new Failure(again.Reason, $"{again.Message} (after one adjusted retry; the first answer: {problem.Message})", again.Raw ?? problem.Raw);
                return await Finish(record, failure, cancellationToken).ConfigureAwait(false);
            }
        }

        _meter.RecordScored();
        return ScoreOutcome.Scored(record, new Recommendation
        {
            AccountId = record.Signals.AccountId,
            ScoreDate = record.Signals.SnapshotDate,
            Score = answer!.Score,
            Tier = answer.Tier,
            Rationale = answer.Rationale,
            RecommendedActions = answer.Actions,
            Confidence = answer.Confidence,
            Scorer = ScorerName,
            Model = string.IsNullOrWhiteSpace(response.ModelVersion) ? _plan.Model : NoteServed(response.ModelVersion),
            PromptVersion = _prompt.VersionTag,
            InputHash = record.InputHash,
            RunId = _options.RunId,
            ScoredAt = _time.GetUtcNow(),
            LatencyMs = (long)Math.Round(totals.Latency.TotalMilliseconds),
            InputTokens = totals.InputTokens,
            OutputTokens = totals.OutputTokens,
            ThinkingTokens = totals.ThinkingTokens,
        });
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _rpm.Dispose();
        _tpm?.Dispose();
        _channel.Dispose();
        _stopping.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>One logical call with its retries: an answer, or why there is none for this row. Fatal conditions throw.</summary>
    private async ValueTask<CallResult> CallAsync(GenerateContentRequest request, int promptChars, RowTotals totals, CancellationToken cancellationToken)
    {
        var inputEstimate = _tokens.EstimateInput(promptChars);
        try
        {
            var response = await _policy.ExecuteAsync(ct => AttemptAsync(request, inputEstimate, promptChars, totals, ct), cancellationToken).ConfigureAwait(false);
            return new CallResult(response, null);
        }
        catch (BudgetReachedException e)
        {
            return new CallResult(null, new Failure(e.Reason, "", null, NotScored: true));
        }
        catch (BrokenCircuitException e)
        {
            // Another call may find the circuit open before OnOpened has recorded why.
            throw Stop(BreakerError(e.InnerException ?? e));
        }
        catch (RpcException e) when (VertexErrors.Fatal(e, _model, IdentityInUse) is { } fatal)
        {
            throw Stop(fatal);
        }
        catch (Exception e) when (GeminiCallPolicy.IsRetryable(e) && _retryBudget.Exhausted)
        {
            throw Stop(new ScorerException(
                $"Vertex AI needed more retries than the run's budget ({_retryBudget.Spent} retries for {Interlocked.Read(ref _answered)} answered calls; last: {Describe(e)}); stopping instead of burning the input. Lower --rpm or --concurrency, or raise the quota for {_options.Model} in project '{_options.Project}', then rerun.",
                isTransient: true, e));
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.InvalidArgument)
        {
            if (Interlocked.Increment(ref _invalidArgumentStreak) >= InvalidArgumentStreakLimit && Interlocked.Read(ref _answered) == 0)
            {
                throw Stop(new ScorerException(
                    $"Vertex AI rejected the first {InvalidArgumentStreakLimit} requests to {_model.Path} as INVALID_ARGUMENT ({VertexErrors.Detail(e)}); the configuration, not the data, is wrong: check LLM_MODEL, --thinking-budget and the prompt file",
                    isTransient: false, e));
            }

            return new CallResult(null, new Failure("invalid_argument", $"Vertex AI rejected the request: {VertexErrors.Detail(e)}", null));
        }
        catch (RpcException e)
        {
            var reason = e.StatusCode switch
            {
                StatusCode.ResourceExhausted => "vertex_throttled",
                StatusCode.Unavailable => "vertex_unavailable",
                StatusCode.DeadlineExceeded => "vertex_deadline_exceeded",
                StatusCode.Internal => "vertex_internal",
                _ => "vertex_error",
            };
            var retried = GeminiCallPolicy.IsRetryable(e) ? string.Create(CultureInfo.InvariantCulture, $" after {_options.MaxRetries} retries") : "";
            return new CallResult(null, new Failure(reason, $"Vertex AI answered {e.StatusCode}{retried}: {VertexErrors.Detail(e)}", null));
        }
        catch (GeminiTimeoutException e)
        {
            return new CallResult(null, new Failure("vertex_timeout", string.Create(CultureInfo.InvariantCulture, $"{e.Message} (after {_options.MaxRetries} retries)"), null));
        }
    }

    /// <summary>One attempt: budget, concurrency slot, RPM and TPM tokens, then the call under the timeout.</summary>
    private async ValueTask<GenerateContentResponse> AttemptAsync(GenerateContentRequest request, int inputEstimate, int promptChars, RowTotals totals, CancellationToken cancellationToken)
    {
        var permit = await _meter.ReserveCallAsync(inputEstimate, cancellationToken).ConfigureAwait(false);
        if (permit is null)
        {
            throw new BudgetReachedException(_meter.StoppedBy ?? UsageMeter.MaxCallsReached);
        }

        var sent = false;
        GenerateContentResponse.Types.UsageMetadata? usage = null;
        try
        {
            using var slot = await _concurrency.AcquireAsync(cancellationToken).ConfigureAwait(false);
            await _rpm.TakeAsync(1, cancellationToken).ConfigureAwait(false);
            var tpmTokens = inputEstimate + _tokens.ExpectedOutput();
            if (_tpm is not null)
            {
                await _tpm.TakeAsync(tpmTokens, cancellationToken).ConfigureAwait(false);
            }

            // The breaker may have opened, or a fatal error struck, while this call queued.
            ThrowIfFatal();
            var started = _time.GetTimestamp();
            sent = true;
            GenerateContentResponse response;
            try
            {
                response = await _policy.WithTimeoutAsync(
                    c => _prediction.GenerateContentAsync(request, _generateHeaders, cancellationToken: c).ResponseAsync,
                    cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted)
            {
                _concurrency.OnThrottled();
                _meter.RecordThrottled();
                GeminiLog.Throttled(_logger, _concurrency.Limit);
                throw;
            }
            catch (GeminiTimeoutException)
            {
                _meter.RecordTimeout();
                throw;
            }

            var latency = _time.GetElapsedTime(started);
            usage = response.UsageMetadata;
            _concurrency.OnSuccess();
            _retryBudget.OnSuccess();
            Interlocked.Increment(ref _answered);
            Interlocked.Exchange(ref _invalidArgumentStreak, 0);
            _meter.RecordAnswered(latency, usage);
            if (usage is not null)
            {
                _tokens.ObservePrompt(promptChars, usage.PromptTokenCount);
                _tokens.ObserveOutput(usage.CandidatesTokenCount + usage.ThoughtsTokenCount);
                _tpm?.Charge(usage.TotalTokenCount - tpmTokens);
            }

            totals.Add(latency, usage);
            return response;
        }
        finally
        {
            _meter.Settle(permit, usage, sent);
        }
    }

    private async ValueTask<ScoreOutcome> Finish(AccountRecord record, Failure failure, CancellationToken cancellationToken)
    {
        if (failure.NotScored)
        {
            return NotScored(record, failure.Reason);
        }

        if (_fallback is not null)
        {
            var outcome = await _fallback.ScoreAsync(record, cancellationToken).ConfigureAwait(false);
            if (outcome.Recommendation is { } recommendation)
            {
                _meter.RecordFallback();
                GeminiLog.FellBack(_logger, record.Signals.AccountId, failure.Reason);
                return ScoreOutcome.Scored(record, recommendation with { Scorer = FallbackScorerName });
            }
        }

        _meter.RecordFailed();
        return ScoreOutcome.Failed(record, failure.Reason, failure.Message, failure.Raw);
    }

    private ScoreOutcome NotScored(AccountRecord record, string reason)
    {
        if (Interlocked.Exchange(ref _budgetLogged, 1) == 0)
        {
            GeminiLog.BudgetReached(_logger, reason);
        }

        _meter.RecordNotScored();
        return ScoreOutcome.NotScored(record, reason);
    }

    private void OnRetry(Exception? failure, TimeSpan delay)
    {
        _meter.RecordRetry();
        GeminiLog.Retrying(_logger, Describe(failure), (long)delay.TotalMilliseconds);
    }

    private void OnBreak(Exception? failure) => Stop(BreakerError(failure));

    private ScorerException BreakerError(Exception? failure) =>
        new(
            string.Create(CultureInfo.InvariantCulture, $"Vertex AI at {_model.Endpoint} keeps failing (at least {_options.BreakerFailureRatio * 100:0}% of {_options.BreakerMinimumCalls}+ calls within {_options.BreakerWindow.TotalSeconds:0}s; last: {Describe(failure)}); stopping the run instead of burning the input on retries. Check https://status.cloud.google.com or try another --region, then rerun."),
            isTransient: true, failure);

    /// <summary>Records the first fatal error (later ones are consequences) and returns the one in force.</summary>
    private ScorerException Stop(ScorerException error)
    {
        if (Interlocked.CompareExchange(ref _fatal, error, null) is null)
        {
            GeminiLog.Stopping(_logger, error.Message);
            _ = _stopping.CancelAsync(); // callbacks run on the pool, not inside a Polly callback or a lock
        }

        return FatalError(error);
    }

    /// <summary>A fresh exception carrying the fatal message (one instance thrown from many threads would mix stack traces).</summary>
    private ScorerException FatalError(Exception cause)
    {
        var fatal = Volatile.Read(ref _fatal);
        return fatal is null
            ? new ScorerException($"Vertex AI calls stopped: {cause.Message}", isTransient: true, cause)
            : new ScorerException(fatal.Message, fatal.IsTransient, fatal.InnerException ?? cause);
    }

    private void ThrowIfFatal()
    {
        if (Volatile.Read(ref _fatal) is { } fatal)
        {
            throw new ScorerException(fatal.Message, fatal.IsTransient, fatal.InnerException);
        }
    }

    /// <summary>The pace actually used for a per-minute limit: 1% (at least one) below it.</summary>
    internal static int Headroom(int perMinute) => Math.Max(1, perMinute - Math.Max(1, perMinute / 100));

    private string? IdentityInUse() => string.IsNullOrWhiteSpace(_options.EmulatorHost) ? VertexErrors.AdcIdentity() : $"the emulator at {_options.EmulatorHost} (no credentials)";

    private static string Describe(Exception? failure) => failure switch
    {
        RpcException e => $"{e.StatusCode}: {VertexErrors.Detail(e)}",
        null => "unknown",
        _ => failure.Message,
    };

    /// <summary>Why a call produced no answer for this row.</summary>
    private readonly record struct Failure(string Reason, string Message, string? Raw, bool NotScored = false);

    private readonly record struct CallResult(GenerateContentResponse? Response, Failure? Outcome);

    /// <summary>Thrown inside the retry pipeline when a budget refuses a call; not retried, not a breaker failure.</summary>
    private sealed class BudgetReachedException(string reason) : Exception(reason)
    {
        public string Reason { get; } = reason;
    }

    /// <summary>Latency and tokens of the calls that answered for one row (first answer plus the adjusted retry).</summary>
    private sealed class RowTotals
    {
        public TimeSpan Latency { get; private set; }

        public long InputTokens { get; private set; }

        public long OutputTokens { get; private set; }

        public long ThinkingTokens { get; private set; }

        public void Add(TimeSpan latency, GenerateContentResponse.Types.UsageMetadata? usage)
        {
            Latency += latency;
            InputTokens += usage?.PromptTokenCount ?? 0;
            OutputTokens += usage?.CandidatesTokenCount ?? 0;
            ThinkingTokens += usage?.ThoughtsTokenCount ?? 0;
        }
    }
}
