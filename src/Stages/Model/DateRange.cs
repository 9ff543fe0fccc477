using System.Globalization;

namespace SalesIntel.Stages.Model;

/// <summary>
/// The partition filter: an inclusive range of <c>snapshot_date</c> values, or every date when <see cref="AllDates"/>.
/// Built only from validated dates, never from free text, so it can be rendered into a row restriction safely.
/// </summary>
public sealed record DateRange
{
    private DateRange(DateOnly? from, DateOnly? to)
    {
        From = from;
        To = to;
    }

    /// <summary>First date, inclusive; null with <see cref="AllDates"/>.</summary>
    public DateOnly? From { get; }

    /// <summary>Last date, inclusive; null with <see cref="AllDates"/>.</summary>
    public DateOnly? To { get; }

    /// <summary>True when the user asked for every partition (<c>--all-dates</c>).</summary>
    public bool AllDates => From is null;

    /// <summary>Every partition.</summary>
    public static DateRange All { get; } = new(null, null);

    /// <summary>One partition.</summary>
    public static DateRange Single(DateOnly date) => new(date, date);

    /// <summary>An inclusive range; <paramref name="from"/> must not be after <paramref name="to"/>.</summary>
    public static DateRange Between(DateOnly from, DateOnly to) =>
        from <= to ? new(from, to) : throw new ArgumentException($"--from {from:yyyy-MM-dd} is after --to {to:yyyy-MM-dd}");

    /// <summary>True when the date is selected.</summary>
    public bool Contains(DateOnly date) => AllDates || (date >= From && date <= To);

    /// <summary>The dates of the range in order (empty for all dates): backfills run partition by partition.</summary>
    public IEnumerable<DateOnly> Days()
    {
        for (var d = From; d is not null && d <= To; d = d.Value.AddDays(1))
        {
            yield return d.Value;
        }
    }

    /// <summary>A BigQuery row restriction on <paramref name="column"/>; null for all dates.</summary>
    public string? ToRowRestriction(string column) => AllDates
        ? null
        : From == To
            ? $"{column} = DATE '{Format(From!.Value)}'"
            : $"{column} BETWEEN DATE '{Format(From!.Value)}' AND DATE '{Format(To!.Value)}'";

    /// <inheritdoc />
    public override string ToString() => AllDates ? "all dates" : From == To ? Format(From!.Value) : $"{Format(From!.Value)}..{Format(To!.Value)}";

    private static string Format(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
