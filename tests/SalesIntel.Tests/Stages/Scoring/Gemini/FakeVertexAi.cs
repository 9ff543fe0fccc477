using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using SalesIntel.Stages.GoogleApis;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Protos.VertexAi;
using Level = SalesIntel.Stages.Protos.VertexAi.GenerationConfig.Types.ThinkingConfig.Types.ThinkingLevel;

namespace SalesIntel.Tests.Stages.Scoring.Gemini;

/// <summary>
/// An in-process Vertex AI (PredictionService.GenerateContent + LlmUtilityService.CountTokens) on 127.0.0.1, built
/// from our protos. Answers are derived from the account JSON in the data block (score = intent_score, rounded), so
/// results can be asserted. It can add latency, enforce a requests-per-window quota with RESOURCE_EXHAUSTED, inject
/// faults per call, and records every request with its headers.
/// </summary>
public sealed class FakeVertexAi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly object _quotaLock = new();
    private readonly Queue<long> _admitted = new();
    private readonly ConcurrentDictionary<string, int> _callsPerAccount = new();
    private readonly ConcurrentQueue<TaskCompletionSource> _callWaiters = new();
    private int _generateCalls;
    private int _inFlight;
    private int _maxInFlight;

    private FakeVertexAi(WebApplication app, TimeProvider time)
    {
        _app = app;
        Time = time;
    }

    /// <summary>host:port for VERTEX_AI_EMULATOR_HOST.</summary>
    public string HostPort { get; private set; } = "";

    /// <summary>The clock for latency, quota windows and RetryInfo.</summary>
    public TimeProvider Time { get; }

    /// <summary>
    /// Model ids that exist (any project and region), as on Vertex AI on 2026-12-02. Others, the retired 2.x ids
    /// among them, answer NOT_FOUND on every call.
    /// </summary>
    public HashSet<string> Models { get; } = ["gemini-3.1-flash-lite", "gemini-3.5-flash-lite", "gemini-3.5-flash", "gemini-3.8-flash"];

    /// <summary>
    /// The thinking levels each Gemini 3.x model accepts. A request to one of these with a thinking_budget, or with a
    /// level it does not accept, answers INVALID_ARGUMENT (3.8 Flash has no MINIMAL and no budget 0).
    /// </summary>
    public Dictionary<string, GenerationConfig.Types.ThinkingConfig.Types.ThinkingLevel[]> LevelModels { get; } = new()
    {
        ["gemini-3.1-flash-lite"] = [Level.Minimal, Level.Low, Level.Medium, Level.High],
        ["gemini-3.5-flash-lite"] = [Level.Minimal, Level.Low, Level.Medium, Level.High],
        ["gemini-3.5-flash"] = [Level.Minimal, Level.Low, Level.Medium, Level.High],
        ["gemini-3.8-flash"] = [Level.Low, Level.Medium, Level.High],
    };

    /// <summary>The model_version the fake answers with, e.g. a pinned "-001" version behind an alias; null answers with the requested id.</summary>
    public string? ServedVersion { get; set; }

    /// <summary>Prompt tokens the fake reports as served from the implicit cache (usage cached_content_token_count), per call.</summary>
    public int CachedTokens { get; set; }

    /// <summary>The answer per model id and account JSON; null answers every model with <see cref="AnswerFor"/>.</summary>
    public Func<string, JsonElement, (int Score, string Tier, string Rationale, string[] Actions, double Confidence)>? AnswerForModel { get; set; }

    /// <summary>The fault for a call, or null/None for a good answer.</summary>
    public Func<FakeCall, FakeFault>? FaultFor { get; set; }

    /// <summary>The fault for CountTokens, or None.</summary>
    public FakeFault CountTokensFault { get; set; }

    /// <summary>Server-side latency per call.</summary>
    public Func<FakeCall, TimeSpan>? Latency { get; set; }

    /// <summary>Requests admitted per <see cref="QuotaWindow"/> (sliding); null for no quota.</summary>
    public int? QuotaPerWindow { get; set; }

    /// <summary>The quota window. Defaults to one minute.</summary>
    public TimeSpan QuotaWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Send RetryInfo (time until the window frees a slot) with quota rejections.</summary>
    public bool QuotaSendsRetryInfo { get; set; }

    /// <summary>The RetryInfo delay of <see cref="FakeFault.ResourceExhaustedWithRetryInfo"/>.</summary>
    public TimeSpan RetryInfoDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The account id of the scorer's canary (the fixture generator's first account).</summary>
    public const string CanaryAccountId = "acc-000001";

    /// <summary>Every GenerateContent call but the canary's, in arrival order.</summary>
    public IEnumerable<RecordedGenerate> ScoringRequests => GenerateRequests.Where(r => r.AccountId != CanaryAccountId);

    /// <summary>Every GenerateContent call, in arrival order.</summary>
    public ConcurrentQueue<RecordedGenerate> GenerateRequests { get; } = new();

    /// <summary>Every CountTokens call.</summary>
    public ConcurrentQueue<RecordedCountTokens> CountTokensRequests { get; } = new();

    /// <summary>GenerateContent calls received.</summary>
    public int GenerateCalls => Volatile.Read(ref _generateCalls);

    /// <summary>Calls answered RESOURCE_EXHAUSTED by the quota.</summary>
    public int QuotaRejections { get; private set; }

    /// <summary>The most GenerateContent calls in progress at once.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>Starts a server on a dynamic loopback port.</summary>
    public static async Task<FakeVertexAi> StartAsync(TimeProvider? time = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        FakeVertexAi? self = null;
        builder.Services.AddSingleton(_ => self!);
        var app = builder.Build();
        self = new FakeVertexAi(app, time ?? TimeProvider.System);
        app.MapGrpcService<PredictionImpl>();
        app.MapGrpcService<UtilityImpl>();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self.HostPort = new Uri(address).Authority;
        return self;
    }

    /// <summary>Completes when at least <paramref name="count"/> GenerateContent calls have arrived.</summary>
    public async Task WaitForCallsAsync(int count)
    {
        while (GenerateCalls < count)
        {
            var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _callWaiters.Enqueue(tcs);
            if (GenerateCalls >= count)
            {
                break;
            }

            await tcs.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>The deterministic answer for an account JSON: score = intent_score (rounded, 50 when null).</summary>
    public static (int Score, string Tier, string Rationale, string[] Actions, double Confidence) AnswerFor(JsonElement account)
    {
        var intent = account.TryGetProperty("intent_score", out var i) && i.ValueKind == JsonValueKind.Number ? i.GetDouble() : 50;
        var score = (int)Math.Clamp(Math.Round(intent), 0, 100);
        var id = account.TryGetProperty("account_id", out var a) ? a.GetString() : "?";
        return (score, Tiers.ForScore(score), string.Create(CultureInfo.InvariantCulture, $"Intent score {score} for {id}."), [$"Call {id} this week", "Send the case study"], 0.8);
    }

    /// <summary>The account JSON inside the data block of a user turn, or null.</summary>
    public static string? DataBlock(string userText)
    {
        var begin = userText.IndexOf("BEGIN ACCOUNT DATA ", StringComparison.Ordinal);
        if (begin < 0)
        {
            return null;
        }

        var idStart = begin + "BEGIN ACCOUNT DATA ".Length;
        var idEnd = userText.IndexOf('\n', idStart);
        var id = userText[idStart..idEnd];
        var end = userText.IndexOf("\nEND ACCOUNT DATA " + id, idEnd, StringComparison.Ordinal);
        return end < 0 ? null : userText[(idEnd + 1)..end];
    }

    private async Task<GenerateContentResponse> GenerateAsync(GenerateContentRequest request, ServerCallContext context)
    {
        var userText = request.Contents.Count > 0 ? string.Concat(request.Contents[0].Parts.Select(p => p.Text)) : "";
        var json = DataBlock(userText);
        string accountId = "?";
        JsonElement account = default;
        if (json is not null)
        {
            using var doc = JsonDocument.Parse(json);
            account = doc.RootElement.Clone();
            accountId = account.TryGetProperty("account_id", out var a) ? a.GetString() ?? "?" : "?";
        }

        var attempt = _callsPerAccount.AddOrUpdate(accountId, 1, (_, n) => n + 1);
        var index = Interlocked.Increment(ref _generateCalls);
        var call = new FakeCall(index, accountId, attempt, request);
        GenerateRequests.Enqueue(new RecordedGenerate(request, Headers(context), Time.GetUtcNow(), accountId, attempt));
        while (_callWaiters.TryDequeue(out var waiter))
        {
            waiter.TrySetResult();
        }

        var inFlight = Interlocked.Increment(ref _inFlight);
        InterlockedMax(ref _maxInFlight, inFlight);
        try
        {
            var modelId = request.Model.Split('/').Last();
            if (!Models.Contains(modelId))
            {
                throw NotFound(request.Model);
            }

            RefuseThinkingConfig(modelId, request.GenerationConfig?.ThinkingConfig);
            AdmitOrThrow();
            var fault = FaultFor?.Invoke(call) ?? FakeFault.None;
            if (Latency?.Invoke(call) is { } latency && latency > TimeSpan.Zero)
            {
                await Task.Delay(latency, Time, context.CancellationToken);
            }

            if (fault == FakeFault.Hang)
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, Time, context.CancellationToken);
            }

            ThrowIfStatusFault(fault, request.Model);
            return Answer(fault, account, userText, request);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private CountTokensResponse CountTokens(CountTokensRequest request, ServerCallContext context)
    {
        CountTokensRequests.Enqueue(new RecordedCountTokens(request, Headers(context)));
        var modelId = request.Endpoint.Split('/').Last();
        if (!Models.Contains(modelId))
        {
            throw NotFound(request.Endpoint);
        }

        ThrowIfStatusFault(CountTokensFault, request.Endpoint);
        var chars = request.SystemInstruction?.Parts.Sum(p => p.Text.Length) ?? 0;
        chars += request.Contents.Sum(c => c.Parts.Sum(p => p.Text.Length));
        return new CountTokensResponse { TotalTokens = chars / 4, TotalBillableCharacters = chars };
    }

    /// <summary>Gemini 3.x: thinking_budget with (or instead of) thinking_level, or a level the model lacks, is INVALID_ARGUMENT.</summary>
    private void RefuseThinkingConfig(string modelId, GenerationConfig.Types.ThinkingConfig? thinking)
    {
        if (thinking is null || !LevelModels.TryGetValue(modelId, out var levels))
        {
            return;
        }

        if (thinking.HasThinkingBudget && thinking.HasThinkingLevel)
        {
            throw new RpcException(new Grpc.Core.Status(StatusCode.InvalidArgument, "Unable to submit request because thinking_budget and thinking_level are not supported together."));
        }

        if (thinking.HasThinkingBudget && thinking.ThinkingBudget == 0 && !levels.Contains(Level.Minimal))
        {
            throw new RpcException(new Grpc.Core.Status(StatusCode.InvalidArgument, $"Unable to submit request because thinking_budget 0 is not supported by {modelId}: this model cannot turn thinking off."));
        }

        if (thinking.HasThinkingLevel && !levels.Contains(thinking.ThinkingLevel))
        {
            throw new RpcException(new Grpc.Core.Status(StatusCode.InvalidArgument, $"Unable to submit request because thinking_level {thinking.ThinkingLevel} is not supported by {modelId}."));
        }
    }

    private void AdmitOrThrow()
    {
        if (QuotaPerWindow is not { } quota)
        {
            return;
        }

        TimeSpan? retryAfter = null;
        lock (_quotaLock)
        {
            var now = Time.GetTimestamp();
            while (_admitted.Count > 0 && Time.GetElapsedTime(_admitted.Peek(), now) >= QuotaWindow)
            {
                _admitted.Dequeue();
            }

            if (_admitted.Count < quota)
            {
                _admitted.Enqueue(now);
                return;
            }

            QuotaRejections++;
            retryAfter = QuotaWindow - Time.GetElapsedTime(_admitted.Peek(), now);
        }

        var message = "Quota exceeded for aiplatform.googleapis.com/generate_content_requests_per_minute_per_project_per_base_model with base model: gemini. Please submit a quota increase request.";
        throw QuotaSendsRetryInfo
            ? new RpcException(new Grpc.Core.Status(StatusCode.ResourceExhausted, message), RpcErrorDetails.Trailers(StatusCode.ResourceExhausted, message, new RetryInfo { RetryDelay = Duration.FromTimeSpan(retryAfter.Value) }))
            : new RpcException(new Grpc.Core.Status(StatusCode.ResourceExhausted, message));
    }

    private void ThrowIfStatusFault(FakeFault fault, string model)
    {
        switch (fault)
        {
            case FakeFault.Unavailable:
                throw new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, "The service is currently unavailable."));
            case FakeFault.Internal:
                throw new RpcException(new Grpc.Core.Status(StatusCode.Internal, "Internal error encountered."));
            case FakeFault.DeadlineExceeded:
                throw new RpcException(new Grpc.Core.Status(StatusCode.DeadlineExceeded, "Deadline expired before operation could complete."));
            case FakeFault.ResourceExhausted:
                throw new RpcException(new Grpc.Core.Status(StatusCode.ResourceExhausted, "Resource exhausted. Please try again later."));
            case FakeFault.ResourceExhaustedWithRetryInfo:
                var m = "Resource exhausted. Please try again later.";
                throw new RpcException(new Grpc.Core.Status(StatusCode.ResourceExhausted, m), RpcErrorDetails.Trailers(StatusCode.ResourceExhausted, m, new RetryInfo { RetryDelay = Duration.FromTimeSpan(RetryInfoDelay) }));
            case FakeFault.InvalidArgument:
                throw new RpcException(new Grpc.Core.Status(StatusCode.InvalidArgument, "Request contains an invalid argument."));
            case FakeFault.NotFound:
                throw NotFound(model);
            case FakeFault.PermissionDenied:
                throw new RpcException(new Grpc.Core.Status(StatusCode.PermissionDenied, $"Permission 'aiplatform.endpoints.predict' denied on resource '//aiplatform.googleapis.com/{model}' (or it may not exist)."));
            case FakeFault.ServiceDisabled:
                var d = "Vertex AI API has not been used in project 123 before or it is disabled.";
                throw new RpcException(new Grpc.Core.Status(StatusCode.PermissionDenied, d), RpcErrorDetails.Trailers(StatusCode.PermissionDenied, d,
                    new ErrorInfo { Reason = "SERVICE_DISABLED", Domain = "googleapis.com", Metadata = { ["service"] = "aiplatform.googleapis.com", ["consumer"] = "projects/123" } }));
        }
    }

    private static RpcException NotFound(string model) => new(new Grpc.Core.Status(StatusCode.NotFound,
        $"Publisher Model `{model}` was not found or your project does not have access to it. Please ensure you are using a valid model version."));

    private GenerateContentResponse Answer(FakeFault fault, JsonElement account, string userText, GenerateContentRequest request)
    {
        var usage = new GenerateContentResponse.Types.UsageMetadata
        {
            PromptTokenCount = ((request.SystemInstruction?.Parts.Sum(p => p.Text.Length) ?? 0) + userText.Length) / 4,
            ThoughtsTokenCount = 7,
        };
        usage.CachedContentTokenCount = Math.Min(CachedTokens, usage.PromptTokenCount);
        var response = new GenerateContentResponse { ModelVersion = ServedVersion ?? request.Model.Split('/').Last(), ResponseId = Guid.NewGuid().ToString("N"), UsageMetadata = usage };
        if (fault == FakeFault.EmptyCandidates)
        {
            return response;
        }

        if (fault == FakeFault.PromptBlocked)
        {
            response.PromptFeedback = new GenerateContentResponse.Types.PromptFeedback { BlockReason = GenerateContentResponse.Types.PromptFeedback.Types.BlockedReason.Safety, BlockReasonMessage = "blocked by safety filters" };
            return response;
        }

        var (score, tier, rationale, actions, confidence) = account.ValueKind == JsonValueKind.Object ? (AnswerForModel ?? ((_, a) => AnswerFor(a)))(request.Model.Split('/').Last(), account) : (50, "C", "No data.", ["Look at the account"], 0.1);
        var json = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["rationale"] = rationale,
            ["score"] = score,
            ["tier"] = fault == FakeFault.WrongTier ? (tier == "A" ? "D" : "A") : tier,
            ["recommended_actions"] = actions,
            ["confidence"] = confidence,
        });
        var candidate = new Candidate { Index = 0, FinishReason = Candidate.Types.FinishReason.Stop, Content = new Content { Role = "model" } };
        candidate.Content.Parts.Add(new Part { Text = "Thinking about the account: ignore this.", Thought = true });
        switch (fault)
        {
            case FakeFault.MalformedJson:
                candidate.Content.Parts.Add(new Part { Text = "Sure! Here is the score: " + json[..(json.Length / 2)] });
                break;
            case FakeFault.OnlyThoughts:
                break;
            case FakeFault.MaxTokens:
                candidate.FinishReason = Candidate.Types.FinishReason.MaxTokens;
                candidate.Content.Parts.Add(new Part { Text = json[..(json.Length / 2)] });
                break;
            case FakeFault.Safety:
                candidate.FinishReason = Candidate.Types.FinishReason.Safety;
                candidate.Content.Parts.Clear();
                candidate.SafetyRatings.Add(new SafetyRating { Category = HarmCategory.Harassment, Probability = SafetyRating.Types.HarmProbability.High, Blocked = true });
                break;
            case FakeFault.Recitation:
                candidate.FinishReason = Candidate.Types.FinishReason.Recitation;
                candidate.Content.Parts.Add(new Part { Text = json[..10] });
                break;
            default:
                candidate.Content.Parts.Add(new Part { Text = json });
                break;
        }

        usage.CandidatesTokenCount = candidate.Content.Parts.Where(p => !p.Thought).Sum(p => p.Text.Length) / 4;
        usage.TotalTokenCount = usage.PromptTokenCount + usage.CandidatesTokenCount + usage.ThoughtsTokenCount;
        response.Candidates.Add(candidate);
        return response;
    }

    private static Dictionary<string, string> Headers(ServerCallContext context) =>
        context.RequestHeaders.Where(h => !h.IsBinary).GroupBy(h => h.Key).ToDictionary(g => g.Key, g => g.Last().Value);

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    /// <summary>One GenerateContent call as the fault and latency callbacks see it.</summary>
    /// <param name="Index">1-based arrival order over all calls.</param>
    /// <param name="AccountId">The account in the data block.</param>
    /// <param name="Attempt">1-based count of calls for this account.</param>
    /// <param name="Request">The request.</param>
    public sealed record FakeCall(int Index, string AccountId, int Attempt, GenerateContentRequest Request);

    /// <summary>A recorded GenerateContent call.</summary>
    public sealed record RecordedGenerate(GenerateContentRequest Request, IReadOnlyDictionary<string, string> Headers, DateTimeOffset ReceivedAt, string AccountId, int Attempt)
    {
        /// <summary>The X-Vertex-AI-LLM-Shared-Request-Type header ("flex" asks for Flex PayGo), or null when the call did not send it.</summary>
        public string? SharedRequestType => Headers.TryGetValue("x-vertex-ai-llm-shared-request-type", out var value) ? value : null;
    }

    /// <summary>A recorded CountTokens call.</summary>
    public sealed record RecordedCountTokens(CountTokensRequest Request, IReadOnlyDictionary<string, string> Headers);

    private sealed class PredictionImpl(FakeVertexAi fake) : PredictionService.PredictionServiceBase
    {
        public override Task<GenerateContentResponse> GenerateContent(GenerateContentRequest request, ServerCallContext context) => fake.GenerateAsync(request, context);
    }

    private sealed class UtilityImpl(FakeVertexAi fake) : LlmUtilityService.LlmUtilityServiceBase
    {
        public override Task<CountTokensResponse> CountTokens(CountTokensRequest request, ServerCallContext context) => Task.FromResult(fake.CountTokens(request, context));
    }
}
