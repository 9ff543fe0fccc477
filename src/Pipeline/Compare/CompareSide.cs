namespace SalesIntel.Pipeline.Compare;

/// <summary>One side of <c>salesintel compare</c>: the rules scorer, or gemini with a model and/or prompt file (null: the run's own).</summary>
/// <param name="Label">A or B.</param>
/// <param name="Rules">True for the rules scorer.</param>
/// <param name="Model">The side's model id, or null for the run's (--model once, LLM_MODEL or the catalog default).</param>
/// <param name="PromptFile">The side's prompt file, or null for the run's.</param>
public sealed record CompareSide(string Label, bool Rules, string? Model, string? PromptFile);
