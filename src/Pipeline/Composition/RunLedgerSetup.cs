using Microsoft.Extensions.Logging;
using SalesIntel.Stages.Errors;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Sinks.BigQuery;

namespace SalesIntel.Pipeline.Composition;

/// <summary>Appends a run's ledger row at its end, so a ledger fault is logged and never changes how the run ended.</summary>
internal static class RunLedgerSetup
{
    /// <summary>
    /// The longest the end of a run waits for its ledger row. The caller's cancellation is not used: a stopped or
    /// aborted run is exactly one whose row is wanted, and Cloud Run gives a stopped task only seconds after SIGTERM.
    /// </summary>
    public static readonly TimeSpan AppendTimeout = TimeSpan.FromSeconds(8);

    /// <summary>Appends <paramref name="row"/>; true when it was committed, false (an ERROR entry logged) otherwise.</summary>
    public static async Task<bool> AppendAsync(BigQueryRunLedger ledger, ScoringRun row, TimeProvider time, ILogger logger)
    {
        using var timeout = new CancellationTokenSource(AppendTimeout, time);
        try
        {
            if (await ledger.AppendAsync(row, timeout.Token).ConfigureAwait(false))
            {
                Log.RunLedgerWritten(logger, ledger.Table, row.Status, row.ExitCode);
                return true;
            }

            Log.RunLedgerNotWritten(logger, ledger.Table, "BigQuery refused the row");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            Log.RunLedgerNotWritten(logger, ledger.Table, $"no commit within {AppendTimeout.TotalSeconds:0} s");
        }
        catch (SalesIntelException e)
        {
            Log.RunLedgerNotWritten(logger, ledger.Table, e.Message);
        }

        return false;
    }
}
