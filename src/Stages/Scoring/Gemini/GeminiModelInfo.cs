namespace SalesIntel.Stages.Scoring.Gemini;

/// <summary>How a model's thinking is controlled.</summary>
public enum ThinkingControl
{
    /// <summary>The model does not think (gemini-1.x, gemini-2.0): no thinking config is sent.</summary>
    None,

    /// <summary>A token budget (<c>thinking_budget</c>), Gemini 2.x.</summary>
    Budget,

    /// <summary>A level (<c>thinking_level</c>: MINIMAL, LOW, MEDIUM, HIGH), Gemini 3.x; never sent together with a budget.</summary>
    Level,
}

/// <summary>One model of the catalog: its lifecycle, thinking control, recommended temperature, prices and limits.</summary>
/// <param name="Id">The model id, e.g. <c>gemini-3.1-flash-lite</c>.</param>
/// <param name="Generation">The generation, e.g. <c>3.1</c>.</param>
/// <param name="Released">The release date, when known.</param>
/// <param name="Retires">The retirement date on Vertex AI (the last day it answers), when announced.</param>
/// <param name="Retired">True when the catalog lists the model as retired without a date.</param>
/// <param name="Replacement">The model Google recommends instead, when it names one.</param>
/// <param name="Thinking">How thinking is controlled.</param>
/// <param name="Levels">The thinking levels the model accepts (upper case), for <see cref="ThinkingControl.Level"/>.</param>
/// <param name="DefaultLevel">The model's own default level, when known.</param>
/// <param name="ScoringLevel">The level the scorer sends unless <c>--thinking-level</c> says otherwise: the cheapest the model accepts.</param>
/// <param name="HeadroomTokens">Output tokens reserved for thinking at a level, on top of the answer.</param>
/// <param name="MinBudget">The smallest thinking budget the model accepts, for <see cref="ThinkingControl.Budget"/>.</param>
/// <param name="DefaultBudget">The budget the scorer sends unless <c>--thinking-budget</c> says otherwise.</param>
/// <param name="Temperature">The temperature Google recommends for the model (1.0 for Gemini 3).</param>
/// <param name="Price">Prices per million tokens, or null when the catalog has none.</param>
/// <param name="FlexDiscount">The share taken off by Flex PayGo (0.5 = half price).</param>
/// <param name="BatchDiscount">The share taken off by batch prediction.</param>
/// <param name="ContextTokens">The input limit in tokens.</param>
/// <param name="MaxOutputTokens">The output limit in tokens, thinking included.</param>
public sealed record GeminiModelInfo(
    string Id,
    string Generation,
    DateOnly? Released,
    DateOnly? Retires,
    bool Retired,
    string? Replacement,
    ThinkingControl Thinking,
    IReadOnlyList<string> Levels,
    string? DefaultLevel,
    string? ScoringLevel,
    int HeadroomTokens,
    int MinBudget,
    int DefaultBudget,
    float Temperature,
    ModelPrice? Price,
    decimal FlexDiscount,
    decimal BatchDiscount,
    int ContextTokens,
    int MaxOutputTokens)
{
    /// <summary>True when the model no longer answers on <paramref name="today"/> (a retirement date is the last day it answers).</summary>
    public bool IsRetiredOn(DateOnly today) => Retired || (Retires is { } date && today > date);

    /// <summary>Days left until retirement, or null when no date is announced.</summary>
    public int? DaysToRetirement(DateOnly today) => Retires is { } date ? date.DayNumber - today.DayNumber : null;
}
