using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.Admit;

/// <summary>
/// Resume: a re-run (or a Cloud Run task retry) skips accounts whose recommendation for the date is already committed
/// at the sink, counting them as <c>already_committed</c>.
/// </summary>
public sealed class AlreadyCommittedRule(IReadOnlySet<(string AccountId, DateOnly ScoreDate)> committed) : IAdmitRule
{
    /// <summary>The summary key for accounts this rule skips.</summary>
    public const string Reason = "already_committed";

    /// <inheritdoc/>
    public string? SkipReason(AccountRecord record) =>
        committed.Contains((record.Signals.AccountId, record.Signals.SnapshotDate)) ? Reason : null;
}
