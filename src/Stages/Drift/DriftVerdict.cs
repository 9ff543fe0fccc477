using System.Globalization;

namespace SalesIntel.Stages.Drift;

/// <summary>The drift gate's decision, with the figures and thresholds behind it (for the log, the summary and the report).</summary>
public sealed record DriftVerdict
{
    /// <summary>What the gate found.</summary>
    public required DriftStatus Status { get; init; }

    /// <summary>What a trip does: the option's value, or the default resolved from the sample.</summary>
    public required DriftAction Action { get; init; }

    /// <summary>True when <see cref="Action"/> is the default (not given with <c>--on-drift</c>).</summary>
    public required bool ActionIsDefault { get; init; }

    /// <summary>The sample size asked for (<c>--drift-sample</c>).</summary>
    public required int SampleTarget { get; init; }

    /// <summary>The figures, or null when there was no previous run to compare with.</summary>
    public DriftSample? Sample { get; init; }

    /// <summary>The tier-change threshold (<c>--drift-max-tier-changes</c>).</summary>
    public required double MaxTierChangeShare { get; init; }

    /// <summary>The PSI threshold (<c>--drift-max-psi</c>).</summary>
    public required double MaxPsi { get; init; }

    /// <summary>The mean-score-shift threshold in points (<c>--drift-max-score-shift</c>), applied to |mean(new - old)|.</summary>
    public required double MaxScoreShift { get; init; }

    /// <summary>When the gate decided: the sample was full, the input ended, or the held-row cap was reached.</summary>
    public required string DecidedWhen { get; init; }

    /// <summary>Why: the figures over their thresholds, or why there was nothing to compare.</summary>
    public required string Reason { get; init; }

    /// <summary>True when the run must stop and publish nothing.</summary>
    public bool Blocks => Status == DriftStatus.Tripped && Action == DriftAction.Fail;

    /// <summary>One line naming the figures and the thresholds.</summary>
    public string Describe()
    {
        if (Sample is not { Size: > 0 } s)
        {
            return $"{Reason} ({DecidedWhen})";
        }

        var c = CultureInfo.InvariantCulture;
        var fingerprint = s.FingerprintChanged
            ? $"; scored before by {s.PreviousFingerprint}, now by {s.CurrentFingerprint}"
            : "";
        return string.Create(c, $"{Status.ToString().ToLowerInvariant()}: {Reason}; sample {s.Size:N0} of {SampleTarget:N0} ({DecidedWhen}): ")
            + string.Create(c, $"tier changes {s.TierChangeShare:0.0%} (max {MaxTierChangeShare:0.0%}), PSI {s.Psi:0.000} (max {MaxPsi:0.###}), ")
            + string.Create(c, $"mean score shift {s.MeanScoreShift:+0.0;-0.0;0.0} points (max ±{MaxScoreShift:0.#}; mean absolute {s.MeanAbsoluteScoreShift:0.0})")
            + fingerprint
            + $"; --on-drift {Action.ToString().ToLowerInvariant()}{(ActionIsDefault ? " (default)" : "")}";
    }
}
