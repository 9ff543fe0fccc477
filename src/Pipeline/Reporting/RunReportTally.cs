using SalesIntel.Stages.Model;

namespace SalesIntel.Pipeline.Reporting;

/// <summary>
/// The score histogram (10 bins of 10 points, the last holding 90-100) and tier counts of the recommendations handed
/// to the sink, counted as batches are written so the report needs no second pass over the output. Thread-safe.
/// </summary>
public sealed class RunReportTally
{
    /// <summary>The tiers in report order.</summary>
    public static readonly IReadOnlyList<string> TierNames = ["A", "B", "C", "D"];

    private readonly long[] _bins = new long[10];
    private readonly long[] _tiers = new long[4];

    /// <summary>Counts one written batch.</summary>
    public void Add(IReadOnlyList<Recommendation> batch)
    {
        foreach (var r in batch)
        {
            Interlocked.Increment(ref _bins[Math.Clamp(r.Score / 10, 0, 9)]);
            var tier = r.Tier switch { "A" => 0, "B" => 1, "C" => 2, _ => 3 };
            Interlocked.Increment(ref _tiers[tier]);
        }
    }

    /// <summary>Rows per score bin: index i holds scores 10*i to 10*i+9 (the last bin 90-100).</summary>
    public IReadOnlyList<long> ScoreBins => Enumerable.Range(0, _bins.Length).Select(i => Interlocked.Read(ref _bins[i])).ToArray();

    /// <summary>Rows per tier, in <see cref="TierNames"/> order.</summary>
    public IReadOnlyDictionary<string, long> TierCounts => TierNames.Select((t, i) => (t, n: Interlocked.Read(ref _tiers[i]))).ToDictionary(x => x.t, x => x.n);

    /// <summary>Rows counted.</summary>
    public long Total => Enumerable.Range(0, _tiers.Length).Sum(i => Interlocked.Read(ref _tiers[i]));
}
