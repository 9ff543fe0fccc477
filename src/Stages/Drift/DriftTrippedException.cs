using SalesIntel.Stages.Errors;

namespace SalesIntel.Stages.Drift;

/// <summary>
/// The drift gate tripped with <c>--on-drift fail</c>: the canary sample differs from the previous recommendations
/// beyond a threshold, so nothing was published. Not transient: a retry scores the same accounts and trips again.
/// </summary>
public sealed class DriftTrippedException : SalesIntelException
{
    /// <summary>Creates the exception from the verdict; the message is the verdict's one line and the fix.</summary>
    public DriftTrippedException(DriftVerdict verdict)
        : base(Describe(verdict), isTransient: false) => Verdict = verdict;

    /// <summary>The figures that tripped the gate.</summary>
    public DriftVerdict Verdict { get; }

    private static string Describe(DriftVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        return $"drift gate tripped, nothing published: {verdict.Describe()}; "
            + "check the sample, then re-run with --on-drift warn or raise the threshold that tripped";
    }
}
