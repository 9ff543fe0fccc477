using System.Globalization;
using SalesIntel.Stages.Errors;
using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.Scoring.Gemini;

/// <summary>
/// Everything the Gemini scorer needs, validated once by <see cref="Validate"/> (every problem in one message).
/// Environment variables fill the defaults through <see cref="FromEnvironment"/>; command-line options override them.
/// </summary>
public sealed class GeminiScorerOptions
{
    /// <summary>The environment variable holding the model id.</summary>
    public const string ModelVariable = "LLM_MODEL";

    /// <summary>The environment variable holding the project.</summary>
    public const string ProjectVariable = "GOOGLE_CLOUD_PROJECT";

    /// <summary>The environment variable holding the region (location).</summary>
    public const string RegionVariable = "GOOGLE_CLOUD_LOCATION";

    /// <summary>The environment variable that points the client at a plaintext emulator (<c>host:port</c>).</summary>
    public const string EmulatorVariable = "VERTEX_AI_EMULATOR_HOST";

    /// <summary>The environment variable Cloud Run sets to the number of tasks in the execution.</summary>
    public const string TaskCountVariable = "CLOUD_RUN_TASK_COUNT";

    /// <summary>The longest per-call timeout on the standard tier.</summary>
    public static readonly TimeSpan MaxStandardTimeout = TimeSpan.FromSeconds(600);

    /// <summary>The longest per-call timeout on the flex tier: Flex PayGo answers are queued and can take many minutes.</summary>
    public static readonly TimeSpan MaxFlexTimeout = TimeSpan.FromSeconds(1800);

    /// <summary>The allowed <see cref="Concurrency"/> (also the run's <c>--concurrency</c> range).</summary>
    public static readonly Bounds<int> ConcurrencyBounds = new(1, 512);

    /// <summary>The allowed <see cref="RequestsPerMinute"/>.</summary>
    public static readonly Bounds<int> RequestsPerMinuteBounds = new(1, 1_000_000);

    /// <summary>The allowed <see cref="TokensPerMinute"/> (0 turns the limit off).</summary>
    public static readonly Bounds<int> TokensPerMinuteBounds = new(0, 100_000_000);

    /// <summary>The allowed <see cref="Temperature"/>.</summary>
    public static readonly Bounds<double> TemperatureBounds = new(0, 2);

    /// <summary>The allowed <see cref="ThinkingBudget"/> (-1 keeps the model's default).</summary>
    public static readonly Bounds<int> ThinkingBudgetBounds = new(-1, 32_768);

    /// <summary>The allowed <see cref="MaxCostUsd"/>.</summary>
    public static readonly Bounds<double> MaxCostBounds = new(0.000_001, 1_000_000);

    /// <summary>The default <see cref="RequestsPerMinute"/>, for the whole execution.</summary>
    public const int DefaultRequestsPerMinute = 300;

    /// <summary>The default <see cref="TokensPerMinute"/>, for the whole execution.</summary>
    public const int DefaultTokensPerMinute = 1_000_000;

    /// <summary>The default per-call timeout in seconds.</summary>
    public const int DefaultTimeoutSeconds = 60;

    /// <summary>The default location: Google's recommended global endpoint.</summary>
    public const string DefaultRegion = "global";

    private string? _taskCountText;

    /// <summary>The model id, e.g. <c>gemini-3.1-flash-lite</c>. <value>Defaults to LLM_MODEL, else the model catalog's default model (null until the scorer resolves it).</value></summary>
    public string? Model { get; set; }

    /// <summary>The user's model catalog (<c>--model-catalog</c>), replacing the built-in <c>models/gemini.json</c>. <value>Defaults to the built-in catalog.</value></summary>
    public string? ModelCatalogFile { get; set; }

    /// <summary>The thinking level for Gemini 3.x models (<c>--thinking-level</c>): MINIMAL, LOW, MEDIUM or HIGH. <value>Defaults to the catalog's scoring level for the model (its cheapest).</value></summary>
    public string? ThinkingLevel { get; set; }

