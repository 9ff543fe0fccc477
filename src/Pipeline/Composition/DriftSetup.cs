using SalesIntel.Pipeline.Cli;
using SalesIntel.Stages.CarryForward;
using SalesIntel.Stages.Drift;
using SalesIntel.Stages.Model;

namespace SalesIntel.Pipeline.Composition;

/// <summary>
/// Builds the run's drift gate over the previous recommendations the carry-forward setup loaded (the BigQuery sink's
/// table over the window, or <c>--previous</c>). Only the sampled accounts' rows are read back from the index's spill
/// file, so the gate adds nothing to the index's bytes per account.
/// </summary>
public static class DriftSetup
{
    /// <summary>The gate, or null when it is off (<c>--drift-sample 0</c>).</summary>
    public static DriftGate? Create(ScoreSettings settings, CarryForwardScorer scorer)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(scorer);
        if (!settings.Drift.Enabled)
        {
            return null;
        }

        return scorer.Previous is { } index
            ? new DriftGate(settings.Drift, fresh => PreviousOf(index, fresh), index.Count)
            : new DriftGate(settings.Drift, previousOf: null, previousAccounts: 0);
    }

    /// <summary>The account's latest recommendation dated before the fresh one, or null.</summary>
    internal static Recommendation? PreviousOf(PreviousRecommendationIndex index, Recommendation fresh)
    {
        if (!index.TryFind(fresh.AccountId, out var entry) || entry.ScoreDate >= fresh.ScoreDate)
        {
            return null;
        }

        var previous = index.Read(entry);

        // The index keys accounts by a 64-bit hash; the row settles a collision.
        return previous.AccountId == fresh.AccountId ? previous : null;
    }
}
