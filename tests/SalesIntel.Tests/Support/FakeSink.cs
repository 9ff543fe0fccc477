using System.Collections.Concurrent;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Sinks;

namespace SalesIntel.Tests.Support;

/// <summary>A sink that keeps rows in memory; only <see cref="CompleteAsync"/> makes them <see cref="Committed"/>.</summary>
public sealed class FakeSink : IRecommendationSink
{
    private readonly ConcurrentQueue<Recommendation> _pending = new();

    public List<Recommendation> Committed { get; } = [];

    public int Writes { get; private set; }

    public bool Disposed { get; private set; }

    /// <summary>Rows with these account ids are rejected at commit, as BigQuery's row_errors would.</summary>
    public HashSet<string> Reject { get; init; } = [];

    public string Description => "fake sink";

    public ValueTask PreflightAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask WriteAsync(IReadOnlyList<Recommendation> batch, CancellationToken cancellationToken)
    {
        Writes++;
        foreach (var r in batch)
        {
            _pending.Enqueue(r);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<SinkResult> CompleteAsync(CancellationToken cancellationToken)
    {
        var rejected = new List<DeadLetter>();
        foreach (var r in _pending)
        {
            if (Reject.Contains(r.AccountId))
            {
                rejected.Add(new DeadLetter("sink", "row_rejected", "rejected by the fake", new SourcePosition("fake sink", "row"), r.AccountId));
            }
            else
            {
                Committed.Add(r);
            }
        }

        return ValueTask.FromResult(new SinkResult(Committed.Count, rejected, "fake sink"));
    }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }
}
