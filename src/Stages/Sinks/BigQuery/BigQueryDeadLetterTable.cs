using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SalesIntel.Stages.GoogleApis.BigQuery;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Sinks.BigQuery.Internal;
using SalesIntel.Stages.Sinks.DeadLetters;

namespace SalesIntel.Stages.Sinks.BigQuery;

/// <summary>
/// Dead letters in a BigQuery table (<see cref="DeadLettersTable"/>), through the sink's Storage Write machinery.
/// Dead letters are held until <see cref="CommitAsync"/>, which writes them in one PENDING stream and commits it:
/// call it once, after the sink's final commit, so an attempt that fails before that leaves no row and the retried
/// attempt writes its own set once. Disposing without it commits nothing. Thread-safe for <see cref="Write"/>.
/// </summary>
public sealed class BigQueryDeadLetterTable : IDeadLetterWriter, IDisposable
{
    private readonly BigQueryTableReference _table;
    private readonly DeadLetterRowEncoder _encoder;
    private readonly WriteConnection _connection;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly List<DeadLetterEntry> _entries = [];

    /// <summary>Builds the writer for <paramref name="table"/> (<c>bq://P.D.T</c>) with the sink's connection options.</summary>
    public BigQueryDeadLetterTable(BigQuerySinkOptions options, string table, string runId, int taskIndex, int taskAttempt, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _table = BigQueryTableReference.Parse(table, "--dead-letter-table");
        _encoder = new DeadLetterRowEncoder(runId, taskIndex, taskAttempt);
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _connection = new WriteConnection(options, _time, _logger);
    }

    /// <summary>The table.</summary>
    public string Table => _table.ToString();

    /// <summary>Checks the table exists and fits the rows; throws <see cref="Errors.SinkException"/> in one line otherwise.</summary>
    public ValueTask PreflightAsync(CancellationToken cancellationToken) =>
        _connection.PreflightAsync(_table, DeadLettersTable.Schema, "dead-letter", "deploy/account_recommendation_dead_letters.sql", "--dead-letter-table", cancellationToken);

    /// <inheritdoc />
    public void Write(IEnumerable<DeadLetter> letters)
    {
        ArgumentNullException.ThrowIfNull(letters);
        var at = _time.GetUtcNow();
        lock (_gate)
        {
            _entries.AddRange(letters.Select(d => new DeadLetterEntry(d, at)));
        }
    }

    /// <summary>Writes every dead letter held in one stream and commits it; returns the rows committed.</summary>
    public async ValueTask<long> CommitAsync(CancellationToken cancellationToken)
    {
        DeadLetterEntry[] rows;
        lock (_gate)
        {
            rows = [.. _entries];
        }

        var refused = await _connection.CommitOnceAsync(_table, _encoder, rows, "dead-letter", cancellationToken).ConfigureAwait(false);
        foreach (var r in refused)
        {
            TableWriteLog.RowRefused(_logger, "dead-letter", _table.ToString(), $"{r.Reason}: {r.Message} ({r.Row.Letter.Position})");
        }

        return rows.Length - refused.Count;
    }

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();
}
