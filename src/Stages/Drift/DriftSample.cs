namespace SalesIntel.Stages.Drift;

/// <summary>
/// The figures of the canary sample: freshly scored accounts compared with the same accounts' latest previous
/// recommendations. Score shifts are new minus old, in points.
/// </summary>
public sealed record DriftSample
{
    /// <summary>
    /// Added to every tier share before the PSI is computed, so a tier that is empty on one side gives a large but
    /// finite term instead of a division by zero or log(0).
    /// </summary>
    public const double PsiEpsilon = 0.0001;

    /// <summary>The tiers every scorer shares, in report order; other values found are added after them.</summary>
    public static readonly IReadOnlyList<string> TierNames = ["A", "B", "C", "D"];

    /// <summary>Accounts compared.</summary>
    public required int Size { get; init; }

    /// <summary>Accounts whose tier differs from their previous one.</summary>
    public required int TierChanges { get; init; }

    /// <summary><see cref="TierChanges"/> over <see cref="Size"/> (0 for an empty sample).</summary>
    public double TierChangeShare => Size == 0 ? 0 : (double)TierChanges / Size;

    /// <summary>The population stability index of the sample's tier distribution, previous against now.</summary>
    public double Psi => PopulationStabilityIndex(PreviousTiers, CurrentTiers);

    /// <summary>The mean of new score minus previous score (signed: a systematic shift up or down).</summary>
    public required double MeanScoreShift { get; init; }

    /// <summary>The mean of |new score - previous score| (how far scores moved, in either direction).</summary>
    public required double MeanAbsoluteScoreShift { get; init; }

    /// <summary>The sample's previous tiers, every tier of <see cref="TierNames"/> present (possibly 0).</summary>
    public required IReadOnlyDictionary<string, int> PreviousTiers { get; init; }

    /// <summary>The sample's tiers now, every tier of <see cref="TierNames"/> present (possibly 0).</summary>
    public required IReadOnlyDictionary<string, int> CurrentTiers { get; init; }

    /// <summary>Accounts whose previous row came from another scorer, model or prompt than the fresh one.</summary>
    public required int FingerprintChanges { get; init; }

    /// <summary>The most common <c>scorer|model|prompt_version</c> of the previous rows, or null for an empty sample.</summary>
    public string? PreviousFingerprint { get; init; }

    /// <summary>The most common <c>scorer|model|prompt_version</c> of the fresh rows, or null for an empty sample.</summary>
    public string? CurrentFingerprint { get; init; }

    /// <summary>True when most of the sample was scored before by another scorer, model or prompt.</summary>
    public bool FingerprintChanged => FingerprintChanges * 2 > Size;

    /// <summary>
    /// PSI = sum over tiers of (now - before) * ln(now / before), with each share (count / total) raised by
    /// <see cref="PsiEpsilon"/>; 0 when either side is empty.
    /// </summary>
    public static double PopulationStabilityIndex(IReadOnlyDictionary<string, int> previous, IReadOnlyDictionary<string, int> current)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(current);
        double before = previous.Values.Sum(), now = current.Values.Sum();
        if (before == 0 || now == 0)
        {
            return 0;
        }

        var psi = 0.0;
        foreach (var tier in previous.Keys.Union(current.Keys))
        {
            var p = (previous.GetValueOrDefault(tier) / before) + PsiEpsilon;
            var q = (current.GetValueOrDefault(tier) / now) + PsiEpsilon;
            psi += (q - p) * Math.Log(q / p);
        }

        return psi;
    }
}
