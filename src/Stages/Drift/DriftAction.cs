namespace SalesIntel.Stages.Drift;

/// <summary>What a tripped drift gate does (<c>--on-drift</c>).</summary>
public enum DriftAction
{
    /// <summary>Stop the run and publish nothing (exit 5).</summary>
    Fail,

    /// <summary>Publish anyway and flag the drift in the log (Warning) and the summary.</summary>
    Warn,
}
