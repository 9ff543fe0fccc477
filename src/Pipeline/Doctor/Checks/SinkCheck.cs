namespace SalesIntel.Pipeline.Doctor.Checks;

/// <summary>
/// Sink: the sink's own preflight, as the run calls it. For a BigQuery table that is the schema check against the
/// table's live schema (GetWriteStream, view FULL), which also proves the identity may write to it (and the same for the dead-letter and run-ledger tables beside it); for a file, a
/// temporary file opened in the destination folder and removed again (the folder is created if missing, as a run would).
/// </summary>
public sealed class SinkCheck : IDoctorCheck
{
    /// <inheritdoc />
    public string Name => "sink";

    /// <inheritdoc />
    public async ValueTask<DoctorCheckResult> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        // Disposing without CompleteAsync aborts: nothing is written, a file sink's temporary file is deleted.
        await using var sink = context.Factory.CreateSink();
        await sink.PreflightAsync(cancellationToken);
        using var deadLetters = context.Factory.CreateDeadLetterTable();
        if (deadLetters is not null)
        {
            await deadLetters.PreflightAsync(cancellationToken);
        }

        using var runLedger = context.Factory.CreateRunLedger();
        if (runLedger is not null)
        {
            await runLedger.PreflightAsync(cancellationToken);
        }

        return DoctorCheckResult.Ok(context.BigQuerySink
            ? $"{sink.Description}: the table exists and its schema takes every column SalesIntel writes" + (deadLetters is null ? "" : $"; so does the dead-letter table {deadLetters.Table}")
                + (runLedger is null ? "" : $"; so does the run ledger {runLedger.Table}")
            : $"{sink.Description}: the folder is writable");
    }
}
