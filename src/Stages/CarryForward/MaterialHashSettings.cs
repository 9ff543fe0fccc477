namespace SalesIntel.Stages.CarryForward;

/// <summary>What the material hash covers besides the signals.</summary>
/// <param name="ScorerFingerprint">The scorer, model, prompt version and prompt hash (<see cref="Scoring.IScorer.Fingerprint"/>): a different scorer asks a different question.</param>
/// <param name="VolatileColumns">Columns left out because they change without changing the answer (<c>--volatile-columns</c>), compared case-insensitively.</param>
public sealed record MaterialHashSettings(string ScorerFingerprint, IReadOnlySet<string> VolatileColumns)
{
    /// <summary>Settings with no volatile columns.</summary>
    public MaterialHashSettings(string scorerFingerprint)
        : this(scorerFingerprint, new HashSet<string>(StringComparer.OrdinalIgnoreCase))
    {
    }
}
