namespace SalesIntel.Stages.Drift;

/// <summary>What the drift gate found.</summary>
public enum DriftStatus
{
    /// <summary>Nothing to compare: no previous run, or no freshly scored account had a previous recommendation.</summary>
    NoPrevious,

    /// <summary>The sample stayed within every threshold.</summary>
    Passed,

    /// <summary>The sample passed at least one threshold; <see cref="DriftVerdict.Action"/> says what the run did.</summary>
    Tripped,
}
