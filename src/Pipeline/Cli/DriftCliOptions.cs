using SalesIntel.Stages.Drift;
using static SalesIntel.Pipeline.Cli.OptionTypes;

namespace SalesIntel.Pipeline.Cli;

/// <summary>
/// The options of the drift gate (docs/DRIFT.md), read into <see cref="DriftGateOptions"/>: before anything is
/// published, a canary sample of freshly scored accounts is compared with their latest previous recommendations.
/// </summary>
public static class DriftCliOptions
{
    private const string Group = "Drift gate (a canary sample is compared with the previous run before anything is published)";

    /// <summary>The canary sample size.</summary>
    public static readonly OptionSpec<int> Sample = new("--drift-sample", "SALESINTEL_DRIFT_SAMPLE", "freshly scored accounts with a previous recommendation compared before anything is published (all if fewer); rows are held back until the gate decides; 0 turns the gate off", "N", Group, Int(DriftGateOptions.SampleSizeBounds), DriftGateOptions.DefaultSampleSize);

    /// <summary>The tier-change threshold.</summary>
    public static readonly OptionSpec<double> MaxTierChanges = new("--drift-max-tier-changes", "SALESINTEL_DRIFT_MAX_TIER_CHANGES", "trip when a larger share of the sample changes tier", "SHARE", Group, Number(DriftGateOptions.TierChangeShareBounds), DriftGateOptions.DefaultMaxTierChangeShare);

    /// <summary>The PSI threshold.</summary>
    public static readonly OptionSpec<double> MaxPsi = new("--drift-max-psi", "SALESINTEL_DRIFT_MAX_PSI", "trip when the population stability index of the sample's tier distribution (previous vs now) is larger", "PSI", Group, Number(DriftGateOptions.PsiBounds), DriftGateOptions.DefaultMaxPsi);

    /// <summary>The mean-score-shift threshold.</summary>
    public static readonly OptionSpec<double> MaxScoreShift = new("--drift-max-score-shift", "SALESINTEL_DRIFT_MAX_SCORE_SHIFT", "trip when the sample's mean score shift (new - old, signed) is larger in either direction, in points", "POINTS", Group, Number(DriftGateOptions.ScoreShiftBounds), DriftGateOptions.DefaultMaxScoreShift);

    /// <summary>What a tripped gate does.</summary>
    public static readonly OptionSpec<string?> OnDrift = new("--on-drift", "SALESINTEL_ON_DRIFT", "fail: stop, publish nothing, exit 5 | warn: publish and flag it in the log and summary", "fail|warn", Group, Optional(Choice("fail", "warn")), null) { ShownDefault = "fail when most of the sample was scored before by another scorer, model or prompt, else warn" };

    /// <summary>Every drift option, in help order.</summary>
    public static IReadOnlyList<OptionSpec> All { get; } = [Sample, MaxTierChanges, MaxPsi, MaxScoreShift, OnDrift];

    /// <summary>Reads the drift options; every problem goes to <paramref name="r"/>.Errors.</summary>
    public static DriftGateOptions Read(SettingsReader r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var options = new DriftGateOptions
        {
            SampleSize = r.Get(Sample),
            MaxTierChangeShare = r.Get(MaxTierChanges),
            MaxPsi = r.Get(MaxPsi),
            MaxScoreShift = r.Get(MaxScoreShift),
            Action = r.Get(OnDrift) switch
            {
                "fail" => DriftAction.Fail,
                "warn" => DriftAction.Warn,
                _ => null,
            },
        };
        foreach (var problem in options.Problems())
        {
            r.Fail(problem);
        }

        return options;
    }
}
