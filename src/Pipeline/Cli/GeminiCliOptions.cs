using System.Globalization;
using SalesIntel.Stages.Scoring.Gemini;

namespace SalesIntel.Pipeline.Cli;

/// <summary>
/// The options of <c>--scorer gemini</c>, read into <see cref="GeminiScorerOptions"/> only when that scorer is
/// selected. <c>VERTEX_AI_EMULATOR_HOST</c> (host:port) is read from the environment only: it is for fakes and local
/// development, not for production command lines.
/// </summary>
public static class GeminiCliOptions
{
    private const string Group = "Gemini scorer (--scorer gemini)";

    /// <summary>The model id.</summary>
    public static readonly OptionSpec Model = new("--model", GeminiScorerOptions.ModelVariable, "Gemini model id on Vertex AI; a retired id is refused at start-up, naming its replacement", "the catalog's default_model", "MODEL", Group);

    /// <summary>The model catalog.</summary>
    public static readonly OptionSpec ModelCatalog = new("--model-catalog", "SALESINTEL_MODEL_CATALOG", "JSON model catalog (ids, retirement dates, thinking control, temperature, prices); start from a copy of models/gemini.json", "models/gemini.json beside the program", "FILE", Group);

    /// <summary>The billed project.</summary>
    public static readonly OptionSpec Project = new("--project", GeminiScorerOptions.ProjectVariable, "Google Cloud project billed for the Vertex AI calls (required)", null, "PROJECT", Group);

    /// <summary>The Vertex AI location.</summary>
    public static readonly OptionSpec Region = new("--region", GeminiScorerOptions.RegionVariable, "Vertex AI location: global (aiplatform.googleapis.com; Google's recommended default, most available, processing anywhere), a region such as europe-west4 ({region}-aiplatform.googleapis.com; when ML processing must stay in a place), or us / eu (aiplatform.us.rep / aiplatform.eu.rep.googleapis.com; processing stays in the US / EU; Gemini 3+ only)", "global", "LOCATION", Group);

    /// <summary>Requests per minute.</summary>
    public static readonly OptionSpec Rpm = new("--rpm", "SALESINTEL_RPM", "limit of model requests per minute for the whole execution; each of CLOUD_RUN_TASK_COUNT tasks paces to limit / tasks (at least 1); set it to your quota", "300", "N", Group);

    /// <summary>Tokens per minute.</summary>
    public static readonly OptionSpec Tpm = new("--tpm", "SALESINTEL_TPM", "limit of tokens per minute, input plus output, for the whole execution, shared out like --rpm; 0 turns it off", "1000000", "N", Group);

    /// <summary>Per-call timeout.</summary>
    public static readonly OptionSpec Timeout = new("--timeout", "SALESINTEL_TIMEOUT", "seconds one model call may take before it is retried: up to 600, or 1800 with --tier flex", "60", "SECONDS", Group);

    /// <summary>The consumption tier.</summary>
    public static readonly OptionSpec Tier = new("--tier", "SALESINTEL_TIER", "standard | flex: Flex PayGo (header X-Vertex-AI-LLM-Shared-Request-Type: flex) costs the catalog's flex_discount less, answers more slowly, needs --region global and allows a --timeout up to 1800", "standard", "TIER", Group);

    /// <summary>The prompt template.</summary>
    public static readonly OptionSpec PromptFile = new("--prompt-file", "SALESINTEL_PROMPT_FILE", "versioned prompt template; its name and hash are written with every row", "prompts/scoring-v1.md", "FILE", Group);

    /// <summary>The price table.</summary>
    public static readonly OptionSpec PriceTable = new("--price-table", "SALESINTEL_PRICE_TABLE", "deprecated (prices now live in --model-catalog): JSON prices in USD per million tokens that replace the catalog's: {\"model\": {\"input\": 0.3, \"output\": 2.5}}", "the catalog's prices", "FILE", Group);

    /// <summary>The spend limit.</summary>
    public static readonly OptionSpec MaxCost = new("--max-cost", "SALESINTEL_MAX_COST", "stop calling the model before the estimated spend passes this many USD; the rest is reported as not scored", "no limit", "USD", Group);

    /// <summary>The call limit.</summary>
    public static readonly OptionSpec MaxLlmCalls = new("--max-llm-calls", "SALESINTEL_MAX_LLM_CALLS", "stop calling the model after N calls, retries included; the rest is reported as not scored", "no limit", "N", Group);

