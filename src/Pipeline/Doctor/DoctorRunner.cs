using SalesIntel.Stages.Errors;

namespace SalesIntel.Pipeline.Doctor;

/// <summary>
/// Runs the checks in order, each to its one result: a typed error that escapes a check (a missing table, a refused
/// model) is that check's failure, not the end of the run, so every problem shows in one pass. Caller cancellation
/// propagates.
/// </summary>
public static class DoctorRunner
{
    /// <summary>Runs <paramref name="checks"/> and hands each result to <paramref name="report"/> as soon as it is known.</summary>
    public static async Task<IReadOnlyList<DoctorCheckResult>> RunAsync(IReadOnlyList<IDoctorCheck> checks, DoctorContext context, Func<IDoctorCheck, DoctorCheckResult, Task> report, CancellationToken cancellationToken)
    {
        var results = new List<DoctorCheckResult>();
        foreach (var check in checks)
        {
            DoctorCheckResult result;
            try
            {
                result = await check.RunAsync(context, cancellationToken);
            }
            catch (SalesIntelException e)
            {
                result = DoctorCheckResult.Fail(e.Message);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                result = DoctorCheckResult.Fail(e.Message);
            }

            results.Add(result);
            await report(check, result);
        }

        return results;
    }
}