    /// <summary>The sampling temperature (<c>--temperature</c>). <value>Defaults to the catalog's recommended temperature (1.0 for Gemini 3), else 0.</value></summary>
    public float? Temperature { get; set; }

    /// <summary>The Google Cloud project that is billed. <value>Defaults to GOOGLE_CLOUD_PROJECT; required.</value></summary>
    public string? Project { get; set; }

    /// <summary>
    /// The Vertex AI location: <c>global</c> (Google's recommended default for Gemini), a region such as
    /// <c>europe-west4</c> (data residency), or the multi-regions <c>us</c> / <c>eu</c> (Gemini 3+ only).
    /// <value>Defaults to GOOGLE_CLOUD_LOCATION, else global.</value>
    /// </summary>
    public string Region { get; set; } = DefaultRegion;

    /// <summary>The consumption tier (<c>--tier</c>). <value>Defaults to Standard.</value></summary>
    public GeminiTier Tier { get; set; } = GeminiTier.Standard;

    /// <summary>
    /// The Cloud Run tasks of the execution (CLOUD_RUN_TASK_COUNT); <see cref="RequestsPerMinute"/> and
    /// <see cref="TokensPerMinute"/> are limits for all of them together, and each task paces to its share.
    /// <value>Defaults to CLOUD_RUN_TASK_COUNT, else 1.</value>
    /// </summary>
    public int TaskCount { get; set; } = 1;

    /// <summary>This task's share of <see cref="RequestsPerMinute"/>: the limit divided by <see cref="TaskCount"/>, at least 1.</summary>
    public int TaskRequestsPerMinute => Math.Max(1, RequestsPerMinute / Math.Max(1, TaskCount));

    /// <summary>This task's share of <see cref="TokensPerMinute"/>: the limit divided by <see cref="TaskCount"/>, at least 1; 0 (off) stays 0.</summary>
    public int TaskTokensPerMinute => TokensPerMinute == 0 ? 0 : Math.Max(1, TokensPerMinute / Math.Max(1, TaskCount));

    /// <summary>
    /// Client-side request limit per minute (<c>--rpm</c>) for the whole execution (all Cloud Run tasks together); set it to your quota. Calls are paced 1% (at least one request) below it, so
    /// jitter at a minute's edge does not tip the server's count over. <value>Defaults to 300.</value>
    /// </summary>
    public int RequestsPerMinute { get; set; } = DefaultRequestsPerMinute;

    /// <summary>Client-side token limit per minute for the whole execution, input plus output (<c>--tpm</c>), paced 1% below it; 0 turns it off. <value>Defaults to 1,000,000.</value></summary>
    public int TokensPerMinute { get; set; } = DefaultTokensPerMinute;

    /// <summary>The most calls in flight at once (<c>--concurrency</c>); the live limit adapts below it. <value>Defaults to 16.</value></summary>
    public int Concurrency { get; set; } = 16;

    /// <summary>The limit for one GenerateContent call (<c>--timeout</c>). <value>Defaults to 60 seconds.</value></summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(DefaultTimeoutSeconds);

    /// <summary>The prompt template file (<c>--prompt-file</c>). <value>Defaults to prompts/scoring-v1.md beside the program.</value></summary>
    public string? PromptFile { get; set; }

    /// <summary>A JSON price table in USD per million tokens (<c>--price-table</c>). <value>Defaults to the built-in list prices.</value></summary>
    public string? PriceTableFile { get; set; }

    /// <summary>Stop calling the model when the estimated spend would pass this many USD (<c>--max-cost</c>). <value>Defaults to no limit.</value></summary>
    public decimal? MaxCostUsd { get; set; }

    /// <summary>Stop calling the model after this many GenerateContent calls, retries included (<c>--max-llm-calls</c>). <value>Defaults to no limit.</value></summary>
    public long? MaxLlmCalls { get; set; }

    /// <summary>What to do with accounts that cannot be scored by the model (<c>--fallback</c>). <value>Defaults to None.</value></summary>
    public GeminiFallback Fallback { get; set; } = GeminiFallback.None;

