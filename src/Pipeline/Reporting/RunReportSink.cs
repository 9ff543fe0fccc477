using SalesIntel.Stages.Model;
using SalesIntel.Stages.Sinks;

namespace SalesIntel.Pipeline.Reporting;

/// <summary>Passes every call to the real sink and tallies each batch it accepted for the run report (<c>--report</c>).</summary>
public sealed class RunReportSink : IRecommendationSink
{
    private readonly IRecommendationSink _inner;
    private readonly RunReportTally _tally;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    public RunReportSink(IRecommendationSink inner, RunReportTally tally)
    {
        _inner = inner;
        _tally = tally;
    }

    /// <inheritdoc />
    public string Description => _inner.Description;

    /// <inheritdoc />
    public ValueTask PreflightAsync(CancellationToken cancellationToken) => _inner.PreflightAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask WriteAsync(IReadOnlyList<Recommendation> batch, CancellationToken cancellationToken)
    {
        await _inner.WriteAsync(batch, cancellationToken);
        _tally.Add(batch);
    }

    /// <inheritdoc />
    public ValueTask<SinkResult> CompleteAsync(CancellationToken cancellationToken) => _inner.CompleteAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _inner.DisposeAsync();
}
