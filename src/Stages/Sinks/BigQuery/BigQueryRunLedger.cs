using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SalesIntel.Stages.GoogleApis.BigQuery;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Sinks.BigQuery.Internal;

namespace SalesIntel.Stages.Sinks.BigQuery;

/// <summary>
/// The run ledger in a BigQuery table (<see cref="ScoringRunsTable"/>), through the sink's Storage Write machinery.
/// <see cref="AppendAsync"/> writes one row in its own PENDING stream and commits it once: a transport retry inside
/// the append cannot make a second row, and each task attempt appends its own row, told apart by task_attempt.
/// </summary>
public sealed class BigQueryRunLedger : IDisposable
{
    private readonly BigQueryTableReference _table;
    private readonly WriteConnection _connection;
    private readonly ILogger _logger;

    /// <summary>Builds the ledger for <paramref name="table"/> (<c>bq://P.D.T</c>) with the sink's connection options.</summary>
    public BigQueryRunLedger(BigQuerySinkOptions options, string table, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _table = BigQueryTableReference.Parse(table, "--run-ledger-table");
        _logger = logger ?? NullLogger.Instance;
        _connection = new WriteConnection(options, timeProvider ?? TimeProvider.System, _logger);
    }

    /// <summary>The table.</summary>
    public string Table => _table.ToString();

    /// <summary>Checks the table exists and fits the rows; throws <see cref="Errors.SinkException"/> in one line otherwise.</summary>
    public ValueTask PreflightAsync(CancellationToken cancellationToken) =>
        _connection.PreflightAsync(_table, ScoringRunsTable.Schema, "run-ledger", "deploy/scoring_runs.sql", "--run-ledger-table", cancellationToken);

    /// <summary>Writes <paramref name="run"/> as one row and commits it; returns false when BigQuery refused the row.</summary>
    public async ValueTask<bool> AppendAsync(ScoringRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var refused = await _connection.CommitOnceAsync(_table, new ScoringRunRowEncoder(), [run], "run-ledger", cancellationToken).ConfigureAwait(false);
        foreach (var r in refused)
        {
            TableWriteLog.RowRefused(_logger, "run-ledger", _table.ToString(), $"{r.Reason}: {r.Message} (run {r.Row.RunId}, task {r.Row.TaskIndex}, attempt {r.Row.TaskAttempt})");
        }

        return refused.Count == 0;
    }

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();
}