    /// <summary>The fallback for accounts the model cannot score.</summary>
    public static readonly OptionSpec Fallback = new("--fallback", "SALESINTEL_FALLBACK", "none | rules: score accounts the model could not with the rules scorer, marked rules-fallback", "none", "MODE", Group);

    /// <summary>The thinking budget.</summary>
    public static readonly OptionSpec ThinkingBudget = new("--thinking-budget", "SALESINTEL_THINKING_BUDGET", "Gemini 2.x only: thinking tokens per answer (billed as output); -1 keeps the model's default", "the catalog's default_budget", "N", Group);

    /// <summary>The thinking level.</summary>
    public static readonly OptionSpec ThinkingLevel = new("--thinking-level", "SALESINTEL_THINKING_LEVEL", "Gemini 3.x only: MINIMAL | LOW | MEDIUM | HIGH (the levels the model accepts are in the catalog); never sent with a budget", "the catalog's scoring level (the model's cheapest)", "LEVEL", Group);

    /// <summary>The sampling temperature.</summary>
    public static readonly OptionSpec Temperature = new("--temperature", "SALESINTEL_TEMPERATURE", "sampling temperature, 0 to 2; Google recommends 1.0 for Gemini 3 (lower values may make it loop)", "the catalog's temperature", "T", Group);

    /// <summary>The default concurrency of the gemini scorer when <c>--concurrency</c> is not given.</summary>
    public const int DefaultConcurrency = 16;

    /// <summary>Every gemini option, in help order.</summary>
    public static IReadOnlyList<OptionSpec> All { get; } =
        [Model, ModelCatalog, Project, Region, Tier, Rpm, Tpm, Timeout, PromptFile, PriceTable, MaxCost, MaxLlmCalls, Fallback, ThinkingLevel, ThinkingBudget, Temperature];

    /// <summary>Reads the gemini options; every problem goes to <paramref name="r"/>.Errors.</summary>
    public static GeminiScorerOptions Read(SettingsReader r, ScoreSettings settings, Func<string, string?> environment)
    {
        var options = GeminiScorerOptions.FromEnvironment(environment);
        options.Model = r.String(Model, options.Model);
        options.ModelCatalogFile = r.String(ModelCatalog);
        options.Project = r.String(Project, options.Project);
        options.Region = r.String(Region, options.Region)!;
        options.RequestsPerMinute = r.Int(Rpm, 1, 1_000_000, options.RequestsPerMinute)!.Value;
        options.TokensPerMinute = r.Int(Tpm, 0, 100_000_000, options.TokensPerMinute)!.Value;
        options.Tier = r.Choice(Tier, ["standard", "flex"], "standard") == "flex" ? GeminiTier.Flex : GeminiTier.Standard;

        // Flex PayGo answers may queue for many minutes, so --tier flex allows a longer per-call timeout.
        var maxTimeout = options.Tier == GeminiTier.Flex ? GeminiScorerOptions.MaxFlexTimeout : GeminiScorerOptions.MaxStandardTimeout;
        options.Timeout = TimeSpan.FromSeconds(r.Double(Timeout, 1, maxTimeout.TotalSeconds, options.Timeout.TotalSeconds)!.Value);
        options.PromptFile = r.String(PromptFile);
        options.PriceTableFile = r.String(PriceTable);
        options.MaxCostUsd = r.Double(MaxCost, 0.000_001, 1_000_000) is { } cost ? decimal.Parse(cost.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture) : null;
        options.MaxLlmCalls = r.Long(MaxLlmCalls, 1, long.MaxValue);
        options.Fallback = r.Choice(Fallback, ["none", "rules"], "none") == "rules" ? GeminiFallback.Rules : GeminiFallback.None;
        options.ThinkingBudget = r.Int(ThinkingBudget, -1, 32_768);
        options.ThinkingLevel = r.String(ThinkingLevel)?.ToUpperInvariant();
        options.Temperature = r.Double(Temperature, 0, 2) is { } temperature ? (float)temperature : null;
        options.Concurrency = settings.Concurrency ?? DefaultConcurrency;
        options.RunId = settings.RunId;
        foreach (var problem in options.Problems())
        {
            r.Fail(problem);
        }

        return options;
    }
}
