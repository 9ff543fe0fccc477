using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.Admit;

/// <summary>
/// One per-record decision of the admit stage, asked in order for every decoded record before <c>--limit</c> and the
/// row guard apply. A rule that returns a skip reason takes the record out of the run (read and counted as skipped
/// with that reason, never scored). Further decisions, such as carrying an unchanged account's recommendation
/// forward without scoring, are added as rules rather than as branches in <see cref="AdmitStage"/>.
/// </summary>
public interface IAdmitRule
{
    /// <summary>The skip reason for <paramref name="record"/> (a snake_case summary key), or null to admit it.</summary>
    string? SkipReason(AccountRecord record);
}
