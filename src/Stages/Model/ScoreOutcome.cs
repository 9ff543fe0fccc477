namespace SalesIntel.Stages.Model;

/// <summary>What scoring made of one record: a recommendation, a dead letter, or "not scored" (a budget ran out).</summary>
public sealed record ScoreOutcome
{
    private ScoreOutcome(AccountRecord record, Recommendation? recommendation, DeadLetter? failure, string? notScoredReason)
    {
        Record = record;
        Recommendation = recommendation;
        Failure = failure;
        NotScoredReason = notScoredReason;
    }

    /// <summary>The input.</summary>
    public AccountRecord Record { get; }

    /// <summary>Set when scored.</summary>
    public Recommendation? Recommendation { get; }

    /// <summary>Set when the record was dead-lettered.</summary>
    public DeadLetter? Failure { get; }

    /// <summary>Set when the record was deliberately left unscored (a budget or a stop), counted as skipped.</summary>
    public string? NotScoredReason { get; }

    /// <summary>A successful score.</summary>
    public static ScoreOutcome Scored(AccountRecord record, Recommendation recommendation) => new(record, recommendation, null, null);

    /// <summary>A per-record failure that goes to the dead letters.</summary>
    public static ScoreOutcome Failed(AccountRecord record, string reason, string message, string? raw = null) =>
        new(record, null, new DeadLetter("score", reason, message, record.Position, record.Signals.AccountId, raw), null);

    /// <summary>Left unscored on purpose (e.g. <c>max_llm_calls_reached</c>).</summary>
    public static ScoreOutcome NotScored(AccountRecord record, string reason) => new(record, null, null, reason);
}
