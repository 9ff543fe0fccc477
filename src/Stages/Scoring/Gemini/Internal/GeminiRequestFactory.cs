using System.Text;
using SalesIntel.Stages.Protos.VertexAi;

namespace SalesIntel.Stages.Scoring.Gemini.Internal;

/// <summary>Builds the GenerateContent requests: the same system instruction, schema and settings for every account.</summary>
internal sealed class GeminiRequestFactory
{
    public const string JsonMimeType = "application/json";

    /// <summary>The lowest temperature of the second request after an unusable answer: at 0 with the same seed it would repeat itself.</summary>
    public const float RetryTemperature = 0.3f;

    private readonly VertexModel _model;
    private readonly PromptTemplate _prompt;
    private readonly GeminiScorerOptions _options;
    private readonly GenerationPlan _plan;
    private readonly Content _systemInstruction;
    private readonly string _promptLabel;

    public GeminiRequestFactory(VertexModel model, PromptTemplate prompt, GeminiScorerOptions options, GenerationPlan plan)
    {
        _model = model;
        _plan = plan;
        _prompt = prompt;
        _options = options;
        // The role of a system instruction is ignored by the API, so none is set.
        _systemInstruction = new Content { Parts = { new Part { Text = prompt.SystemInstruction } } };
        _promptLabel = Label(prompt.Version);
    }

    /// <summary>The first request for one account.</summary>
    public GenerateContentRequest Create(string userText)
    {
        var request = new GenerateContentRequest
        {
            Model = _model.Path,
            Contents = { new Content { Role = "user", Parts = { new Part { Text = userText } } } },
            SystemInstruction = _systemInstruction.Clone(),
            GenerationConfig = Config(_plan.MaxOutputTokens, _plan.ThinkingBudget, _plan.ThinkingLevel, _plan.Temperature, _options.Seed),
            Labels = { ["app"] = "salesintel", ["prompt"] = _promptLabel },
        };
        return request;
    }

    /// <summary>
    /// The second request after an unusable answer: a note saying what was wrong, a different seed and some
    /// temperature; more room and the least thinking when truncated. A blocked answer gets no safety settings:
    /// the default threshold of Gemini 2.5 and 3 is OFF, so any threshold sent would filter more, not less.
    /// </summary>
    public GenerateContentRequest Adjust(GenerateContentRequest first, AnswerProblem problem)
    {
        var request = first.Clone();
        var thinking = _plan.ThinkingBudget;
        var level = _plan.ThinkingLevel;
        var maxOutput = _plan.MaxOutputTokens;
        var note = new StringBuilder("Your previous answer could not be used: ").Append(problem.Message).Append(". ");
        switch (problem.Kind)
        {
            case AnswerProblemKind.Truncated:
                // Thinking tokens count against the output budget; spend the room on the answer this time.
                thinking = thinking is null ? null : _plan.MinimumBudget;
                level = _plan.MinimumLevel;
                maxOutput = _plan.MaxOutputTokens + _plan.AnswerTokens - Math.Max(0, (_plan.ThinkingBudget ?? 0) - (thinking ?? 0));
                note.Append("Keep the rationale under 300 characters and the actions short. ");
                break;
            case AnswerProblemKind.Blocked:
                note.Append("Write everything in your own words and do not quote the account's free text. ");
                break;
        }

        note.Append("Answer again with only the JSON object described, following every rule of the system instruction.");
        request.Contents[0].Parts.Add(new Part { Text = note.ToString() });
        request.GenerationConfig = Config(maxOutput, thinking, level, Math.Max(_plan.Temperature, RetryTemperature), _options.Seed + 1);
        return request;
    }

    private static GenerationConfig Config(int maxOutputTokens, int? thinkingBudget, string? thinkingLevel, float temperature, int seed)
    {
        var config = new GenerationConfig
        {
            Temperature = temperature,
            Seed = seed,
            CandidateCount = 1,
            MaxOutputTokens = maxOutputTokens,
            ResponseMimeType = JsonMimeType,
            ResponseSchema = RecommendationSchema.Build(),
        };
        // A level and a budget are never sent together: Gemini 3 answers INVALID_ARGUMENT.
        if (thinkingLevel is not null)
        {
            config.ThinkingConfig = new GenerationConfig.Types.ThinkingConfig { ThinkingLevel = Level(thinkingLevel), IncludeThoughts = false };
        }
        else if (thinkingBudget is { } budget)
        {
            config.ThinkingConfig = new GenerationConfig.Types.ThinkingConfig { ThinkingBudget = budget, IncludeThoughts = false };
        }

        return config;
    }

    private static GenerationConfig.Types.ThinkingConfig.Types.ThinkingLevel Level(string level) => level switch
    {
        "MINIMAL" => GenerationConfig.Types.ThinkingConfig.Types.ThinkingLevel.Minimal,
        "LOW" => GenerationConfig.Types.ThinkingConfig.Types.ThinkingLevel.Low,
        "MEDIUM" => GenerationConfig.Types.ThinkingConfig.Types.ThinkingLevel.Medium,
        _ => GenerationConfig.Types.ThinkingConfig.Types.ThinkingLevel.High,
    };

    /// <summary>Label values: lowercase letters, digits, '-' and '_', at most 63 characters.</summary>
    private static string Label(string value)
    {
        var chars = value.ToLowerInvariant().Select(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_' ? c : '_').Take(63).ToArray();
        return chars.Length == 0 ? "unnamed" : new string(chars);
    }
}
