using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.Sinks;

/// <summary>
/// Where recommendations go. Explicit commit: <see cref="CompleteAsync"/> publishes and returns what was committed;
/// disposing without it aborts and leaves nothing half-written (a temporary file deleted, pending streams never
/// committed). A sink that commits in chunks may have published earlier chunks; those stay, and a re-run skips them.
/// </summary>
public interface IRecommendationSink : IAsyncDisposable
{
    /// <summary>One line naming the destination, e.g. <c>out/recommendations.csv (CSV)</c>.</summary>
    string Description { get; }

    /// <summary>Checks before any scoring that the destination is writable and its schema fits; throws <see cref="Errors.SinkException"/>.</summary>
    ValueTask PreflightAsync(CancellationToken cancellationToken);

    /// <summary>Writes one batch. Rows the destination rejects individually are reported by <see cref="CompleteAsync"/>.</summary>
    ValueTask WriteAsync(IReadOnlyList<Recommendation> batch, CancellationToken cancellationToken);

    /// <summary>Commits everything written and reports the totals.</summary>
    ValueTask<SinkResult> CompleteAsync(CancellationToken cancellationToken);
}
