namespace SalesIntel.Stages.Sinks.BigQuery;

/// <summary>What the BigQuery sink has done so far (for the run summary, logs and benchmarks).</summary>
/// <param name="RowsCommitted">Rows in committed chunks: visible in the table.</param>
/// <param name="ChunksCommitted">Chunks (PENDING streams) committed.</param>
/// <param name="RowsRejected">Rows BigQuery refused or that could not fit a request; they are dead letters.</param>
/// <param name="RequestsSent">AppendRows requests written, resends included.</param>
/// <param name="BytesSent">Row bytes of those requests, resends included.</param>
/// <param name="Reconnects">AppendRows connections reopened after a drop or timeout.</param>
/// <param name="AlreadyExisted">Appends answered ALREADY_EXISTS (an earlier attempt had landed): counted once.</param>
/// <param name="Retries">Retries spent, all operations together.</param>
public sealed record BigQuerySinkStatistics(
    long RowsCommitted,
    int ChunksCommitted,
    long RowsRejected,
    long RequestsSent,
    long BytesSent,
    int Reconnects,
    int AlreadyExisted,
    int Retries);
