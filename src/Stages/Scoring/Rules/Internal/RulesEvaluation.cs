namespace SalesIntel.Stages.Scoring.Rules;

/// <summary>The formula's result for one account, kept for the action rules.</summary>
internal sealed record RulesEvaluation(int Score, string Rationale, double Confidence, LifecycleStage Stage, int? DaysSinceActivity);
