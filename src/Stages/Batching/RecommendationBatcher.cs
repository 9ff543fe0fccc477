using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.Batching;

/// <summary>
/// Groups recommendations for the sink by row count and by estimated bytes, whichever fills first, so one write
/// never exceeds what the destination accepts (BigQuery's AppendRows request limit) however long the rationales are.
/// </summary>
public sealed class RecommendationBatcher
{
    /// <summary>A conservative per-row overhead for field tags, numbers and timestamps, in bytes.</summary>
    internal const int FixedRowBytes = 160;

    private readonly int _maxRows;
    private readonly long _maxBytes;
    private List<Recommendation> _current;
    private long _currentBytes;

    /// <summary>Creates a batcher.</summary>
    /// <param name="maxRows">Rows per batch. Defaults to 10,000 in the pipeline.</param>
    /// <param name="maxBytes">Estimated bytes per batch. Defaults to 8 MB in the pipeline.</param>
    public RecommendationBatcher(int maxRows, long maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        _maxRows = maxRows;
        _maxBytes = maxBytes;
        _current = new List<Recommendation>(Math.Min(maxRows, 16_384));
    }

    /// <summary>Adds a row; returns a full batch to write when this row filled one, else null.</summary>
    public IReadOnlyList<Recommendation>? Add(Recommendation row)
    {
        var size = EstimateBytes(row);
        IReadOnlyList<Recommendation>? full = null;
        if (_current.Count > 0 && _currentBytes + size > _maxBytes)
        {
            full = TakeCurrent();
        }

        _current.Add(row);
        _currentBytes += size;
        if (full is null && _current.Count >= _maxRows)
        {
            full = TakeCurrent();
        }

        return full;
    }

    /// <summary>Returns what is left (possibly empty) at the end of the input.</summary>
    public IReadOnlyList<Recommendation> Flush() => TakeCurrent();

    /// <summary>An upper-bound estimate of a row's encoded size (UTF-8 worst case of 3 bytes per char).</summary>
    public static long EstimateBytes(Recommendation r)
    {
        long chars = r.AccountId.Length + r.Tier.Length + r.Rationale.Length + r.Scorer.Length + (r.Model?.Length ?? 0)
            + r.PromptVersion.Length + r.InputHash.Length + r.RunId.Length;
        // Indexed, not foreach: enumerating the IReadOnlyList boxes an enumerator for every row.
        var actions = r.RecommendedActions;
        for (var i = 0; i < actions.Count; i++)
        {
            chars += actions[i].Length + 4;
        }

        return FixedRowBytes + (3 * chars);
    }

    private List<Recommendation> TakeCurrent()
    {
        var batch = _current;
        _current = new List<Recommendation>(Math.Min(_maxRows, 16_384));
        _currentBytes = 0;
        return batch;
    }
}
