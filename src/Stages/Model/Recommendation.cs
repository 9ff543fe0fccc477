namespace SalesIntel.Stages.Model;

/// <summary>One row of <c>account_recommendations</c>; every sink writes exactly these columns.</summary>
public sealed record Recommendation
{
    /// <summary>The account key.</summary>
    public required string AccountId { get; init; }

    /// <summary>The snapshot date that was scored (the partition of the sink table).</summary>
    public required DateOnly ScoreDate { get; init; }

    /// <summary>0-100.</summary>
    public required int Score { get; init; }

    /// <summary>A | B | C | D, consistent with <see cref="Score"/> (see <see cref="Tiers"/>).</summary>
    public required string Tier { get; init; }

    /// <summary>Why, in a sentence or two, naming the strongest signals.</summary>
    public required string Rationale { get; init; }

    /// <summary>One to three next best actions.</summary>
    public required IReadOnlyList<string> RecommendedActions { get; init; }

    /// <summary>0-1.</summary>
    public required double Confidence { get; init; }

    /// <summary>rules | gemini | rules-fallback.</summary>
    public required string Scorer { get; init; }

    /// <summary>The model that answered, or null for the rules scorer.</summary>
    public string? Model { get; init; }

    /// <summary>The prompt or rules version that produced the row.</summary>
    public required string PromptVersion { get; init; }

    /// <summary>Hash of the canonical input JSON.</summary>
    public required string InputHash { get; init; }

    /// <summary>The run that wrote the row.</summary>
    public required string RunId { get; init; }

    /// <summary>When the row was scored, UTC.</summary>
    public required DateTimeOffset ScoredAt { get; init; }

    /// <summary>Scoring latency in milliseconds (null for rules).</summary>
    public long? LatencyMs { get; init; }

    /// <summary>Prompt tokens (null for rules).</summary>
    public long? InputTokens { get; init; }

    /// <summary>Output tokens, thinking excluded (null for rules).</summary>
    public long? OutputTokens { get; init; }

    /// <summary>Thinking tokens (null for rules).</summary>
    public long? ThinkingTokens { get; init; }

    /// <summary>
    /// Hash of what the answer depends on: the signals without <c>snapshot_date</c> and the volatile columns, with the
    /// scorer, model and prompt (see <see cref="CarryForward.MaterialHasher"/>); equal hashes let a later run carry the row forward.
    /// </summary>
    public string? MaterialHash { get; init; }

    /// <summary>The date this answer was scored when the row was carried forward unchanged (no model call); null when scored now.</summary>
    public DateOnly? CarriedFrom { get; init; }
}
