using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.Sinks;

/// <summary>
/// A sink that can tell which accounts already have a committed recommendation for a score date, so a re-run (or a
/// Cloud Run task retry) of the same dates skips them instead of scoring and writing them again.
/// </summary>
public interface IResumableSink
{
    /// <summary>The (account_id, score_date) pairs already committed for <paramref name="dates"/>.</summary>
    ValueTask<IReadOnlySet<(string AccountId, DateOnly ScoreDate)>> CommittedAsync(DateRange dates, CancellationToken cancellationToken);
}
