using System.Globalization;
using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.Drift;

/// <summary>
/// The drift gate: before anything is published, a canary sample of freshly scored accounts is compared with the
/// same accounts' latest previous recommendations (share of tier changes, PSI of the tier distribution, mean score
/// shift). It decides once: when the sample is full, when the input ends, or when the caller's held-row cap is
/// reached. Carried-forward rows equal their previous row by construction and are never sampled. Pure (no I/O of
/// its own besides the lookup it is given) and not thread-safe: the write stage feeds it from one worker.
/// </summary>
public sealed class DriftGate
{
    private readonly DriftGateOptions _options;
    private readonly Func<Recommendation, Recommendation?>? _previousOf;
    private readonly Dictionary<string, int> _previousTiers = NewTierCounts();
    private readonly Dictionary<string, int> _currentTiers = NewTierCounts();
    private readonly Dictionary<string, int> _previousFingerprints = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _currentFingerprints = new(StringComparer.Ordinal);
    private int _size;
    private int _tierChanges;
    private int _fingerprintChanges;
    private long _shift;
    private long _absoluteShift;

    /// <summary>Creates the gate.</summary>
    /// <param name="options">The sample size, thresholds and action; validated here.</param>
    /// <param name="previousOf">The latest earlier recommendation of the fresh row's account (dated before it), or null when there is none; null when no previous recommendations were loaded at all.</param>
    /// <param name="previousAccounts">Accounts the previous recommendations hold; 0 means there is no previous run to compare.</param>
    public DriftGate(DriftGateOptions options, Func<Recommendation, Recommendation?>? previousOf, long previousAccounts)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _previousOf = previousOf;
        if (!options.Enabled)
        {
            throw new ArgumentException("the drift gate is off (--drift-sample 0): do not build one", nameof(options));
        }

