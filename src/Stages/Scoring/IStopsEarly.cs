namespace SalesIntel.Stages.Scoring;

/// <summary>
/// A scorer that can stop answering mid-run (its model keeps failing, its retry budget is spent, its credentials are
/// refused) without failing the run: the accounts after the stop come back not scored, so the answers already paid
/// for are committed, and <see cref="StoppedBecause"/> says why, for the run to exit as failed and the rerun (a Cloud
/// Run task retry) to score only the rest.
/// </summary>
public interface IStopsEarly
{
    /// <summary>The error that stopped the scoring, or null while it goes on.</summary>
    Exception? StoppedBecause { get; }
}
