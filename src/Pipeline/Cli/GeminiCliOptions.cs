using System.Globalization;
using SalesIntel.Stages.Scoring.Gemini;
using static SalesIntel.Pipeline.Cli.OptionTypes;

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
    public static readonly OptionSpec<string?> Model = new("--model", GeminiScorerOptions.ModelVariable, "Gemini model id on Vertex AI; a retired id is refused at start-up, naming its replacement", "MODEL", Group, Text, null) { ShownDefault = "the catalog's default_model" };

    /// <summary>The model catalog.</summary>
    public static readonly OptionSpec<string?> ModelCatalog = new("--model-catalog", "SALESINTEL_MODEL_CATALOG", "JSON model catalog (ids, retirement dates, thinking control, temperature, prices); start from a copy of models/gemini.json", "FILE", Group, Text, null) { ShownDefault = "models/gemini.json beside the program" };

    /// <summary>The billed project.</summary>
    public static readonly OptionSpec<string?> Project = new("--project", GeminiScorerOptions.ProjectVariable, "Google Cloud project billed for the Vertex AI calls (required)", "PROJECT", Group, Text, null);

    /// <summary>The Vertex AI location.</summary>
    public static readonly OptionSpec<string?> Region = new("--region", GeminiScorerOptions.RegionVariable, "Vertex AI location: global (aiplatform.googleapis.com; Google's recommended default, most available, processing anywhere), a region such as europe-west4 ({region}-aiplatform.googleapis.com; when ML processing must stay in a place), or us / eu (aiplatform.us.rep / aiplatform.eu.rep.googleapis.com; processing stays in the US / EU; Gemini 3+ only)", "LOCATION", Group, Text, GeminiScorerOptions.DefaultRegion);

    /// <summary>Requests per minute.</summary>
    public static readonly OptionSpec<int> Rpm = new("--rpm", "SALESINTEL_RPM", "limit of model requests per minute for the whole execution; each of CLOUD_RUN_TASK_COUNT tasks paces to limit / tasks (at least 1); set it to your quota", "N", Group, Int(GeminiScorerOptions.RequestsPerMinuteBounds), GeminiScorerOptions.DefaultRequestsPerMinute);

    /// <summary>Tokens per minute.</summary>
    public static readonly OptionSpec<int> Tpm = new("--tpm", "SALESINTEL_TPM", "limit of tokens per minute, input plus output, for the whole execution, shared out like --rpm; 0 turns it off", "N", Group, Int(GeminiScorerOptions.TokensPerMinuteBounds), GeminiScorerOptions.DefaultTokensPerMinute);

    /// <summary>Per-call timeout; the upper end depends on --tier, checked by the scorer's options.</summary>
    public static readonly OptionSpec<double> Timeout = new("--timeout", "SALESINTEL_TIMEOUT", $"seconds one model call may take before it is retried: up to {GeminiScorerOptions.MaxStandardTimeout.TotalSeconds}, or {GeminiScorerOptions.MaxFlexTimeout.TotalSeconds} with --tier flex", "SECONDS", Group, Number(new(1, GeminiScorerOptions.MaxFlexTimeout.TotalSeconds)), GeminiScorerOptions.DefaultTimeoutSeconds);

    /// <summary>The consumption tier.</summary>
    public static readonly OptionSpec<string> Tier = new("--tier", "SALESINTEL_TIER", "standard | flex: Flex PayGo (header X-Vertex-AI-LLM-Shared-Request-Type: flex) costs the catalog's flex_discount less, answers more slowly, needs --region global and allows a longer --timeout", "TIER", Group, Choice("standard", "flex"), "standard");

    /// <summary>The prompt template.</summary>
    public static readonly OptionSpec<string?> PromptFile = new("--prompt-file", "SALESINTEL_PROMPT_FILE", "versioned prompt template; its name and hash are written with every row", "FILE", Group, Text, null) { ShownDefault = "prompts/scoring-v1.md" };

    /// <summary>The price table.</summary>
    public static readonly OptionSpec<string?> PriceTable = new("--price-table", "SALESINTEL_PRICE_TABLE", "deprecated (prices now live in --model-catalog): JSON prices in USD per million tokens that replace the catalog's: {\"MODEL_ID\": {\"input\": 0.3, \"output\": 2.5}}", "FILE", Group, Text, null) { ShownDefault = "the catalog's prices" };

    /// <summary>The spend limit.</summary>
    public static readonly OptionSpec<double?> MaxCost = new("--max-cost", "SALESINTEL_MAX_COST", "stop calling the model before the estimated spend passes this many USD; the rest is reported as not scored", "USD", Group, Optional(Number(GeminiScorerOptions.MaxCostBounds)), null) { ShownDefault = "no limit" };

    /// <summary>The call limit.</summary>
    public static readonly OptionSpec<long?> MaxLlmCalls = new("--max-llm-calls", "SALESINTEL_MAX_LLM_CALLS", "stop calling the model after N calls, retries included; the rest is reported as not scored", "N", Group, Optional(Whole(new(1, long.MaxValue))), null) { ShownDefault = "no limit" };

    /// <summary>The fallback for accounts the model cannot score.</summary>
    public static readonly OptionSpec<string> Fallback = new("--fallback", "SALESINTEL_FALLBACK", "none | rules: score accounts the model could not with the rules scorer, marked rules-fallback", "MODE", Group, Choice("none", "rules"), "none");

    /// <summary>The thinking budget.</summary>
    public static readonly OptionSpec<int?> ThinkingBudget = new("--thinking-budget", "SALESINTEL_THINKING_BUDGET", "Gemini 2.x only: thinking tokens per answer (billed as output); -1 keeps the model's default", "N", Group, Optional(Int(GeminiScorerOptions.ThinkingBudgetBounds)), null) { ShownDefault = "the catalog's default_budget" };

    /// <summary>The thinking level.</summary>
    public static readonly OptionSpec<string?> ThinkingLevel = new("--thinking-level", "SALESINTEL_THINKING_LEVEL", $"Gemini 3.x only: {string.Join(" | ", GeminiThinkingLevels.All)} (the levels the model accepts are in the catalog); never sent with a budget", "LEVEL", Group, Optional(Choice([.. GeminiThinkingLevels.All])), null) { ShownDefault = "the catalog's scoring level (the model's cheapest)" };

    /// <summary>The sampling temperature.</summary>
    public static readonly OptionSpec<double?> Temperature = new("--temperature", "SALESINTEL_TEMPERATURE", "sampling temperature; Google recommends 1.0 for Gemini 3 (lower values may make it loop)", "T", Group, Optional(Number(GeminiScorerOptions.TemperatureBounds)), null) { ShownDefault = "the catalog's temperature" };

    /// <summary>The default concurrency of the gemini scorer when <c>--concurrency</c> is not given.</summary>
    public const int DefaultConcurrency = 16;

    /// <summary>Every gemini option, in help order.</summary>
    public static IReadOnlyList<OptionSpec> All { get; } =
        [Model, ModelCatalog, Project, Region, Tier, Rpm, Tpm, Timeout, PromptFile, PriceTable, MaxCost, MaxLlmCalls, Fallback, ThinkingLevel, ThinkingBudget, Temperature];

    /// <summary>Reads the gemini options; every problem goes to <paramref name="r"/>.Errors.</summary>
    public static GeminiScorerOptions Read(SettingsReader r, ScoreSettings settings, Func<string, string?> environment)
    {
        // The environment part (emulator host, task count) is read by the stage; the CLI layering already covers
        // LLM_MODEL, GOOGLE_CLOUD_PROJECT and GOOGLE_CLOUD_LOCATION through the options' environment variables.
        var options = GeminiScorerOptions.FromEnvironment(environment);
        options.Model = r.Get(Model);
        options.ModelCatalogFile = r.Get(ModelCatalog);
        options.Project = r.Get(Project);
        options.Region = r.Get(Region)!;
        options.RequestsPerMinute = r.Get(Rpm);
        options.TokensPerMinute = r.Get(Tpm);
        options.Tier = r.Get(Tier) == "flex" ? GeminiTier.Flex : GeminiTier.Standard;

        // Flex PayGo answers may queue for many minutes, so the upper end of --timeout depends on the tier: the
        // scorer's options check it (Problems below), the option's own range is the widest.
        options.Timeout = TimeSpan.FromSeconds(r.Get(Timeout));
        options.PromptFile = r.Get(PromptFile);
        options.PriceTableFile = r.Get(PriceTable);
        options.MaxCostUsd = r.Get(MaxCost) is { } cost ? decimal.Parse(cost.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture) : null;
        options.MaxLlmCalls = r.Get(MaxLlmCalls);
        options.Fallback = r.Get(Fallback) == "rules" ? GeminiFallback.Rules : GeminiFallback.None;
        options.ThinkingBudget = r.Get(ThinkingBudget);
        options.ThinkingLevel = r.Get(ThinkingLevel);
        options.Temperature = r.Get(Temperature) is { } temperature ? (float)temperature : null;
        options.Concurrency = settings.Concurrency ?? DefaultConcurrency;
        options.RunId = settings.RunId;
        foreach (var problem in options.Problems())
        {
            r.Fail(problem);
        }

        return options;
    }
}
