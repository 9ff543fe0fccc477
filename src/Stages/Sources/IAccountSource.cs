namespace SalesIntel.Stages.Sources;

/// <summary>
/// A source of account rows. <see cref="OpenAsync"/> does every fatal check (exists, readable, schema, required
/// columns) and throws <see cref="Errors.SourceException"/> before a single row is yielded; <see cref="ReadAsync"/>
/// then streams Arrow batches. Per-row problems are reported in <see cref="SourceBatch.Rejected"/>, never thrown.
/// </summary>
public interface IAccountSource : IAsyncDisposable
{
    /// <summary>Opens the source and returns its plan; throws <see cref="Errors.SourceException"/> on fatal problems.</summary>
    ValueTask<SourcePlan> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Streams the selected rows. Stops early, cleanly, when the token is cancelled.</summary>
    IAsyncEnumerable<SourceBatch> ReadAsync(CancellationToken cancellationToken);
}
