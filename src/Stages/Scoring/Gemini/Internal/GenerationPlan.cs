using System.Globalization;
using SalesIntel.Stages.Errors;

namespace SalesIntel.Stages.Scoring.Gemini.Internal;

/// <summary>
/// The generation settings of one run, resolved once at start-up from the options and the model's catalog entry:
/// Gemini 3.x gets a <c>thinking_level</c> (never with a budget), 2.x a <c>thinking_budget</c>; the temperature
/// follows the catalog; the output limit leaves room for thinking so answers are not cut.
/// </summary>
internal sealed record GenerationPlan(string Model, GeminiModelInfo? Info, float Temperature, string? ThinkingLevel, int? ThinkingBudget, int MaxOutputTokens, int AnswerTokens)
{
    /// <summary>Resolves the plan; a setting the model refuses throws <see cref="ConfigurationException"/> naming the value and the fix.</summary>
    public static GenerationPlan Resolve(GeminiScorerOptions options, string model, GeminiModelInfo? info)
    {
        var temperature = options.Temperature ?? info?.Temperature ?? 0f;
        var control = info?.Thinking ?? (options.ThinkingLevel is not null ? ThinkingControl.Level : options.ThinkingBudget is not null ? ThinkingControl.Budget : ThinkingControl.None);
        switch (control)
        {
            case ThinkingControl.Level:
                if (options.ThinkingBudget is not null)
                {
                    throw new ConfigurationException($"--thinking-budget {options.ThinkingBudget} does not apply to model '{model}', which is driven by thinking levels: use --thinking-level ({Levels(info)}) instead");
                }

                var level = options.ThinkingLevel ?? info?.ScoringLevel;
                if (level is not null && info is not null && !info.Levels.Contains(level))
                {
                    throw new ConfigurationException($"--thinking-level {level} is not accepted by model '{model}': use one of {Levels(info)}");
                }

                var headroom = info?.HeadroomTokens is > 0 ? info.HeadroomTokens : 4096;
                return new GenerationPlan(model, info, temperature, level, null, Cap(options.MaxAnswerTokens + headroom, info), options.MaxAnswerTokens);
            case ThinkingControl.Budget:
                if (options.ThinkingLevel is not null)
                {
                    throw new ConfigurationException($"--thinking-level {options.ThinkingLevel} does not apply to model '{model}', which takes a thinking budget: use --thinking-budget instead");
                }

                int? budget = options.ThinkingBudget switch
                {
                    -1 => null,
                    { } b => b,
                    null => info?.DefaultBudget ?? options.EffectiveThinkingBudget,
                };
                if (budget is { } sent && info is not null && sent < info.MinBudget)
                {
                    throw new ConfigurationException(string.Create(CultureInfo.InvariantCulture, $"--thinking-budget {sent} is below the minimum {info.MinBudget} of model '{model}': use {info.MinBudget} or more, or -1 for the model's default"));
                }

                return new GenerationPlan(model, info, temperature, null, budget, Cap(options.MaxAnswerTokens + Math.Max(0, budget ?? 0), info), options.MaxAnswerTokens);
            default:
                return new GenerationPlan(model, info, temperature, null, null, Cap(options.MaxAnswerTokens, info), options.MaxAnswerTokens);
        }
    }

    /// <summary>The smallest thinking budget of the model (2.x), spent on the retry after a truncated answer.</summary>
    public int MinimumBudget => Info?.MinBudget ?? (Model.Contains("pro", StringComparison.OrdinalIgnoreCase) ? 128 : 0);

    /// <summary>The cheapest level of the model (3.x), spent on the retry after a truncated answer.</summary>
    public string? MinimumLevel => ThinkingLevel is null ? null : Info?.Levels.OrderBy(l => GeminiThinkingLevels.All.ToList().IndexOf(l)).FirstOrDefault() ?? ThinkingLevel;

    private static int Cap(int tokens, GeminiModelInfo? info) => info?.MaxOutputTokens is > 0 ? Math.Min(tokens, info.MaxOutputTokens) : tokens;

    private static string Levels(GeminiModelInfo? info) => string.Join(", ", info?.Levels ?? GeminiThinkingLevels.All);
}