        if (previousOf is null || previousAccounts == 0)
        {
            Verdict = NothingToCompare("no previous run to compare", previousOf is null ? "no previous recommendations were loaded" : "the previous recommendations hold no account");
        }
    }

    /// <summary>The options the gate runs with.</summary>
    public DriftGateOptions Options => _options;

    /// <summary>The decision, or null while the sample fills.</summary>
    public DriftVerdict? Verdict { get; private set; }

    /// <summary>True once the gate has decided; rows need no longer be held.</summary>
    public bool IsDecided => Verdict is not null;

    /// <summary>Accounts sampled so far.</summary>
    public int SampleCount => _size;

    /// <summary>
    /// Offers one recommendation about to be published. Carried-forward rows and accounts without an earlier
    /// recommendation are ignored; the others are added to the sample. Returns the verdict when this row filled it.
    /// </summary>
    public DriftVerdict? Offer(Recommendation fresh)
    {
        ArgumentNullException.ThrowIfNull(fresh);
        if (IsDecided || fresh.CarriedFrom is not null || _previousOf?.Invoke(fresh) is not { } previous)
        {
            return null;
        }

        return Add(previous, fresh);
    }

    /// <summary>Adds one account: its previous recommendation and the fresh one. Returns the verdict when the sample is full.</summary>
    public DriftVerdict? Add(Recommendation previous, Recommendation fresh)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(fresh);
        if (IsDecided)
        {
            return null;
        }

        _size++;
        _previousTiers[previous.Tier] = _previousTiers.GetValueOrDefault(previous.Tier) + 1;
        _currentTiers[fresh.Tier] = _currentTiers.GetValueOrDefault(fresh.Tier) + 1;
        if (!string.Equals(previous.Tier, fresh.Tier, StringComparison.Ordinal))
        {
            _tierChanges++;
        }

        var shift = fresh.Score - previous.Score;
        _shift += shift;
        _absoluteShift += Math.Abs(shift);
        var before = Fingerprint(previous);
        var now = Fingerprint(fresh);
        _previousFingerprints[before] = _previousFingerprints.GetValueOrDefault(before) + 1;
        _currentFingerprints[now] = _currentFingerprints.GetValueOrDefault(now) + 1;
        if (!string.Equals(before, now, StringComparison.Ordinal))
        {
            _fingerprintChanges++;
        }

        return _size >= _options.SampleSize ? Decide("sample full") : null;
    }

    /// <summary>Decides on what was sampled because the input ended (a no-op when already decided).</summary>
    public DriftVerdict DecideAtEnd() =>
        Verdict ?? Decide(_size < _options.SampleSize ? "the input ended before the sample was full" : "sample full");

    /// <summary>Decides on what was sampled because <paramref name="heldRows"/> rows are held and the cap is reached.</summary>
    public DriftVerdict DecideAtCap(int heldRows) =>
        Verdict ?? Decide(string.Create(CultureInfo.InvariantCulture, $"the cap of {heldRows:N0} rows held back was reached before the sample was full"));

    /// <summary>The fingerprint of a row as the scorers write it: <c>scorer|model|prompt_version</c>, without the model for rules.</summary>
    public static string Fingerprint(Recommendation row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.Model is null ? $"{row.Scorer}|{row.PromptVersion}" : $"{row.Scorer}|{row.Model}|{row.PromptVersion}";
    }

    private DriftVerdict Decide(string when)
    {
        if (_size == 0)
        {
            Verdict = NothingToCompare("nothing to compare", "no freshly scored account had a previous recommendation", when);
            return Verdict;
        }

        var sample = new DriftSample
        {
            Size = _size,
            TierChanges = _tierChanges,
            MeanScoreShift = (double)_shift / _size,
            MeanAbsoluteScoreShift = (double)_absoluteShift / _size,
            PreviousTiers = new Dictionary<string, int>(_previousTiers),
            CurrentTiers = new Dictionary<string, int>(_currentTiers),
            FingerprintChanges = _fingerprintChanges,
            PreviousFingerprint = MostCommon(_previousFingerprints),
            CurrentFingerprint = MostCommon(_currentFingerprints),
        };
        var c = CultureInfo.InvariantCulture;
        var over = new List<string>();
        if (sample.TierChangeShare > _options.MaxTierChangeShare)
        {
            over.Add(string.Create(c, $"tier changes {sample.TierChangeShare:0.0%} > {_options.MaxTierChangeShare:0.0%}"));
        }

        var psi = sample.Psi;
        if (psi > _options.MaxPsi)
        {
            over.Add(string.Create(c, $"PSI {psi:0.000} > {_options.MaxPsi:0.###}"));
        }

        if (Math.Abs(sample.MeanScoreShift) > _options.MaxScoreShift)
        {
            over.Add(string.Create(c, $"mean score shift {sample.MeanScoreShift:+0.0;-0.0} > ±{_options.MaxScoreShift:0.#} points"));
        }

        // The default is strict only when the scorer, model or prompt changed since the sample's previous rows: then
        // drift is expected and must be looked at before sales teams see it; with the same scorer it is the data.
        var action = _options.Action ?? (sample.FingerprintChanged ? DriftAction.Fail : DriftAction.Warn);
        Verdict = new DriftVerdict
        {
            Status = over.Count > 0 ? DriftStatus.Tripped : DriftStatus.Passed,
            Action = action,
            ActionIsDefault = _options.Action is null,
            SampleTarget = _options.SampleSize,
            Sample = sample,
            MaxTierChangeShare = _options.MaxTierChangeShare,
            MaxPsi = _options.MaxPsi,
            MaxScoreShift = _options.MaxScoreShift,
            DecidedWhen = when,
            Reason = over.Count > 0 ? string.Join(", ", over) : "within every threshold",
        };
        return Verdict;
    }

    private DriftVerdict NothingToCompare(string what, string why, string when = "before the run") => new()
    {
        Status = DriftStatus.NoPrevious,
        Action = _options.Action ?? DriftAction.Warn,
        ActionIsDefault = _options.Action is null,
        SampleTarget = _options.SampleSize,
        MaxTierChangeShare = _options.MaxTierChangeShare,
        MaxPsi = _options.MaxPsi,
        MaxScoreShift = _options.MaxScoreShift,
        DecidedWhen = when,
        Reason = $"{what}: {why}",
    };

    private static string? MostCommon(Dictionary<string, int> counts) =>
        counts.Count == 0 ? null : counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).First().Key;

    private static Dictionary<string, int> NewTierCounts() => DriftSample.TierNames.ToDictionary(t => t, _ => 0, StringComparer.Ordinal);
}
