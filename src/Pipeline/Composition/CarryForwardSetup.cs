using Microsoft.Extensions.Logging;
using SalesIntel.Pipeline.Cli;
using SalesIntel.Stages.CarryForward;
using SalesIntel.Stages.Errors;
using SalesIntel.Stages.Scoring;
using SalesIntel.Stages.Sinks.BigQuery;

namespace SalesIntel.Pipeline.Composition;

/// <summary>
/// Sets carry-forward up for a run: loads the earlier recommendations of the window (the BigQuery sink's own table,
/// or <c>--previous</c> for a file sink) and wraps the scorer in a <see cref="CarryForwardScorer"/>. The wrapper is
/// always used, so every fresh row carries its material hash even when nothing is carried this time.
/// </summary>
public static class CarryForwardSetup
{
    /// <summary>The wrapped scorer; the index is owned (and disposed) by it.</summary>
    public static async Task<CarryForwardScorer> WrapAsync(IScorer scorer, ScoreSettings settings, Func<string, string?> environment, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var (index, carry) = await LoadAsync(settings, environment, time, logger, cancellationToken).ConfigureAwait(false);
        return new CarryForwardScorer(scorer, index, settings.CarryForwardDays, settings.RunId, carry);
    }

    /// <summary>The material-hash settings of the run's scorer.</summary>
    public static MaterialHashSettings MaterialHash(IScorer scorer, ScoreSettings settings) =>
        new(scorer.Fingerprint, settings.VolatileColumns);

    private static async Task<(PreviousRecommendationIndex? Index, bool Carry)> LoadAsync(ScoreSettings settings, Func<string, string?> environment, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var bigQuery = settings.Sink.StartsWith("bq://", StringComparison.OrdinalIgnoreCase);
        var reason = settings switch
        {
            { CarryForwardDays: 0 } => "--carry-forward-days 0",
            { Rescore: true } => "--rescore scores every account",
            { Dates.AllDates: true } => "--all-dates has no window to look back over",
            { PreviousPath: null } when !bigQuery => "a file sink needs --previous PATH (an earlier output) to carry from",
            _ => null,
        };
        if (reason is not null)
        {
            Log.CarryForwardOff(logger, reason);
        }

        // The drift gate compares with the same previous recommendations, so they are loaded for it even when
        // nothing is carried; with carry-forward off it looks back over the default window.
        var forDrift = settings.Drift.Enabled && !settings.Dates.AllDates && (bigQuery || settings.PreviousPath is not null);
        if (reason is not null && !forDrift)
        {
            return (null, false);
        }

        var days = reason is null || settings.CarryForwardDays > 0 ? settings.CarryForwardDays : CarryForwardScorer.DefaultWindowDays;
        var window = PreviousRecommendations.Window(settings.Dates, days);
        var started = time.GetTimestamp();
        PreviousRecommendationIndex index;
        string from;
        if (settings.PreviousPath is { } path)
        {
            from = path;
            index = await PreviousRecommendations.LoadFileAsync(path, window, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            from = settings.Sink;
            try
            {
                index = await PreviousRecommendations.LoadBigQueryAsync(settings.Sink, window, environment(BigQuerySinkDefaults.EmulatorVariable), 4, time, logger, cancellationToken).ConfigureAwait(false);
            }
            catch (SourceException e)
            {
                throw new SinkException($"cannot read the earlier recommendations of {settings.Sink} for {window} (carry-forward and the drift gate): {e.Message}; or pass --carry-forward-days 0 --drift-sample 0", e.IsTransient, e);
            }
        }

        Log.CarryForwardLoaded(logger, index.Count, index.RowsSeen, window.ToString(), from, index.MemoryBytes, index.SpillBytes, time.GetElapsedTime(started).TotalSeconds);
        return (index, reason is null);
    }
}
