namespace SalesIntel.Pipeline.Doctor;

/// <summary>One check of <c>salesintel doctor</c>: a name and a run that returns what it found.</summary>
public interface IDoctorCheck
{
    /// <summary>The name printed before the finding, e.g. <c>credentials</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Runs the check. Expected problems are results, not exceptions; a <see cref="Stages.Errors.SalesIntelException"/>
    /// that escapes is reported by the runner as a failure of this check. Caller cancellation propagates.
    /// </summary>
    ValueTask<DoctorCheckResult> RunAsync(DoctorContext context, CancellationToken cancellationToken);
}
