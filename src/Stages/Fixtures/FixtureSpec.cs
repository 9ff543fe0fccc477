using SalesIntel.Stages.Errors;

namespace SalesIntel.Stages.Fixtures;

/// <summary>What to generate: <paramref name="Rows"/> account rows spread over the dates <paramref name="From"/>..<paramref name="To"/>.</summary>
/// <param name="Rows">Total rows. Each account appears once per date, so there are ceil(Rows / days) accounts; the last date is short when Rows is not a multiple of the day count.</param>
/// <param name="Seed">The same seed, rows and dates always give the same rows, byte for byte.</param>
/// <param name="From">First snapshot_date, inclusive.</param>
/// <param name="To">Last snapshot_date, inclusive.</param>
public sealed record FixtureSpec(long Rows, int Seed, DateOnly From, DateOnly To)
{
    /// <summary>The number of snapshot dates.</summary>
    public int Days => To.DayNumber - From.DayNumber + 1;

    /// <summary>The number of distinct accounts.</summary>
    public long Accounts => Rows == 0 ? 0 : (Rows + Days - 1) / Days;

    /// <summary>Throws one <see cref="ConfigurationException"/> naming every bad value.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (Rows < 0)
        {
            problems.Add($"--rows {Rows} must not be negative");
        }

        if (From > To)
        {
            problems.Add($"--dates {From:yyyy-MM-dd}..{To:yyyy-MM-dd} ends before it starts");
        }

        if (problems.Count > 0)
        {
            throw new ConfigurationException(string.Join("; ", problems) + ".");
        }
    }
}