    /// <summary>A plaintext endpoint without credentials, <c>host:port</c>. <value>Defaults to VERTEX_AI_EMULATOR_HOST.</value></summary>
    public string? EmulatorHost { get; set; }

    /// <summary>
    /// Thinking tokens the model may spend per answer (<c>--thinking-budget</c>); -1 leaves the model's own default.
    /// Thinking tokens are billed as output and count against the output budget.
    /// <value>Defaults to 0 for flash models (off), 128 for pro models (their minimum), and no thinking config for
    /// models that do not think (gemini-1.x, gemini-2.0).</value>
    /// </summary>
    public int? ThinkingBudget { get; set; }

    /// <summary>Output tokens for the answer itself, thinking excluded. <value>Defaults to 1024.</value></summary>
    public int MaxAnswerTokens { get; set; } = 1024;

    /// <summary>The sampling seed sent with every request. <value>Defaults to 1729.</value></summary>
    public int Seed { get; set; } = 1729;

    /// <summary>Retries of one call after RESOURCE_EXHAUSTED, UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL or a timeout. <value>Defaults to 6.</value></summary>
    public int MaxRetries { get; set; } = 6;

    /// <summary>
    /// The first backoff step after RESOURCE_EXHAUSTED without a RetryInfo delay; each retry doubles it, with full
    /// jitter. A quota refusal clears on the quota's clock, so coming back sooner only spends the quota again.
    /// <value>Defaults to 1 second.</value>
    /// </summary>
    public TimeSpan BaseBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The first backoff step after a transient server fault (UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL, a timeout);
    /// each retry doubles it, with full jitter. Such a fault is usually one unlucky backend, and the next attempt
    /// lands elsewhere: Google's generated clients start their UNAVAILABLE retries at 100 ms for the same reason.
    /// Waiting a whole second here made every faulted account the run's tail (docs/PERFORMANCE.md, gemini-bench faults).
    /// <value>Defaults to 100 milliseconds.</value>
    /// </summary>
    public TimeSpan TransientBaseBackoff { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The largest backoff step. <value>Defaults to 60 seconds.</value></summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Retries allowed for the whole run, beyond <see cref="RetryBudgetRatio"/> of the successful calls. <value>Defaults to 50.</value></summary>
    public int RetryBudgetFloor { get; set; } = 50;

    /// <summary>Retries allowed per successful call, on top of <see cref="RetryBudgetFloor"/>. <value>Defaults to 0.5.</value></summary>
    public double RetryBudgetRatio { get; set; } = 0.5;

    /// <summary>The share of failing calls (UNAVAILABLE, INTERNAL, DEADLINE_EXCEEDED, timeouts) that stops the run. <value>Defaults to 0.5.</value></summary>
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Calls the breaker must see in its window before it may open. <value>Defaults to 20.</value></summary>
    public int BreakerMinimumCalls { get; set; } = 20;

    /// <summary>The breaker's sampling window. <value>Defaults to 60 seconds.</value></summary>
    public TimeSpan BreakerWindow { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The run id written with every row. <value>Defaults to "local".</value></summary>
    public string RunId { get; set; } = "local";

    /// <summary>The output tokens one call may produce: the answer plus the thinking budget.</summary>
    public int MaxOutputTokens => MaxAnswerTokens + Math.Max(0, EffectiveThinkingBudget ?? 0);

    /// <summary>The thinking budget that is sent: the configured one, or the model's deliberate default; null sends no thinking config.</summary>
    public int? EffectiveThinkingBudget => ThinkingBudget switch
    {
        -1 => null,
        { } budget => budget,
        null when Model is null || !ModelThinks(Model) => null,
        null when Model.Contains("pro", StringComparison.OrdinalIgnoreCase) => 128,
        null => 0,
    };

    /// <summary>Creates options from environment variables (<see cref="ModelVariable"/>, <see cref="ProjectVariable"/>, <see cref="RegionVariable"/>, <see cref="EmulatorVariable"/>).</summary>
    /// <param name="getVariable">Reads a variable, e.g. <see cref="Environment.GetEnvironmentVariable(string)"/>.</param>
    public static GeminiScorerOptions FromEnvironment(Func<string, string?> getVariable)
    {
        var options = new GeminiScorerOptions();
        if (NonEmpty(getVariable(ModelVariable)) is { } model)
        {
            options.Model = model;
        }

        options.Project = NonEmpty(getVariable(ProjectVariable));
        if (NonEmpty(getVariable(RegionVariable)) is { } region)
        {
            options.Region = region;
        }

        options.EmulatorHost = NonEmpty(getVariable(EmulatorVariable));
        if (NonEmpty(getVariable(TaskCountVariable)) is { } tasks)
        {
            options._taskCountText = tasks;
            options.TaskCount = int.TryParse(tasks, NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : 0;
        }

        return options;
    }

    /// <summary>Throws a <see cref="ConfigurationException"/> naming every bad value, or returns quietly.</summary>
    public void Validate()
    {
        var problems = Problems();
        if (problems.Count > 0)
        {
            throw new ConfigurationException("gemini scorer options: " + string.Join("; ", problems));
        }
    }

    /// <summary>Every bad value, one phrase each (empty when the options are valid).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Model is not null && (string.IsNullOrWhiteSpace(Model) || Model.Contains('/', StringComparison.Ordinal) || Model.Any(char.IsWhiteSpace)))
        {
            problems.Add($"{ModelVariable} '{Model}' must be a model id such as gemini-3.1-flash-lite (no path, no spaces)");
        }

        if (ThinkingLevel is not null && !GeminiThinkingLevels.IsKnown(ThinkingLevel))
        {
            problems.Add($"--thinking-level '{ThinkingLevel}' must be one of {string.Join(", ", GeminiThinkingLevels.All)}");
        }

        if (ThinkingLevel is not null && ThinkingBudget is not null)
        {
            problems.Add($"--thinking-level {ThinkingLevel} and --thinking-budget {ThinkingBudget} cannot be sent together: use --thinking-level for Gemini 3.x, --thinking-budget for Gemini 2.x");
        }

        Check(Temperature is not { } t || TemperatureBounds.Contains(t), $"--temperature {Temperature?.ToString(CultureInfo.InvariantCulture)} must be {TemperatureBounds.Describe()}");

        if (string.IsNullOrWhiteSpace(Project))
        {
            problems.Add($"{ProjectVariable} is not set: set it (or --project) to the Google Cloud project to bill");
        }
        else if (Project.Contains('/', StringComparison.Ordinal) || Project.Any(char.IsWhiteSpace))
        {
            problems.Add($"{ProjectVariable} '{Project}' must be a project id, e.g. my-project");
        }

        if (string.IsNullOrWhiteSpace(Region) || !Region.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
        {
            problems.Add($"--region '{Region}' must be a Vertex AI location such as us-central1, europe-west4 or global");
        }

        Check(RequestsPerMinuteBounds.Contains(RequestsPerMinute), $"--rpm {RequestsPerMinute} must be {RequestsPerMinuteBounds.Describe()}");
        Check(TokensPerMinuteBounds.Contains(TokensPerMinute), $"--tpm {TokensPerMinute} must be 0 (off) or up to {TokensPerMinuteBounds.Max:N0}");
        Check(ConcurrencyBounds.Contains(Concurrency), $"--concurrency {Concurrency} must be {ConcurrencyBounds.Describe()}");
        var maxTimeout = Tier == GeminiTier.Flex ? MaxFlexTimeout : MaxStandardTimeout;
        Check(Timeout >= TimeSpan.FromSeconds(1) && Timeout <= maxTimeout, Tier == GeminiTier.Flex
            ? $"--timeout {Seconds(Timeout)} must be between 1s and {Seconds(MaxFlexTimeout)} with --tier flex"
            : $"--timeout {Seconds(Timeout)} must be between 1s and {Seconds(MaxStandardTimeout)} (up to {Seconds(MaxFlexTimeout)} with --tier flex)");
        Check(Tier != GeminiTier.Flex || Region == "global", $"--tier flex needs --region global (Flex PayGo is served on the global endpoint only), not '{Region}': set --region global or use --tier standard");
        Check(TaskCount >= 1, $"{TaskCountVariable} '{_taskCountText ?? TaskCount.ToString(CultureInfo.InvariantCulture)}' must be a whole number of tasks, at least 1");
        Check(MaxCostUsd is null or > 0m, $"--max-cost {MaxCostUsd} must be greater than 0");
        Check(MaxLlmCalls is null or > 0, $"--max-llm-calls {MaxLlmCalls} must be greater than 0");
        Check(ThinkingBudget is not { } budget || ThinkingBudgetBounds.Contains(budget), $"--thinking-budget {ThinkingBudget} must be -1 (model default) or between 0 and {ThinkingBudgetBounds.Max}");
        Check(MaxAnswerTokens is >= 64 and <= 8192, $"max answer tokens {MaxAnswerTokens} must be between 64 and 8192");
        Check(MaxRetries is >= 1 and <= 20, $"max retries {MaxRetries} must be between 1 and 20");
        Check(BaseBackoff >= TimeSpan.FromMilliseconds(1) && BaseBackoff <= MaxBackoff, $"base backoff {Seconds(BaseBackoff)} must be at least 1ms and at most the max backoff {Seconds(MaxBackoff)}");
        Check(TransientBaseBackoff >= TimeSpan.FromMilliseconds(1) && TransientBaseBackoff <= TimeSpan.FromMinutes(10), $"transient base backoff {Seconds(TransientBaseBackoff)} must be between 1ms and 600s");
        Check(MaxBackoff <= TimeSpan.FromMinutes(10), $"max backoff {Seconds(MaxBackoff)} must be at most 600s");
        Check(RetryBudgetFloor >= 0, $"retry budget floor {RetryBudgetFloor} must not be negative");
        Check(RetryBudgetRatio is >= 0 and <= 10, $"retry budget ratio {RetryBudgetRatio} must be between 0 and 10");
        Check(BreakerFailureRatio is > 0 and <= 1, $"breaker failure ratio {BreakerFailureRatio} must be in (0, 1]");
        Check(BreakerMinimumCalls >= 2, $"breaker minimum calls {BreakerMinimumCalls} must be at least 2");
        Check(BreakerWindow >= TimeSpan.FromSeconds(1), $"breaker window {Seconds(BreakerWindow)} must be at least 1s");
        Check(!string.IsNullOrWhiteSpace(RunId), "the run id must not be empty");
        if (PromptFile is not null && !File.Exists(PromptFile))
        {
            problems.Add($"--prompt-file '{PromptFile}' does not exist");
        }

        if (ModelCatalogFile is not null && !File.Exists(ModelCatalogFile))
        {
            problems.Add($"--model-catalog '{ModelCatalogFile}' does not exist");
        }

        if (PriceTableFile is not null && !File.Exists(PriceTableFile))
        {
            problems.Add($"--price-table '{PriceTableFile}' does not exist");
        }

        return problems;

        void Check(bool ok, string problem)
        {
            if (!ok)
            {
                problems.Add(problem);
            }
        }
    }

    /// <summary>
    /// A private copy, so a running scorer cannot be reconfigured through the caller's instance; also how
    /// <c>salesintel compare</c> derives its two sides from one validated set of options.
    /// </summary>
    public GeminiScorerOptions Copy() => (GeminiScorerOptions)MemberwiseClone();

    /// <summary>True for models with thinking (gemini-2.5 and later); false for gemini-1.x and gemini-2.0.</summary>
    internal static bool ModelThinks(string model) =>
        !(model.StartsWith("gemini-1", StringComparison.OrdinalIgnoreCase) || model.StartsWith("gemini-2.0", StringComparison.OrdinalIgnoreCase));

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
}
