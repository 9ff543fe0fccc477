namespace SalesIntel.Stages.Scoring.Gemini.Internal;

/// <summary>A validated answer: every field within its rules, the tier matching the score band.</summary>
internal sealed record ParsedAnswer(int Score, string Tier, string Rationale, IReadOnlyList<string> Actions, double Confidence);
