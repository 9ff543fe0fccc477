using SalesIntel.Stages.Errors;
using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.Drift;

/// <summary>
/// Options of the <see cref="DriftGate"/>. Validated once by <see cref="Validate"/> (the gate calls it when built):
/// every bad value is named in one <see cref="ConfigurationException"/>. The defaults and why are in docs/DRIFT.md.
/// </summary>
public sealed class DriftGateOptions
{
    /// <summary>The default canary sample.</summary>
    public const int DefaultSampleSize = 500;

    /// <summary>The default largest share of sampled accounts whose tier may change.</summary>
    public const double DefaultMaxTierChangeShare = 0.25;

    /// <summary>The default largest population stability index of the sample's tier distribution.</summary>
    public const double DefaultMaxPsi = 0.25;

    /// <summary>The default largest mean score shift, in points.</summary>
    public const double DefaultMaxScoreShift = 10;

    /// <summary>The default cap of rows held back while the sample fills.</summary>
    public const int DefaultMaxHeldRows = 20_000;

    /// <summary>The allowed <see cref="SampleSize"/>: 0 (off) up to the default held-row cap (the sample must fit in it).</summary>
    public static readonly Bounds<int> SampleSizeBounds = new(0, DefaultMaxHeldRows);

    /// <summary>The allowed <see cref="MaxTierChangeShare"/>.</summary>
    public static readonly Bounds<double> TierChangeShareBounds = new(0, 1);

    /// <summary>The allowed <see cref="MaxPsi"/>.</summary>
    public static readonly Bounds<double> PsiBounds = new(0, 100);

    /// <summary>The allowed <see cref="MaxScoreShift"/> (scores are 0-100).</summary>
    public static readonly Bounds<double> ScoreShiftBounds = new(0, 100);

    /// <summary>The allowed <see cref="MaxHeldRows"/>.</summary>
    public static readonly Bounds<int> HeldRowsBounds = new(1, 1_000_000);

    /// <summary>
    /// Freshly scored accounts with a previous recommendation compared before anything is published; 0 turns the gate
    /// off. <value>Defaults to 500.</value>
    /// </summary>
    public int SampleSize { get; init; } = DefaultSampleSize;

    /// <summary>The gate trips when a larger share of the sample changes tier. <value>Defaults to 0.25.</value></summary>
    public double MaxTierChangeShare { get; init; } = DefaultMaxTierChangeShare;

    /// <summary>The gate trips when the PSI of the sample's tier distribution is larger. <value>Defaults to 0.25.</value></summary>
    public double MaxPsi { get; init; } = DefaultMaxPsi;

    /// <summary>
    /// The gate trips when the mean signed score shift (new - old) is larger in either direction, in points.
    /// <value>Defaults to 10.</value>
    /// </summary>
    public double MaxScoreShift { get; init; } = DefaultMaxScoreShift;

    /// <summary>
    /// What a tripped gate does, or null for the default: <see cref="DriftAction.Fail"/> when most of the sample was
    /// scored before by another scorer, model or prompt, else <see cref="DriftAction.Warn"/>. <value>Defaults to null.</value>
    /// </summary>
    public DriftAction? Action { get; init; }

    /// <summary>
    /// The most rows held back from the sink while the sample fills (carried rows and new accounts are held too); at
    /// the cap the gate decides on the sample it has. <value>Defaults to 20,000.</value>
    /// </summary>
    public int MaxHeldRows { get; init; } = DefaultMaxHeldRows;

    /// <summary>True when the gate runs at all.</summary>
    public bool Enabled => SampleSize > 0;

    /// <summary>Checks every value; throws one <see cref="ConfigurationException"/> naming all bad values.</summary>
    public void Validate()
    {
        var problems = Problems();
        if (problems.Count > 0)
        {
            throw new ConfigurationException("drift gate: " + string.Join("; ", problems) + ".");
        }
    }

    /// <summary>Every bad value, one phrase each (the CLI reports them with the other options' problems).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (!SampleSizeBounds.Contains(SampleSize))
        {
            problems.Add($"--drift-sample {SampleSize} must be {SampleSizeBounds.Describe()}");
        }

        if (!double.IsFinite(MaxTierChangeShare) || !TierChangeShareBounds.Contains(MaxTierChangeShare))
        {
            problems.Add($"--drift-max-tier-changes {MaxTierChangeShare} must be {TierChangeShareBounds.Describe()}");
        }

        if (!double.IsFinite(MaxPsi) || !PsiBounds.Contains(MaxPsi))
        {
            problems.Add($"--drift-max-psi {MaxPsi} must be {PsiBounds.Describe()}");
        }

        if (!double.IsFinite(MaxScoreShift) || !ScoreShiftBounds.Contains(MaxScoreShift))
        {
            problems.Add($"--drift-max-score-shift {MaxScoreShift} must be {ScoreShiftBounds.Describe()}");
        }

        if (!HeldRowsBounds.Contains(MaxHeldRows))
        {
            problems.Add($"held rows {MaxHeldRows} must be {HeldRowsBounds.Describe()}");
        }
        else if (SampleSize > MaxHeldRows)
        {
            problems.Add($"--drift-sample {SampleSize} must be at most the {MaxHeldRows:N0} rows held back while it fills");
        }

        return problems;
    }
}
