namespace SalesIntel.Stages.Scoring.Gemini;

/// <summary>The thinking levels of Gemini 3.x (<c>ThinkingConfig.thinking_level</c>), cheapest first.</summary>
public static class GeminiThinkingLevels
{
    /// <summary>Every level, cheapest first.</summary>
    public static IReadOnlyList<string> All { get; } = ["MINIMAL", "LOW", "MEDIUM", "HIGH"];

    /// <summary>True for a level name the API knows (upper case).</summary>
    public static bool IsKnown(string level) => All.Contains(level);
}
