namespace SalesIntel.Stages.Scoring;

/// <summary>A scorer (or other stage) with figures for the run summary: tokens, latency percentiles, retries, cost.</summary>
public interface IReportsMetrics
{
    /// <summary>Name to value, in display order; values are numbers or short strings.</summary>
    IReadOnlyDictionary<string, object?> GetMetrics();
}
