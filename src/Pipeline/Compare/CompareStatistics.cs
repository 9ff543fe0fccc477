namespace SalesIntel.Pipeline.Compare;

/// <summary>
/// The figures of <c>salesintel compare</c>, computed from the paired rows alone (pure: no clock, no I/O): the tier
/// confusion matrix (rows side A, columns side B), the agreement rate, the mean absolute score difference and the
/// histogram of score differences (B minus A). Only pairs both sides scored count; the others are counted apart.
/// </summary>
public sealed class CompareStatistics
{
    /// <summary>The tiers in matrix order.</summary>
    public static readonly IReadOnlyList<string> TierOrder = ["A", "B", "C", "D"];

    /// <summary>The labels of the score-difference bins, in order: ten bins below zero, zero, ten above.</summary>
    public static readonly IReadOnlyList<string> DifferenceBinLabels = BinLabels();

    private readonly int[,] _matrix = new int[4, 4];
    private readonly int[] _differenceBins = new int[21];

    private CompareStatistics()
    {
    }

    /// <summary>Pairs both sides scored.</summary>
    public int Paired { get; private set; }

    /// <summary>Pairs at least one side did not score.</summary>
    public int Unpaired { get; private set; }

    /// <summary>Paired accounts given the same tier by both sides.</summary>
    public int Agreeing { get; private set; }

    /// <summary>The share of paired accounts given the same tier, 0-1; 0 when nothing is paired.</summary>
    public double AgreementRate => Paired == 0 ? 0 : (double)Agreeing / Paired;

    /// <summary>The mean of |score_b - score_a| over paired accounts; 0 when nothing is paired.</summary>
    public double MeanAbsoluteDifference { get; private set; }

    /// <summary>Paired accounts with tier <paramref name="tierA"/> from side A and <paramref name="tierB"/> from side B.</summary>
    public int Cell(string tierA, string tierB) => _matrix[Index(tierA), Index(tierB)];

    /// <summary>Counts per bin of score_b - score_a, in the order of <see cref="DifferenceBinLabels"/>.</summary>
    public IReadOnlyList<int> DifferenceBins => _differenceBins;

    /// <summary>Computes the figures of <paramref name="pairs"/>.</summary>
    public static CompareStatistics From(IEnumerable<ComparedPair> pairs)
    {
        var stats = new CompareStatistics();
        long absoluteSum = 0;
        foreach (var pair in pairs)
        {
            if (!pair.BothScored || !TierOrder.Contains(pair.TierA!) || !TierOrder.Contains(pair.TierB!))
            {
                stats.Unpaired++;
                continue;
            }

            stats.Paired++;
            stats._matrix[Index(pair.TierA!), Index(pair.TierB!)]++;
            if (pair.TierA == pair.TierB)
            {
                stats.Agreeing++;
            }

            var difference = pair.ScoreB!.Value - pair.ScoreA!.Value;
            absoluteSum += Math.Abs(difference);
            stats._differenceBins[BinOf(difference)]++;
        }

        stats.MeanAbsoluteDifference = stats.Paired == 0 ? 0 : (double)absoluteSum / stats.Paired;
        return stats;
    }

    /// <summary>
    /// The nearest-rank percentile (the smallest value with at least <paramref name="percent"/>% of the values at or
    /// below it): no interpolation, so the figure is always a latency that was really measured. Null for no values.
    /// </summary>
    public static long? Percentile(IEnumerable<long> values, double percent)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(percent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return null;
        }

        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }

    /// <summary>The bin of a difference: -100..-91 is 0, ..., -10..-1 is 9, 0 is 10, 1..10 is 11, ..., 91..100 is 20.</summary>
    internal static int BinOf(int difference) => difference switch
    {
        0 => 10,
        < 0 => 9 - ((Math.Min(100, -difference) - 1) / 10),
        _ => 11 + ((Math.Min(100, difference) - 1) / 10),
    };

    private static int Index(string tier) => tier switch
    {
        "A" => 0,
        "B" => 1,
        "C" => 2,
        "D" => 3,
        _ => throw new ArgumentOutOfRangeException(nameof(tier), tier, "a tier is A, B, C or D"),
    };

    private static string[] BinLabels()
    {
        var labels = new List<string>();
        for (var i = 10; i >= 1; i--)
        {
            labels.Add($"{-(i * 10)}..{-((i - 1) * 10) - 1}");
        }

        labels.Add("0");
        for (var i = 1; i <= 10; i++)
        {
            labels.Add($"{((i - 1) * 10) + 1}..{i * 10}");
        }

        return [.. labels];
    }
}
